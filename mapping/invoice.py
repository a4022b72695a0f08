"""account.move (customer invoice / credit note) -> Invoice / CreditMemo.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies
"""

import re

from .adapter import Adapter, register
from .common import (
    CUSTOMER_MEMO_MAX,
    DESCRIPTION_MAX,
    DOC_NUMBER_MAX,
    PRIVATE_NOTE_MAX,
    MappingError,
    clip,
    email,
    money,
    odoo_marker,
    plain_text,
    quote,
    unit_price,
    without_empty,
)

ENTITY_BY_MOVE_TYPE = {"out_invoice": "Invoice", "out_refund": "CreditMemo"}


def entity_for(move):
    return ENTITY_BY_MOVE_TYPE.get(move.move_type)


def doc_number(name):
    """QuickBooks' DocNumber holds 21 characters.  Longer Odoo numbers lose their leading
    segments (the journal prefix) first, so that the distinguishing sequence is kept; the
    full number is also kept in PrivateNote."""
    name = (name or "").strip()
    if len(name) <= DOC_NUMBER_MAX:
        return name
    parts = re.split(r"([/\-. ])", name)
    while len("".join(parts)) > DOC_NUMBER_MAX and len(parts) > 2:
        parts = parts[2:]
    return "".join(parts)[-DOC_NUMBER_MAX:]


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


def move_to_invoice(move, ctx):
    entity = entity_for(move)
    if not entity:
        raise MappingError(ctx.env._("Only customer invoices and credit notes are sent to QuickBooks."))
    if move.state != "posted":
        raise MappingError(
            ctx.env._("%s is not posted.", move.display_name),
            ctx.env._("QuickBooks has no drafts: confirm the invoice, then sync it."),
        )
    lines = []
    us_tax_codes = {}
    for line in move.invoice_line_ids.sorted("sequence"):
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
        if line.product_id:
            item_ref = ctx.ref(line.product_id, "Item")
        else:
            item_ref = ctx.default("default_item_ref_id", ctx.env._("default service item"))._as_ref()
        quantity = line.quantity
        detail = {"ItemRef": item_ref, "Qty": quantity, "UnitPrice": unit_price(line.price_subtotal, quantity)}
        taxes = line.tax_ids
        if ctx.is_us:
            # US companies: TAX or NON per line, one sales tax code per transaction.
            detail["TaxCodeRef"] = {"value": "TAX" if taxes else "NON"}
            for tax in taxes:
                reference = ctx.tax_code(tax)
                us_tax_codes[reference.qbo_id] = reference
        else:
            if len(taxes) > 1:
                raise MappingError(
                    ctx.env._("Line '%s' has several taxes; QuickBooks takes one tax code per line.", line.name),
                    ctx.env._("Use a single (possibly group) tax mapped to a QuickBooks tax code."),
                )
            if not taxes:
                raise MappingError(
                    ctx.env._("Line '%s' has no tax; QuickBooks needs a tax code on every line here.", line.name),
                    ctx.env._("Put the exempt or zero-rated tax on the line (mapped to QuickBooks' code)."),
                )
            detail["TaxCodeRef"] = ctx.tax_code(taxes)._as_ref()
        class_ref = _class_ref(ctx, line)
        if class_ref:
            detail["ClassRef"] = class_ref
        lines.append({
            "DetailType": "SalesItemLineDetail",
            "Amount": money(line.price_subtotal),
            "Description": _line_description(line),
            "SalesItemLineDetail": detail,
        })
    if not any(line["DetailType"] == "SalesItemLineDetail" for line in lines):
        raise MappingError(ctx.env._("%s has no product line to send.", move.display_name))

    partner = move.partner_id
    ctx.check_currency(move.currency_id)
    payload = {
        "CustomerRef": ctx.ref(partner, "Customer"),
        "DocNumber": doc_number(move.name),
        "TxnDate": move.invoice_date and move.invoice_date.isoformat(),
        "Line": lines,
        "PrivateNote": clip(f"{move.name} {odoo_marker(move)}", PRIVATE_NOTE_MAX),
        "CustomerMemo": {"value": plain_text(move.narration, CUSTOMER_MEMO_MAX)} if move.narration else None,
        "BillEmail": email(partner.email),
    }
    if entity == "Invoice" and move.invoice_date_due:
        payload["DueDate"] = move.invoice_date_due.isoformat()
    term = ctx.reference_for("Term", move.invoice_payment_term_id)
    if term:
        payload["SalesTermRef"] = term._as_ref()
    department = ctx.connection.default_department_ref_id
    if department and department.active:
        payload["DepartmentRef"] = department._as_ref()
    if move.currency_id.name != ctx.home_currency:
        payload["CurrencyRef"] = {"value": move.currency_id.name}
        # Home currency units per foreign unit; Odoo keeps foreign units per company unit.
        if move.invoice_currency_rate:
            payload["ExchangeRate"] = round(1.0 / move.invoice_currency_rate, 8)
    if ctx.is_us:
        if len(us_tax_codes) > 1:
            names = ", ".join(reference.name for reference in us_tax_codes.values())
            raise MappingError(
                ctx.env._("QuickBooks (US) applies one sales tax per invoice; this one has several: %s.", names),
                ctx.env._("Use one sales tax (a combined rate if needed) on all taxed lines."),
            )
        if us_tax_codes:
            # Sending Odoo's tax amount keeps QuickBooks from computing another one.
            payload["TxnTaxDetail"] = {
                "TxnTaxCodeRef": next(iter(us_tax_codes.values()))._as_ref(),
                "TotalTax": money(move.amount_tax),
            }
    else:
        payload["GlobalTaxCalculation"] = "TaxExcluded"
    return without_empty(payload)


def prepare(move, ctx):
    """Before its customer is created on its behalf: in which currency."""
    ctx.hint_currency(move.partner_id, move.currency_id)


def dependencies(move):
    deps = [(move.partner_id, "Customer")]
    deps += [(product, "Item") for product in move.invoice_line_ids.product_id]
    return deps


def lookup_query(move, payload):
    return f"select * from {entity_for(move)} where DocNumber = {quote(payload['DocNumber'])}"


def matches_lookup(move, found):
    """Is an object found by DocNumber the one Odoo sent (its PrivateNote carries our marker)?"""
    return odoo_marker(move) in (found.get("PrivateNote") or "")


def check_total(move, stored):
    """QuickBooks' total must equal Odoo's to the cent; returns a message when it does not."""
    odoo_total = money(move.amount_total)
    qbo_total = money(stored.get("TotalAmt"))
    if abs(odoo_total - qbo_total) >= 0.005:
        return (
            f"QuickBooks computed a total of {qbo_total:.2f} {move.currency_id.name} for {move.name}, "
            f"Odoo has {odoo_total:.2f}. Check the tax mapping (rates must match) and rounding."
        )
    return None


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
