"""account.payment (vendor payment) -> BillPayment, applied to the bills and vendor credits it
settles.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/billpayment

* The payment goes to the QuickBooks vendor of its partner (the commercial partner), paid from
  the QuickBooks account of its journal (Payment Journals: the journal's QuickBooks account,
  else the account its default account is mapped to): a bank account makes a ``Check``
  bill payment, a credit card account a ``CreditCard`` one.
* Applications come from Odoo's reconciliation: the partials between the payment's payable
  item and the bills', in the bills' currency.  A vendor refund reconciled with a bill is not
  the payment's: the refund owns a bill payment of 0 that applies its vendor credit
  (mapping/vendor_credit_application.py), as credit notes own theirs, so that payments and
  credits follow later changes each on its own.
* A payment in another currency than its bills, or with a write-off, is refused with the
  reason for now.
"""

from collections import namedtuple

from .adapter import Adapter, register
from .bill import connection_of, journal_account
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
from .invoice import home_rate

ENTITY = "BillPayment"
TXN_TYPE = {"in_invoice": "Bill", "in_refund": "VendorCredit"}

Figures = namedtuple("Figures", "currency total lines rate")  # lines: [(move, amount)] in ``currency``


def is_vendor_payment(payment):
    return payment.partner_type == "supplier" and payment.payment_type == "outbound"


def _payable_lines(move):
    return move.line_ids.filtered(lambda line: line.account_id.account_type == "liability_payable")


def applications(payment):
    """``[(bill, amount)]``: the bills the payment pays and how much of each, in the bills'
    currency."""
    found = {}
    if not payment.move_id:
        return _split_without_entry(payment)
    for partial in _payable_lines(payment.move_id).matched_credit_ids:
        bill = partial.credit_move_id.move_id
        if bill.move_type != "in_invoice":
            continue
        found[bill] = found.get(bill, ZERO) + amount(partial.credit_amount_currency, bill.currency_id)
    return [(move, value) for move, value in found.items() if value]


def _split_without_entry(payment):
    """No journal entry: the payment was registered on its bills, oldest first, by what each owes."""
    remaining = amount(payment.amount, payment.currency_id)
    result = []
    bills = payment.invoice_ids.filtered(lambda move: move.move_type == "in_invoice" and move.state == "posted")
    for bill in bills.sorted(lambda move: (move.invoice_date or move.date, move.id)):
        part = min(remaining, amount(bill.amount_residual, bill.currency_id))
        if part > 0:
            result.append((bill, part))
            remaining -= part
    return result


def payment_figures(payment):
    env = payment.env
    lines = applications(payment)
    currency = payment.currency_id
    paid = amount(payment.amount, currency)
    if payment.move_id:
        liquidity, counterpart, other = payment._seek_for_lines()
        if other - liquidity - counterpart:
            raise MappingError(
                env._("%s has a write-off, which is not sent to QuickBooks yet.", payment.display_name),
                env._("Record the write-off in QuickBooks by hand, or register the payment without it."),
            )
    other_currency = {move.currency_id for move, _value in lines} - {currency}
    if other_currency:
        raise MappingError(
            env._("%(payment)s is in %(currency)s and pays documents in %(other)s; QuickBooks keeps a bill payment "
                  "in its vendor's currency.", payment=payment.display_name, currency=currency.name,
                  other=", ".join(sorted(c.name for c in other_currency))),
            env._("Register the payment in the bills' currency."),
        )
    applied = sum((value if move.move_type == "in_invoice" else -value for move, value in lines), ZERO)
    if applied > paid:
        raise MappingError(
            env._("%(payment)s settles %(applied)s with %(paid)s %(currency)s paid.", payment=payment.display_name,
                  applied=applied, paid=paid, currency=currency.name),
            env._("Check the payment's reconciliation."),
        )
    company_currency = payment.company_id.currency_id
    rate = None
    if currency != company_currency and paid:
        rate = amount(abs(payment.amount_company_currency_signed), company_currency) / paid
    return Figures(currency, paid, lines, rate)


def paid_from(payment, ctx):
    """``(PayType, detail key, detail)`` from the journal's QuickBooks account."""
    reference = journal_account(ctx, payment.journal_id, ("Bank", "Credit Card"))
    if reference.qbo_type == "Bank":
        return {"PayType": "Check", "CheckPayment": {"BankAccountRef": reference._as_ref()}}
    return {"PayType": "CreditCard", "CreditCardPayment": {"CCAccountRef": reference._as_ref()}}


