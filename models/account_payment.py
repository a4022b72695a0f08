from odoo import models
from odoo.exceptions import UserError

from ..mapping.expense import is_company_paid

# Money received from a customer; money paid back to one (a credit note's refund); a vendor paid;
# an expense the company paid (mapping/expense.py).
ENTITIES = ("Payment", "RefundReceipt", "BillPayment", "Purchase")
# Whether the company sends them as soon as they are confirmed.
AUTO_PUSH = {"Payment": "auto_push_invoices", "RefundReceipt": "auto_push_invoices", "BillPayment": "auto_push_bills",
             "Purchase": "auto_push_bills"}
# QuickBooks voids payments; it cannot void an expense (Purchase): a cancelled one is deleted.
NOT_VOIDABLE = ("Purchase",)


def _entity(payment):
    """What QuickBooks receives of ``payment``: Payment (mapping/payment.py), RefundReceipt
    (mapping/refund.py), BillPayment (mapping/bill_payment.py), Purchase (an expense the company
    paid, mapping/expense.py), or None (not sent)."""
    if payment.partner_type == "customer":
        return "Payment" if payment.payment_type == "inbound" else "RefundReceipt"
    if payment.partner_type == "supplier" and payment.payment_type == "outbound":
        if is_company_paid(payment):
            return "Purchase"
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
        return {"RefundReceipt": "refundreceipt", "BillPayment": "billpayment", "Purchase": "expense"}.get(
            _entity(self), "recvpayment")

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
                "Only customer payments and refunds, vendor payments of bills and expenses paid by the company are "
                "sent to QuickBooks (a purchase receipt goes as an expense with its payment): %s.",
                ", ".join(wrong.mapped("display_name")[:10])))
        return super().action_quickbooks_sync()

    # -- the payment's life: QuickBooks follows ---------------------------------------------------

    def _quickbooks_drop_pending(self, operations):
        """Pending jobs of these payments that a later change made wrong (not running ones)."""
        self.env["quickbooks.sync.job"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("qbo_entity", "in", ENTITIES),
            ("operation", "in", list(operations)), ("state", "=", "pending"),
        ]).write({"state": "cancelled"})

    def action_post(self):
        # Cancelled, reset and confirmed again before QuickBooks voided it: it is updated instead.
        self._quickbooks_sent_kinds()._quickbooks_drop_pending(("void",))
        result = super().action_post()
        queued = self.browse()
        for entity, option in AUTO_PUSH.items():
            payments = self.filtered(lambda pay, entity=entity: _entity(pay) == entity)
            if payments:
                queued |= payments.with_context(quickbooks_auto_push_option=option)._quickbooks_auto_push()
        # Reset to draft, changed and confirmed again: what QuickBooks holds must follow.
        in_quickbooks = self._quickbooks_sent_kinds().filtered("quickbooks_id") - queued
        if in_quickbooks:
            in_quickbooks._quickbooks_enqueue()
        (queued | in_quickbooks)._quickbooks_mark("queued")
        return result

    def action_cancel(self):
        """Cancelled in Odoo: voided in QuickBooks (kept for the audit trail, amounts zeroed, what it
        paid open again), as QuickBooks' own *Void* does."""
        sent = self._quickbooks_sent_kinds().filtered("quickbooks_id")
        deleted = sent.filtered(lambda pay: _entity(pay) in NOT_VOIDABLE)
        rows = [(payment.company_id, payment.id, _entity(payment), payment.quickbooks_id, payment.display_name)
                for payment in deleted]
        sent -= deleted
        result = super().action_cancel()
        if rows and not self.env.context.get("quickbooks_pull"):
            deleted._quickbooks_drop_pending(("push",))
            self._quickbooks_enqueue_deletions(rows)
        if sent and not self.env.context.get("quickbooks_pull"):
            sent._quickbooks_drop_pending(("push",))
            # The id goes with the job: the payment may be reset to draft and forget it before it runs.
            sent.sudo()._quickbooks_enqueue(operation="void", qbo_ids={pay.id: pay.quickbooks_id for pay in sent})
            sent._quickbooks_mark("queued")
        return result

    def action_draft(self):
        """Reset to draft: Odoo keeps the payment's reconciliation, so QuickBooks keeps the payment
        until it is confirmed again (updated), cancelled (voided) or deleted (deleted).  A cancelled
        payment reset to draft is no longer the twin of the payment QuickBooks voided (which stays
        voided, for the audit trail): confirmed again, it is created anew."""
        voided = self._quickbooks_sent_kinds().filtered(lambda pay: pay.quickbooks_id and pay.state == "canceled")
        result = super().action_draft()
        if voided and not self.env.context.get("quickbooks_pull"):
            voided._quickbooks_drop_pending(("push",))
            self.env["quickbooks.binding"].sudo().search([
                ("res_model", "=", self._name), ("res_id", "in", voided.ids), ("qbo_entity", "in", ENTITIES),
            ]).unlink()
            voided._quickbooks_forget_link()
            for payment in voided:
                payment.message_post(body=self.env._(
                    "Reset to draft after it was cancelled: the payment QuickBooks voided stays voided; confirmed "
                    "again, this payment is sent as a new one."))
        return result

    def unlink(self):
        """A payment QuickBooks holds, deleted in Odoo (a draft): deleted in QuickBooks."""
        sent = self._quickbooks_sent_kinds().filtered("quickbooks_id")
        rows = [(payment.company_id, payment.id, _entity(payment), payment.quickbooks_id, payment.display_name)
                for payment in sent]
        result = super().unlink()
        self._quickbooks_enqueue_deletions(rows)
        return result

    def _quickbooks_enqueue_deletions(self, rows):
        jobs = self.env["quickbooks.sync.job"].sudo()
        for company, payment_id, entity, qbo_id, name in rows:
            connection = company._quickbooks_connection().sudo()
            if connection.realm_id:
                jobs._enqueue_deletion(connection, self._name, payment_id, entity, qbo_id, name)
