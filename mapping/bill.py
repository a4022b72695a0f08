"""account.move (vendor bill / refund / purchase receipt) -> Bill / VendorCredit / Purchase,
from the books.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/bill
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendorcredit
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchase

The lines are the document's journal items, in its currency, as for customer invoices
(mapping/invoice.py, whose ``Books`` and ``TaxPlan`` are used as they are):

* a product line whose product is a QuickBooks item, on the product's expense account, is an
  item-based line (``ItemBasedExpenseLineDetail``: the item, quantity and unit price, Qty x
  UnitPrice = Amount); any other line is an account-based line
  (``AccountBasedExpenseLineDetail``) on the QuickBooks account its Odoo account is mapped to
  (QuickBooks > Configuration > Expense Accounts); a line on an unmapped account refuses the
  document, naming the account;
* tax: outside the US, each line carries its tax code and ``TxnTaxDetail`` Odoo's tax per
  *purchase* rate of the codes (the same rules as invoices).  QuickBooks US holds no tax on
  purchases: Odoo's tax journal items become account-based lines on the accounts Odoo posted
  them to (mapped like any other), so that the total and every account agree;
* DocNumber is Odoo's number (``BILL/2026/00001``, shortened as invoices' are), the vendor's
  reference leads the memo (``PrivateNote``), which also carries Odoo's marker.

``check_purchase`` compares what QuickBooks stored: total, tax, the amount on each account
and each item, and the currency, to the cent.
"""

from collections import defaultdict

from .adapter import Adapter, register
from .common import (
    DESCRIPTION_MAX,
    PRIVATE_NOTE_MAX,
    ZERO,
    MappingError,
    amount,
    clip,
    decimal,
    number,
    odoo_marker,
    plain_text,
    quote,
    round_to,
    unit_price,
    without_empty,
)
from .employee import entity_of as employee_entity
from .invoice import (
    Books,
    TaxPlan,
    _class_ref,
    _line_description,
    _preferred_price,
    connection_of,
    customer_partner,
    doc_number,
    exchange_rate,
)

ENTITY_BY_MOVE_TYPE = {"in_invoice": "Bill", "in_refund": "VendorCredit", "in_receipt": "Purchase"}
ITEM_DETAIL = "ItemBasedExpenseLineDetail"
ACCOUNT_DETAIL = "AccountBasedExpenseLineDetail"


def entity_for(move):
    return ENTITY_BY_MOVE_TYPE.get(move.move_type)


def vendor_partner(move):
    return move.partner_id.commercial_partner_id


# -- employee expenses (hr_expense, mapping/expense.py) -----------------------------------------------

ATTACHABLE_TYPES = ("image/", "application/pdf")


def _expenses(move):
    if not move or "expense_ids" not in move._fields:
        return None
    return move.sudo().expense_ids


def expense_employee(move):
    """The Odoo employee an employee-paid expense receipt reimburses, or None."""
    if move.move_type != "in_receipt":
        return None
    expenses = _expenses(move)
    employees = expenses.employee_id if expenses else None
    return employees if employees and len(employees) == 1 else None


def expense_attachments(move):
    """The receipts on an expense's journal entry that QuickBooks accepts (images and PDFs);
    none for other documents."""
    if not _expenses(move):
        return move.env["ir.attachment"]
    attachments = move.env["ir.attachment"].sudo().search(
        [("res_model", "=", "account.move"), ("res_id", "=", move.id)], order="id")
    return attachments.filtered(lambda att: (att.mimetype or "").startswith(ATTACHABLE_TYPES))


def payee(move, ctx):
    """``EntityRef`` of a purchase: the employee an expense reimburses (its QuickBooks Employee,
    or Vendor for a contractor), else the vendor."""
    employee = expense_employee(move)
    if employee:
        entity = employee_entity(employee)
        return dict(ctx.ref(employee, entity), type=entity)
    return dict(ctx.ref(vendor_partner(move), "Vendor"), type="Vendor")


# -- accounts ---------------------------------------------------------------------------------------