def payment_to_bill_payment(payment, ctx):
    if not is_vendor_payment(payment):
        raise MappingError(ctx.env._("Only vendor payments are sent to QuickBooks as bill payments."))
    if payment.state not in ("in_process", "paid"):
        raise MappingError(
            ctx.env._("%s is not confirmed.", payment.display_name),
            ctx.env._("Confirm the payment, then sync it."),
        )
    figures = payment_figures(payment)
    ctx.check_currency(figures.currency)
    lines = []
    for move, value in figures.lines:
        entity = TXN_TYPE[move.move_type]
        lines.append({"Amount": number(value),
                      "LinkedTxn": [{"TxnId": ctx.ref(move, entity)["value"], "TxnType": entity}]})
    payload = {
        "VendorRef": ctx.ref(payment.partner_id.commercial_partner_id, "Vendor"),
        "TotalAmt": number(figures.total),
        "TxnDate": payment.date.isoformat(),
        "DocNumber": clip(payment.memo or payment.name, PAYMENT_REF_MAX),
        "PrivateNote": clip(f"{payment.name} {odoo_marker(payment)}", PRIVATE_NOTE_MAX),
        "Line": lines,
        **paid_from(payment, ctx),
    }
    if figures.currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": figures.currency.name}
        if figures.rate:
            payload["ExchangeRate"] = home_rate(figures.rate)
    payload = without_empty(payload)
    # Always sent, even empty: an update must remove applications that Odoo no longer has (a bill
    # unreconciled from the payment).
    payload["Line"] = lines
    return payload


def dependencies(payment):
    deps = [(payment.partner_id.commercial_partner_id, "Vendor")]
    deps += [(move, TXN_TYPE[move.move_type]) for move, _value in applications(payment)]
    return deps


def prepare(payment, ctx):
    ctx.hint_currency(payment.partner_id.commercial_partner_id, payment.currency_id)


def lookup_query(payment, payload):
    vendor = quote(payload["VendorRef"]["value"])
    return f"select * from BillPayment where VendorRef = {vendor} and TxnDate = {quote(payload['TxnDate'])}"


def matches_lookup(payment, found):
    return odoo_marker(payment) in (found.get("PrivateNote") or "")


def check_bill_payment(payment, stored):
    """Compare what QuickBooks stored for ``payment`` with Odoo: amount, currency, and the
    amount applied to each bill and vendor credit (by QuickBooks id)."""
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
    applied = {}
    for line in stored.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            key = (link.get("TxnType"), str(link.get("TxnId")))
            applied[key] = applied.get(key, ZERO) + decimal(line.get("Amount"))
    expected, names = {}, {}
    connection = connection_of(payment)
    for move, value in figures.lines:
        entity = TXN_TYPE[move.move_type]
        binding = payment.env["quickbooks.binding"].sudo()._lookup(connection, "account.move", [move.id],
                                                                   entity).get(move.id)
        key = (entity, str(binding.qbo_id if binding else move.quickbooks_id or ""))
        expected[key] = expected.get(key, ZERO) + value
        names[key] = move.name
    for key in sorted(set(expected) | set(applied), key=str):
        odoo_value, qbo_value = expected.get(key, ZERO), applied.get(key, ZERO)
        if odoo_value != qbo_value:
            label = names.get(key) or f"{key[0]} {key[1]}"
            problems.append(f"applied to {label}: QuickBooks {qbo_value:.2f} {code}, Odoo {odoo_value:.2f}")
    if not problems:
        return None
    return f"QuickBooks does not hold {payment.name} as Odoo does ({'; '.join(problems)})."


@register
class BillPaymentAdapter(Adapter):
    model = "account.payment"
    entities = (ENTITY,)

    def entity(self, record):
        return ENTITY if is_vendor_payment(record) else None

    def payload(self, record, ctx, suffix=""):
        return payment_to_bill_payment(record, ctx)

    def prepare(self, record, ctx):
        prepare(record, ctx)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return matches_lookup(record, found)

    def check(self, record, stored):
        return check_bill_payment(record, stored)
