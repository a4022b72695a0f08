"""A credit note applied to invoices (account.move, out_refund) -> a Payment of no money.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
("Line.LinkedTxn: ... CreditMemo, Invoice"; a payment of TotalAmt 0 that links a credit memo and
the invoices it settles is how QuickBooks applies a credit, as *Receive payment* does when only
credits are ticked).

* In Odoo the application is the reconciliation (the partials) between the credit note's
  receivable item and the invoices'.  The credit note owns one QuickBooks Payment that links
  its CreditMemo and each invoice it settles, for the amounts reconciled, in the documents'
  currency; its TotalAmt is 0 (no money moves).
* When the applications change (an invoice unreconciled, the credit note applied to another
  invoice) the same Payment is updated; when none is left it is deleted.
* The credit note's own state shows the outcome (its QuickBooks id stays its CreditMemo's).
* Refunds paid out (a credit note reconciled with an outgoing customer payment) are the
  refund's own: a RefundReceipt linked to the credit memo (mapping/refund.py).
"""

from collections import namedtuple

from .adapter import Adapter, register
from .common import PRIVATE_NOTE_MAX, ZERO, MappingError, amount, clip, decimal, number, odoo_marker, quote
from .invoice import connection_of, customer_partner, exchange_rate
from .payment import Applications

ENTITY = "Payment"
MARKER_SUFFIX = "applied"

Applied = namedtuple("Applied", "invoice amount credit_amount")


def marker(move):
    """Distinct from the credit memo's own marker, so that a look-up cannot confuse them."""
    return f"{odoo_marker(move)}[{MARKER_SUFFIX}]"


def _receivable_lines(move):
    return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")


def applied_to(move):
    """``[Applied]``: the customer invoices the credit note settles, in the invoice's currency
    and in the credit note's."""
    found = {}
    for partial in _receivable_lines(move).matched_debit_ids:
        if partial.quickbooks_pulled:
            continue  # applied in QuickBooks and brought into Odoo (mapping/inbound_credit_memo.py)
        invoice = partial.debit_move_id.move_id
        if invoice.move_type != "out_invoice":
            continue
        invoice_part, credit_part = found.get(invoice, (ZERO, ZERO))
        found[invoice] = (invoice_part + amount(partial.debit_amount_currency, invoice.currency_id),
                          credit_part + amount(partial.credit_amount_currency, move.currency_id))
    return [Applied(invoice, invoice_part, credit_part) for invoice, (invoice_part, credit_part) in
            sorted(found.items(), key=lambda item: item[0].id) if invoice_part or credit_part]


def has_applications(move):
    return move.move_type == "out_refund" and bool(applied_to(move))


def _figures(move):
    env = move.env
    if move.move_type != "out_refund":
        raise MappingError(env._("%s is not a credit note.", move.display_name))
    if move.state != "posted":
        raise MappingError(env._("%s is not posted.", move.display_name),
                           env._("Post the credit note, then sync it."))
    applied = applied_to(move)
    other = [app.invoice for app in applied if app.invoice.currency_id != move.currency_id]
    if other:
        raise MappingError(
            env._("%(move)s (%(currency)s) is applied to %(invoices)s in another currency; QuickBooks applies a "
                  "credit only to transactions of the same currency.", move=move.display_name,
                  currency=move.currency_id.name, invoices=", ".join(inv.display_name for inv in other)),
            env._("Apply the credit note to invoices in %s.", move.currency_id.name),
        )
    customers = {customer_partner(app.invoice.partner_id, connection_of(move)) for app in applied}
    customers.add(customer_partner(move.partner_id, connection_of(move)))
    if len(customers) > 1:
        raise MappingError(
            env._("%(move)s is applied to invoices of another QuickBooks customer (%(names)s); QuickBooks applies "
                  "a credit to its own customer's invoices only.", move=move.display_name,
                  names=", ".join(sorted(c.display_name for c in customers))),
            env._("Apply the credit note to its customer's invoices."),
        )
    return applied


