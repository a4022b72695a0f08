"""Odoo customer invoice -> QuickBooks Desktop invoice (InvoiceAdd).

QuickBooks Desktop has no idempotency key: the memo carries Odoo's full number and marker,
and an invoice Odoo may have added already (a lost answer) is found by its RefNumber and that
marker before it is added again."""

from decimal import Decimal

from ..invoice import customer_partner
from .common import (
    INVOICE_REF_MAX,
    DesktopAdapter,
    DesktopError,
    latin1,
    marker,
    money,
    quantity,
    ref,
    ref_number,
    register,
    request,
    sub,
)

ENTITY = "Invoice"


def _lines(move):
    return move.invoice_line_ids.filtered(lambda line: line.display_type == "product")


@register
class InvoiceAdapter(DesktopAdapter):
    entity = ENTITY
    kind = "Invoice"
    is_list = False
    order = 20
    marker_field = "Memo"

    def dependencies(self, record, ctx):
        deps = [(customer_partner(record.partner_id, ctx.connection), "Customer")]
        deps += [(product, "Item") for product in _lines(record).product_id]
        return deps

    def name_of(self, record, ctx):
        return ref_number(record.name, INVOICE_REF_MAX)

    def add(self, record, ctx, request_id):
        if record.move_type != "out_invoice":
            raise DesktopError(record.env._("Only customer invoices are sent to QuickBooks Desktop for now."),
                               record.env._("Enter the credit note in QuickBooks Desktop."))
        lines = _lines(record)
        if not lines or any(not line.product_id for line in lines):
            raise DesktopError(record.env._("Every line of %s needs a product to be sent to QuickBooks Desktop.",
                                            record.name),
                               record.env._("Set a product on each line, then Sync to QuickBooks again."))
        element = request("InvoiceAdd", request_id)
        body = sub(element, "InvoiceAdd")
        ctx.ref(body, "CustomerRef", customer_partner(record.partner_id, ctx.connection), "Customer")
        sub(body, "TxnDate", record.invoice_date.isoformat())
        sub(body, "RefNumber", self.name_of(record, ctx))
        if record.invoice_date_due:
            sub(body, "DueDate", record.invoice_date_due.isoformat())
        sub(body, "Memo", f"{latin1(record.name)} {marker(record)}")
        for line in lines:
            row = sub(body, "InvoiceLineAdd")
            ctx.ref(row, "ItemRef", line.product_id, "Item")
            sub(row, "Desc", (line.name or "")[:4095])
            sub(row, "Quantity", quantity(line.quantity))
            rate = Decimal(money(line.price_unit))
            if rate * Decimal(str(line.quantity)) == Decimal(money(line.price_subtotal)):
                sub(row, "Rate", money(rate))
            sub(row, "Amount", money(line.price_subtotal))
            ref(row, "SalesTaxCodeRef", full_name="Tax" if line.tax_ids else "Non")
        return element

    def mod(self, record, ctx, binding, request_id):
        raise DesktopError(
            record.env._("%s is already in QuickBooks Desktop; changes to a sent invoice are not sent.", record.name),
            record.env._("Change it in QuickBooks Desktop as well."))

    def lookup(self, record, ctx, request_id):
        element = request("InvoiceQuery", request_id)
        sub(element, "RefNumber", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        total = Decimal(ret.findtext("Subtotal") or "0") + Decimal(ret.findtext("SalesTaxTotal") or "0")
        if total != Decimal(money(record.amount_total)):
            return record.env._("QuickBooks' total is %(qb)s, Odoo's %(odoo)s.", qb=total,
                                odoo=money(record.amount_total))
        return None
