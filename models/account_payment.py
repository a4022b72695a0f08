from odoo import models
from odoo.exceptions import UserError

from ..mapping.adapter import adapter_for

ENTITIES = ("Payment", "RefundReceipt")  # money received; money paid back (a credit note's refund)


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "quickbooks.sync.document.mixin"]
    _quickbooks_entity = "Payment"
    _quickbooks_auto_push_option = "auto_push_invoices"

    def _quickbooks_app_page(self):
        return "refundreceipt" if self._quickbooks_entity_of() == "RefundReceipt" else "recvpayment"

    def _quickbooks_entity_of(self):
        """Payment for money received, RefundReceipt for a credit note paid back."""
        self.ensure_one()
        return adapter_for(self).entity(self)

    def _quickbooks_customer_payments(self):
        """Customer payments and refunds: what QuickBooks receives of account.payment."""
        return self.filtered(lambda pay: pay.partner_type == "customer")

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        jobs = self.env["quickbooks.sync.job"]
        if qbo_entity:
            return super()._quickbooks_enqueue(operation, qbo_entity=qbo_entity, qbo_ids=qbo_ids)
        for entity in ENTITIES:
            payments = self.filtered(lambda pay, entity=entity: pay._quickbooks_entity_of() == entity)
            if payments:
                jobs |= super(AccountPayment, payments)._quickbooks_enqueue(operation, qbo_entity=entity,
                                                                            qbo_ids=qbo_ids)
        return jobs

    def action_quickbooks_sync(self):
        self._quickbooks_check_user()
        wrong = self.filtered(lambda pay: pay.partner_type != "customer")
        if wrong:
            raise UserError(self.env._("Only customer payments and refunds are sent to QuickBooks."))
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
        self._quickbooks_customer_payments()._quickbooks_drop_pending(("delete", "void"))
        result = super().action_post()
        customer_payments = self._quickbooks_customer_payments()
        queued = customer_payments._quickbooks_auto_push()
        in_quickbooks = customer_payments.filtered("quickbooks_id") - queued
        if in_quickbooks:
            in_quickbooks._quickbooks_enqueue()
        (queued | in_quickbooks)._quickbooks_mark("queued")
        return result

    def action_cancel(self):
        """Cancelled in Odoo: voided in QuickBooks (kept, amounts zeroed, its invoices open again)."""
        sent = self._quickbooks_customer_payments().filtered("quickbooks_id")
        result = super().action_cancel()
        if sent:
            sent._quickbooks_drop_pending(("push",))
            sent.sudo()._quickbooks_enqueue(operation="void")
            sent._quickbooks_mark("queued")
        return result

    def action_draft(self):
        """Reset to draft: the payment leaves Odoo's books, so it leaves QuickBooks (deleted; it is
        created again when it is confirmed again)."""
        sent = self._quickbooks_customer_payments().filtered("quickbooks_id")
        result = super().action_draft()
        if sent:
            sent._quickbooks_drop_pending(("push", "void"))
            jobs = self.env["quickbooks.sync.job"].sudo()
            for payment, connection in sent.sudo()._quickbooks_connection().items():
                if connection.realm_id and not jobs.search_count([
                        ("res_model", "=", self._name), ("res_id", "=", payment.id), ("operation", "=", "delete"),
                        ("state", "in", ("pending", "running"))]):
                    jobs._enqueue_deletion(connection, self._name, payment.id, payment._quickbooks_entity_of(),
                                           payment.quickbooks_id, payment.display_name)
            sent._quickbooks_mark("queued")
        return result