def account_ref(ctx, account):
    """The QuickBooks account an Odoo account's purchase lines go to; MappingError naming the
    account and where to map it when it has none."""
    cache = ctx.__dict__.setdefault("_purchase_accounts", {})
    if account.id not in cache:
        cache[account.id] = account._quickbooks_account_ref(ctx.connection)
    reference = cache[account.id]
    if not reference:
        raise MappingError(
            ctx.env._("The Odoo account %s is not mapped to a QuickBooks account.", account.display_name),
            ctx.env._("Map it under QuickBooks > Configuration > Expense Accounts (or link it to its QuickBooks "
                      "account under Reference Data), then sync again."),
        )
    return reference


def _transaction_cache(env, name):
    """A dict kept for the current transaction only (a queue worker's cursor outlives it)."""
    holder = env.cr.cache.setdefault("quickbooks_purchases", {})
    if holder.get("at") != env.cr.now():
        holder.clear()
        holder["at"] = env.cr.now()
    return holder.setdefault(name, {})


def _is_item_line(line):
    """A product line on its product's expense account goes as the product's item (QuickBooks
    posts an item line to the item's expense account); a line moved to another account keeps
    that account, and so does an employee's expense (its product is an expense category)."""
    product = line.product_id
    if not product or ("expense_id" in line._fields and line.expense_id):
        return False  # an employee's expense category is not a QuickBooks item: its account is
    cache = _transaction_cache(line.env, "expense_accounts")
    key = (product.id, line.company_id.id)
    if key not in cache:
        cache[key] = product.product_tmpl_id.with_company(line.company_id)._get_product_accounts()["expense"].id
    return line.account_id.id == cache[key]


# -- the billable customer ---------------------------------------------------------------------------


def _analytic_accounts(line):
    ids = {int(account_id) for key in (line.analytic_distribution or {}) for account_id in str(key).split(",")}
    return line.env["account.analytic.account"].browse(sorted(ids)).exists()


def billable_customers(line):
    """``{(partner, own QuickBooks customer ref or None)}`` a purchase line is billable to: the
    customer of each project or analytic account in its analytic distribution (a project's own
    QuickBooks sub-customer when it was created from one).  A line whose analytic accounts
    carry no customer is not billable."""
    accounts = _analytic_accounts(line)
    if not accounts:
        return set()
    cache = _transaction_cache(line.env, "billable_customers")
    found = set()
    connection = connection_of(line.move_id)
    missing = accounts.filtered(lambda account: (account.id, connection.id) not in cache)
    if missing:
        projects = line.env["project.project"].sudo().with_context(active_test=False).search(
            [("account_id", "in", missing.ids)])
        by_account = {project.account_id.id: project for project in projects}
        for account in missing:
            project = by_account.get(account.id)
            own = project._quickbooks_customer_ref(connection.realm_id) if project else None
            partner = project.partner_id if project and project.partner_id else account.partner_id
            cache[(account.id, connection.id)] = (
                customer_partner(partner, connection) if partner and own is None else partner, own)
    for account in accounts:
        key = (account.id, connection.id)
        partner, own = cache[key]
        if partner or own:
            found.add((partner, own["value"] if own else None))
    return found


def billable_ref(ctx, line):
    """``{"CustomerRef", "BillableStatus"}`` of a line billable to a customer, else {}."""
    customers = billable_customers(line)
    if not customers:
        return {}
    if len(customers) > 1:
        raise MappingError(
            ctx.env._("The line '%(line)s' of %(move)s is billable to several customers (%(names)s); a QuickBooks "
                      "expense line is billable to one.", line=line.name or "", move=line.move_id.display_name,
                      names=", ".join(sorted(partner.display_name for partner, _own in customers if partner))),
            ctx.env._("Split the line per customer (one analytic account each), then sync again."),
        )
    (partner, own), = customers
    reference = {"value": own} if own else ctx.ref(partner, "Customer")
    return {"CustomerRef": reference, "BillableStatus": "Billable"}


# -- the document ------------------------------------------------------------------------------------


def _detail_extra(ctx, plan, line, code_ref):
    extra = {}
    class_ref = _class_ref(ctx, line)
    if class_ref:
        extra["ClassRef"] = class_ref
    extra.update(billable_ref(ctx, line))
    if code_ref is not None:
        extra["TaxCodeRef"] = code_ref
    return extra


