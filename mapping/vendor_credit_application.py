"""A vendor refund applied to bills (account.move, in_refund) -> a BillPayment of no money.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/billpayment
("Line.LinkedTxn: ... Bill, VendorCredit"; QuickBooks applies a vendor credit through a bill
payment: *Pay bills* with only the credit ticked is a bill payment of 0).

The vendor side of mapping/credit_application.py:

* In Odoo the application is the reconciliation (the partials) between the vendor refund's
  payable item and the bills'.  The refund owns one QuickBooks BillPayment that links its
  VendorCredit and each bill it settles, for the amounts reconciled, in the documents'
  currency; its TotalAmt is 0 (no money leaves the bank).  Payments of those bills are
  their own bill payments and carry only the money (mapping/bill_payment.py).
* QuickBooks requires the account a bill payment is paid from, even for 0: the first bank
  journal of the company with a QuickBooks bank account (Payment Journals).  Nothing is posted
  to it.
* When the applications change (a bill unreconciled, the refund applied to another bill) the
  same BillPayment is updated; when none is left it is deleted (account_move.py).
* The refund's own state shows the outcome (its QuickBooks id stays its VendorCredit's).
"""

from collections import namedtuple

from .adapter import Adapter, register
from .bill import journal_account, vendor_partner
from .common import PRIVATE_NOTE_MAX, ZERO, MappingError, amount, clip, decimal, number, odoo_marker, quote
from .invoice import exchange_rate
from .payment import Applications

ENTITY = "BillPayment"
MARKER_SUFFIX = "applied"

Applied = namedtuple("Applied", "bill amount credit_amount")


def marker(move):
    """Distinct from the vendor credit's own marker, so that a look-up cannot confuse them."""
    return f"{odoo_marker(move)}[{MARKER_SUFFIX}]"


def _payable_lines(move):
    return move.line_ids.filtered(lambda line: line.account_id.account_type == "liability_payable")


def applied_to(move):
    """``[Applied]``: the bills the vendor refund settles, in the bill's currency and in the
    refund's."""
    found = {}
    for partial in _payable_lines(move).matched_credit_ids:
        bill = partial.credit_move_id.move_id
        if bill.move_type != "in_invoice":
            continue
        bill_part, credit_part = found.get(bill, (ZERO, ZERO))
        found[bill] = (bill_part + amount(partial.credit_amount_currency, bill.currency_id),
                       credit_part + amount(partial.debit_amount_currency, move.currency_id))
    return [Applied(bill, bill_part, credit_part) for bill, (bill_part, credit_part) in
            sorted(found.items(), key=lambda item: item[0].id) if bill_part or credit_part]


def has_applications(move):
    return move.move_type == "in_refund" and bool(applied_to(move))


def _figures(move):
    env = move.env
    if move.move_type != "in_refund":
        raise MappingError(env._("%s is not a vendor refund.", move.display_name))
    if move.state != "posted":
        raise MappingError(env._("%s is not posted.", move.display_name),
                           env._("Post the refund, then sync it."))
    applied = applied_to(move)
    other = [app.bill for app in applied if app.bill.currency_id != move.currency_id]
    if other:
        raise MappingError(
            env._("%(move)s (%(currency)s) is applied to %(bills)s in another currency; QuickBooks applies a "
                  "vendor credit only to bills of the same currency.", move=move.display_name,
                  currency=move.currency_id.name, bills=", ".join(bill.display_name for bill in other)),
            env._("Apply the refund to bills in %s.", move.currency_id.name),
        )
    vendors = {vendor_partner(app.bill) for app in applied} | {vendor_partner(move)}
    if len(vendors) > 1:
        raise MappingError(
            env._("%(move)s is applied to bills of another vendor (%(names)s); QuickBooks applies a vendor credit "
                  "to its own vendor's bills only.", move=move.display_name,
                  names=", ".join(sorted(vendor.display_name for vendor in vendors))),
            env._("Apply the refund to its vendor's bills."),
        )
    return applied


def _bank_account(move, ctx):
    """The account the 0 bill payment names (QuickBooks requires one; nothing is posted to it)."""
    journals = move.env["account.journal"].sudo().search([
        *move.env["account.journal"]._check_company_domain(move.company_id), ("type", "=", "bank"),
    ], order="sequence, id")
    for journal in journals:
        try:
            return journal_account(ctx, journal, ("Bank",))
        except MappingError:
            continue
    raise MappingError(
        ctx.env._("QuickBooks applies %s through a bill payment, which names a bank account: no bank journal of "
                  "the company has a QuickBooks bank account.", move.display_name),
        ctx.env._("Set the QuickBooks account of a bank journal under QuickBooks > Configuration > Payment "
                  "Journals, then sync again."),
    )


