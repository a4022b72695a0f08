"""account.payment (customer payment) -> Payment, applied to the invoices it reconciles.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
"""

from .adapter import Adapter, register
from .common import PAYMENT_REF_MAX, PRIVATE_NOTE_MAX, MappingError, clip, money, odoo_marker, quote, without_empty

ENTITY = "Payment"


def applied_amounts(payment):
    """``[(invoice, amount in the payment's currency)]`` for the customer invoices it pays."""
    invoices = payment.reconciled_invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
    amounts = {}
    receivable_lines = payment.move_id.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    for partial in receivable_lines.matched_debit_ids:
        invoice = partial.debit_move_id.move_id
        if invoice in invoices:
            amounts[invoice] = amounts.get(invoice, 0.0) + partial.credit_amount_currency
    if not amounts and invoices:
        # No journal entry (or not reconciled yet): the payment was registered on these invoices.
        remaining = payment.amount
        for invoice in invoices.sorted("invoice_date"):
            part = min(remaining, invoice.amount_total)
            if part > 0:
                amounts[invoice] = part
                remaining -= part
    return [(invoice, amount) for invoice, amount in amounts.items() if amount]


def payment_to_payment(payment, ctx):
    if payment.payment_type != "inbound" or payment.partner_type != "customer":
        raise MappingError(ctx.env._("Only customer payments are sent to QuickBooks as payments."))
    if payment.state not in ("in_process", "paid"):
        raise MappingError(
            ctx.env._("%s is not confirmed.", payment.display_name),
            ctx.env._("Confirm the payment, then sync it."),
        )
    lines = [
        {"Amount": money(amount), "LinkedTxn": [{"TxnId": ctx.ref(invoice, "Invoice")["value"], "TxnType": "Invoice"}]}
        for invoice, amount in applied_amounts(payment)
    ]
    payload = {
        "CustomerRef": ctx.ref(payment.partner_id, "Customer"),
        "TotalAmt": money(payment.amount),
        "TxnDate": payment.date.isoformat(),
        "PaymentRefNum": clip(payment.memo or payment.name, PAYMENT_REF_MAX),
        "PrivateNote": clip(f"{payment.name} {odoo_marker(payment)}", PRIVATE_NOTE_MAX),
        "Line": lines,
    }
    journal = payment.journal_id
    if journal.quickbooks_payment_method_ref_id.active:
        payload["PaymentMethodRef"] = journal.quickbooks_payment_method_ref_id._as_ref()
    if journal.quickbooks_deposit_account_ref_id.active:
        payload["DepositToAccountRef"] = journal.quickbooks_deposit_account_ref_id._as_ref()
    ctx.check_currency(payment.currency_id)
    if payment.currency_id.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": payment.currency_id.name}
        if payment.amount and payment.amount_company_currency_signed:
            payload["ExchangeRate"] = round(abs(payment.amount_company_currency_signed) / payment.amount, 8)
    return without_empty(payload)


def prepare(payment, ctx):
    ctx.hint_currency(payment.partner_id, payment.currency_id)


def dependencies(payment):
    deps = [(payment.partner_id, "Customer")]
    deps += [(invoice, "Invoice") for invoice, _amount in applied_amounts(payment)]
    return deps


def lookup_query(payment, payload):
    customer = quote(payload["CustomerRef"]["value"])
    return f"select * from Payment where CustomerRef = {customer} and TxnDate = {quote(payload['TxnDate'])}"


def matches_lookup(payment, found):
    return odoo_marker(payment) in (found.get("PrivateNote") or "")


@register
class PaymentAdapter(Adapter):
    model = "account.payment"
    entities = (ENTITY,)

    def payload(self, record, ctx, suffix=""):
        return payment_to_payment(record, ctx)

    def prepare(self, record, ctx):
        prepare(record, ctx)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return matches_lookup(record, found)