def _account_line(description, account, line_amount, extra=None):
    detail = {"AccountRef": account._as_ref()}
    detail.update(extra or {})
    return {"DetailType": ACCOUNT_DETAIL, "Amount": number(line_amount),
            "Description": clip(description, DESCRIPTION_MAX), ACCOUNT_DETAIL: detail}


def _item_line(description, item_ref, line_amount, qty, price, extra=None):
    detail = {"ItemRef": item_ref}
    if qty is not None:
        detail["Qty"] = number(qty)
    if price is not None:
        detail["UnitPrice"] = number(price)
    detail.update(extra or {})
    return {"DetailType": ITEM_DETAIL, "Amount": number(line_amount),
            "Description": clip(description, DESCRIPTION_MAX), ITEM_DETAIL: detail}


def _check_posted(move, ctx):
    entity = entity_for(move)
    if not entity:
        raise MappingError(ctx.env._("Only vendor bills, refunds and receipts are sent to QuickBooks as purchases."))
    if move.state != "posted":
        raise MappingError(
            ctx.env._("%s is not posted.", move.display_name),
            ctx.env._("QuickBooks has no drafts: confirm the bill, then sync it."),
        )
    return entity


def purchase_lines(move, ctx, books, plan):
    """The expense lines of ``move`` and what they add up to (the untaxed amount, and the tax
    sent as lines in the US)."""
    product_lines = plan.lines
    us = ctx.is_us
    lines = []
    sent = ZERO
    for line in product_lines:
        net = books.nets[line.id]
        code_ref = None if us else plan.line_code(line)
        extra = _detail_extra(ctx, plan, line, code_ref)
        inclusive = plan.inclusive
        if _is_item_line(line):
            qty = decimal(line.quantity)
            price = unit_price(net, qty, _preferred_price(line, move.currency_id))
            line_amount, difference = net, ZERO
            if qty and price is None:
                price = (net / qty).quantize(decimal("0.0000001"))
                line_amount = round_to(qty * price, "0.01")
                difference = net - line_amount
            item_extra = dict(extra)
            if inclusive:
                item_extra["TaxInclusiveAmt"] = number(plan.gross(line, line_amount,
                                                                  line.price_total if not difference else None))
            lines.append(_item_line(_line_description(line), ctx.ref(line.product_id, "Item"), line_amount,
                                    qty if qty else None, price, item_extra))
            sent += line_amount
            if difference:
                diff_extra = dict(extra)
                if inclusive:
                    diff_extra["TaxInclusiveAmt"] = number(plan.gross(line, difference))
                lines.append(_account_line(ctx.env._("Rounding difference on '%s'", line.name or ""),
                                           account_ref(ctx, line.account_id), difference, diff_extra))
                sent += difference
            continue
        if inclusive:
            extra["TaxInclusiveAmt"] = number(plan.gross(line, net, line.price_total))
        lines.append(_account_line(_line_description(line), account_ref(ctx, line.account_id), net, extra))
        sent += net
    for line, value in books.rounding:
        extra = {} if us else {"TaxCodeRef": plan.untaxed_ref()}
        lines.append(_account_line(line.name or ctx.env._("Cash rounding"), account_ref(ctx, line.account_id),
                                   value, extra))
        sent += value
    if us:
        # No purchase tax in QuickBooks US: the tax Odoo booked goes on the accounts it booked it to.
        for tax_line in _tax_items(move):
            value = books.tax_items[tax_line.id]
            if value:
                lines.append(_account_line(tax_line.name or tax_line.tax_line_id.name,
                                           account_ref(ctx, tax_line.account_id), value))
                sent += value
    return lines, sent


class PurchaseBooks(Books):
    """``Books`` plus each tax journal item's own amount (US tax lines)."""

    def __init__(self, move):
        super().__init__(move)
        sign = move.direction_sign
        self.tax_items = {
            line.id: amount(decimal(line.amount_currency) * sign, move.currency_id)
            for line in _tax_items(move)
        }


def _tax_items(move):
    """The tax journal items (a cash rounding that modifies the tax is tax too)."""
    return move.line_ids.filtered(
        lambda line: line.display_type == "tax" or (line.display_type == "rounding" and line.tax_line_id))


