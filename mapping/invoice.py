"""account.move (customer invoice / credit note) -> Invoice / CreditMemo, from the books.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies

Every amount comes from the journal items Odoo posted, in the document's currency: each
product line's net (its journal item, after Odoo's global rounding, tax-included prices and
discounts), each tax's amount (its tax journal items), the cash-rounding line.  QuickBooks is
then told the tax rather than left to compute another one:

* US companies: each line is ``TAX`` or ``NON`` (a line whose taxes are all 0 % is ``NON``),
  one ``TxnTaxCodeRef`` for the document and Odoo's tax as ``TxnTaxDetail.TotalTax``.
  QuickBooks applies a single sales tax code per transaction: when the taxed lines of an
  invoice carry different taxes (8 % on one line, 7.6 % on another) no code can say it and
  the invoice is refused with the reason; several taxes on the same lines (state + city)
  are sent as the QuickBooks tax code (group) that holds exactly their rates.
* Elsewhere: each line carries the tax code of its tax (or of the combination of its taxes;
  untaxed lines the code chosen for them), ``GlobalTaxCalculation`` is ``TaxInclusive`` when
  every taxed line has tax-included prices (``TaxExcluded`` otherwise, including mixed
  documents, whose amounts stay exact) and ``TxnTaxDetail.TaxLine`` carries Odoo's amount for
  every rate, which QuickBooks keeps instead of computing its own.

A document QuickBooks cannot hold as it is raises MappingError with the reason and what to
change: it is never sent with a difference.  ``check_total`` compares what QuickBooks stored.
"""

import re
from collections import defaultdict

from odoo.exceptions import ValidationError

from .adapter import Adapter, register
from .common import (
    CUSTOMER_MEMO_MAX,
    DESCRIPTION_MAX,
    DOC_NUMBER_MAX,
    PRIVATE_NOTE_MAX,
    ZERO,
    MappingError,
    amount,
    clip,
    decimal,
    email,
    number,
    odoo_marker,
    plain_text,
    quote,
    round_to,
    unit_price,
    without_empty,
)

ENTITY_BY_MOVE_TYPE = {"out_invoice": "Invoice", "out_refund": "CreditMemo"}
SEPARATORS = r"[/\-. ]"


def entity_for(move):
    return ENTITY_BY_MOVE_TYPE.get(move.move_type)


# -- number and customer ------------------------------------------------------------------------


def doc_number(move):
    """The DocNumber of a document.  QuickBooks' holds 21 characters: a longer Odoo number
    keeps its sequence (what follows the prefix) behind the journal's short code, which is
    unique in the company (``NORTHWEST-X/2026/00001`` in journal NWX is ``NWX/2026/00001``);
    the full number stays in PrivateNote.  Whether the result is free is checked before
    sending (``MappingContext.doc_number_user``)."""
    name = (move.name or "").strip()
    if len(name) <= DOC_NUMBER_MAX:
        return name
    tail = _sequence_part(move, name)
    code = re.sub(SEPARATORS, "", move.journal_id.code or "")
    if tail:
        for candidate in (f"{code}/{tail}" if code else tail, code + re.sub(SEPARATORS, "", tail)):
            if len(candidate) <= DOC_NUMBER_MAX:
                return candidate
    return re.sub(SEPARATORS, "", name)[-DOC_NUMBER_MAX:]


def _sequence_part(move, name):
    """What follows the prefix of an Odoo number ("2026/00001" of "NORTHWEST-X/2026/00001"),
    as Odoo's own sequence formats split it; the trailing numeric segments otherwise."""
    try:
        prefix = move._get_sequence_format_param(name)[1].get("prefix1")
    except (ValidationError, AttributeError, TypeError):
        prefix = None
    if prefix is not None and name.startswith(prefix) and len(prefix) < len(name):
        return name[len(prefix):].strip("/-. ")
    found = re.search(r"(?:^|(?<=[/\-. ]))(?:\d+[/\-. ])*\d+$", name)
    return found.group(0) if found else ""


def connection_of(record):
    return record.company_id.sudo().quickbooks_connection_ids[:1]


