"""Employee expenses (hr_expense) -> Purchase, with the receipt attached.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchase
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable#upload-attachments

Odoo 19 posts an expense in one of two ways (hr_expense, ``payment_mode``):

* **paid by the employee** (to reimburse): a purchase receipt (``in_receipt``) addressed to the
  employee, paid when the company reimburses it.  It goes as the purchase receipts do
  (mapping/bill.py: a Purchase paid from the reimbursing payment's journal), its payee
  (``EntityRef``) being the QuickBooks **Employee** of the Odoo employee (mapping/employee.py;
  a contractor is a Vendor), not a vendor of the employee's name;
* **paid by the company** (a company card, the company's bank or cash): an outgoing payment
  whose journal entry carries the expense lines.  That payment is sent as a **Purchase**:
  ``PaymentType`` CreditCard, Check or Cash from the QuickBooks account of the paying journal
  (Payment Journals), ``AccountRef`` that account, the payee the expense's vendor (when set),
  one account line per expense line on the QuickBooks account its Odoo account is mapped to
  (Expense Accounts), billable to the customer of its analytic account as bills' lines are.
  In the US the tax Odoo booked goes on the accounts it was booked to (QuickBooks US keeps no
  purchase tax); elsewhere an expense with tax is refused with the reason (not sent yet).

Both carry the expense's receipts (the journal entry's attachments, copied there by Odoo):
after the Purchase is written and checked, each file is uploaded as an ``Attachable`` linked to
it (``/upload``, multipart), once: QuickBooks' attachables of the Purchase are looked up first
and a file whose marker (``[odoo:ir.attachment:<id>]`` in the note) is there is not sent again.
"""

from .adapter import Adapter, register
from .bill import (
    ACCOUNT_DETAIL,
    PAYMENT_TYPES,
    _account_line,
    _expenses,
    account_ref,
    billable_customers,
    billable_ref,
    expense_attachments,
    journal_account,
)
from .common import (
    PRIVATE_NOTE_MAX,
    ZERO,
    MappingError,
    amount,
    clip,
    decimal,
    odoo_marker,
    quote,
    without_empty,
)
from .invoice import _class_ref, connection_of, home_rate

ENTITY = "Purchase"
DOC_NUMBER_MAX = 21


def is_company_paid(payment):
    """An outgoing payment Odoo created for an expense the company paid."""
    expenses = _expenses(payment.move_id)
    return bool(expenses) and all(expense.payment_mode == "company_account" for expense in expenses)


# -- a company-paid expense -------------------------------------------------------------------


def _base_lines(move):
    return move.line_ids.filtered(lambda line: line.expense_id and not line.tax_line_id)


def _tax_lines(move):
    return move.line_ids.filtered(lambda line: line.tax_line_id)


def _expected(payment, ctx):
    """``[(move line, amount)]`` in the payment's currency: the expense lines, then (US) tax."""
    move = payment.move_id
    currency = payment.currency_id
    rows = [(line, amount(line.amount_currency, currency)) for line in _base_lines(move)]
    taxes = [(line, amount(line.amount_currency, currency)) for line in _tax_lines(move)]
    taxes = [(line, value) for line, value in taxes if value]
    if taxes and not ctx.is_us:
        raise MappingError(
            ctx.env._("%s carries tax: company-paid expenses with tax are not sent to QuickBooks outside the US yet.",
                      payment.display_name),
            ctx.env._("Enter this expense in QuickBooks by hand, or record it as a vendor bill."),
        )
    return rows + taxes


def payment_to_purchase(payment, ctx):
    if not is_company_paid(payment):
        raise MappingError(ctx.env._("%s is not an expense paid by the company.", payment.display_name))
    if payment.state not in ("in_process", "paid"):
        raise MappingError(ctx.env._("%s is not confirmed.", payment.display_name),
                           ctx.env._("Post the expense, then sync it."))
    currency = payment.currency_id
    ctx.check_currency(currency)
    rows = _expected(payment, ctx)
    lines = []
    total = ZERO
    for line, value in rows:
        extra = {}
        if not line.tax_line_id:
            class_ref = _class_ref(ctx, line)
            if class_ref:
                extra["ClassRef"] = class_ref
            extra.update(billable_ref(ctx, line))
        if not ctx.is_us:
            extra["TaxCodeRef"] = ctx.untaxed_ref()
        lines.append(_account_line(line.name or line.tax_line_id.name or payment.memo or "",
                                   account_ref(ctx, line.account_id), value, extra))
        total += value
    paid = amount(payment.amount, currency)
    if total != paid:
        raise MappingError(
            ctx.env._("The lines of %(name)s come to %(sent)s, its amount is %(paid)s.",
                      name=payment.display_name, sent=total, paid=paid),
            ctx.env._("Reset the expense and post it again so that Odoo recomputes its entry."),
        )
    reference = journal_account(ctx, payment.journal_id, PAYMENT_TYPES)
    expenses = _expenses(payment.move_id)
    payload = {
        "PaymentType": PAYMENT_TYPES[reference.qbo_type],
        "AccountRef": reference._as_ref(),
        "DocNumber": clip(payment.name, DOC_NUMBER_MAX),
        "TxnDate": payment.date.isoformat(),
        "Line": lines,
        "PrivateNote": clip(" ".join(part for part in (
            ", ".join(expenses.mapped("name")), expenses.employee_id[:1].name and ctx.env._(
                "Paid by %s with the company's means.", expenses.employee_id[:1].name),
            payment.name, odoo_marker(payment)) if part), PRIVATE_NOTE_MAX),
    }
    vendor = payment.partner_id.commercial_partner_id
    if vendor:
        payload["EntityRef"] = dict(ctx.ref(vendor, "Vendor"), type="Vendor")
    method = payment.journal_id.quickbooks_payment_method_ref_id
    if method and method.active:
        payload["PaymentMethodRef"] = method._as_ref()
    if not ctx.is_us:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    if currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": currency.name}
        if payment.amount:
            payload["ExchangeRate"] = home_rate(
                decimal(abs(payment.amount_company_currency_signed)) / decimal(payment.amount))
    return without_empty(payload)