def move_to_purchase(move, ctx):
    entity = _check_posted(move, ctx)
    currency = move.currency_id
    ctx.check_currency(currency)
    books = PurchaseBooks(move)
    if books.untaxed + books.tax != books.total:
        raise MappingError(
            ctx.env._("The journal items of %(name)s add up to %(sum)s, not its total %(total)s.",
                      name=move.display_name, sum=books.untaxed + books.tax, total=books.total),
            ctx.env._("Reset the bill to draft and post it again so that Odoo recomputes its lines."),
        )
    number_ = doc_number(move)
    user = ctx.doc_number_user(move, number_)
    if user:
        raise MappingError(
            ctx.env._("%(name)s would be %(entity)s %(number)s in QuickBooks, the number of %(other)s already.",
                      name=move.name, entity=entity, number=number_, other=user),
            ctx.env._("QuickBooks numbers hold 21 characters: give the journals distinct short codes or shorter "
                      "sequence prefixes, then sync again."),
        )
    product_lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted(
        lambda line: (line.sequence, line.id))
    if not product_lines:
        raise MappingError(ctx.env._("%s has no line to send.", move.display_name))
    us = ctx.is_us
    plan = TaxPlan(move, ctx, books, product_lines, purchase=True)
    lines, sent = purchase_lines(move, ctx, books, plan)
    expected = books.untaxed + (books.tax if us else ZERO)
    if sent != expected:
        raise MappingError(
            ctx.env._("The lines of %(name)s come to %(sent)s, Odoo's amount is %(odoo)s.",
                      name=move.display_name, sent=sent, odoo=expected),
            ctx.env._("Reset the bill to draft and post it again so that Odoo recomputes its lines."),
        )
    memo = " ".join(part for part in (
        move.ref and ctx.env._("Vendor reference: %s.", move.ref),
        plain_text(move.narration, 1000) if move.narration else "",
        move.name, odoo_marker(move),
    ) if part)
    payload = {
        "DocNumber": number_,
        "TxnDate": (move.invoice_date or move.date).isoformat(),
        "Line": lines,
        "PrivateNote": clip(memo, PRIVATE_NOTE_MAX),
    }
    if entity == "Purchase":
        payload["EntityRef"] = payee(move, ctx)
        payload.update(_paid_from(move, ctx))
    else:
        payload["VendorRef"] = ctx.ref(vendor_partner(move), "Vendor")
    if not us:
        payload["GlobalTaxCalculation"] = "TaxInclusive" if plan.inclusive else "TaxExcluded"
        payload["TxnTaxDetail"] = plan.detail
    if entity == "Bill":
        if move.invoice_date_due:
            payload["DueDate"] = move.invoice_date_due.isoformat()
        term = ctx.reference_for("Term", move.invoice_payment_term_id)
        if term:
            payload["SalesTermRef"] = term._as_ref()
    if entity in ("Bill", "VendorCredit"):
        payable = move.line_ids.filtered(lambda line: line.account_id.account_type == "liability_payable")[:1]
        ap = ctx.reference_for("Account", payable.account_id) if payable else None
        if ap and ap.qbo_type == "Accounts Payable":
            payload["APAccountRef"] = ap._as_ref()
    department = ctx.connection.default_department_ref_id
    if department and department.active:
        payload["DepartmentRef"] = department._as_ref()
    if currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": currency.name}
        if move.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(move.invoice_currency_rate)
    return without_empty(payload)


PAYMENT_TYPES = {"Bank": "Check", "Credit Card": "CreditCard", "Other Current Asset": "Cash"}


def journal_account(ctx, journal, types):
    """The QuickBooks account money leaves from for ``journal`` (Payment Journals: its
    QuickBooks account, else the account its default account maps to), when its type is one
    of ``types``; MappingError saying where to set it otherwise."""
    reference = journal.quickbooks_deposit_account_ref_id
    if not (reference and reference.active) and journal.default_account_id:
        try:
            reference = account_ref(ctx, journal.default_account_id)
        except MappingError:
            reference = None
    if not reference or reference.qbo_type not in types:
        raise MappingError(
            ctx.env._("The journal %s is not mapped to a QuickBooks bank or credit card account.", journal.name),
            ctx.env._("Set its QuickBooks account under QuickBooks > Configuration > Payment Journals."),
        )
    return reference


