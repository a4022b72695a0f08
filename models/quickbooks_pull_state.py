from odoo import fields, models


class QuickbooksPullState(models.Model):
    """Where change data capture stands for one QuickBooks company: the start of the next
    window.  It is read and moved under a row lock (one run at a time per company), and moved
    only once the changes of the window are applied in Odoo: a run that fails half-way reads
    the same window again."""

    _name = "quickbooks.pull.state"
    _description = "QuickBooks Change Data Capture Window"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID", required=True)
    window_start = fields.Datetime(
        "Changes read since", help="The next run asks QuickBooks for the changes made at or after this moment (UTC).")
    last_run_at = fields.Datetime("Last run", readonly=True)
    last_count = fields.Integer("Changes in the last run", readonly=True)
    last_method = fields.Selection(
        [("cdc", "Change data capture"), ("query", "Queries (window older than 30 days)")], readonly=True)
    last_error = fields.Text(readonly=True)

    _realm_uniq = models.UniqueIndex("(connection_id, realm_id)", "One window per QuickBooks company.")
