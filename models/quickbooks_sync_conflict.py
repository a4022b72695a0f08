from odoo import api, fields, models


class QuickbooksSyncConflict(models.Model):
    """One field of a Sync Log entry in *conflict*: Odoo's value and QuickBooks' side by side,
    with *Keep Odoo's value* / *Take QuickBooks' value*.  Written by the addon only (from the
    job's ``conflict_details``); the buttons resolve through the job
    (``quickbooks.sync.job._resolve_conflicts``), which checks who may."""

    _name = "quickbooks.sync.conflict"
    _description = "QuickBooks Sync Conflict (one field)"
    _order = "job_id, row"

    job_id = fields.Many2one("quickbooks.sync.job", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="job_id.company_id", store=True, index=True)
    row = fields.Integer(readonly=True, help="Its position in the job's conflict details.")
    field = fields.Char("Field", readonly=True)
    odoo_value = fields.Char("Odoo", readonly=True)
    qbo_value = fields.Char("QuickBooks", readonly=True)
    decision = fields.Selection(
        [("odoo", "Odoo's value kept"), ("quickbooks", "QuickBooks' value taken")], readonly=True)

    @api.depends("field")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.field or ""

    def action_keep_odoo(self):
        return self._decide("odoo")

    def action_take_quickbooks(self):
        return self._decide("quickbooks")

    def _decide(self, decision):
        self.check_access("read")
        jobs = self.sudo().job_id
        result = True
        for job in jobs:
            rows = {line.row: decision for line in self.sudo() if line.job_id == job}
            result = self.env["quickbooks.sync.job"].browse(job.id)._resolve_conflicts(rows)
        return result
