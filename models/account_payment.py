from odoo import models
from odoo.exceptions import UserError

# Money received from a customer; money paid back to one (a credit note's refund); a vendor paid.
ENTITIES = ("Payment", "RefundReceipt", "BillPayment")
# Whether the company sends them as soon as they are confirmed.
AUTO_PUSH = {"Payment": "auto_push_invoices", "RefundReceipt": "auto_push_invoices", "BillPayment": "auto_push_bills"}


def _entity(payment):
    """What QuickBooks receives of ``payment``: Payment (mapping/payment.py), RefundReceipt
    (mapping/refund.py), BillPayment (mapping/bill_payment.py), or None (not sent)."""
    if payment.partner_type == "customer":
        return "Payment" if payment.payment_type == "inbound" else "RefundReceipt"
    if payment.partner_type == "supplier" and payment.payment_type == "outbound":
        bills = payment.reconciled_bill_ids
        if bills and all(bill.move_type == "in_receipt" for bill in bills):
            return None  # a purchase receipt is sent as a Purchase paid at once, its payment with it
        return "BillPayment"
    return None


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "quickbooks.sync.document.mixin"]
    _quickbooks_entity = "Payment"
    _quickbooks_auto_push_option = "auto_push_invoices"

    def _quickbooks_app_page(self):
        return {"RefundReceipt": "refundreceipt", "BillPayment": "billpayment"}.get(_entity(self), "recvpayment")

    def _quickbooks_entity_of(self):
        self.ensure_one()
        return _entity(self)

    def _quickbooks_sent_kinds(self):
        """The payments of ``self`` that QuickBooks receives."""
        return self.filtered(lambda pay: _entity(pay))

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        if qbo_entity:
            return super()._quickbooks_enqueue(operation, qbo_entity=qbo_entity, qbo_ids=qbo_ids)
        jobs = self.env["quickbooks.sync.job"]
        for entity in ENTITIES:
            payments = self.filtered(lambda pay, entity=entity: _entity(pay) == entity)
            if payments:
                jobs |= super(AccountPayment, payments)._quickbooks_enqueue(operation, qbo_entity=entity,
                                                                            qbo_ids=qbo_ids)
        return jobs

    def action_quickbooks_sync(self):
        self._quickbooks_check_user()
        wrong = self.filtered(lambda pay: not _entity(pay))
        if wrong:
            raise UserError(self.env._(
                "Only customer payments and refunds, and vendor payments of bills, are sent to QuickBooks (a purchase "
                "receipt goes as an expense with its payment): %s.", ", ".join(wrong.mapped("display_name")[:10])))
        return super().action_quickbooks_sync()

    # -- the payment's life: QuickBooks follows ---------------------------------------------------

    def _quickbooks_drop_pending(self, operations):
        """Pending jobs of these payments that a later change made wrong (not running ones)."""
        self.env["quickbooks.sync.job"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("qbo_entity", "in", ENTITIES),
            ("operation", "in", list(operations)), ("state", "=", "pending"),
        ]).write({"state": "cancelled"})

    def action_post(self):
        # Reset to draft and posted again before QuickBooks deleted it: it is updated instead.
        self._quickbooks_sent_kinds()._quickbooks_drop_pending(("delete", "void"))
        result = super().action_post()
        queued = self.browse()
        for entity, option in AUTO_PUSH.items():
            payments = self.filtered(lambda pay, entity=entity: _entity(pay) == entity)
            if payments:
                queued |= payments.with_context(quickbooks_auto_push_option=option)._quickbooks_auto_push()
        in_quickbooks = self._quickbooks_sent_kinds().filtered("quickbooks_id") - queued
        if in_quickbooks:
            in_quickbooks._quickbooks_enqueue()
        (queued | in_quickbooks)._quickbooks_mark("queued")
        return result

    def action_cancel(self):
        """Cancelled in Odoo: voided in QuickBooks (kept, amounts zeroed, what it paid open again)."""
        sent = self._quickbooks_sent_kinds().filtered("quickbooks_id")
        result = super().action_cancel()
        if sent:
            sent._quickbooks_drop_pending(("push",))
            sent.sudo()._quickbooks_enqueue(operation="void")
            sent._quickbooks_mark("queued")
        return result

    def action_draft(self):
        """Reset to draft: the payment leaves Odoo's books, so it leaves QuickBooks (deleted; it is
        created again when it is confirmed again)."""
        sent = self._quickbooks_sent_kinds().filtered("quickbooks_id")
        result = super().action_draft()
        if sent:
            sent._quickbooks_drop_pending(("push", "void"))
            jobs = self.env["quickbooks.sync.job"].sudo()
            for payment, connection in sent.sudo()._quickbooks_connection().items():
                if connection.realm_id and not jobs.search_count([
                        ("res_model", "=", self._name), ("res_id", "=", payment.id), ("operation", "=", "delete"),
                        ("state", "in", ("pending", "running"))]):
                    jobs._enqueue_deletion(connection, self._name, payment.id, _entity(payment),
                                           payment.quickbooks_id, payment.display_name)
            sent._quickbooks_mark("queued")
        return result
