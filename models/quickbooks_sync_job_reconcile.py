from odoo import fields, models


class QuickbooksSyncJob(models.Model):
    """A reconciliation run leaves one entry in the Sync Log: done when QuickBooks and Odoo
    agree, failed with the count of differences (and their list) when they do not.  Opening
    the entry's record opens the reconciliation report.  Like an import's, the entry is a
    record of the past: never queued, claimed or retried."""

    _inherit = "quickbooks.sync.job"

    operation = fields.Selection(
        selection_add=[("reconcile", "Reconcile with QuickBooks")], ondelete={"reconcile": "cascade"},
    )