def check_company_paid(payment, stored):
    """QuickBooks' Purchase against Odoo, to the cent: total, the amount on each QuickBooks
    account, the billable amount per customer, the currency."""
    connection = connection_of(payment)
    currency = payment.currency_id
    code = currency.name
    problems = []
    total = decimal(stored.get("TotalAmt"))
    paid = amount(payment.amount, currency)
    if total != paid:
        problems.append(f"total: QuickBooks {total:.2f} {code}, Odoo {paid:.2f}")
    expected, billable, names = {}, {}, {}
    move = payment.move_id
    partners = payment.env["res.partner"]
    for line in _base_lines(move) | _tax_lines(move):
        reference = line.account_id._quickbooks_account_ref(connection)
        key = str(reference.qbo_id) if reference else None
        value = amount(line.amount_currency, currency)
        expected[key] = expected.get(key, ZERO) + value
        customers = billable_customers(line) if not line.tax_line_id else set()
        if len(customers) == 1:
            (partner, own), = customers
            partners |= partner if not own else partners.browse()
            billable[(partner, own)] = billable.get((partner, own), ZERO) + value
    ids = payment.env["quickbooks.binding"].sudo()._committed_qbo_ids(partners, "Customer") if partners else {}
    billable_by_id = {}
    for (partner, own), value in billable.items():
        key = str(own or ids.get(partner.id) or "")
        billable_by_id[key] = billable_by_id.get(key, ZERO) + value
        names[key] = partner.display_name
    found, found_billable = {}, {}
    for line in stored.get("Line") or []:
        detail = line.get(ACCOUNT_DETAIL) or {}
        if line.get("DetailType") != ACCOUNT_DETAIL:
            continue
        key = str((detail.get("AccountRef") or {}).get("value"))
        found[key] = found.get(key, ZERO) + decimal(line.get("Amount"))
        if detail.get("BillableStatus") in ("Billable", "HasBeenBilled") and detail.get("CustomerRef"):
            customer = str(detail["CustomerRef"].get("value"))
            found_billable[customer] = found_billable.get(customer, ZERO) + decimal(line.get("Amount"))
    for key in sorted(set(expected) | set(found), key=str):
        if expected.get(key, ZERO) != found.get(key, ZERO):
            problems.append(f"account {key}: QuickBooks {found.get(key, ZERO):.2f} {code}, "
                            f"Odoo {expected.get(key, ZERO):.2f}")
    for key in sorted(set(billable_by_id) | set(found_billable)):
        if billable_by_id.get(key, ZERO) != found_billable.get(key, ZERO):
            problems.append(f"billable to {names.get(key) or key}: QuickBooks {found_billable.get(key, ZERO):.2f} "
                            f"{code}, Odoo {billable_by_id.get(key, ZERO):.2f}")
    stored_currency = (stored.get("CurrencyRef") or {}).get("value")
    if stored_currency and stored_currency != code:
        problems.append(f"currency: QuickBooks {stored_currency}, Odoo {code}")
    if not problems:
        return None
    return f"QuickBooks does not hold {payment.name} as Odoo does ({'; '.join(problems)})."


@register
class CompanyPaidExpenseAdapter(Adapter):
    """An expense the company paid (its outgoing payment) -> Purchase."""

    model = "account.payment"
    entities = (ENTITY,)

    def entity(self, record):
        return ENTITY if is_company_paid(record) else None

    def payload(self, record, ctx, suffix=""):
        return payment_to_purchase(record, ctx)

    def prepare(self, record, ctx):
        if record.partner_id:
            ctx.hint_currency(record.partner_id.commercial_partner_id, record.currency_id)

    def dependencies(self, record):
        deps = []
        if record.partner_id:
            deps.append((record.partner_id.commercial_partner_id, "Vendor"))
        for line in _base_lines(record.move_id):
            billable = billable_customers(line)
            if len(billable) == 1:
                deps += [(partner, "Customer") for partner, own in billable if partner and not own]
        return deps

    def lookup_query(self, record, payload):
        return f"select * from Purchase where DocNumber = {quote(payload['DocNumber'])}"

    def matches_lookup(self, record, found):
        return odoo_marker(record) in (found.get("PrivateNote") or "")

    def check(self, record, stored):
        return check_company_paid(record, stored)

    def attachments(self, record):
        return expense_attachments(record.move_id)
