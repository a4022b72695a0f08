"""A payment's write-off or early-payment discount -> a CreditMemo applied in its Payment.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment

Why a credit memo: a QuickBooks Online Payment carries the money received and the
transactions it settles; it has no discount or write-off line (QuickBooks' own *Receive
payment* screen has none either; Intuit's guidance for a discount taken at payment is a credit
memo, or a discount line on the invoice, applied with the payment).  Changing the invoice would
rewrite a document Odoo already sent and checked; a credit memo for the difference keeps the
invoice as Odoo's books have it, and the Payment (money received + credit applied) settles it
for what Odoo settled.  The customer's balance in QuickBooks is then Odoo's to the cent.

The credit memo has one untaxed line (the default service item, or the *write-off item* chosen
in the sync defaults) for what the payment's write-off lines total: the amount written off, tax
included for an early-payment discount whose tax Odoo reduced.  Its tax reduction is not
reported separately in QuickBooks' tax reports (see README, Payments).
"""

from .adapter import Adapter, register
from .common import (
    DESCRIPTION_MAX,
    PRIVATE_NOTE_MAX,
    MappingError,
    clip,
    decimal,
    number,
    odoo_marker,
    quote,
    without_empty,
)
from .invoice import connection_of, exchange_rate
from .payment import customer_of, payment_figures

ENTITY = "CreditMemo"
MARKER_SUFFIX = "write-off"


def marker(payment):
    return f"{odoo_marker(payment)}[{MARKER_SUFFIX}]"


def _item(ctx):
    item = ctx.connection.writeoff_item_ref_id
    if item and item.active and item.realm_id == ctx.connection.realm_id:
        return item
    return ctx.default("default_item_ref_id", ctx.env._("default service item"))


def discount_credit_memo(payment, ctx):
    figures = payment_figures(payment)
    if not figures.discount:
        raise MappingError(ctx.env._("%s writes nothing off.", payment.display_name))
    _liquidity, _counterpart, other = payment._seek_for_lines()
    label = ", ".join(name for name in other.mapped("name") if name) or ctx.env._("Write-off")
    payload = {
        "CustomerRef": ctx.ref(customer_of(payment, ctx.connection), "Customer"),
        "TxnDate": payment.date.isoformat(),
        "PrivateNote": clip(ctx.env._("Written off with %(payment)s %(marker)s", payment=payment.name,
                                      marker=marker(payment)), PRIVATE_NOTE_MAX),
        "Line": [{
            "DetailType": "SalesItemLineDetail",
            "Amount": number(figures.discount),
            "Description": clip(ctx.env._("%(label)s (%(payment)s)", label=label, payment=payment.name),
                                DESCRIPTION_MAX),
            "SalesItemLineDetail": {"ItemRef": _item(ctx)._as_ref(), "Qty": 1, "UnitPrice": number(figures.discount),
                                    "TaxCodeRef": ctx.untaxed_ref()},
        }],
    }
    if not ctx.is_us:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    if figures.currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": figures.currency.name}
        if payment.move_id and payment.move_id.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(payment.move_id.invoice_currency_rate)
    return without_empty(payload)


def check_discount(payment, stored):
    try:
        figures = payment_figures(payment)
    except MappingError as exc:
        return exc.message
    found = decimal(stored.get("TotalAmt"))
    if found != figures.discount:
        return (f"QuickBooks does not hold the write-off of {payment.name} as Odoo does (total: QuickBooks "
                f"{found:.2f} {figures.currency.name}, Odoo {figures.discount:.2f}).")
    return None


@register
class PaymentDiscountAdapter(Adapter):
    """The credit memo of a payment's write-off; the payment's own Payment is PaymentAdapter's."""

    model = "account.payment"
    entities = (ENTITY,)
    owned = True

    def entity(self, record):
        return ENTITY

    def payload(self, record, ctx, suffix=""):
        return discount_credit_memo(record, ctx)

    def dependencies(self, record):
        return [(customer_of(record, connection_of(record)), "Customer")]

    def lookup_query(self, record, payload):
        customer = quote(payload["CustomerRef"]["value"])
        return f"select * from CreditMemo where CustomerRef = {customer} and TxnDate = {quote(payload['TxnDate'])}"

    def matches_lookup(self, record, found):
        return marker(record) in (found.get("PrivateNote") or "")

    def check(self, record, stored):
        return check_discount(record, stored)

    def mark_many(self, rows):
        """Pushed on behalf of its payment only, which shows the outcome."""

    def deleted(self, record):
        """The payment keeps its own link."""
