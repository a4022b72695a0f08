"""Odoo customer invoice -> QuickBooks Desktop invoice (InvoiceAdd, InvoiceMod); credit note ->
credit memo (CreditMemoAdd).

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


def _lines_of(record, ctx, body, tag, mod=False):
    """One ``{tag}`` per product line (a Mod replaces them all: ``TxnLineID`` -1 adds a line,
    and QuickBooks deletes the lines a Mod does not name)."""
    for line in _lines(record):
        row = sub(body, tag)
        if mod:
            sub(row, "TxnLineID", "-1")
        ctx.ref(row, "ItemRef", line.product_id, "Item")
        sub(row, "Desc", (line.name or "")[:4095])
        sub(row, "Quantity", quantity(line.quantity))
        rate = Decimal(money(line.price_unit))
        if rate * Decimal(str(line.quantity)) == Decimal(money(line.price_subtotal)):
            sub(row, "Rate", money(rate))
        sub(row, "Amount", money(line.price_subtotal))
        ref(row, "SalesTaxCodeRef", full_name="Tax" if line.tax_ids else "Non")


def _header(record, ctx, body, adapter):
    ctx.ref(body, "CustomerRef", customer_partner(record.partner_id, ctx.connection), "Customer")
    sub(body, "TxnDate", record.invoice_date.isoformat())
    sub(body, "RefNumber", adapter.name_of(record, ctx))
    if record.invoice_date_due:
        sub(body, "DueDate", record.invoice_date_due.isoformat())
    sub(body, "Memo", f"{latin1(record.name)} {marker(record)}")


def _check_lines(record):
    lines = _lines(record)
    if not lines or any(not line.product_id for line in lines):
        raise DesktopError(record.env._("Every line of %s needs a product to be sent to QuickBooks Desktop.",
                                        record.name),
                           record.env._("Set a product on each line, then Sync to QuickBooks again."))


@register
class InvoiceAdapter(DesktopAdapter):
    entity = ENTITY
    kind = "Invoice"
    is_list = False
    order = 20
    marker_field = "Memo"
    move_type = "out_invoice"

    def dependencies(self, record, ctx):
        deps = [(customer_partner(record.partner_id, ctx.connection), "Customer")]
        deps += [(product, "Item") for product in _lines(record).product_id]
        return deps

    def name_of(self, record, ctx):
        return ref_number(record.name, INVOICE_REF_MAX)

    def _check_type(self, record):
        if record.move_type != self.move_type:
            raise DesktopError(record.env._("%(name)s is not a %(kind)s.", name=record.name, kind=self.kind),
                               record.env._("Sync it again from its own form."))
        _check_lines(record)

    def add(self, record, ctx, request_id):
        self._check_type(record)
        element = request(f"{self.kind}Add", request_id)
        body = sub(element, f"{self.kind}Add")
        _header(record, ctx, body, self)
        _lines_of(record, ctx, body, f"{self.kind}LineAdd")
        return element

    def mod(self, record, ctx, binding, request_id):
        """InvoiceMod with the EditSequence Odoo last saw: the header, and every line replaced
        (QuickBooks deletes the lines a Mod does not name).  A 3200 (changed in QuickBooks
        meanwhile) re-reads the EditSequence and sends it once more (sync/desktop.py)."""
        self._check_type(record)
        element = request(f"{self.kind}Mod", request_id)
        body = sub(element, f"{self.kind}Mod")
        sub(body, "TxnID", binding.qbo_id)
        sub(body, "EditSequence", binding.qbo_sync_token)
        _header(record, ctx, body, self)
        _lines_of(record, ctx, body, f"{self.kind}LineMod", mod=True)
        return element

    def lookup(self, record, ctx, request_id):
        element = request(f"{self.kind}Query", request_id)
        sub(element, "RefNumber", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        total = Decimal(ret.findtext("Subtotal") or "0") + Decimal(ret.findtext("SalesTaxTotal") or "0")
        if total != Decimal(money(record.amount_total)):
            return record.env._("QuickBooks' total is %(qb)s, Odoo's %(odoo)s.", qb=total,
                                odoo=money(record.amount_total))
        return None


@register
class CreditMemoAdapter(InvoiceAdapter):
    """Odoo credit note (out_refund) -> QuickBooks Desktop CreditMemoAdd: a credit on the
    customer's account (CreditRemaining), which QuickBooks applies to invoices itself."""

    entity = "CreditMemo"
    kind = "CreditMemo"
    move_type = "out_refund"
    order = 21

    def mod(self, record, ctx, binding, request_id):
        raise DesktopError(
            record.env._("%s is already in QuickBooks Desktop; a credit memo sent is not changed from Odoo.",
                         record.name),
            record.env._("Change it in QuickBooks Desktop too, or cancel it in Odoo (QuickBooks voids it) and "
                         "send a new credit note."))
