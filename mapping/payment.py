"""account.payment (customer payment) -> Payment, applied to the invoices it reconciles.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies

* The payment goes to the QuickBooks customer of the invoices it pays (the same rule as
  the invoices: their commercial partner, or the contact's sub-customer when chosen), so
  that QuickBooks can apply it; invoices of two QuickBooks customers cannot share a payment.
* Applications come from Odoo's reconciliation (the partials between the payment's
  receivable item and the invoices'), in the invoice's currency.  A payment without a
  journal entry is split over its invoices by what each still owes.
* QuickBooks keeps every transaction of a customer in the customer's currency: a payment in
  another currency than its invoices is sent in the invoices' currency, at the rate the
  money received gives (home amount / invoice amount), when it is applied in full; otherwise
  it is refused with the reason.
* Write-offs and early-payment discounts (a payment that settles more than it brings: "mark
  as fully paid", a cash discount) go as QuickBooks records a discount taken at payment: a
  credit memo for the difference (owned by the payment, see mapping/payment_discount.py),
  applied in the same Payment with the invoices.  The invoices are then settled for what
  Odoo settled, the Payment's TotalAmt is the money received, and the customer's balance is
  Odoo's.  A payment that brings more than it settles (a gain written off) is refused with the
  reason: QuickBooks would keep the excess as an open credit.
"""

from collections import namedtuple

