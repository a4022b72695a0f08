from odoo import api, fields, models
from odoo.exceptions import UserError

from .quickbooks_sync_mixin import SYNC_STATES


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Payment"
    _quickbooks_auto_push_option = "auto_push_invoices"

    quickbooks_state = fields.Selection(SYNC_STATES, "QuickBooks", default="not_synced", copy=False, index=True,
                                        readonly=True)
    quickbooks_id = fields.Char("QuickBooks ID", copy=False, readonly=True)
    quickbooks_error = fields.Text("QuickBooks Error", copy=False, readonly=True)
    quickbooks_synced_at = fields.Datetime("Synced to QuickBooks", copy=False, readonly=True)
    quickbooks_url = fields.Char("Open in QuickBooks", compute="_compute_quickbooks_url")

    @api.depends("quickbooks_id")
    def _compute_quickbooks_url(self):
        for payment in self:
            if payment.quickbooks_id:
                connection = payment.company_id._quickbooks_connection().sudo()
                payment.quickbooks_url = f"{connection._app_base()}/recvpayment?txnId={payment.quickbooks_id}"
            else:
                payment.quickbooks_url = False

    def action_quickbooks_sync(self):
        wrong = self.filtered(lambda pay: pay.partner_type != "customer" or pay.payment_type != "inbound")
        if wrong:
            raise UserError(self.env._("Only customer payments are sent to QuickBooks."))
        return super().action_quickbooks_sync()

    def _quickbooks_mark_many(self, rows):
        self._quickbooks_store_states(rows)

    def action_post(self):
        result = super().action_post()
        customer_payments = self.filtered(lambda pay: pay.partner_type == "customer" and pay.payment_type == "inbound")
        customer_payments._quickbooks_auto_push()._quickbooks_mark("queued")
        return result

    def action_open_quickbooks(self):
        self.ensure_one()
        if not self.quickbooks_url:
            raise UserError(self.env._("This payment is not in QuickBooks yet."))
        return {"type": "ir.actions.act_url", "url": self.quickbooks_url, "target": "new"}