def customer_partner(partner, connection):
    """The Odoo partner whose QuickBooks customer a document goes to: the commercial partner
    (an invoice addressed to a contact person is the company's), or the contact person's own
    sub-customer when the connection sends contacts as sub-customers."""
    if connection.use_sub_customers and partner.parent_id and not partner.is_company and partner.type == "contact":
        return partner
    return partner.commercial_partner_id


# -- the books ----------------------------------------------------------------------------------


class Books:
    """What the posted journal items of a document say, in its currency, signed as the
    document reads (an invoice's and a credit note's amounts are positive)."""

    def __init__(self, move):
        currency = move.currency_id
        sign = move.direction_sign
        self.nets = {}  # product journal item id -> net amount
        self.taxes = defaultdict(lambda: ZERO)  # account.tax (a group's child) -> tax amount
        self.rounding = []  # (journal item, amount): cash rounding added as a line
        for line in move.line_ids:
            value = amount(decimal(line.amount_currency) * sign, currency)
            kind = line.display_type
            if kind == "product":
                self.nets[line.id] = value
            elif kind == "tax" or (kind == "rounding" and line.tax_line_id):
                # Cash rounding "modify tax amount" lands on the biggest tax: it is tax.
                self.taxes[line.tax_line_id] += value
            elif kind == "rounding":
                self.rounding.append((line, value))
        self.total = amount(move.amount_total, currency)
        self.tax = sum(self.taxes.values(), ZERO)
        self.untaxed = sum(self.nets.values(), ZERO) + sum((value for _line, value in self.rounding), ZERO)


def _class_ref(ctx, line):
    for analytic_id in (line.analytic_distribution or {}):
        for account_id in str(analytic_id).split(","):
            account = ctx.env["account.analytic.account"].browse(int(account_id))
            reference = ctx.reference_for("Class", account)
            if reference:
                return reference._as_ref()
    if ctx.connection.default_class_ref_id.active:
        return ctx.connection.default_class_ref_id._as_ref()
    return None


def _line_description(line):
    text = line.name or line.product_id.display_name or ""
    if line.discount:
        text = f"{text} (discount {line.discount:g}%)"
    return clip(text, DESCRIPTION_MAX)


def _flat(taxes):
    return taxes.flatten_taxes_hierarchy() if taxes else taxes


def _charged(taxes):
    """The taxes that charge something (a 0 % or exempt tax charges nothing)."""
    return _flat(taxes).filtered(lambda tax: tax.amount)


# -- tax ------------------------------------------------------------------------------------------