from .adapter import Adapter, register
from .common import (
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
from .invoice import connection_of, customer_partner, home_rate

ENTITY = "Payment"

# ``invoice_amount`` in the invoice's currency, ``payment_amount`` in the payment's.
Application = namedtuple("Application", "invoice invoice_amount payment_amount")


def _invoices(payment):
    return payment.invoice_ids.filtered(lambda move: move.move_type == "out_invoice" and move.state == "posted")


def applications(payment):
    """``[Application]``: the customer invoices the payment pays and how much of each."""
    if payment.move_id:
        found = {}
        receivable_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for partial in receivable_lines.matched_debit_ids:
            invoice = partial.debit_move_id.move_id
            if invoice.move_type != "out_invoice":
                continue
            invoice_part, payment_part = found.get(invoice, (ZERO, ZERO))
            found[invoice] = (
                invoice_part + amount(partial.debit_amount_currency, invoice.currency_id),
                payment_part + amount(partial.credit_amount_currency, payment.currency_id),
            )
        return [Application(invoice, invoice_part, payment_part)
                for invoice, (invoice_part, payment_part) in found.items() if invoice_part or payment_part]
    return _split_without_entry(payment)


def _split_without_entry(payment):
    """No journal entry (Odoo 18+ payments without an outstanding account): the payment
    was registered on its invoices and is split over them, oldest first, by what each still
    owes (its residual, less what earlier such payments of it already cover)."""
    remaining = amount(payment.amount, payment.currency_id)
    result = []
    for invoice in _invoices(payment).sorted(lambda move: (move.invoice_date or move.date, move.id)):
        if invoice.currency_id != payment.currency_id:
            raise MappingError(
                payment.env._("%(payment)s (%(currency)s) pays %(invoice)s (%(invoice_currency)s) without a journal "
                              "entry: the amount in %(invoice_currency)s is not known.",
                              payment=payment.display_name, currency=payment.currency_id.name,
                              invoice=invoice.display_name, invoice_currency=invoice.currency_id.name),
                payment.env._("Register the payment in %s, or from a journal that posts payments.",
                              invoice.currency_id.name),
            )
        due = amount(invoice.amount_residual, invoice.currency_id) - _covered_before(invoice, payment)
        part = min(remaining, due)
        if part > 0:
            result.append(Application(invoice, part, part))
            remaining -= part
    return result


def _covered_before(invoice, payment):
    """What earlier payments without a journal entry already pay of ``invoice``."""
    covered = ZERO
    earlier = invoice.matched_payment_ids.filtered(
        lambda other: not other.move_id and other.id < payment.id and other.state in ("in_process", "paid")
    )
    for other in earlier.sorted("id"):
        covered += sum((app.invoice_amount for app in _split_without_entry(other) if app.invoice == invoice), ZERO)
    return covered


Figures = namedtuple("Figures", "currency total lines rate discount")


def writeoff_of(payment):
    """What the payment's write-off lines settle beyond the money received, in the payment's
    currency (positive: a discount or loss; negative: a gain)."""
    if not payment.move_id:
        return ZERO
    _liquidity, _counterpart, other = payment._seek_for_lines()
    return amount(sum(other.mapped("amount_currency")), payment.currency_id) if other else ZERO


def payment_figures(payment):
    """What QuickBooks must hold for ``payment``: its currency (an Odoo res.currency), its
    total, ``[(invoice, amount)]`` in that currency, and the Odoo rate behind ExchangeRate
    (home units per unit; None for the company's currency).  MappingError when QuickBooks
    cannot hold it as Odoo does."""
    env = payment.env
    apps = applications(payment)
    paid_currency = payment.currency_id
    paid = amount(payment.amount, paid_currency)
    discount = writeoff_of(payment)
    applied = sum((app.payment_amount for app in apps), ZERO)
    if discount < 0:
        raise MappingError(
            env._("%(payment)s brings %(paid)s %(currency)s and writes %(gain)s off as a gain: QuickBooks would keep "
                  "that excess as an open credit of the customer.", payment=payment.display_name, paid=paid,
                  currency=paid_currency.name, gain=-discount),
            env._("Register the payment without the write-off (QuickBooks then keeps the excess as a credit to "
                  "apply later), or record the gain in QuickBooks by hand."),
        )
    if applied > paid + discount or (discount and applied != paid + discount):
        settled = sum((app.invoice_amount for app in apps), ZERO)
        raise MappingError(
            env._("%(payment)s settles %(settled)s with %(paid)s %(currency)s received and %(discount)s written off: "
                  "QuickBooks cannot apply it so.", payment=payment.display_name, settled=settled, paid=paid,
                  currency=paid_currency.name, discount=discount),
            env._("Register the write-off on a payment applied in full to its invoices."),
        )
    currencies = {app.invoice.currency_id for app in apps}
    if len(currencies) > 1:
        raise MappingError(
            env._("%(payment)s pays invoices in several currencies (%(currencies)s); QuickBooks keeps one currency per "
                  "customer and payment.", payment=payment.display_name,
                  currencies=", ".join(sorted(c.name for c in currencies))),
            env._("Register one payment per currency."),
        )
    company_currency = payment.company_id.currency_id
    home_amount = amount(abs(payment.amount_company_currency_signed), company_currency)
    if not currencies or paid_currency in currencies:
        rate = home_amount / paid if paid_currency != company_currency and paid else None
        return Figures(paid_currency, paid, [(app.invoice, app.payment_amount) for app in apps], rate, discount)
    invoice_currency = currencies.pop()
    if discount:
        raise MappingError(
            env._("%(payment)s is in %(currency)s, its invoices in %(invoice_currency)s, and it writes %(discount)s "
                  "off: QuickBooks needs the write-off in the invoices' currency.", payment=payment.display_name,
                  currency=paid_currency.name, invoice_currency=invoice_currency.name, discount=discount),
            env._("Register the payment with its write-off in %s.", invoice_currency.name),
        )
    if applied != paid:
        raise MappingError(
            env._("%(payment)s is in %(currency)s, its invoices in %(invoice_currency)s, and %(rest)s %(currency)s "
                  "of it is not applied: QuickBooks keeps a payment in its customer's currency and cannot hold "
                  "that rest.",
                  payment=payment.display_name, currency=paid_currency.name, invoice_currency=invoice_currency.name,
                  rest=paid - applied),
            env._("Register the payment in %s, or apply all of it.", invoice_currency.name),
        )
    total = sum((app.invoice_amount for app in apps), ZERO)
    rate = home_amount / total if invoice_currency != company_currency and total else None
    return Figures(invoice_currency, total, [(app.invoice, app.invoice_amount) for app in apps], rate, ZERO)


def customer_of(payment, connection):
    """The Odoo partner whose QuickBooks customer receives the payment: its invoices'."""
    customers = {customer_partner(app.invoice.partner_id, connection) for app in applications(payment)}
    if len(customers) > 1:
        raise MappingError(
            payment.env._("%(payment)s pays invoices of several QuickBooks customers (%(names)s); a QuickBooks payment "
                          "belongs to one customer.", payment=payment.display_name,
                          names=", ".join(sorted(c.display_name for c in customers))),
            payment.env._("Register one payment per customer, or send invoices to the company's customer "
                          "(Settings > QuickBooks: contacts as sub-customers off)."),
        )
    return customers.pop() if customers else customer_partner(payment.partner_id, connection)


def payment_to_payment(payment, ctx):
    if payment.payment_type != "inbound" or payment.partner_type != "customer":
        raise MappingError(ctx.env._("Only customer payments are sent to QuickBooks as payments."))
    if payment.state not in ("in_process", "paid"):
        raise MappingError(
            ctx.env._("%s is not confirmed.", payment.display_name),
            ctx.env._("Confirm the payment, then sync it."),
        )
    figures = payment_figures(payment)
    ctx.check_currency(figures.currency)
    lines = [
        {"Amount": number(value), "LinkedTxn": [{"TxnId": ctx.ref(invoice, "Invoice")["value"], "TxnType": "Invoice"}]}
        for invoice, value in figures.lines
    ]
    if figures.discount:
        lines.append({"Amount": number(figures.discount),
                      "LinkedTxn": [{"TxnId": ctx.ref(payment, "CreditMemo")["value"], "TxnType": "CreditMemo"}]})
    payload = {
        "CustomerRef": ctx.ref(customer_of(payment, ctx.connection), "Customer"),
        "TotalAmt": number(figures.total),
        "TxnDate": payment.date.isoformat(),
        "PaymentRefNum": clip(payment.memo or payment.name, PAYMENT_REF_MAX),
        "PrivateNote": clip(f"{payment.name} {odoo_marker(payment)}", PRIVATE_NOTE_MAX),
    }
    journal = payment.journal_id
    if journal.quickbooks_payment_method_ref_id.active:
        payload["PaymentMethodRef"] = journal.quickbooks_payment_method_ref_id._as_ref()
    if journal.quickbooks_deposit_account_ref_id.active:
        payload["DepositToAccountRef"] = journal.quickbooks_deposit_account_ref_id._as_ref()
    if figures.currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": figures.currency.name}
        if figures.rate:
            payload["ExchangeRate"] = home_rate(figures.rate)
    payload = without_empty(payload)
    # Always sent, even empty: an update must remove applications that Odoo no longer has.
    payload["Line"] = lines
    return payload


def prepare(payment, ctx):
    try:
        figures = payment_figures(payment)
        customer = customer_of(payment, ctx.connection)
    except MappingError:
        return  # the payment's own mapping says why
    ctx.hint_currency(customer, figures.currency)


def dependencies(payment):
    connection = connection_of(payment)
    deps = [(customer_of(payment, connection), "Customer")]
    deps += [(app.invoice, "Invoice") for app in applications(payment)]
    try:
        if payment_figures(payment).discount:
            deps.append((payment, "CreditMemo"))
    except MappingError:
        pass  # the payment's own mapping says why
    return deps


def lookup_query(payment, payload):
    customer = quote(payload["CustomerRef"]["value"])
    return f"select * from Payment where CustomerRef = {customer} and TxnDate = {quote(payload['TxnDate'])}"


def matches_lookup(payment, found):
    return odoo_marker(payment) in (found.get("PrivateNote") or "")


class Applications:
    """What a QuickBooks Payment must apply: ``{(TxnType, TxnId): amount}`` with a name each,
    compared with what it stored (its ``Line[].LinkedTxn``)."""

    def __init__(self):
        self.amounts = {}
        self.names = {}

    def add(self, kind, qbo_id, value, name):
        key = (kind, str(qbo_id or ""))
        self.amounts[key] = self.amounts.get(key, ZERO) + value
        self.names[key] = name

    @staticmethod
    def stored(stored):
        found = {}
        for line in stored.get("Line") or []:
            for link in line.get("LinkedTxn") or []:
                key = (link.get("TxnType"), str(link.get("TxnId")))
                found[key] = found.get(key, ZERO) + decimal(line.get("Amount"))
        return found

    def differences(self, stored, code):
        """One message per transaction applied differently, with both figures."""
        applied = self.stored(stored)
        problems = []
        for key in sorted(set(self.amounts) | set(applied)):
            odoo_value, qbo_value = self.amounts.get(key, ZERO), applied.get(key, ZERO)
            if odoo_value != qbo_value:
                label = self.names.get(key) or f"{key[0]} {key[1]}"
                problems.append(f"applied to {label}: QuickBooks {qbo_value:.2f} {code}, Odoo {odoo_value:.2f}")
        return problems


def check_payment(payment, stored):
    """Compare what QuickBooks stored for ``payment`` (its Payment, as answered to the write)
    with Odoo: the amount, the currency and the amount applied to each invoice (by the
    invoice's QuickBooks id).  Returns a message naming each difference with both figures,
    or None when QuickBooks holds exactly what Odoo has.

    Signature for the engine: ``check_payment(payment, stored) -> str | None``."""
    try:
        figures = payment_figures(payment)
    except MappingError as exc:
        return exc.message
    code = figures.currency.name
    problems = []
    total = decimal(stored.get("TotalAmt"))
    if total != figures.total:
        problems.append(f"amount: QuickBooks {total:.2f} {code}, Odoo {figures.total:.2f}")
    stored_currency = (stored.get("CurrencyRef") or {}).get("value")
    if stored_currency and stored_currency != code:
        problems.append(f"currency: QuickBooks {stored_currency}, Odoo {code}")
    bindings = payment.env["quickbooks.binding"].sudo()
    invoices = payment.env["account.move"].union(*(invoice for invoice, _value in figures.lines))
    invoice_ids = bindings._committed_qbo_ids(invoices, "Invoice")
    expected = Applications()
    for invoice, value in figures.lines:
        expected.add("Invoice", invoice_ids.get(invoice.id), value, invoice.name)
    if figures.discount:
        memo_id = bindings._committed_qbo_ids(payment, "CreditMemo").get(payment.id)
        expected.add("CreditMemo", memo_id, figures.discount, payment.env._("the write-off of %s", payment.name))
    problems += expected.differences(stored, code)
    if not problems:
        return None
    return f"QuickBooks does not hold {payment.name} as Odoo does ({'; '.join(problems)})."


@register
class PaymentAdapter(Adapter):
    model = "account.payment"
    entities = (ENTITY,)

    def entity(self, record):
        # Money paid back to a customer is a refund of a credit note (mapping/refund.py).
        if record.payment_type == "outbound" and record.partner_type == "customer":
            return "RefundReceipt"
        return ENTITY

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

    def check(self, record, stored):
        return check_payment(record, stored)
