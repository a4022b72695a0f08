"""What every transaction shares: its date and the books' close date, its document number,
its currency, its owner (customer or vendor), and the balances it moves.

* Closed books: a write dated on or before ``Preferences.AccountingInfoPrefs.BookCloseDate``,
  or touching a transaction dated so, is refused with 6210 "Account Period Closed"
  (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors).
* DocNumber: at most 21 characters.  Sales forms are numbered by QuickBooks when
  ``Preferences.SalesFormsPrefs.CustomTxnNumbers`` is false, or when the client sends
  ``AUTO_GENERATE``.  A number already used by another transaction of the same type is
  refused with 6140 when the company asks QuickBooks to warn about duplicates
  (``Preferences.OtherPrefs`` ``WarnDuplicateInvoiceNumber``, ``WarnDuplicateBillNumber``,
  ``WarnDuplicateCheckNumber``); ``?include=allowduplicatedocnum`` lets it through.
* Currency: with multicurrency on, a transaction is in its customer's or vendor's currency;
  ``ExchangeRate`` (home units per foreign unit) defaults to 1, and ``HomeTotalAmt`` is
  ``TotalAmt`` x ``ExchangeRate``
  (https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies).
"""

import re

from .. import balances, faults, ledger, objects, validation
from ..money import ZERO, cents, out, parse
from .base import Entity

FIRST_DOC_NUMBER = 1001


def check_books_closed(ctx, *dates):
    close = ctx.pref("AccountingInfoPrefs", "BookCloseDate")
    if not close:
        return
    close = str(close)[:10]
    for value in dates:
        if value and str(value)[:10] <= close:
            raise faults.books_closed()


def next_doc_number(ctx, entity):
    key = f"doc:{entity}"
    row = ctx.db.execute(
        "INSERT INTO sequences (realm_id, entity, value) VALUES (?, ?, ?) "
        "ON CONFLICT (realm_id, entity) DO UPDATE SET value = value + 1 RETURNING value",
        (ctx.realm_id, key, FIRST_DOC_NUMBER),
    ).fetchone()
    return str(row["value"])


def note_doc_number(ctx, entity, doc_number):
    """A numeric DocNumber chosen by the client moves QuickBooks' own numbering past it."""
    if doc_number and re.fullmatch(r"\d{1,15}", doc_number):
        ctx.db.execute(
            "INSERT INTO sequences (realm_id, entity, value) VALUES (?, ?, ?) "
            "ON CONFLICT (realm_id, entity) DO UPDATE SET value = MAX(value, excluded.value)",
            (ctx.realm_id, f"doc:{entity}", int(doc_number)),
        )


def deposited_in(obj):
    return next((link.get("TxnId") for link in (obj or {}).get("LinkedTxn") or []
                 if link.get("TxnType") == "Deposit"), None)


def check_not_deposited(obj):
    """6540: a payment or sales receipt that a deposit holds cannot change."""
    deposit_id = deposited_in(obj)
    if deposit_id:
        raise faults.validation(
            "6540", "Deposited Transaction cannot be changed",
            f"This transaction has been deposited (Deposit {deposit_id}). If you want to change or delete it, "
            "you must edit the deposit it appears on and remove it first.")


