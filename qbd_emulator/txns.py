"""Sales transactions: invoices, credit memos and received payments, and deleting or voiding them.

QuickBooks computes what a client cannot set:

* a line's ``Amount`` is ``Quantity x Rate`` (``Rate`` alone counts once; ``Amount`` alone stands and
  ``Rate`` is derived from it when there is a ``Quantity``); a line with an ``ItemRef`` and neither
  takes the item's price, and its description when it has none;
* sales tax (US): a line is taxable when its sales tax code (the line's, else the item's) is taxable
  and the customer's (the form's ``CustomerSalesTaxCodeRef``, else the customer's) is too; the rate
  is the form's ``ItemSalesTaxRef``, else the customer's, else the company's default (Preferences);
  ``SalesTaxTotal`` = taxable subtotal x rate, rounded half up to the cent;
* ``Subtotal``, ``BalanceRemaining`` (``Subtotal + SalesTaxTotal`` less what payments applied; the
  invoice's ``AppliedAmount`` shows that as a negative amount), ``IsPaid``, the credit memo's
  ``TotalAmount`` and ``CreditRemaining``, the payment's ``UnusedPayment``;
* ``RefNumber`` when none is sent (the last numeric one plus one), ``TxnDate`` (today on the
  QuickBooks PC), ``DueDate`` from the terms, and ``TxnNumber``.

QuickBooks does not refuse a ``RefNumber`` that another invoice already carries (duplicates are a
warning in its user interface only): nothing makes a write idempotent, and a client that sends an
invoice twice gets two invoices.

A payment applies to open invoices of its own customer or job (3120 otherwise) and never more than
their balance: 3210, ``You cannot pay more than the amount due.``, with ``statusSeverity="Info"``
as consolibyte recorded it, and nothing saved.  Voiding keeps the transaction with zero amounts and
``VOID:`` before its memo; deleting removes it; either way the payments it linked to give their
amount back (an invoice's payments become unused, a payment's invoices open again).
"""

import datetime
import re
from decimal import Decimal

from . import objects, qbxml, status
from .clock import parse_date
from .context import ref_of

ZERO = Decimal("0")
LINE = {"Invoice": "InvoiceLine", "CreditMemo": "CreditMemoLine"}
HEADER_REFS = ("CustomerRef", "ClassRef", "ARAccountRef", "TemplateRef", "TermsRef", "SalesRepRef",
               "ShipMethodRef", "ItemSalesTaxRef", "CustomerMsgRef", "CustomerSalesTaxCodeRef")
LINE_REFS = ("ItemRef", "ClassRef", "OverrideUOMSetRef", "InventorySiteRef", "InventorySiteLocationRef",
             "SalesTaxCodeRef", "OverrideItemAccountRef", "PriceLevelRef")
# Aggregates the stand-in does not model: QuickBooks would change other records for them.
NOT_MODELLED = ("SetCredit", "LinkToTxnID", "DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd",
                "InvoiceLineGroupAdd", "CreditMemoLineGroupAdd", "InvoiceLineGroupMod", "CreditCardTxnInfo")


# -- helpers -------------------------------------------------------------------------------------

def _date(value, field):
    try:
        return parse_date(value)
    except ValueError as exc:
        raise status.invalid_date(value, field) from exc


def _account(ctx, special):
    """The company's special account (A/R, Undeposited Funds, Sales Tax Payable)."""
    return ctx.special_account(special)


def _customer(ctx, data, where):
    ref, customer = ctx.resolve("CustomerRef", data["CustomerRef"], where)
    return ref, customer


def _next_ref_number(ctx, kind):
    """The last numeric RefNumber of this kind, plus one (QuickBooks numbers its forms this way)."""
    row = ctx.db.execute(
        "SELECT ref_number FROM objects WHERE company = ? AND kind = ? AND ref_number IS NOT NULL "
        "AND ref_number != '' ORDER BY seq DESC LIMIT 20", (ctx.company, kind)).fetchall()
    for candidate in row:
        match = re.fullmatch(r"(.*?)(\d+)", candidate["ref_number"])
        if match:
            prefix, digits = match.groups()
            return f"{prefix}{int(digits) + 1:0{len(digits)}d}"
    return "1"


