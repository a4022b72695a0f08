from odoo import models
from odoo.exceptions import UserError


def _entity(payment):
    """Customer payments are QuickBooks Payments, vendor payments BillPayments (mapping/bill_payment.py)."""
    if payment.partner_type == "customer" and payment.payment_type == "inbound":
        return "Payment"
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
        return "billpayment" if _entity(self) == "BillPayment" else "recvpayment"

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        jobs = self.env["quickbooks.sync.job"]
        for entity in {_entity(payment) for payment in self} - {None}:
            payments = self.filtered(lambda pay, entity=entity: _entity(pay) == entity)
            jobs |= super(AccountPayment, payments)._quickbooks_enqueue(operation, qbo_entity=entity, qbo_ids=qbo_ids)
        return jobs

    def action_quickbooks_sync(self):
        self._quickbooks_check_user()
        wrong = self.filtered(lambda pay: not _entity(pay))
        if wrong:
            raise UserError(self.env._(
                "Only customer payments and vendor payments of bills are sent to QuickBooks (a purchase receipt "
                "goes as an expense with its payment): %s.", ", ".join(wrong.mapped("display_name")[:10])))
        return super().action_quickbooks_sync()

    def action_post(self):
        result = super().action_post()
        customer_payments = self.filtered(lambda pay: _entity(pay) == "Payment")
        customer_payments._quickbooks_auto_push()._quickbooks_mark("queued")
        vendor_payments = self.filtered(lambda pay: _entity(pay) == "BillPayment")
        vendor_payments.with_context(quickbooks_auto_push_option="auto_push_bills")._quickbooks_auto_push()._quickbooks_mark(
            "queued")
        return result

    def action_cancel(self):
        # A vendor payment QuickBooks has is voided there (kept, its amount zeroed, its bills
        # open again), as a cancelled invoice is.
        synced = self.filtered(lambda pay: pay.quickbooks_id and _entity(pay) == "BillPayment")
        result = super().action_cancel()
        if synced:
            synced._quickbooks_enqueue(operation="void")
        return result