class TaxPlan:
    """Which QuickBooks tax code each product line carries, and the tax detail to send."""

    def __init__(self, move, ctx, books, lines, purchase=False):
        self.move = move
        self.ctx = ctx
        self.books = books
        self.lines = lines
        self.purchase = purchase  # a vendor document: the tax codes' purchase rates apply
        self.codes = {}  # line id -> TaxCode reference (non-US) or "TAX"/"NON" (US)
        self.detail = {}
        self.inclusive = False
        if ctx.is_us:
            if not purchase:  # QuickBooks US keeps no tax on purchases (mapping/bill.py)
                self._us()
        else:
            self._global()

    def _code_of_taxes(self, line, taxes):
        """The one QuickBooks code that stands for ``taxes`` on ``line``."""
        ctx = self.ctx
        if len(taxes) == 1:
            return ctx.tax_code(taxes)
        rate_ids = set()
        for tax in _flat(taxes):
            rate_id = ctx.rate_of_tax(tax, self.purchase)
            if rate_id is None:
                raise MappingError(
                    ctx.env._("Line '%(line)s' has several taxes (%(taxes)s) and %(tax)s is not linked to a "
                              "QuickBooks tax rate.", line=line.name, taxes=", ".join(taxes.mapped("name")),
                              tax=tax.display_name),
                    ctx.env._("Link each tax to its QuickBooks tax rate (Reference data, Tax Rates), or use one "
                              "group tax mapped to a QuickBooks tax code."),
                )
            rate_ids.add(rate_id)
        code = ctx.code_for_rates(rate_ids, self.purchase)
        if not code:
            raise MappingError(
                ctx.env._("Line '%(line)s' has several taxes (%(taxes)s); QuickBooks takes one tax code per line "
                          "and none holds exactly their rates.", line=line.name,
                          taxes=", ".join(taxes.mapped("name"))),
                ctx.env._("Create a combined tax code with these rates in QuickBooks and sync the reference data, "
                          "or use a single tax."),
            )
        return code

    def _us(self):
        ctx = self.ctx
        code = None
        first_line = None
        for line in self.lines:
            charged = _charged(line.tax_ids)
            if not charged:
                self.codes[line.id] = "NON"
                continue
            self.codes[line.id] = "TAX"
            taxes = line.tax_ids if len(line.tax_ids) == 1 else charged
            line_code = self._code_of_taxes(line, taxes)
            if all(tax.amount_type == "percent" for tax in charged) and ctx.code_rates(line_code):
                self._same_rate(charged, sum((decimal(tax.amount) for tax in charged), ZERO), line_code.name,
                                ctx.code_percent(line_code))
            if code is None:
                code, first_line = line_code, line
            elif line_code != code:
                raise MappingError(
                    ctx.env._("QuickBooks (US) applies one sales tax per invoice; %(name)s has lines taxed with "
                              "%(first)s ('%(first_line)s') and with %(other)s ('%(line)s').",
                              name=self.move.display_name, first=code.name, first_line=first_line.name,
                              other=line_code.name, line=line.name),
                    ctx.env._("Split the invoice by sales tax, or use one tax (a combined rate mapped to a "
                              "QuickBooks tax group) on every taxed line."),
                )
        if code is None and self.books.tax:
            raise MappingError(
                ctx.env._("%(name)s charges %(tax)s of tax on no taxable line.", name=self.move.display_name,
                          tax=self.books.tax),
                ctx.env._("Check the invoice's taxes."),
            )
        detail = {"TotalTax": number(self.books.tax)}
        if code is not None:
            detail["TxnTaxCodeRef"] = code._as_ref()
        self.detail = detail

    def _global(self):
        ctx = self.ctx
        taxed = [line for line in self.lines if line.tax_ids]
        self.inclusive = bool(taxed) and all(all(_flat(line.tax_ids).mapped("price_include")) for line in taxed)
        rate_of = {}  # account.tax -> QuickBooks rate id
        used_rates = []
        for line in self.lines:
            code = self._code_of_taxes(line, line.tax_ids) if line.tax_ids else ctx.untaxed_code()
            self.codes[line.id] = code
            for rate_id in ctx.code_rates(code, self.purchase):
                if rate_id not in used_rates:
                    used_rates.append(rate_id)
            for tax in _flat(line.tax_ids):
                rate_id = ctx.rate_in_code(tax, code, self.purchase)
                if tax.amount_type == "percent":
                    self._same_rate(tax, decimal(tax.amount), code.name, ctx.rate_percent(rate_id))
                if rate_of.setdefault(tax, rate_id) != rate_id:
                    raise MappingError(
                        ctx.env._("The Odoo tax %s stands for two different QuickBooks tax rates on this invoice.",
                                  tax.display_name),
                        ctx.env._("Link it to its QuickBooks tax rate under Reference data (Tax Rates)."),
                    )
        per_rate = defaultdict(lambda: ZERO)
        for tax, tax_amount in self.books.taxes.items():
            rate_id = rate_of.get(tax)
            if rate_id is None:
                if not tax_amount:
                    continue
                raise MappingError(
                    ctx.env._("%(name)s charges %(amount)s of %(tax)s on no line QuickBooks can tax with it.",
                              name=self.move.display_name, amount=tax_amount, tax=tax.display_name),
                    ctx.env._("Check the invoice's taxes and their QuickBooks tax codes."),
                )
            per_rate[rate_id] += tax_amount
        tax_lines = [
            {"Amount": number(per_rate.get(rate_id, ZERO)), "DetailType": "TaxLineDetail",
             "TaxLineDetail": {"TaxRateRef": {"value": rate_id}}}
            for rate_id in used_rates
        ]
        self.detail = {"TotalTax": number(self.books.tax)}
        if tax_lines:
            self.detail["TaxLine"] = tax_lines

    def _same_rate(self, taxes, odoo_percent, code_name, qbo_percent):
        """A percentage tax must be QuickBooks' rate: one mapped to a code of another rate is a
        mapping mistake QuickBooks' tax reports would carry (the amounts sent would not match
        the rate)."""
        if qbo_percent is not None and odoo_percent != qbo_percent:
            raise MappingError(
                self.ctx.env._("%(taxes)s is %(odoo)s %% in Odoo, but mapped to the QuickBooks tax code %(code)s "
                               "of %(qbo)s %%.", taxes=", ".join(taxes.mapped("name")),
                               odoo=format(odoo_percent.normalize(), "f"), code=code_name,
                               qbo=format(qbo_percent.normalize(), "f")),
                self.ctx.env._("Map the tax to the QuickBooks tax code of the same rate (Reference data, Tax "
                               "Codes)."),
            )

    def line_code(self, line):
        code = self.codes[line.id]
        return {"value": code} if isinstance(code, str) else code._as_ref()

    def untaxed_ref(self):
        """The code of a line QuickBooks must not tax (cash rounding, a rounding difference)."""
        return self.ctx.untaxed_ref()

    def gross(self, line, net, odoo_gross=None):
        """TaxInclusive: the line's amount including tax, such that QuickBooks finds the same
        net again (gross x 100 / (100 + the code's rates), to the cent).  Odoo's own line total
        when it does; otherwise the nearest amount that does."""
        code = self.codes[line.id]
        percent = self.ctx.code_percent(code, self.purchase)
        if percent is None:
            raise MappingError(
                self.ctx.env._("The rates of the QuickBooks tax code %s are not known.", code.name),
                self.ctx.env._("Sync the reference data (tax rates) again."),
            )
        hundred = decimal(100)

        def net_of(gross):
            return round_to(gross * hundred / (hundred + percent), "0.01")

        if odoo_gross is not None and net_of(amount(odoo_gross, self.move.currency_id)) == net:
            return amount(odoo_gross, self.move.currency_id)
        start = round_to(net * (hundred + percent) / hundred, "0.01")
        for step in (0, 1, -1, 2, -2, 3, -3):
            gross = start + decimal(step) / 100
            if net_of(gross) == net:
                return gross
        raise MappingError(
            self.ctx.env._("No tax-inclusive amount gives QuickBooks the net %(net)s of line '%(line)s'.",
                           net=net, line=line.name),
            self.ctx.env._("Check the rates of the line's QuickBooks tax code."),
        )


