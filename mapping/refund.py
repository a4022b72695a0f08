"""A credit note paid back to the customer (account.payment, outbound, customer) -> RefundReceipt.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/refundreceipt

* In Odoo the refund is an outgoing customer payment reconciled with the credit note.  In
  QuickBooks it is a RefundReceipt linked (``LinkedTxn``) to the credit memo: the money leaves
  the account the journal is mapped to (``DepositToAccountRef``, required), and the credit
  memo's open credit goes down by the refund, so the customer's balance is Odoo's.
* One credit note per refund: a RefundReceipt pays back one credit memo.  A refund paid for
  several credit notes, or not reconciled with any, is refused with the reason.
* The receipt has one line for the amount refunded (the default service item, untaxed: the
  credit memo already carries the tax), in the credit note's currency.
"""

from .adapter import Adapter, register
from .common import (
    DESCRIPTION_MAX,
    PAYMENT_REF_MAX,
    PRIVATE_NOTE_MAX,
    ZERO,
    MappingError,
    amount,
    clip,
    decimal,
    number,
    odoo_marker,
    quote,
    without_empty,
)
from .invoice import connection_of, customer_partner, exchange_rate

ENTITY = "RefundReceipt"


def is_refund(payment):
    return payment.payment_type == "outbound" and payment.partner_type == "customer"


def refunded(payment):
    """``[(credit note, amount in its currency)]`` the refund pays back."""
    found = {}
    if not payment.move_id:
        for move in payment.invoice_ids.filtered(lambda move: move.move_type == "out_refund"):
            found[move] = amount(payment.amount, payment.currency_id)
        return list(found.items())
    receivable = payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
    for partial in receivable.matched_credit_ids:
        credit = partial.credit_move_id.move_id
        if credit.move_type == "out_refund":
            found[credit] = found.get(credit, ZERO) + amount(partial.credit_amount_currency, credit.currency_id)
    return [(credit, value) for credit, value in found.items() if value]


def _credit_note(payment):
    env = payment.env
    if payment.state not in ("in_process", "paid"):
        raise MappingError(env._("%s is not confirmed.", payment.display_name),
                           env._("Confirm the refund, then sync it."))
    found = refunded(payment)
    if not found:
        raise MappingError(
            env._("%s pays money back to the customer without paying back a credit note: QuickBooks records a refund "
                  "against a credit memo.", payment.display_name),
            env._("Reconcile the refund with the credit note it pays back, then sync it."),
        )
    if len(found) > 1:
        raise MappingError(
            env._("%(payment)s pays back several credit notes (%(notes)s); a QuickBooks refund receipt pays back one "
                  "credit memo.", payment=payment.display_name,
                  notes=", ".join(credit.display_name for credit, _value in found)),
            env._("Register one refund per credit note."),
        )
    credit, value = found[0]
    paid = amount(payment.amount, payment.currency_id)
    if credit.currency_id != payment.currency_id or value != paid:
        raise MappingError(
            env._("%(payment)s pays %(paid)s %(currency)s back and settles %(value)s %(credit_currency)s of "
                  "%(credit)s: QuickBooks refunds a credit memo in its own currency, for what is paid.",
                  payment=payment.display_name, paid=paid, currency=payment.currency_id.name, value=value,
                  credit_currency=credit.currency_id.name, credit=credit.display_name),
            env._("Register the refund in %s for the amount it settles.", credit.currency_id.name),
        )
    return credit, value


def refund_receipt(payment, ctx):
    credit, value = _credit_note(payment)
    ctx.check_currency(credit.currency_id)
    journal = payment.journal_id
    account = journal.quickbooks_deposit_account_ref_id
    if not account.active:
        raise MappingError(
            ctx.env._("QuickBooks needs the account %(journal)s pays refunds from, and the journal has none.",
                      journal=journal.display_name),
            ctx.env._("Choose the journal's QuickBooks account under Settings > QuickBooks > Payment journals."),
        )
    item = ctx.default("default_item_ref_id", ctx.env._("default service item"))
    payload = {
        "CustomerRef": ctx.ref(customer_partner(credit.partner_id, ctx.connection), "Customer"),
        "TxnDate": payment.date.isoformat(),
        "DepositToAccountRef": account._as_ref(),
        "PaymentRefNum": clip(payment.memo or payment.name, PAYMENT_REF_MAX),
        "PrivateNote": clip(f"{payment.name} {odoo_marker(payment)}", PRIVATE_NOTE_MAX),
        "LinkedTxn": [{"TxnId": ctx.ref(credit, "CreditMemo")["value"], "TxnType": "CreditMemo"}],
        "Line": [{
            "DetailType": "SalesItemLineDetail",
            "Amount": number(value),
            "Description": clip(ctx.env._("Refund of %s", credit.name), DESCRIPTION_MAX),
            "SalesItemLineDetail": {"ItemRef": item._as_ref(), "Qty": 1, "UnitPrice": number(value),
                                    "TaxCodeRef": ctx.untaxed_ref()},
        }],
    }
    if not ctx.is_us:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    if journal.quickbooks_payment_method_ref_id.active:
        payload["PaymentMethodRef"] = journal.quickbooks_payment_method_ref_id._as_ref()
    if credit.currency_id.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": credit.currency_id.name}
        if credit.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(credit.invoice_currency_rate)
    return without_empty(payload)


def check_refund(payment, stored):
    try:
        credit, value = _credit_note(payment)
    except MappingError as exc:
        return exc.message
    problems = []
    code = credit.currency_id.name
    total = decimal(stored.get("TotalAmt"))
    if total != value:
        problems.append(f"amount: QuickBooks {total:.2f} {code}, Odoo {value:.2f}")
    memo_id = payment.env["quickbooks.binding"].sudo()._committed_qbo_ids(credit, "CreditMemo").get(credit.id)
    linked = {str(link.get("TxnId")) for link in stored.get("LinkedTxn") or [] if link.get("TxnType") == "CreditMemo"}
    if linked != {str(memo_id)}:
        problems.append(f"credit memo paid back: QuickBooks {', '.join(sorted(linked)) or 'none'}, Odoo {credit.name}")
    if not problems:
        return None
    return f"QuickBooks does not hold the refund {payment.name} as Odoo does ({'; '.join(problems)})."


@register
class RefundAdapter(Adapter):
    model = "account.payment"
    entities = (ENTITY,)

    def entity(self, record):
        return ENTITY if is_refund(record) else None

    def payload(self, record, ctx, suffix=""):
        return refund_receipt(record, ctx)

    def prepare(self, record, ctx):
        found = refunded(record)
        if len(found) == 1:
            ctx.hint_currency(customer_partner(found[0][0].partner_id, ctx.connection), found[0][0].currency_id)

    def dependencies(self, record):
        connection = connection_of(record)
        deps = []
        for credit, _value in refunded(record):
            deps += [(customer_partner(credit.partner_id, connection), "Customer"), (credit, "CreditMemo")]
        return deps

    def lookup_query(self, record, payload):
        customer = quote(payload["CustomerRef"]["value"])
        return f"select * from RefundReceipt where CustomerRef = {customer} and TxnDate = {quote(payload['TxnDate'])}"

    def matches_lookup(self, record, found):
        return odoo_marker(record) in (found.get("PrivateNote") or "")

    def check(self, record, stored):
        return check_refund(record, stored)
