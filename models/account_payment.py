from odoo import api, fields, models
from odoo.exceptions import UserError

from .quickbooks_sync_mixin import SYNC_STATES


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Payment"

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

    def _quickbooks_mark(self, state, binding=None, error=None):
        values = {"quickbooks_state": state}
        if binding is not None:
            values["quickbooks_id"] = binding.qbo_id
        if state == "synced":
            values.update(quickbooks_error=False, quickbooks_synced_at=fields.Datetime.now())
        elif error:
            values["quickbooks_error"] = error
        self.sudo().write(values)

    def action_post(self):
        result = super().action_post()
        customer_payments = self.filtered(lambda pay: pay.partner_type == "customer" and pay.payment_type == "inbound")
        for record, connection in customer_payments._quickbooks_connection().items():
            if connection.realm_id and connection.sync_enabled and connection.auto_push_invoices:
                record._quickbooks_enqueue()
                record.sudo().quickbooks_state = "queued"
        return result

    def action_open_quickbooks(self):
        self.ensure_one()
        if not self.quickbooks_url:
            raise UserError(self.env._("This payment is not in QuickBooks yet."))
        return {"type": "ir.actions.act_url", "url": self.quickbooks_url, "target": "new"}