def _paid_from(move, ctx):
    """A purchase receipt is paid at once: from the account of the journal that paid it (its
    payment's journal), QuickBooks' PaymentType following that account's type."""
    payments = move._get_reconciled_payments()
    journal = payments[:1].journal_id
    if not journal:
        raise MappingError(
            ctx.env._("%s is not paid yet: QuickBooks records a purchase with the account it was paid from.",
                      move.display_name),
            ctx.env._("Register its payment, then sync it."),
        )
    reference = journal_account(ctx, journal, PAYMENT_TYPES)
    values = {"PaymentType": PAYMENT_TYPES[reference.qbo_type], "AccountRef": reference._as_ref()}
    method = journal.quickbooks_payment_method_ref_id
    if method and method.active:
        values["PaymentMethodRef"] = method._as_ref()
    return values


def prepare(move, ctx):
    if not expense_employee(move):
        ctx.hint_currency(vendor_partner(move), move.currency_id)
    if entity_for(move) and move.name and move.name != "/":
        ctx.claim_doc_number(move, doc_number(move))


def dependencies(move):
    employee = expense_employee(move)
    deps = [(employee, employee_entity(employee)) if employee else (vendor_partner(move), "Vendor")]
    product_lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
    deps += [(line.product_id, "Item") for line in product_lines if _is_item_line(line)]
    customers = set()
    for line in product_lines:
        billable = billable_customers(line)
        if len(billable) == 1:  # several: the bill is refused (billable_ref), nothing to create
            customers |= {partner for partner, own in billable if partner and not own}
    deps += [(partner, "Customer") for partner in sorted(customers, key=lambda partner: partner.id)]
    return deps


def lookup_query(move, payload):
    return f"select * from {entity_for(move)} where DocNumber = {quote(payload['DocNumber'])}"


def matches_lookup(move, found):
    return odoo_marker(move) in (found.get("PrivateNote") or "")


# -- what QuickBooks stored -----------------------------------------------------------------------


def _expected_lines(move, connection, books):
    """``{("account" | "item", QuickBooks id): amount}`` Odoo's books put on each QuickBooks
    account and item (None for an Odoo account with no QuickBooks account)."""
    expected = defaultdict(lambda: ZERO)
    us = (connection.qbo_country or "").upper() in ("US", "USA")
    accounts = _transaction_cache(move.env, f"account_refs_{connection.id}")

    def account_key(account):
        if account.id not in accounts:
            reference = account._quickbooks_account_ref(connection)
            accounts[account.id] = reference.qbo_id if reference else None
        return ("account", accounts[account.id])

    product_lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
    item_lines = product_lines.filtered(_is_item_line)
    # Items pushed in this very batch are linked in the ledger's own transaction, which this one
    # may not see yet: their lines are compared together (ITEMS_SENT_NOW), the others per item.
    links = move.env["quickbooks.binding"].sudo()._lookup(connection, "product.product",
                                                          item_lines.product_id.ids, "Item")
    for line in product_lines:
        if line in item_lines:
            binding = links.get(line.product_id.id)
            expected[("item", binding.qbo_id) if binding else ITEMS_SENT_NOW] += books.nets[line.id]
        else:
            expected[account_key(line.account_id)] += books.nets[line.id]
    for line, value in books.rounding:
        expected[account_key(line.account_id)] += value
    if us:
        for line in _tax_items(move):
            expected[account_key(line.account_id)] += books.tax_items[line.id]
    return expected


ITEMS_SENT_NOW = ("item", "sent in this batch")


def _stored_lines(stored, expected):
    found = defaultdict(lambda: ZERO)
    for line in stored.get("Line") or []:
        kind = line.get("DetailType")
        if kind == ITEM_DETAIL:
            key = ("item", str((line[kind].get("ItemRef") or {}).get("value")))
        elif kind == ACCOUNT_DETAIL:
            key = ("account", str((line[kind].get("AccountRef") or {}).get("value")))
        else:
            continue
        if key[0] == "item" and key not in expected and ITEMS_SENT_NOW in expected:
            key = ITEMS_SENT_NOW
        found[key] += decimal(line.get("Amount"))
    return found


