from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sync.reconcile import SECTIONS, STATUSES

# Where QuickBooks' web app shows each object (the documents as on their Odoo records).
APP_PAGES = {
    "Invoice": "invoice?txnId={}",
    "CreditMemo": "creditmemo?txnId={}",
    "Payment": "recvpayment?txnId={}",
    "Customer": "customerdetail?nameId={}",
    "Item": "items",
}
# Documents and balances on one side only are differences; a customer or product that only
# one side knows is listed, not counted (QuickBooks often holds older names Odoo never used).
COUNTED_ONE_SIDED = ("invoice", "credit_memo", "payment", "receivable")


class QuickbooksReconciliationLine(models.Model):
    _name = "quickbooks.reconciliation.line"
    _description = "QuickBooks Reconciliation Line"
    _order = "reconciliation_id, id"

    reconciliation_id = fields.Many2one("quickbooks.reconciliation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True, index=True)
    section = fields.Selection(SECTIONS, required=True, index=True)
    status = fields.Selection(STATUSES, required=True, index=True)
    is_difference = fields.Boolean("Counts as a difference", compute="_compute_is_difference", store=True, index=True)
    res_model = fields.Char("Odoo Model")
    res_id = fields.Many2oneReference("Odoo Record ID", model_field="res_model")
    odoo_name = fields.Char("Odoo")
    qbo_entity = fields.Char("QuickBooks Type")
    qbo_id = fields.Char("QuickBooks ID")
    qbo_name = fields.Char("QuickBooks")
    currency_name = fields.Char("Currency")
    odoo_amount = fields.Float("Odoo Amount", digits=(16, 2))
    qbo_amount = fields.Float("QuickBooks Amount", digits=(16, 2))
    odoo_balance = fields.Float("Odoo Balance", digits=(16, 2))
    qbo_balance = fields.Float("QuickBooks Balance", digits=(16, 2))
    difference = fields.Text("What differs")
    qbo_url = fields.Char("Open in QuickBooks", compute="_compute_qbo_url")

    @api.depends("section", "status")
    def _compute_is_difference(self):
        for line in self:
            line.is_difference = line.status == "different" or (
                line.status in ("only_odoo", "only_qbo") and line.section in COUNTED_ONE_SIDED)

    @api.depends("qbo_entity", "qbo_id")
    def _compute_qbo_url(self):
        bases = {}
        for line in self:
            page = APP_PAGES.get(line.qbo_entity)
            if not (page and line.qbo_id):
                line.qbo_url = False
                continue
            connection = line.reconciliation_id.connection_id
            if connection not in bases:
                bases[connection] = connection.sudo()._app_base()
            line.qbo_url = f"{bases[connection]}/{page.format(line.qbo_id)}"

    def action_open_odoo(self):
        self.ensure_one()
        self.check_access("read")
        if not self.res_model or not self.res_id or not self.env[self.res_model].browse(self.res_id).exists():
            raise UserError(self.env._("This line has no Odoo record."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form", "target": "current"}

    def action_open_quickbooks(self):
        self.ensure_one()
        self.check_access("read")
        if not self.qbo_url:
            raise UserError(self.env._("This line has no QuickBooks object."))
        return {"type": "ir.actions.act_url", "url": self.qbo_url, "target": "new"}
