"""PurchaseOrder, CreditCardPayment, CompanyCurrency and ExchangeRate.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchaseorder
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditcardpayment
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companycurrency
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/exchangerate

* PurchaseOrder: ``VendorRef`` and ``Line`` (expense lines, as on a bill) are required;
  ``APAccountRef`` defaults to Accounts Payable; ``POStatus`` Open (default) or Closed.  It
  posts nothing: no vendor balance, no stock.  A bill that names it in ``LinkedTxn``
  closes it and is listed in its ``LinkedTxn``.
* CreditCardPayment: ``CreditCardAccountRef`` (a Credit Card account), ``BankAccountRef`` (a
  Bank account) and ``Amount`` (positive) are required.
* CompanyCurrency: the currencies a multicurrency company uses besides its home currency;
  ``Code`` (ISO 4217) required, unique, not the home currency; multicurrency must be on.
  Not deleted: ``Active`` false hides it.
* ExchangeRate: one rate per source currency and day (``AsOfDate``), target the home
  currency; read with ``GET /exchangerate?sourcecurrencycode=EUR&asofdate=YYYY-MM-DD`` (the
  latest rate on or before that day) or a query, and set with ``POST /exchangerate``
  (``SourceCurrencyCode``, ``Rate``, ``AsOfDate``; no Id): a second post for the same day
  replaces the rate.
"""

import json
import re

from .. import faults, objects, validation
from ..context import CURRENCY_NAMES
from ..money import ZERO, cents, out, parse
from .base import Entity
from .purchases import _account_of_type, _expense_totals
from .sales import find_account
from .txn import Transaction


class PurchaseOrder(Transaction):
    name = "PurchaseOrder"
    label = "Purchase Order"
    owner_field = "VendorRef"
    owner_entity = "Vendor"
    voidable = False
    lengths = {"DocNumber": 21, "PrivateNote": 4000, "Memo": 4000}
    read_only = ("TotalAmt", "HomeTotalAmt")

    def compute(self, ctx, data, old, vendor):
        data["TotalAmt"] = out(_expense_totals(ctx, data))
        _account_of_type(ctx, data, "APAccountRef", ("Accounts Payable",),
                         default=find_account(ctx, account_type="Accounts Payable"))
        if data.get("POStatus") in (None, ""):
            data["POStatus"] = (old or {}).get("POStatus") or "Open"
        validation.enum(data, "POStatus", ("Open", "Closed"))
        data["LinkedTxn"] = [link for link in (old or {}).get("LinkedTxn") or [] if link.get("TxnType") == "Bill"]


def check_order_links(ctx, bill, vendor_id):
    for link in bill.get("LinkedTxn") or []:
        if link.get("TxnType") != "PurchaseOrder":
            continue
        order_id = validation.ref_value(link.get("TxnId"))
        order = ctx.get("PurchaseOrder", order_id) if order_id else None
        if order is None:
            raise faults.invalid_reference("LinkedTxn.TxnId", order_id, "PurchaseOrder")
        if validation.ref_value(order.get("VendorRef")) != vendor_id:
            raise faults.business_validation(f"Purchase order {order_id} belongs to another vendor.", "LinkedTxn")
        link["TxnId"] = order_id


def _orders(bill):
    return {str(link.get("TxnId")) for link in (bill or {}).get("LinkedTxn") or []
            if link.get("TxnType") == "PurchaseOrder"}


def refresh_orders(ctx, new, old, live=True):
    """Close the purchase orders a bill links to; reopen the ones it no longer does."""
    bill_id = (new or old)["Id"]
    now_linked = _orders(new) if live else set()
    for order_id in sorted(now_linked | _orders(old)):
        order = ctx.get("PurchaseOrder", order_id)
        if order is None:
            continue
        links = [link for link in order.get("LinkedTxn") or []
                 if not (link.get("TxnType") == "Bill" and str(link.get("TxnId")) == bill_id)]
        if order_id in now_linked:
            links.append({"TxnId": bill_id, "TxnType": "Bill"})
        status = "Closed" if links else "Open"
        if links == (order.get("LinkedTxn") or []) and status == order.get("POStatus"):
            continue
        order["LinkedTxn"] = links
        order["POStatus"] = status
        objects.save(ctx.db, ctx.realm_id, "PurchaseOrder", order, ctx.now)
        ctx.changed("PurchaseOrder", order_id, "Update")