def credit_application(move, ctx):
    applied = _figures(move)
    if not applied:
        raise MappingError(
            ctx.env._("%s is not applied to any invoice: there is nothing to apply in QuickBooks.", move.display_name),
            ctx.env._("Reconcile the credit note with the invoice it settles, then sync it."),
        )
    ctx.check_currency(move.currency_id)
    credit_total = sum((app.credit_amount for app in applied), ZERO)
    dates = [partial.max_date for partial in _receivable_lines(move).matched_debit_ids
             if partial.max_date and not partial.quickbooks_pulled]
    lines = [{"Amount": number(app.amount),
              "LinkedTxn": [{"TxnId": ctx.ref(app.invoice, "Invoice")["value"], "TxnType": "Invoice"}]}
             for app in applied]
    lines.append({"Amount": number(credit_total),
                  "LinkedTxn": [{"TxnId": ctx.ref(move, "CreditMemo")["value"], "TxnType": "CreditMemo"}]})
    payload = {
        "CustomerRef": ctx.ref(customer_partner(move.partner_id, ctx.connection), "Customer"),
        "TotalAmt": number(ZERO),
        "TxnDate": max(dates + [move.invoice_date or move.date]).isoformat(),
        "PrivateNote": clip(f"{move.name} applied {marker(move)}", PRIVATE_NOTE_MAX),
        "Line": lines,
    }
    if move.currency_id.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": move.currency_id.name}
        if move.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(move.invoice_currency_rate)
    return payload


def check_application(move, stored):
    """What QuickBooks' Payment applies, against Odoo's reconciliation: each invoice's amount
    and the credit memo's, no money.  None when equal, else a message with both figures."""
    try:
        applied = _figures(move)
    except MappingError as exc:
        return exc.message
    code = move.currency_id.name
    problems = []
    total = decimal(stored.get("TotalAmt"))
    if total != ZERO:
        problems.append(f"amount received: QuickBooks {total:.2f} {code}, Odoo 0.00")
    bindings = move.env["quickbooks.binding"].sudo()
    invoice_ids = bindings._committed_qbo_ids(move.browse([app.invoice.id for app in applied]), "Invoice")
    expected = Applications()
    for app in applied:
        expected.add("Invoice", invoice_ids.get(app.invoice.id), app.amount, app.invoice.name)
    expected.add("CreditMemo", bindings._committed_qbo_ids(move, "CreditMemo").get(move.id),
                 sum((app.credit_amount for app in applied), ZERO), move.name)
    problems += expected.differences(stored, code)
    if not problems:
        return None
    return f"QuickBooks does not apply {move.name} as Odoo does ({'; '.join(problems)})."


@register
class CreditApplicationAdapter(Adapter):
    """The Payment that applies a credit note; the credit note's own CreditMemo is the
    invoice adapter's."""

    model = "account.move"
    entities = (ENTITY,)
    owned = True
    applies_move_type = "out_refund"

    def entity(self, record):
        return ENTITY

    def has_applications(self, record):
        return has_applications(record)

    def payload(self, record, ctx, suffix=""):
        return credit_application(record, ctx)

    def prepare(self, record, ctx):
        ctx.hint_currency(customer_partner(record.partner_id, ctx.connection), record.currency_id)

    def dependencies(self, record):
        connection = connection_of(record)
        deps = [(customer_partner(record.partner_id, connection), "Customer"), (record, "CreditMemo")]
        deps += [(app.invoice, "Invoice") for app in applied_to(record)]
        return deps

    def lookup_query(self, record, payload):
        customer = quote(payload["CustomerRef"]["value"])
        return f"select * from Payment where CustomerRef = {customer} and TxnDate = {quote(payload['TxnDate'])}"

    def matches_lookup(self, record, found):
        return marker(record) in (found.get("PrivateNote") or "")

    def check(self, record, stored):
        return check_application(record, stored)

    def mark_many(self, rows):
        """The credit note shows whether its application is in QuickBooks; its QuickBooks id and
        number stay its credit memo's."""
        if rows:
            rows[0][0]._quickbooks_store_states([(record, state, None, error) for record, state, _link, error in rows])

    def deleted(self, record):
        """Its Payment was deleted in QuickBooks (nothing applied any more): the credit note
        keeps its own link."""
