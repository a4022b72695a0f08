"""A credit note applied to invoices in Odoo -> QuickBooks Desktop: a ReceivePaymentAdd of 0.00
whose ``AppliedToTxnAdd`` per invoice carries a ``SetCredit`` (the credit memo's TxnID and the
amount used), which is how QuickBooks Desktop applies a credit memo.  It is an object of its own
(the credit note's own is its CreditMemo): its link is kept apart, and the credit note's badge is
not its.  Unapplied in Odoo, it is deleted (TxnDel), which gives the credit back; a changed
application is not sent (QuickBooks Desktop cannot modify a payment that applies credits through
the SDK the way Odoo would need: the job says what to do)."""

from decimal import Decimal

from ..credit_application import applied_to
from ..invoice import customer_partner
from .common import (
    PAYMENT_REF_MAX,
    DesktopAdapter,
    DesktopError,
    latin1,
    marker,
    money,
    ref_number,
    register,
    request,
    sub,
)


@register
class CreditApplicationAdapter(DesktopAdapter):
    entity = "Payment"          # the job Odoo queues for a credit note's application (models/account_move.py)
    model = "account.move"
    kind = "ReceivePayment"
    is_list = False
    order = 31
    marker_field = "Memo"
    needs_ids_of = ("Invoice", "CreditMemo")
    owns_record = False

    def refused(self, record):
        if record.move_type != "out_refund":
            return DesktopError(record.env._("%s is not a credit note.", record.display_name))
        other = [app.invoice for app in applied_to(record) if app.invoice.currency_id != record.currency_id
                 or record.currency_id != record.company_id.currency_id]
        if other:
            return DesktopError(
                record.env._("%s is applied to invoices in another currency: not sent to QuickBooks Desktop.",
                             record.display_name),
                record.env._("Apply the credit memo in QuickBooks Desktop."))
        return None

    def dependencies(self, record, ctx):
        deps = [(customer_partner(record.partner_id, ctx.connection), "Customer"), (record, "CreditMemo")]
        deps += [(app.invoice, "Invoice") for app in applied_to(record)]
        return deps

    def name_of(self, record, ctx):
        return ref_number(record.name, PAYMENT_REF_MAX)

    def add(self, record, ctx, request_id):
        applied = applied_to(record)
        if not applied:
            raise DesktopError(record.env._("%s is not applied to any invoice.", record.display_name),
                               record.env._("Reconcile the credit note with the invoice it settles, then sync it."))
        customers = {customer_partner(app.invoice.partner_id, ctx.connection) for app in applied}
        if customers != {customer_partner(record.partner_id, ctx.connection)}:
            raise DesktopError(
                record.env._("%s is applied to another customer's invoices; QuickBooks applies a credit to its own "
                             "customer's invoices only.", record.display_name),
                record.env._("Apply the credit note to its customer's invoices."))
        element = request("ReceivePaymentAdd", request_id)
        body = sub(element, "ReceivePaymentAdd")
        ctx.ref(body, "CustomerRef", customer_partner(record.partner_id, ctx.connection), "Customer")
        sub(body, "TxnDate", (record.invoice_date or record.date).isoformat())
        sub(body, "RefNumber", self.name_of(record, ctx))
        sub(body, "TotalAmount", "0.00")
        sub(body, "Memo", f"{latin1(record.name)} applied {marker(record)}")
        memo_id = ctx.binding(record, "CreditMemo").qbo_id
        for app in applied:
            row = sub(body, "AppliedToTxnAdd")
            sub(row, "TxnID", ctx.binding(app.invoice, "Invoice").qbo_id)
            sub(row, "PaymentAmount", "0.00")
            credit = sub(row, "SetCredit")
            sub(credit, "CreditTxnID", memo_id)
            sub(credit, "AppliedAmount", money(app.credit_amount))
        return element

    def mod(self, record, ctx, binding, request_id):
        raise DesktopError(
            record.env._("How %s is applied to invoices changed; QuickBooks Desktop's application is not changed "
                         "from Odoo.", record.display_name),
            record.env._("Change it in QuickBooks Desktop too (Receive Payments), or unreconcile it in Odoo (its "
                         "application is deleted there) and apply it again."))

    def lookup(self, record, ctx, request_id):
        element = request("ReceivePaymentQuery", request_id)
        sub(element, "RefNumber", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        used = -sum((Decimal(link.findtext("Amount") or "0") for link in ret.iterfind("AppliedToTxnRet/LinkedTxn")
                     if link.findtext("TxnType") == "CreditMemo"), Decimal(0))
        expected = sum((Decimal(money(app.credit_amount)) for app in applied_to(record)), Decimal(0))
        if used != expected or Decimal(ret.findtext("TotalAmount") or "0"):
            return record.env._("QuickBooks applies %(qb)s of the credit, Odoo %(odoo)s.", qb=used, odoo=expected)
        return None