def _billable_differences(move, connection, books, stored, code):
    """The amount billable to each customer, Odoo's against QuickBooks' (``CustomerRef`` with
    ``BillableStatus`` Billable, or HasBeenBilled once QuickBooks invoiced it)."""
    expected = defaultdict(lambda: ZERO)
    names = {}
    partners = move.env["res.partner"]
    rows = []
    for line in move.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
        customers = billable_customers(line)
        if len(customers) == 1:
            (partner, own), = customers
            if not own:
                partners |= partner
            rows.append((line, partner, own))
    ids = move.env["quickbooks.binding"].sudo()._committed_qbo_ids(partners, "Customer") if partners else {}
    for line, partner, own in rows:
        key = str(own or ids.get(partner.id) or "")
        expected[key] += books.nets[line.id]
        names[key] = partner.display_name
    found = defaultdict(lambda: ZERO)
    for line in stored.get("Line") or []:
        detail = line.get(line.get("DetailType")) or {}
        if detail.get("BillableStatus") in ("Billable", "HasBeenBilled") and detail.get("CustomerRef"):
            found[str(detail["CustomerRef"].get("value"))] += decimal(line.get("Amount"))
    problems = []
    for key in sorted(set(expected) | set(found)):
        if expected.get(key, ZERO) != found.get(key, ZERO):
            label = names.get(key) or f"customer {key}"
            problems.append(f"billable to {label}: QuickBooks {found.get(key, ZERO):.2f} {code}, "
                            f"Odoo {expected.get(key, ZERO):.2f}")
    return problems


def check_purchase(move, stored):
    """Compare what QuickBooks stored for ``move`` (its Bill, VendorCredit or Purchase) with
    Odoo's books, to the cent: total, tax, the amount on each account and item, currency.
    None when QuickBooks holds exactly Odoo's figures, else a message with both figures."""
    currency = move.currency_id
    code = currency.name
    connection = connection_of(move)
    books = PurchaseBooks(move)
    us = (connection.qbo_country or "").upper() in ("US", "USA")
    voided = move.state == "cancel"
    total = decimal(stored.get("TotalAmt"))
    tax = decimal((stored.get("TxnTaxDetail") or {}).get("TotalTax"))
    problems = []
    expected_total = ZERO if voided else books.total
    expected_tax = ZERO if voided or us else books.tax
    if total != expected_total:
        problems.append(f"total: QuickBooks {total:.2f} {code}, Odoo {expected_total:.2f}")
    if tax != expected_tax:
        problems.append(f"tax: QuickBooks {tax:.2f} {code}, Odoo {expected_tax:.2f}")
    if not voided:
        expected = _expected_lines(move, connection, books)
        found = _stored_lines(stored, expected)
        for key in sorted(set(expected) | set(found), key=lambda k: (k[0], str(k[1]))):
            odoo_value, qbo_value = expected.get(key, ZERO), found.get(key, ZERO)
            if odoo_value != qbo_value:
                problems.append(f"{key[0]} {key[1]}: QuickBooks {qbo_value:.2f} {code}, Odoo {odoo_value:.2f}")
        problems += _billable_differences(move, connection, books, stored, code)
    stored_currency = (stored.get("CurrencyRef") or {}).get("value")
    if stored_currency and stored_currency != code:
        problems.append(f"currency: QuickBooks {stored_currency}, Odoo {code}")
    if not problems:
        return None
    return f"QuickBooks does not hold {move.name} as Odoo does ({'; '.join(problems)})."


@register
class PurchaseDocumentAdapter(Adapter):
    model = "account.move"
    entities = ("Bill", "VendorCredit", "Purchase")

    def entity(self, record):
        return entity_for(record)

    def payload(self, record, ctx, suffix=""):
        return move_to_purchase(record, ctx)

    def prepare(self, record, ctx):
        prepare(record, ctx)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return matches_lookup(record, found)

    def check(self, record, stored):
        return check_purchase(record, stored)

    def attachments(self, record):
        return expense_attachments(record)
