from odoo import models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "quickbooks.sync.document.mixin"]
    _quickbooks_entity = "Payment"
    _quickbooks_auto_push_option = "auto_push_invoices"

    def _quickbooks_app_page(self):
        return "recvpayment"

    def action_quickbooks_sync(self):
        self._quickbooks_check_user()
        wrong = self.filtered(lambda pay: pay.partner_type != "customer" or pay.payment_type != "inbound")
        if wrong:
            raise UserError(self.env._("Only customer payments are sent to QuickBooks."))
        return super().action_quickbooks_sync()

    def action_post(self):
        result = super().action_post()
        customer_payments = self.filtered(lambda pay: pay.partner_type == "customer" and pay.payment_type == "inbound")
        customer_payments._quickbooks_auto_push()._quickbooks_mark("queued")
        return result