class CreditCardPayment(Transaction):
    name = "CreditCardPayment"
    owner_field = "VendorRef"
    owner_entity = "Vendor"
    owner_required = False
    voidable = False
    read_only = ()

    def compute(self, ctx, data, old, vendor):
        _account_of_type(ctx, data, "CreditCardAccountRef", ("Credit Card",), required=True)
        _account_of_type(ctx, data, "BankAccountRef", ("Bank",), required=True)
        amount = parse(data.get("Amount"), "Amount")
        if amount is None:
            raise faults.required_param_missing("Amount")
        amount = cents(amount)
        if amount <= 0:
            raise faults.business_validation("You must set a transaction amount.", "Amount")
        data["Amount"] = out(amount)
        if data.get("PrintStatus") in (None, ""):
            data["PrintStatus"] = "NotSet"
        validation.enum(data, "PrintStatus", ("NotSet", "NeedToPrint", "PrintComplete"))

    def home_amounts(self, ctx, data):
        data.pop("HomeTotalAmt", None)


_CODE = re.compile(r"^[A-Z]{3}$")


class CompanyCurrency(Entity):
    name = "CompanyCurrency"
    name_field = "Code"
    lengths = {"Name": 100}

    def validate(self, ctx, data, old):
        if not ctx.multicurrency:
            raise faults.business_validation(
                "Multicurrency is not turned on for this company: turn it on in Account and Settings first.",
                "CompanyCurrency")
        code = validation.text(data, "Code", 3, required=True).upper()
        if not _CODE.match(code):
            raise faults.invalid_property("Code", "Code")
        if old is not None and old.get("Code") != code:
            raise faults.business_validation("The currency code of a company currency cannot change.", "Code")
        if code == ctx.home_currency:
            raise faults.business_validation(f"{code} is the home currency of this company.", "Code")
        data["Code"] = code
        data["Name"] = CURRENCY_NAMES.get(code, data.get("Name") or code)
        super().validate(ctx, data, old)
        validation.boolean(data, "Active", True)
        if old is None:
            for _entity, other in objects.find_by_name(ctx.db, ctx.realm_id, (self.name,), code):
                raise faults.duplicate_name(other["Id"])
        return data


class ExchangeRate(Entity):
    name = "ExchangeRate"
    kind = "rate"
    cdc = False
    webhooks = False

    def custom_write(self, ctx, payload, operation):
        if operation in ("delete", "void"):
            raise faults.unsupported_operation(operation.capitalize())
        return save_rate(ctx, self, payload)

    def validate(self, ctx, data, old):
        source = validation.text(data, "SourceCurrencyCode", 3, required=True).upper()
        target = (data.get("TargetCurrencyCode") or ctx.home_currency).upper()
        if target != ctx.home_currency:
            raise faults.business_validation("TargetCurrencyCode must be the home currency.", "TargetCurrencyCode")
        if source == target:
            raise faults.business_validation("The source currency is the home currency.", "SourceCurrencyCode")
        rate = parse(data.get("Rate"), "Rate")
        if rate is None:
            raise faults.required_param_missing("Rate")
        if rate <= ZERO:
            raise faults.business_validation("Rate must be positive.", "Rate")
        validation.date(data, "AsOfDate", default=ctx.today())
        return {"SourceCurrencyCode": source, "TargetCurrencyCode": target, "Rate": float(rate),
                "AsOfDate": data["AsOfDate"]}


def rate_key(source, day):
    return f"{source.lower()}|{day}"


def find_rate(db, realm_id, source, day):
    """The latest stored rate of ``source`` on or before ``day``."""
    row = db.execute(
        "SELECT data FROM objects WHERE realm_id = ? AND entity = 'ExchangeRate' AND name LIKE ? AND name <= ?"
        " AND status != 'deleted' ORDER BY name DESC LIMIT 1",
        (realm_id, f"{source.lower()}|%", rate_key(source, day))).fetchone()
    return json.loads(row["data"]) if row else None


def save_rate(ctx, spec, payload):
    """``POST /exchangerate``: set (or replace) the rate of one currency on one day."""
    data = spec.validate(ctx, dict(payload), None)
    key = rate_key(data["SourceCurrencyCode"], data["AsOfDate"])
    row = ctx.db.execute(
        "SELECT id, data FROM objects WHERE realm_id = ? AND entity = 'ExchangeRate' AND name = ?",
        (ctx.realm_id, key)).fetchone()
    if row is None:
        stored = objects.insert(ctx.db, ctx.store, ctx.realm_id, "ExchangeRate", data, ctx.now)
    else:
        stored = objects.save(ctx.db, ctx.realm_id, "ExchangeRate", dict(json.loads(row["data"]), **data,
                                                                             Id=str(row["id"])), ctx.now)
    # An exchange rate has no Id of its own: it is the rate of one currency on one day.
    shown = {k: v for k, v in stored.items() if k not in ("Id", "sparse")}
    shown["MetaData"] = {"LastUpdatedTime": stored["MetaData"]["LastUpdatedTime"]}
    ctx.db.execute("UPDATE objects SET name = ?, data = ? WHERE realm_id = ? AND entity = 'ExchangeRate' AND id = ?",
                   (key, objects.dumps(shown), ctx.realm_id, int(stored["Id"])))
    return shown