class Transaction(Entity):
    kind = "txn"
    deletable = True
    owner_field = "CustomerRef"
    owner_entity = "Customer"
    owner_required = True
    doc_pref = None          # the OtherPrefs warning that makes duplicate numbers an error
    auto_number = False      # numbered by QuickBooks when custom numbers are off
    label = None             # TxnType as QuickBooks writes it in fault texts
    lengths = {"DocNumber": 21, "PrivateNote": 4000}
    read_only = ("TotalAmt", "HomeTotalAmt", "Balance", "HomeBalance")
    payment_entity = None    # the entity whose lines pay this one (Payment, BillPayment)
    managed_links = ()       # other LinkedTxn types QuickBooks maintains (RefundReceipt, Deposit)

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        validation.date(data, "TxnDate", default=ctx.today())
        check_books_closed(ctx, data["TxnDate"], old.get("TxnDate") if old else None)
        owner = self.resolve_owner(ctx, data)
        self.doc_number(ctx, data, old)
        self.currency(ctx, data, owner)
        self.compute(ctx, data, old, owner)
        self.home_amounts(ctx, data)
        return data

    # -- pieces ---------------------------------------------------------------------------

    def resolve_owner(self, ctx, data):
        return validation.reference(ctx, data, self.owner_field, self.owner_entity, required=self.owner_required)

    def duplicate_warning(self, ctx, data):
        if self.doc_pref is None or str(ctx.other_pref(self.doc_pref, "false")).lower() != "true":
            return False
        # Sales forms: only when the company types its own numbers (handling-common-errors, 6140).
        return not self.auto_number or bool(ctx.pref("SalesFormsPrefs", "CustomTxnNumbers", default=False))

    def doc_number(self, ctx, data, old):
        number = data.get("DocNumber")
        if number in ("", None):
            data.pop("DocNumber", None)
            custom = ctx.pref("SalesFormsPrefs", "CustomTxnNumbers", default=False)
            if self.auto_number and old is None and not custom:
                data["DocNumber"] = next_doc_number(ctx, self.name)
            return
        number = str(number)
        if number == "AUTO_GENERATE" and self.auto_number:
            data["DocNumber"] = next_doc_number(ctx, self.name)
            return
        data["DocNumber"] = number
        if old is not None and old.get("DocNumber") == number:
            return
        if self.duplicate_warning(ctx, data) and "allowduplicatedocnum" not in ctx.args.get("include", ""):
            for _entity, other_id in objects.find_by_doc_number(ctx.db, ctx.realm_id, (self.name,), number):
                if old is None or str(other_id) != old["Id"]:
                    raise faults.duplicate_doc_number(number, self.label or self.name, other_id)
        if self.auto_number:
            note_doc_number(ctx, self.name, number)

    def currency(self, ctx, data, owner):
        home = ctx.home_currency
        owner_currency = ((owner or {}).get("CurrencyRef") or {}).get("value") or home
        given = validation.ref_value(data.get("CurrencyRef"))
        if not ctx.multicurrency:
            if given and given != home:
                raise faults.business_validation(
                    "Multicurrency is not turned on for this company: transactions are in the home currency.",
                    "CurrencyRef")
            data["CurrencyRef"] = ctx.currency_ref(home)
            data.pop("ExchangeRate", None)
            return
        code = given or owner_currency
        if code != owner_currency:
            raise faults.business_validation(
                f"The currency of the transaction ({code}) must be the currency of the "
                f"{self.owner_entity.lower()} ({owner_currency}).", "CurrencyRef")
        data["CurrencyRef"] = ctx.currency_ref(code)
        rate = parse(data.get("ExchangeRate"), "ExchangeRate")
        if code == home or not rate:
            rate = parse(1, "ExchangeRate")
        if rate < 0:
            raise faults.business_validation("ExchangeRate must be positive.", "ExchangeRate")
        data["ExchangeRate"] = out(rate)

    def home_amounts(self, ctx, data):
        if not ctx.multicurrency:
            data.pop("HomeTotalAmt", None)
            data.pop("HomeBalance", None)
            return
        rate = parse(data.get("ExchangeRate"), "ExchangeRate", None) or 1
        data["HomeTotalAmt"] = out(cents(parse(data.get("TotalAmt"), "TotalAmt", ZERO) * rate))
        if "Balance" in data:
            data["HomeBalance"] = out(cents(parse(data.get("Balance"), "Balance", ZERO) * rate))

    def compute(self, ctx, data, old, owner):
        """Entity-specific lines and amounts."""

    def applied(self, ctx, data, old):
        """What payments already apply to this transaction (for Balance)."""
        if old is None or self.payment_entity is None:
            return ZERO
        owner = validation.ref_value(old.get(self.owner_field))
        return balances.applied_to(ctx, self.payment_entity, owner, self.name, old["Id"])

    def keep_payment_links(self, data, old):
        """Payments (and refunds, deposits) are linked by QuickBooks; the client keeps the
        other links it sent."""
        managed = (self.payment_entity, *self.managed_links)
        own = [dict(link) for link in (data.get("LinkedTxn") or []) if isinstance(link, dict)
               and link.get("TxnType") not in managed]
        kept = [link for link in ((old or {}).get("LinkedTxn") or []) if link.get("TxnType") in managed]
        data["LinkedTxn"] = own + kept

    # -- hooks --------------------------------------------------------------------------

    def after_save(self, ctx, new, old):
        balances.owner_balances(ctx, self.name, new, old)
        balances.stock(ctx, self.name, balances.item_quantities(new), balances.item_quantities(old))
        ledger.post(ctx, self.name, new, old)

    def after_void(self, ctx, new, old):
        self.after_save(ctx, new, old)

    def check_delete(self, ctx, obj):
        super().check_delete(ctx, obj)
        check_books_closed(ctx, obj.get("TxnDate"))

    def after_delete(self, ctx, obj):
        balances.owner_balances(ctx, self.name, None, obj)
        balances.stock(ctx, self.name, {}, balances.item_quantities(obj))
        ledger.post(ctx, self.name, None, obj)
        self.unlink_payments(ctx, obj)

    def unlink_payments(self, ctx, obj):
        """A deleted or voided transaction no longer takes payments: the payments applied to
        it keep their money as unapplied credit."""
        if self.payment_entity is None:
            return
        owner = validation.ref_value(obj.get(self.owner_field))
        if owner is None:
            return
        for payment in objects.owned_by(ctx.db, ctx.realm_id, self.payment_entity, owner):
            kept = []
            changed = False
            for line in payment.get("Line") or []:
                links = line.get("LinkedTxn") or []
                if any(link.get("TxnType") == self.name and str(link.get("TxnId")) == obj["Id"] for link in links):
                    changed = True
                    continue
                kept.append(line)
            if not changed:
                continue
            old = dict(payment)
            payment["Line"] = kept
            applied = sum((parse(line.get("Amount"), "Amount", ZERO) * (-1 if any(
                link.get("TxnType") in ("CreditMemo", "VendorCredit") for link in line.get("LinkedTxn") or []) else 1)
                for line in kept), ZERO)
            if "UnappliedAmt" in payment:
                payment["UnappliedAmt"] = out(cents(parse(payment.get("TotalAmt"), "TotalAmt", ZERO) - applied))
            saved = objects.save(ctx.db, ctx.realm_id, self.payment_entity, payment, ctx.now)
            balances.owner_balances(ctx, self.payment_entity, saved, old)
            ctx.changed(self.payment_entity, payment["Id"], "Update")

    def void(self, ctx, obj):
        check_books_closed(ctx, obj.get("TxnDate"))
        voided = dict(obj)
        voided["Line"] = [_zeroed(line) for line in obj.get("Line") or []]
        voided["TotalAmt"] = 0
        for field in ("Balance", "HomeTotalAmt", "HomeBalance", "UnappliedAmt", "RemainingCredit", "Deposit"):
            if field in voided:
                voided[field] = 0
        if isinstance(voided.get("TxnTaxDetail"), dict):
            voided["TxnTaxDetail"] = {"TotalTax": 0}
        voided["PrivateNote"] = "Voided"
        return voided


def _zeroed(line):
    line = dict(line)
    if "Amount" in line:
        line["Amount"] = 0
    for key in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
        if isinstance(line.get(key), dict) and "Qty" in line[key]:
            line[key] = dict(line[key], Qty=0)
    return line