def vendor_credit_application(move, ctx):
    applied = _figures(move)
    if not applied:
        raise MappingError(
            ctx.env._("%s is not applied to any bill: there is nothing to apply in QuickBooks.", move.display_name),
            ctx.env._("Reconcile the refund with the bill it settles, then sync it."),
        )
    ctx.check_currency(move.currency_id)
    credit_total = sum((app.credit_amount for app in applied), ZERO)
    dates = [partial.max_date for partial in _payable_lines(move).matched_credit_ids if partial.max_date]
    lines = [{"Amount": number(app.amount),
              "LinkedTxn": [{"TxnId": ctx.ref(app.bill, "Bill")["value"], "TxnType": "Bill"}]}
             for app in applied]
    lines.append({"Amount": number(credit_total),
                  "LinkedTxn": [{"TxnId": ctx.ref(move, "VendorCredit")["value"], "TxnType": "VendorCredit"}]})
    payload = {
        "VendorRef": ctx.ref(vendor_partner(move), "Vendor"),
        "TotalAmt": number(ZERO),
        "TxnDate": max(dates + [move.invoice_date or move.date]).isoformat(),
        "PrivateNote": clip(f"{move.name} applied {marker(move)}", PRIVATE_NOTE_MAX),
        "Line": lines,
        "PayType": "Check",
        "CheckPayment": {"BankAccountRef": _bank_account(move, ctx)._as_ref()},
    }
    if move.currency_id.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": move.currency_id.name}
        if move.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(move.invoice_currency_rate)
    return payload


def check_vendor_credit_application(move, stored):
    """What QuickBooks' BillPayment applies, against Odoo's reconciliation: each bill's amount
    and the vendor credit's, no money.  None when equal, else a message with both figures."""
    try:
        applied = _figures(move)
    except MappingError as exc:
        return exc.message
    code = move.currency_id.name
    problems = []
    total = decimal(stored.get("TotalAmt"))
    if total != ZERO:
        problems.append(f"amount paid: QuickBooks {total:.2f} {code}, Odoo 0.00")
    bindings = move.env["quickbooks.binding"].sudo()
    bill_ids = bindings._committed_qbo_ids(move.browse([app.bill.id for app in applied]), "Bill")
    expected = Applications()
    for app in applied:
        expected.add("Bill", bill_ids.get(app.bill.id), app.amount, app.bill.name)
    expected.add("VendorCredit", bindings._committed_qbo_ids(move, "VendorCredit").get(move.id),
                 sum((app.credit_amount for app in applied), ZERO), move.name)
    problems += expected.differences(stored, code)
    if not problems:
        return None
    return f"QuickBooks does not apply {move.name} as Odoo does ({'; '.join(problems)})."


@register
class VendorCreditApplicationAdapter(Adapter):
    """The BillPayment that applies a vendor refund; the refund's own VendorCredit is the
    purchase document adapter's."""

    model = "account.move"
    entities = (ENTITY,)
    owned = True
    applies_move_type = "in_refund"

    def entity(self, record):
        return ENTITY

    def has_applications(self, record):
        return has_applications(record)

    def payload(self, record, ctx, suffix=""):
        return vendor_credit_application(record, ctx)

    def prepare(self, record, ctx):
        ctx.hint_currency(vendor_partner(record), record.currency_id)

    def dependencies(self, record):
        deps = [(vendor_partner(record), "Vendor"), (record, "VendorCredit")]
        deps += [(app.bill, "Bill") for app in applied_to(record)]
        return deps

    def lookup_query(self, record, payload):
        vendor = quote(payload["VendorRef"]["value"])
        return f"select * from BillPayment where VendorRef = {vendor} and TxnDate = {quote(payload['TxnDate'])}"

    def matches_lookup(self, record, found):
        return marker(record) in (found.get("PrivateNote") or "")

    def check(self, record, stored):
        return check_vendor_credit_application(record, stored)

    def mark_many(self, rows):
        """The refund shows whether its application is in QuickBooks; its QuickBooks id and
        number stay its vendor credit's."""
        if rows:
            rows[0][0]._quickbooks_store_states([(record, state, None, error) for record, state, _link, error in rows])

    def deleted(self, record):
        """Its BillPayment was deleted in QuickBooks (nothing applied any more): the refund
        keeps its own link."""

