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
    text_of,
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

    reads_before_mod = True

    def mod(self, record, ctx, binding, request_id):
        """ReceivePaymentMod with the EditSequence just read: the header, what Odoo applies to each
        invoice, and 0.00 on the invoices QuickBooks has it applied to and Odoo no longer does
        (``ctx.current_ret``, the payment as QuickBooks held it a message ago)."""
        if record.currency_id != record.company_id.currency_id:
            raise DesktopError(record.env._("Payments in another currency are not sent to QuickBooks Desktop."),
                               record.env._("Enter it in QuickBooks Desktop."))
        element = request("ReceivePaymentMod", request_id)
        body = sub(element, "ReceivePaymentMod")
        sub(body, "TxnID", binding.qbo_id)
        sub(body, "EditSequence", binding.qbo_sync_token)
        ctx.ref(body, "CustomerRef", customer_of(record, ctx.connection), "Customer")
        sub(body, "TxnDate", record.date.isoformat())
        sub(body, "RefNumber", self.name_of(record, ctx))
        sub(body, "TotalAmount", money(record.amount))
        sub(body, "Memo", f"{latin1(record.name)} {marker(record)}")
        applied = {}
        for app in applications(record):
            txn_id = ctx.binding(app.invoice, "Invoice").qbo_id
            applied[txn_id] = applied.get(txn_id, Decimal(0)) + Decimal(money(app.payment_amount))
        current = ctx.current_ret
        before = [text_of(row, "TxnID") for row in current.findall("AppliedToTxnRet")] if current is not None else []
        # Taken off first: the money it frees may pay another invoice in the same request.
        for txn_id in before:
            if txn_id not in applied:
                row = sub(body, "AppliedToTxnMod")
                sub(row, "TxnID", txn_id)
                sub(row, "PaymentAmount", "0.00")
        for txn_id, amount in applied.items():
            row = sub(body, "AppliedToTxnMod")
            sub(row, "TxnID", txn_id)
            sub(row, "PaymentAmount", money(amount))
        return element

    def lookup(self, record, ctx, request_id):
        element = request("ReceivePaymentQuery", request_id)
        sub(element, "RefNumber", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        total = Decimal(ret.findtext("TotalAmount") or "0")
        if total != Decimal(money(record.amount)):
            return record.env._("QuickBooks' amount is %(qb)s, Odoo's %(odoo)s.", qb=total, odoo=money(record.amount))
        apps = applications(record)
        if apps:
            applied = sum((Decimal(row.findtext("Amount") or "0") for row in ret.findall("AppliedToTxnRet")),
                          Decimal(0))
            expected = sum((Decimal(money(app.payment_amount)) for app in apps), Decimal(0))
            if applied != expected:
                return record.env._("QuickBooks applies %(qb)s of it to invoices, Odoo %(odoo)s.", qb=applied,
                                    odoo=expected)
        return None