# -- the document ---------------------------------------------------------------------------------


def _sales_line(description, item_ref, line_amount, tax_ref, qty=None, price=None, extra=None):
    detail = {"ItemRef": item_ref, "TaxCodeRef": tax_ref}
    if qty is not None:
        detail["Qty"] = number(qty)
    if price is not None:
        detail["UnitPrice"] = number(price)
    detail.update(extra or {})
    return {
        "DetailType": "SalesItemLineDetail",
        "Amount": number(line_amount),
        "Description": clip(description, DESCRIPTION_MAX),
        "SalesItemLineDetail": detail,
    }


def _preferred_price(line, currency):
    """Odoo's unit price after discount, when it excludes tax (its decimals kept)."""
    if any(_flat(line.tax_ids).mapped("price_include")):
        return None
    price = decimal(line.price_unit)
    if line.discount:
        price = price * (100 - decimal(line.discount)) / 100
    return price


def move_to_invoice(move, ctx):
    entity = entity_for(move)
    if not entity:
        raise MappingError(ctx.env._("Only customer invoices and credit notes are sent to QuickBooks."))
    if move.state != "posted":
        raise MappingError(
            ctx.env._("%s is not posted.", move.display_name),
            ctx.env._("QuickBooks has no drafts: confirm the invoice, then sync it."),
        )
    currency = move.currency_id
    ctx.check_currency(currency)
    books = Books(move)
    if books.untaxed + books.tax != books.total:
        raise MappingError(
            ctx.env._("The journal items of %(name)s add up to %(sum)s, not its total %(total)s.",
                      name=move.display_name, sum=books.untaxed + books.tax, total=books.total),
            ctx.env._("Reset the invoice to draft and post it again so that Odoo recomputes its lines."),
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

    invoice_lines = move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
    product_lines = invoice_lines.filtered(lambda line: line.display_type == "product")
    if not product_lines:
        raise MappingError(ctx.env._("%s has no product line to send.", move.display_name))
    plan = TaxPlan(move, ctx, books, product_lines)
    default_item = None
    lines = []
    sent_untaxed = ZERO
    for line in invoice_lines:
        if line.display_type in ("line_section", "line_subsection", "line_note"):
            if line.name:
                lines.append({
                    "DetailType": "DescriptionOnly",
                    "Description": clip(line.name, DESCRIPTION_MAX),
                    "DescriptionLineDetail": {},
                })
            continue
        if line.display_type != "product":
            continue
        net = books.nets[line.id]
        if line.product_id:
            item_ref = ctx.ref(line.product_id, "Item")
        else:
            default_item = default_item or ctx.default("default_item_ref_id", ctx.env._("default service item"))
            item_ref = default_item._as_ref()
        qty = decimal(line.quantity)
        price = unit_price(net, qty, _preferred_price(line, currency))
        line_amount, difference = net, ZERO
        if qty and price is None:
            # No unit price of 7 decimals gives the net: QuickBooks' rule decides the line's
            # amount, the cents left go on a line of their own.
            price = (net / qty).quantize(decimal("0.0000001"))
            line_amount = round_to(qty * price, "0.01")
            difference = net - line_amount
        extra = {}
        class_ref = _class_ref(ctx, line)
        if class_ref:
            extra["ClassRef"] = class_ref
        if plan.inclusive:
            odoo_gross = line.price_total if not difference else None
            extra["TaxInclusiveAmt"] = number(plan.gross(line, line_amount, odoo_gross))
        lines.append(_sales_line(_line_description(line), item_ref, line_amount, plan.line_code(line),
                                 qty=qty if qty else None, price=price, extra=extra))
        sent_untaxed += line_amount
        if difference:
            extra = {"TaxInclusiveAmt": number(plan.gross(line, difference))} if plan.inclusive else {}
            lines.append(_sales_line(ctx.env._("Rounding difference on '%s'", line.name or ""), item_ref,
                                     difference, plan.line_code(line), qty=1, price=difference, extra=extra))
            sent_untaxed += difference
    for line, value in books.rounding:
        default_item = default_item or ctx.default("default_item_ref_id", ctx.env._("default service item"))
        lines.append(_sales_line(line.name or ctx.env._("Cash rounding"), default_item._as_ref(), value,
                                 plan.untaxed_ref(), qty=1, price=value))
        sent_untaxed += value
    if sent_untaxed != books.untaxed:
        raise MappingError(
            ctx.env._("The lines of %(name)s come to %(sent)s, Odoo's untaxed amount is %(odoo)s.",
                      name=move.display_name, sent=sent_untaxed, odoo=books.untaxed),
            ctx.env._("Reset the invoice to draft and post it again so that Odoo recomputes its lines."),
        )

    partner = move.partner_id
    payload = {
        "CustomerRef": ctx.ref(customer_partner(partner, ctx.connection), "Customer"),
        "DocNumber": number_,
        "TxnDate": move.invoice_date and move.invoice_date.isoformat(),
        "Line": lines,
        "TxnTaxDetail": plan.detail,
        "PrivateNote": clip(f"{move.name} {odoo_marker(move)}", PRIVATE_NOTE_MAX),
        "CustomerMemo": {"value": plain_text(move.narration, CUSTOMER_MEMO_MAX)} if move.narration else None,
        "BillEmail": email(partner.email or partner.commercial_partner_id.email),
    }
    if not ctx.is_us:
        payload["GlobalTaxCalculation"] = "TaxInclusive" if plan.inclusive else "TaxExcluded"
    if entity == "Invoice" and move.invoice_date_due:
        payload["DueDate"] = move.invoice_date_due.isoformat()
    term = ctx.reference_for("Term", move.invoice_payment_term_id)
    if term:
        payload["SalesTermRef"] = term._as_ref()
    department = ctx.connection.default_department_ref_id
    if department and department.active:
        payload["DepartmentRef"] = department._as_ref()
    if currency.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": currency.name}
        # Home currency units per foreign unit; Odoo keeps foreign units per company unit.
        if move.invoice_currency_rate:
            payload["ExchangeRate"] = exchange_rate(move.invoice_currency_rate)
    return without_empty(payload)


def home_rate(rate):
    """QuickBooks' ExchangeRate: home currency units per foreign unit, to 8 decimals."""
    return number(decimal(rate).quantize(decimal("0.00000001")))


def exchange_rate(odoo_rate):
    """QuickBooks' ExchangeRate from Odoo's rate (foreign units per company unit)."""
    return home_rate(1 / decimal(odoo_rate))


def prepare(move, ctx):
    """Before the batch is mapped: the customer's currency, and the number it will take."""
    ctx.hint_currency(customer_partner(move.partner_id, ctx.connection), move.currency_id)
    if entity_for(move) and move.name and move.name != "/":
        ctx.claim_doc_number(move, doc_number(move))


def dependencies(move):
    deps = [(customer_partner(move.partner_id, connection_of(move)), "Customer")]
    deps += [(product, "Item") for product in move.invoice_line_ids.product_id]
    return deps


def lookup_query(move, payload):
    return f"select * from {entity_for(move)} where DocNumber = {quote(payload['DocNumber'])}"


def matches_lookup(move, found):
    """Is an object found by DocNumber the one Odoo sent (its PrivateNote carries our marker)?"""
    return odoo_marker(move) in (found.get("PrivateNote") or "")


# -- what QuickBooks stored -----------------------------------------------------------------------


def _stored_amount(stored, *path):
    node = stored
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return decimal(node) if node not in (None, "") else ZERO


def check_total(move, stored):
    """Compare what QuickBooks stored for ``move`` (its Invoice or CreditMemo, as answered to
    the write) with Odoo's books, to the cent, as an accountant would: the total, the tax, the
    lines (untaxed amount) and the currency.  Returns a message naming each difference with
    both figures, or None when QuickBooks holds exactly Odoo's figures.

    Signature kept for the engine: ``check_total(move, stored) -> str | None``."""
    currency = move.currency_id
    books = Books(move)
    voided = move.state == "cancel"
    expected = {
        "total": ZERO if voided else books.total,
        "tax": ZERO if voided else books.tax,
        "untaxed": ZERO if voided else books.untaxed,
    }
    lines = [line for line in stored.get("Line") or []
             if line.get("DetailType") in ("SalesItemLineDetail", "GroupLineDetail")]
    found = {
        "total": _stored_amount(stored, "TotalAmt"),
        "tax": _stored_amount(stored, "TxnTaxDetail", "TotalTax"),
        "untaxed": sum((decimal(line.get("Amount")) for line in lines), ZERO)
        - sum((decimal(line.get("Amount")) for line in stored.get("Line") or []
               if line.get("DetailType") == "DiscountLineDetail"), ZERO),
    }
    labels = {"total": "total", "tax": "tax", "untaxed": "amount before tax"}
    code = currency.name
    problems = [
        f"{labels[key]}: QuickBooks {found[key]:.2f} {code}, Odoo {expected[key]:.2f}"
        for key in ("total", "tax", "untaxed") if found[key] != expected[key]
    ]
    stored_currency = (stored.get("CurrencyRef") or {}).get("value")
    if stored_currency and stored_currency != code:
        problems.append(f"currency: QuickBooks {stored_currency}, Odoo {code}")
    if not problems:
        return None
    if found["total"] != expected["total"]:
        head = (f"QuickBooks computed a total of {found['total']:.2f} {code} for {move.name}, "
                f"Odoo has {expected['total']:.2f}")
    else:
        head = f"QuickBooks does not hold {move.name} as Odoo does"
    return f"{head} ({'; '.join(problems)}). Check the tax mapping (rates must match) and rounding."


@register
class InvoiceAdapter(Adapter):
    model = "account.move"
    entities = ("Invoice", "CreditMemo")

    def entity(self, record):
        return entity_for(record)

    def payload(self, record, ctx, suffix=""):
        return move_to_invoice(record, ctx)

    def prepare(self, record, ctx):
        prepare(record, ctx)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return matches_lookup(record, found)

    def check(self, record, stored):
        return check_total(record, stored)
