"""Odoo customer payment -> QuickBooks Desktop ReceivePaymentAdd, applied to its invoices
(their TxnIDs: a payment follows its invoices, in a later message than theirs)."""

from decimal import Decimal

from ..payment import applications, customer_of
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

ENTITY = "Payment"


@register
class PaymentAdapter(DesktopAdapter):
    entity = ENTITY
    kind = "ReceivePayment"
    is_list = False
    order = 30
    marker_field = "Memo"
    needs_ids_of = ("Invoice",)

    def dependencies(self, record, ctx):
        deps = [(customer_of(record, ctx.connection), "Customer")]
        deps += [(app.invoice, "Invoice") for app in applications(record)]
        return deps

    def name_of(self, record, ctx):
        return ref_number(record.name, PAYMENT_REF_MAX)

    def add(self, record, ctx, request_id):
        if record.currency_id != record.company_id.currency_id:
            raise DesktopError(record.env._("Payments in another currency are not sent to QuickBooks Desktop."),
                               record.env._("Enter it in QuickBooks Desktop."))
        element = request("ReceivePaymentAdd", request_id)
        body = sub(element, "ReceivePaymentAdd")
        ctx.ref(body, "CustomerRef", customer_of(record, ctx.connection), "Customer")
        sub(body, "TxnDate", record.date.isoformat())
        sub(body, "RefNumber", self.name_of(record, ctx))
        sub(body, "TotalAmount", money(record.amount))
        sub(body, "Memo", f"{latin1(record.name)} {marker(record)}")
        apps = applications(record)
        if not apps:
            sub(body, "IsAutoApply", "true")
        for app in apps:
            applied = sub(body, "AppliedToTxnAdd")
            sub(applied, "TxnID", ctx.binding(app.invoice, "Invoice").qbo_id)
            sub(applied, "PaymentAmount", money(app.payment_amount))
        return element

    def mod(self, record, ctx, binding, request_id):
        raise DesktopError(
            record.env._("%s is already in QuickBooks Desktop; changes to a sent payment are not sent.", record.name),
            record.env._("Change it in QuickBooks Desktop as well."))

    def lookup(self, record, ctx, request_id):
        element = request("ReceivePaymentQuery", request_id)
        sub(element, "RefNumber", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        total = Decimal(ret.findtext("TotalAmount") or "0")
        if total != Decimal(money(record.amount)):
            return record.env._("QuickBooks' amount is %(qb)s, Odoo's %(odoo)s.", qb=total, odoo=money(record.amount))
        return None