def _due_date(terms, txn_date):
    if terms is None:
        return None
    if terms.get("StdDueDays") not in (None, ""):
        return txn_date + datetime.timedelta(days=int(terms["StdDueDays"]))
    if terms.get("DayOfMonthDue") not in (None, ""):
        day = int(terms["DayOfMonthDue"])
        next_month = (txn_date.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        base = txn_date if txn_date.day < day else next_month
        last = ((base.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)).day
        return base.replace(day=min(day, last))
    return txn_date


def _item_price(item):
    block = item.get("SalesOrPurchase") or {}
    if block.get("Price"):
        return Decimal(block["Price"]), block.get("Desc")
    block = item.get("SalesAndPurchase") or {}
    if block.get("SalesPrice"):
        return Decimal(block["SalesPrice"]), block.get("SalesDesc")
    if item.get("_kind") == "ItemSalesTax":
        return None, item.get("ItemDesc")
    desc = (item.get("SalesOrPurchase") or {}).get("Desc") or (item.get("SalesAndPurchase") or {}).get("SalesDesc")
    return None, desc


def _income_account(item):
    block = item.get("SalesOrPurchase") or {}
    if block.get("AccountRef"):
        return block["AccountRef"]["ListID"]
    block = item.get("SalesAndPurchase") or {}
    if block.get("IncomeAccountRef"):
        return block["IncomeAccountRef"]["ListID"]
    return None


def _taxable(ctx, code_ref):
    if not code_ref:
        return False
    code = ctx.get_list("SalesTaxCode", code_ref["ListID"])
    return bool(code and code.get("IsTaxable"))


# -- lines ---------------------------------------------------------------------------------------

def _build_line(ctx, kind, source, existing, where):
    """One line of the Ret from an ``*LineAdd`` (``existing`` None) or an ``*LineMod``."""
    line = dict(existing or {})
    line_where = f"{kind} line"
    changed = {k: v for k, v in source.items() if k != "TxnLineID"}
    for element in LINE_REFS:
        if element in changed:
            if changed[element].get("ListID") or changed[element].get("FullName"):
                changed[element], _ = ctx.resolve(element, changed[element], line_where)
            else:
                changed[element] = ""
    item = None
    if changed.get("ItemRef"):
        item = ctx.get_list(objects.ITEM_KINDS, changed["ItemRef"]["ListID"])
    elif line.get("ItemRef"):
        item = ctx.get_list(objects.ITEM_KINDS, line["ItemRef"]["ListID"])
    quantity = _opt_decimal(changed, "Quantity", 5)
    rate = _opt_decimal(changed, "Rate", 5)
    rate_percent = _opt_decimal(changed, "RatePercent", 5)
    amount = _opt_decimal(changed, "Amount", 2)
    for key, value in changed.items():
        if value == "" or value == {}:
            line.pop(key, None)
        else:
            line[key] = value
    if existing is None and item is not None:
        price, desc = _item_price(item)
        if "Desc" not in line and desc:
            line["Desc"] = desc
        if rate is None and amount is None and rate_percent is None and price is not None:
            rate = price
        if "SalesTaxCodeRef" not in line and item.get("SalesTaxCodeRef"):
            line["SalesTaxCodeRef"] = dict(item["SalesTaxCodeRef"])
    if quantity is None and "Quantity" in line:
        quantity = Decimal(line["Quantity"])
    if rate is None and amount is None and "Rate" in line and existing is not None:
        rate = Decimal(line["Rate"])
    if rate_percent is not None:
        raise status.not_enabled("RatePercent lines need a subtotal item")
    if amount is None and rate is not None:
        amount = qbxml.money(rate * (quantity if quantity is not None else 1))
    elif amount is not None and rate is None and quantity not in (None, ZERO):
        rate = amount / quantity
    result = {"TxnLineID": line.get("TxnLineID") or ctx.txn_id()}
    for key in ("ItemRef", "Desc"):
        if key in line:
            result[key] = line[key]
    if quantity is not None:
        result["Quantity"] = qbxml.fmt_number(quantity)
    for key in ("UnitOfMeasure", "OverrideUOMSetRef"):
        if key in line:
            result[key] = line[key]
    if rate is not None:
        result["Rate"] = qbxml.fmt_price(rate)
    if "ClassRef" in line:
        result["ClassRef"] = line["ClassRef"]
    result["Amount"] = qbxml.fmt_amount(amount if amount is not None else ZERO)
    for key in ("InventorySiteRef", "InventorySiteLocationRef", "SerialNumber", "LotNumber"):
        if key in line:
            result[key] = line[key]
    if "ServiceDate" in line:
        result["ServiceDate"] = _date(line["ServiceDate"], "ServiceDate").isoformat()
    for key in ("SalesTaxCodeRef", "Other1", "Other2"):
        if key in line:
            result[key] = line[key]
    result["_income"] = _income_account(item) if item else None
    return result


def _opt_decimal(data, field, places):
    if field in data and data[field] != "":
        return qbxml.to_decimal(data[field], field, places=places)
    return None


def _totals(ctx, kind, txn, customer):
    """Subtotal, sales tax, totals and postings from the lines."""
    subtotal = ZERO
    taxable = ZERO
    customer_code = txn.get("CustomerSalesTaxCodeRef")
    customer_taxable = _taxable(ctx, customer_code) if ctx.sales_tax_on() else False
    postings = {}
    for line in txn.get(f"{LINE[kind]}Ret", []):
        amount = Decimal(line["Amount"])
        subtotal += amount
        if customer_taxable and _taxable(ctx, line.get("SalesTaxCodeRef")):
            taxable += amount
        income = line.pop("_income", None) or line.get("_income_account")
        if income:
            postings[income] = postings.get(income, 0) - qbxml.cents(amount)
    rate = Decimal(txn["SalesTaxPercentage"]) if txn.get("SalesTaxPercentage") else ZERO
    tax = qbxml.money(taxable * rate / 100)
    txn["Subtotal"] = qbxml.fmt_amount(subtotal)
    txn["SalesTaxTotal"] = qbxml.fmt_amount(tax)
    total = subtotal + tax
    tax_account = _account(ctx, "SalesTaxPayable")
    if tax_account and tax:
        postings[tax_account["ListID"]] = postings.get(tax_account["ListID"], 0) - qbxml.cents(tax)
    ar = txn["ARAccountRef"]["ListID"]
    postings[ar] = postings.get(ar, 0) + qbxml.cents(total)
    sign = 1 if kind == "Invoice" else -1
    txn["_postings"] = [[account, sign * value] for account, value in postings.items()]
    txn["_tax_cents"] = qbxml.cents(tax)
    return total


def _header(ctx, kind, data, txn, customer, customer_obj, warnings, is_new):
    where = kind
    for element in HEADER_REFS:
        if element == "CustomerRef" or element not in data:
            continue
        if isinstance(data[element], dict) and (data[element].get("ListID") or data[element].get("FullName")):
            txn[element], _ = ctx.resolve(element, data[element], where)
        else:
            txn.pop(element, None)
    if is_new:
        if "ARAccountRef" not in txn:
            ar = _account(ctx, "AccountsReceivable")
            if ar is None:
                raise status.not_enabled("no Accounts Receivable account")
            txn["ARAccountRef"] = ref_of(ar)
        if "TermsRef" not in txn and customer_obj.get("TermsRef"):
            txn["TermsRef"] = dict(customer_obj["TermsRef"])
        if ctx.sales_tax_on():
            if "ItemSalesTaxRef" not in txn:
                tax_item = customer_obj.get("ItemSalesTaxRef") or ctx.pref("SalesTaxPreferences",
                                                                            "DefaultItemSalesTaxRef")
                if tax_item:
                    txn["ItemSalesTaxRef"] = dict(tax_item)
            if "CustomerSalesTaxCodeRef" not in txn and customer_obj.get("SalesTaxCodeRef"):
                txn["CustomerSalesTaxCodeRef"] = dict(customer_obj["SalesTaxCodeRef"])
    for field in ("TxnDate", "DueDate", "ShipDate"):
        if field in data:
            if data[field] == "":
                txn.pop(field, None)
            else:
                txn[field] = _date(data[field], field).isoformat()
    for field in ("IsPending", "IsFinanceCharge", "IsToBePrinted", "IsToBeEmailed", "IsTaxIncluded"):
        if field in data:
            txn[field] = qbxml.to_bool(data[field], field)
    for field in ("RefNumber", "BillAddress", "ShipAddress", "PONumber", "FOB", "Memo", "Other", "ExternalGUID",
                  "ExchangeRate"):
        if field in data:
            if data[field] in ("", {}):
                txn.pop(field, None)
            else:
                txn[field] = data[field]
    if is_new:
        txn.setdefault("TxnDate", ctx.today().isoformat())
        if "RefNumber" not in data:
            txn["RefNumber"] = _next_ref_number(ctx, kind)
    if "DueDate" not in data and ("TermsRef" in data or is_new or "TxnDate" in data):
        terms = ctx.get_list(("StandardTerms", "DateDrivenTerms"), (txn.get("TermsRef") or {}).get("ListID"))
        due = _due_date(terms, datetime.date.fromisoformat(txn["TxnDate"]))
        if due is not None and kind == "Invoice":
            txn["DueDate"] = due.isoformat()
        elif kind == "Invoice":
            txn["DueDate"] = txn["TxnDate"]
    if ctx.sales_tax_on() and txn.get("ItemSalesTaxRef"):
        tax_item = ctx.get_list("ItemSalesTax", txn["ItemSalesTaxRef"]["ListID"])
        txn["SalesTaxPercentage"] = tax_item.get("TaxRate", "0.0") if tax_item else "0.0"
    for field in NOT_MODELLED:
        if field in data:
            warnings.append(status.unsupported_field(field))


def _store(ctx, kind, txn, customer_id, open_amount):
    objects.save(ctx.store, ctx.db, ctx.company, kind, txn, ctx.now, key_fields={
        "ref_number": txn.get("RefNumber"), "customer_id": customer_id, "txn_date": txn.get("TxnDate"),
        "open_cents": qbxml.cents(open_amount), "status": "voided" if txn.get("_voided") else "live"})


def _order(kind, txn):
    from .rets import ORDER  # noqa: PLC0415

    ordered = {key: txn[key] for key in ORDER[f"{kind}Ret"] if key in txn}
    ordered.update({key: value for key, value in txn.items() if key.startswith("_")})
    return ordered


# -- invoices and credit memos ------------------------------------------------------------------------

def add_sales_form(ctx, kind, data, warnings):
    """InvoiceAdd / CreditMemoAdd."""
    ctx.require_writable()
    customer_ref, customer = _customer(ctx, data, kind)
    txn = {"TxnID": ctx.txn_id(), "TimeCreated": ctx.stamp(), "TimeModified": ctx.stamp(),
           "EditSequence": objects.next_edit_sequence(ctx.now),
           "TxnNumber": str(ctx.store.next_value(ctx.db, ctx.company, "txn_number")),
           "CustomerRef": customer_ref}
    _header(ctx, kind, data, txn, customer_ref, customer, warnings, is_new=True)
    lines = [_build_line(ctx, kind, line, None, kind) for line in data.get(f"{LINE[kind]}Add", [])]
    if lines:
        txn[f"{LINE[kind]}Ret"] = lines
    total = _totals(ctx, kind, txn, customer)
    if kind == "Invoice":
        txn["AppliedAmount"] = "0.00"
        txn["BalanceRemaining"] = qbxml.fmt_amount(total)
        txn["IsPaid"] = total <= 0
        open_amount = total
    else:
        txn["TotalAmount"] = qbxml.fmt_amount(total)
        txn["CreditRemaining"] = qbxml.fmt_amount(total)
        open_amount = total
    txn = _order(kind, txn)
    _store(ctx, kind, txn, customer_ref["ListID"], open_amount)
    return txn


def find_txn(ctx, kind, txn_id, edit_sequence=None):
    txn = objects.get(ctx.db, ctx.company, kind, txn_id.strip())
    if txn is None:
        raise status.invalid_object_id(txn_id, "txn id")
    if edit_sequence is not None and edit_sequence.strip() != txn["EditSequence"]:
        raise status.stale_edit_sequence(edit_sequence)
    return txn


def mod_invoice(ctx, data, warnings):
    """InvoiceMod: header fields sent change; when any InvoiceLineMod is sent, the lines not named
    are deleted and ``TxnLineID`` -1 adds one (Intuit, "modify requests": "any line item not
    specifically identified in a modify request will be deleted")."""
    ctx.require_writable()
    kind = "Invoice"
    txn = find_txn(ctx, kind, data["TxnID"], data["EditSequence"])
    if txn.get("_voided"):
        raise status.cannot_save("Invoice", txn.get("RefNumber", ""), "A voided transaction cannot be changed.")
    if "CustomerRef" in data:
        txn["CustomerRef"], customer = ctx.resolve("CustomerRef", data["CustomerRef"], kind)
    else:
        customer = objects.get(ctx.db, ctx.company, "Customer", txn["CustomerRef"]["ListID"]) or {}
    _header(ctx, kind, data, txn, txn["CustomerRef"], customer, warnings, is_new=False)
    if "InvoiceLineMod" in data:
        existing = {line["TxnLineID"]: line for line in txn.get("InvoiceLineRet", [])}
        lines = []
        for source in data["InvoiceLineMod"]:
            line_id = source["TxnLineID"].strip()
            if line_id == "-1":
                lines.append(_build_line(ctx, kind, source, None, kind))
            elif line_id in existing:
                base = dict(existing.pop(line_id))
                if "ItemRef" in base:
                    item = objects.get(ctx.db, ctx.company, objects.ITEM_KINDS, base["ItemRef"]["ListID"])
                    base["_income"] = _income_account(item) if item else None
                lines.append(_build_line(ctx, kind, source, base, kind))
            else:
                raise status.invalid_object_id(line_id, "txn line id")
        txn["InvoiceLineRet"] = lines
    else:
        for line in txn.get("InvoiceLineRet", []):
            item = objects.get(ctx.db, ctx.company, objects.ITEM_KINDS, (line.get("ItemRef") or {}).get("ListID", ""))
            line["_income"] = _income_account(item) if item else None
    total = _totals(ctx, kind, txn, customer)
    applied = -Decimal(txn.get("AppliedAmount", "0.00"))
    if total < applied:
        raise status.cannot_save("Invoice", txn.get("RefNumber", ""),
                                 "The invoice total cannot be less than the payments applied to it.")
    txn["BalanceRemaining"] = qbxml.fmt_amount(total - applied)
    txn["IsPaid"] = total - applied <= 0
    txn["TimeModified"] = ctx.stamp()
    txn["EditSequence"] = objects.next_edit_sequence(ctx.now, txn["EditSequence"])
    txn = _order(kind, {k: v for k, v in txn.items() if not k.startswith("_") or k in ("_postings", "_tax_cents")})
    _store(ctx, kind, txn, txn["CustomerRef"]["ListID"], total - applied)
    return txn


# -- payments ------------------------------------------------------------------------------------

def add_payment(ctx, data, warnings):
    """ReceivePaymentAdd with IsAutoApply or AppliedToTxnAdd."""
    ctx.require_writable()
    customer_ref, customer = _customer(ctx, data, "ReceivePayment")
    txn = {"TxnID": ctx.txn_id(), "TimeCreated": ctx.stamp(), "TimeModified": ctx.stamp(),
           "EditSequence": objects.next_edit_sequence(ctx.now),
           "TxnNumber": str(ctx.store.next_value(ctx.db, ctx.company, "txn_number")),
           "CustomerRef": customer_ref}
    for element in ("ARAccountRef", "PaymentMethodRef", "DepositToAccountRef"):
        if element in data:
            txn[element], _ = ctx.resolve(element, data[element], "ReceivePayment")
    if "ARAccountRef" not in txn:
        txn["ARAccountRef"] = ref_of(_account(ctx, "AccountsReceivable"))
    if "DepositToAccountRef" not in txn:
        undeposited = _account(ctx, "UndepositedFunds")
        if undeposited:
            txn["DepositToAccountRef"] = ref_of(undeposited)
    txn["TxnDate"] = _date(data["TxnDate"], "TxnDate").isoformat() if data.get("TxnDate") else \
        ctx.today().isoformat()
    if data.get("RefNumber"):
        txn["RefNumber"] = data["RefNumber"]
    total = qbxml.to_decimal(data["TotalAmount"], "TotalAmount") if data.get("TotalAmount") else ZERO
    txn["TotalAmount"] = qbxml.fmt_amount(total)
    for field in ("ExchangeRate", "Memo", "ExternalGUID"):
        if data.get(field):
            txn[field] = data[field]
    if "CreditCardTxnInfo" in data:
        warnings.append(status.unsupported_field("CreditCardTxnInfo"))
    applications = []  # (invoice, amount, [(credit memo, amount)])
    credits_used = {}
    remaining = total
    if "AppliedToTxnAdd" in data:
        seen = set()
        for application in data["AppliedToTxnAdd"]:
            txn_id = application["TxnID"].strip()
            invoice = objects.get(ctx.db, ctx.company, "Invoice", txn_id)
            if invoice is None or invoice.get("_voided") or txn_id in seen or \
                    invoice["CustomerRef"]["ListID"] != customer_ref["ListID"]:
                raise status.not_found(txn_id)
            seen.add(txn_id)
            if application.get("TxnLineDetail"):
                warnings.append(status.unsupported_field("TxnLineDetail"))
            if application.get("DiscountAmount"):
                warnings.append(status.unsupported_field("DiscountAmount"))
            credits = _credits(ctx, application.get("SetCredit") or [], customer_ref, credits_used)
            credited = sum((amount for _memo, amount in credits), ZERO)
            balance = Decimal(invoice["BalanceRemaining"]) - credited
            if balance < 0:
                raise status.invalid_value("SetCredit applied amount", qbxml.fmt_amount(credited),
                                           "You cannot pay more than the amount due.")
            if application.get("PaymentAmount"):
                amount = qbxml.to_decimal(application["PaymentAmount"], "PaymentAmount")
            else:
                amount = min(balance, remaining)
            if amount > balance:
                raise status.invalid_value("AppliedToTxnAdd payment amount", qbxml.fmt_amount(amount),
                                           "You cannot pay more than the amount due.")
            if amount > remaining:
                raise status.invalid_value("AppliedToTxnAdd payment amount", qbxml.fmt_amount(amount),
                                           "The amount applied is more than the amount received.")
            remaining -= amount
            applications.append((invoice, amount, credits))
    elif data.get("IsAutoApply") and qbxml.to_bool(data["IsAutoApply"], "IsAutoApply"):
        open_invoices = objects.rows(ctx.db, ctx.company, ("Invoice",),
                                     "customer_id = ? AND status = 'live' AND open_cents > 0",
                                     (customer_ref["ListID"],), order="txn_date, seq")
        for invoice in open_invoices:
            if remaining <= 0:
                break
            amount = min(Decimal(invoice["BalanceRemaining"]), remaining)
            remaining -= amount
            applications.append((invoice, amount, []))
    txn["UnusedPayment"] = qbxml.fmt_amount(remaining)
    txn["UnusedCredits"] = "0.00"
    applied_rets = []
    for invoice, amount, credits in applications:
        _apply_to_invoice(ctx, invoice, txn, amount)
        links = [_apply_credit(ctx, invoice["TxnID"], memo, credit) for memo, credit in credits]
        invoice = objects.get(ctx.db, ctx.company, "Invoice", invoice["TxnID"])
        applied_rets.append({"TxnID": invoice["TxnID"], "TxnType": "Invoice", "TxnDate": invoice["TxnDate"],
                             "RefNumber": invoice.get("RefNumber"),
                             "BalanceRemaining": invoice["BalanceRemaining"], "Amount": qbxml.fmt_amount(amount),
                             "LinkedTxn": links or None})
    if applied_rets:
        txn["AppliedToTxnRet"] = [{k: v for k, v in ret.items() if v is not None} for ret in applied_rets]
    deposit = (txn.get("DepositToAccountRef") or {}).get("ListID")
    txn["_postings"] = [[deposit, qbxml.cents(total)], [txn["ARAccountRef"]["ListID"], -qbxml.cents(total)]] \
        if deposit else []
    txn = _order("ReceivePayment", txn)
    _store(ctx, "ReceivePayment", txn, customer_ref["ListID"], remaining)
    return txn


def mod_payment(ctx, data, warnings):
    """ReceivePaymentMod: header fields sent change; each ``AppliedToTxnMod`` sets what the payment
    applies to that invoice (``PaymentAmount`` 0.00 takes it off the invoice; without an amount, as
    much as is due and left), and invoices not named keep what it applied to them.  (A stated
    choice: Intuit's reference says a Mod replaces only what it names; that applications can be
    removed with 0.00 is how integrators use it, consolibyte's ``ReceivePaymentModRq`` schema.)
    The same rules as ReceivePaymentAdd then hold: the customer's own open invoices (3120), never
    more than due (3210, ``Info``) nor more than received."""
    ctx.require_writable()
    kind = "ReceivePayment"
    txn = find_txn(ctx, kind, data["TxnID"], data["EditSequence"])
    if txn.get("_voided"):
        raise status.cannot_save(kind, txn.get("RefNumber", ""), "A voided transaction cannot be changed.")
    if any(link.get("TxnType") == "CreditMemo" for applied in txn.get("AppliedToTxnRet", [])
           for link in applied.get("LinkedTxn", [])):
        raise status.not_enabled("ReceivePaymentMod of a payment that applies credits, in this stand-in")
    current = {applied["TxnID"]: Decimal(applied["Amount"]) for applied in txn.get("AppliedToTxnRet", [])}
    if "CustomerRef" in data:
        customer_ref, _customer_obj = ctx.resolve("CustomerRef", data["CustomerRef"], kind)
        if customer_ref["ListID"] != txn["CustomerRef"]["ListID"]:
            current = {}  # another customer's payment: what it paid before is not this one's
        txn["CustomerRef"] = customer_ref
    for element in ("ARAccountRef", "PaymentMethodRef", "DepositToAccountRef"):
        if element in data:
            txn[element], _ = ctx.resolve(element, data[element], kind)
    if data.get("TxnDate"):
        txn["TxnDate"] = _date(data["TxnDate"], "TxnDate").isoformat()
    for field in ("RefNumber", "Memo", "ExchangeRate"):
        if field in data:
            if data[field]:
                txn[field] = data[field]
            else:
                txn.pop(field, None)
    if "CreditCardTxnInfoMod" in data:
        warnings.append(status.unsupported_field("CreditCardTxnInfoMod"))
    total = qbxml.to_decimal(data["TotalAmount"], "TotalAmount") if data.get("TotalAmount") else \
        Decimal(txn.get("TotalAmount", "0.00"))
    # What it paid goes back to the invoices first; then the applications are made again.
    _release_links(ctx, kind, txn)
    wanted = dict(current)
    for application in data.get("AppliedToTxnMod", []):
        txn_id = application["TxnID"].strip()
        for field in ("SetCredit", "TxnLineDetail", "DiscountAmount"):
            if application.get(field):
                warnings.append(status.unsupported_field(field))
        wanted[txn_id] = qbxml.to_decimal(application["PaymentAmount"], "PaymentAmount") \
            if application.get("PaymentAmount") else None
    remaining = total
    applications = []
    for txn_id, amount in wanted.items():
        if amount is not None and amount == 0:
            continue
        invoice = objects.get(ctx.db, ctx.company, "Invoice", txn_id)
        if invoice is None or invoice.get("_voided") or \
                invoice["CustomerRef"]["ListID"] != txn["CustomerRef"]["ListID"]:
            raise status.not_found(txn_id)
        balance = Decimal(invoice["BalanceRemaining"])
        amount = min(balance, remaining) if amount is None else amount
        if amount > balance:
            raise status.invalid_value("AppliedToTxnMod payment amount", qbxml.fmt_amount(amount),
                                       "You cannot pay more than the amount due.")
        if amount > remaining:
            raise status.invalid_value("AppliedToTxnMod payment amount", qbxml.fmt_amount(amount),
                                       "The amount applied is more than the amount received.")
        remaining -= amount
        applications.append((invoice, amount))
    txn.pop("AppliedToTxnRet", None)
    txn["TotalAmount"] = qbxml.fmt_amount(total)
    txn["UnusedPayment"] = qbxml.fmt_amount(remaining)
    txn["TimeModified"] = ctx.stamp()
    txn["EditSequence"] = objects.next_edit_sequence(ctx.now, txn["EditSequence"])
    applied_rets = []
    for invoice, amount in applications:
        _apply_to_invoice(ctx, invoice, txn, amount)
        fresh = objects.get(ctx.db, ctx.company, "Invoice", invoice["TxnID"])
        ret = {"TxnID": fresh["TxnID"], "TxnType": "Invoice", "TxnDate": fresh["TxnDate"],
               "RefNumber": fresh.get("RefNumber"), "BalanceRemaining": fresh["BalanceRemaining"],
               "Amount": qbxml.fmt_amount(amount)}
        applied_rets.append({k: v for k, v in ret.items() if v is not None})
    if applied_rets:
        txn["AppliedToTxnRet"] = applied_rets
    deposit = (txn.get("DepositToAccountRef") or {}).get("ListID")
    txn["_postings"] = [[deposit, qbxml.cents(total)], [txn["ARAccountRef"]["ListID"], -qbxml.cents(total)]] \
        if deposit else []
    txn = _order(kind, {k: v for k, v in txn.items() if k not in ("_kind", "_status", "_modified")})
    _store(ctx, kind, txn, txn["CustomerRef"]["ListID"], remaining)
    return txn


def _credits(ctx, set_credits, customer_ref, used):
    """``[(credit memo, amount)]`` of an application's ``SetCredit``s: the customer's own live credit
    memos (3120 otherwise), never more than what is left of each (3210)."""
    out = []
    for credit in set_credits:
        memo_id = credit["CreditTxnID"].strip()
        memo = objects.get(ctx.db, ctx.company, "CreditMemo", memo_id)
        if memo is None or memo.get("_voided") or memo["CustomerRef"]["ListID"] != customer_ref["ListID"]:
            raise status.not_found(memo_id)
        amount = qbxml.to_decimal(credit["AppliedAmount"], "AppliedAmount")
        left = Decimal(memo["CreditRemaining"]) - used.get(memo_id, ZERO)
        if amount > left:
            raise status.invalid_value("SetCredit applied amount", qbxml.fmt_amount(amount),
                                       "You cannot apply more credit than is available.")
        used[memo_id] = used.get(memo_id, ZERO) + amount
        out.append((memo, amount))
    return out


def _apply_credit(ctx, invoice_id, memo, amount):
    """A credit memo's credit used on an invoice (ReceivePaymentAdd ``SetCredit``): the invoice's
    balance and the memo's ``CreditRemaining`` go down, each lists the other in ``LinkedTxn``;
    the customer's balance does not change.  Returns the link the payment's AppliedToTxnRet shows."""
    invoice = objects.get(ctx.db, ctx.company, "Invoice", invoice_id)
    memo = objects.get(ctx.db, ctx.company, "CreditMemo", memo["TxnID"])
    balance = Decimal(invoice["BalanceRemaining"]) - amount
    invoice["AppliedAmount"] = qbxml.fmt_amount(Decimal(invoice.get("AppliedAmount", "0.00")) - amount)
    invoice["BalanceRemaining"] = qbxml.fmt_amount(balance)
    invoice["IsPaid"] = balance <= 0
    memo_link = {"TxnID": memo["TxnID"], "TxnType": "CreditMemo", "TxnDate": memo["TxnDate"],
                 "RefNumber": memo.get("RefNumber"), "LinkType": "AMTTYPE", "Amount": qbxml.fmt_amount(-amount)}
    memo_link = {k: v for k, v in memo_link.items() if v is not None}
    invoice["LinkedTxn"] = [*invoice.get("LinkedTxn", []), memo_link]
    _store(ctx, "Invoice", _order("Invoice", invoice), invoice["CustomerRef"]["ListID"], balance)
    left = Decimal(memo["CreditRemaining"]) - amount
    memo["CreditRemaining"] = qbxml.fmt_amount(left)
    invoice_link = {"TxnID": invoice["TxnID"], "TxnType": "Invoice", "TxnDate": invoice["TxnDate"],
                    "RefNumber": invoice.get("RefNumber"), "LinkType": "AMTTYPE",
                    "Amount": qbxml.fmt_amount(-amount)}
    memo["LinkedTxn"] = [*memo.get("LinkedTxn", []), {k: v for k, v in invoice_link.items() if v is not None}]
    _store(ctx, "CreditMemo", _order("CreditMemo", memo), memo["CustomerRef"]["ListID"], left)
    return memo_link


def _release_credit(ctx, invoice_id, memo_id, amount):
    """Undo :func:`_apply_credit` (the payment that applied it is voided or deleted)."""
    invoice = objects.get(ctx.db, ctx.company, "Invoice", invoice_id)
    if invoice is not None and not invoice.get("_voided"):
        balance = Decimal(invoice["BalanceRemaining"]) + amount
        invoice["AppliedAmount"] = qbxml.fmt_amount(Decimal(invoice.get("AppliedAmount", "0.00")) + amount)
        invoice["BalanceRemaining"] = qbxml.fmt_amount(balance)
        invoice["IsPaid"] = balance <= 0
        invoice["LinkedTxn"] = [link for link in invoice.get("LinkedTxn", []) if link["TxnID"] != memo_id]
        if not invoice["LinkedTxn"]:
            invoice.pop("LinkedTxn")
        _store(ctx, "Invoice", _order("Invoice", invoice), invoice["CustomerRef"]["ListID"], balance)
    memo = objects.get(ctx.db, ctx.company, "CreditMemo", memo_id)
    if memo is not None and not memo.get("_voided"):
        left = Decimal(memo["CreditRemaining"]) + amount
        memo["CreditRemaining"] = qbxml.fmt_amount(left)
        memo["LinkedTxn"] = [link for link in memo.get("LinkedTxn", []) if link["TxnID"] != invoice_id]
        if not memo["LinkedTxn"]:
            memo.pop("LinkedTxn")
        _store(ctx, "CreditMemo", _order("CreditMemo", memo), memo["CustomerRef"]["ListID"], left)


def _apply_to_invoice(ctx, invoice, payment, amount):
    applied = Decimal(invoice.get("AppliedAmount", "0.00")) - amount
    balance = Decimal(invoice["BalanceRemaining"]) - amount
    invoice["AppliedAmount"] = qbxml.fmt_amount(applied)
    invoice["BalanceRemaining"] = qbxml.fmt_amount(balance)
    invoice["IsPaid"] = balance <= 0
    links = [link for link in invoice.get("LinkedTxn", []) if link["TxnID"] != payment["TxnID"]]
    link = {"TxnID": payment["TxnID"], "TxnType": "ReceivePayment", "TxnDate": payment["TxnDate"]}
    if payment.get("RefNumber"):
        link["RefNumber"] = payment["RefNumber"]
    link.update({"LinkType": "AMTTYPE", "Amount": qbxml.fmt_amount(-amount)})
    links.append(link)
    invoice["LinkedTxn"] = links
    invoice = _order("Invoice", invoice)
    _store(ctx, "Invoice", invoice, invoice["CustomerRef"]["ListID"], balance)


# -- delete and void ---------------------------------------------------------------------------------

VOIDABLE = ("Invoice", "CreditMemo", "ReceivePayment")


def delete_or_void(ctx, kind, txn_id, void):
    ctx.require_writable()
    if kind not in VOIDABLE:
        raise status.not_enabled(f"{'TxnVoid' if void else 'TxnDel'} of a {kind} in this stand-in")
    txn = objects.get(ctx.db, ctx.company, kind, txn_id.strip())
    if txn is None:
        raise status.not_found(txn_id.strip())
    _release_links(ctx, kind, txn)
    if void:
        if not txn.get("_voided"):
            txn["_voided"] = True
            memo = txn.get("Memo", "")
            txn["Memo"] = f"VOID: {memo}".strip() if not memo.startswith("VOID:") else memo
            for line in txn.get(f"{LINE.get(kind, '')}Ret", []) if kind in LINE else []:
                line["Amount"] = "0.00"
                line.pop("Quantity", None)
            for field in ("Subtotal", "SalesTaxTotal", "BalanceRemaining", "TotalAmount", "CreditRemaining",
                          "UnusedPayment", "AppliedAmount"):
                if field in txn:
                    txn[field] = "0.00"
            txn.pop("AppliedToTxnRet", None)
            txn.pop("LinkedTxn", None)
            if kind == "Invoice":
                txn["IsPaid"] = True
            txn["_postings"] = []
            txn["TimeModified"] = ctx.stamp()
            txn["EditSequence"] = objects.next_edit_sequence(ctx.now, txn["EditSequence"])
        txn = _order(kind, {k: v for k, v in txn.items() if k not in ("_kind", "_status", "_modified")})
        objects.save(ctx.store, ctx.db, ctx.company, kind, txn, ctx.now, key_fields={
            "ref_number": txn.get("RefNumber"), "customer_id": txn["CustomerRef"]["ListID"],
            "txn_date": txn.get("TxnDate"), "open_cents": 0, "status": "voided"})
    else:
        objects.delete_row(ctx.db, ctx.company, kind, txn["TxnID"], ctx.now)
    return txn


def _release_links(ctx, kind, txn):
    """Give back what the transaction's links took: payments applied to an invoice become unused,
    invoices a payment paid open again."""
    if kind == "Invoice":
        for link in txn.get("LinkedTxn", []):
            if link.get("TxnType") == "CreditMemo":
                _release_credit(ctx, txn["TxnID"], link["TxnID"], -Decimal(link["Amount"]))
                continue
            if link.get("TxnType") != "ReceivePayment":
                continue
            payment = objects.get(ctx.db, ctx.company, "ReceivePayment", link["TxnID"])
            if payment is None or payment.get("_voided"):
                continue
            amount = -Decimal(link["Amount"])
            payment["AppliedToTxnRet"] = [a for a in payment.get("AppliedToTxnRet", []) if a["TxnID"] != txn["TxnID"]]
            if not payment["AppliedToTxnRet"]:
                payment.pop("AppliedToTxnRet")
            unused = Decimal(payment.get("UnusedPayment", "0.00")) + amount
            payment["UnusedPayment"] = qbxml.fmt_amount(unused)
            payment = _order("ReceivePayment", payment)
            _store(ctx, "ReceivePayment", payment, payment["CustomerRef"]["ListID"], unused)
    elif kind == "ReceivePayment":
        for applied in txn.get("AppliedToTxnRet", []):
            for link in applied.get("LinkedTxn", []):
                if link.get("TxnType") == "CreditMemo":
                    _release_credit(ctx, applied["TxnID"], link["TxnID"], -Decimal(link["Amount"]))
            invoice = objects.get(ctx.db, ctx.company, "Invoice", applied["TxnID"])
            if invoice is None or invoice.get("_voided"):
                continue
            amount = Decimal(applied["Amount"])
            applied_total = Decimal(invoice.get("AppliedAmount", "0.00")) + amount
            balance = Decimal(invoice["BalanceRemaining"]) + amount
            invoice["AppliedAmount"] = qbxml.fmt_amount(applied_total)
            invoice["BalanceRemaining"] = qbxml.fmt_amount(balance)
            invoice["IsPaid"] = balance <= 0
            invoice["LinkedTxn"] = [link for link in invoice.get("LinkedTxn", []) if link["TxnID"] != txn["TxnID"]]
            if not invoice["LinkedTxn"]:
                invoice.pop("LinkedTxn")
            invoice = _order("Invoice", invoice)
            _store(ctx, "Invoice", invoice, invoice["CustomerRef"]["ListID"], balance)
