from odoo import fields, models
from odoo.exceptions import AccessError

SYNC_STATES = [
    ("not_synced", "Not synced"),
    ("queued", "Queued"),
    ("synced", "Synced"),
    ("error", "Error"),
    ("conflict", "Conflict"),
]


class QuickbooksSyncMixin(models.AbstractModel):
    """What every record sent to QuickBooks has: its links, a Sync action, and a state."""

    _name = "quickbooks.sync.mixin"
    _description = "Sent to QuickBooks"
    _quickbooks_entity = None  # default QuickBooks type of the model's records

    quickbooks_binding_ids = fields.One2many(
        "quickbooks.binding", "res_id", string="QuickBooks Links",
        domain=lambda self: [("res_model", "=", self._name)],
        groups="quickbooks_sync.group_quickbooks_user",
    )

    def _quickbooks_connection(self):
        """The QuickBooks connection of each record's company: ``{record: connection}``."""
        result = {}
        by_company = {}
        for record in self:
            company = record._quickbooks_company()
            if company:
                if company not in by_company:
                    by_company[company] = company._quickbooks_connection().sudo()
                result[record] = by_company[company]
        return result

    def _quickbooks_company(self):
        self.ensure_one()
        return self.company_id if "company_id" in self and self.company_id else self.env.company

    def _quickbooks_mark(self, state, binding=None, error=None):
        """Show the sync outcome on the records; models with stored sync fields override."""

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        """Queue these records for their company's QuickBooks connection; returns the jobs."""
        jobs = self.env["quickbooks.sync.job"]
        by_connection = {}
        for record, connection in self._quickbooks_connection().items():
            by_connection.setdefault(connection, self.browse())
            by_connection[connection] |= record
        for connection, records in by_connection.items():
            if not connection.realm_id:
                continue
            jobs |= jobs.sudo()._enqueue(connection, records, operation=operation,
                                         qbo_entity=qbo_entity or self._quickbooks_entity, qbo_ids=qbo_ids)
        return jobs

    def action_quickbooks_sync(self):
        """The "Sync to QuickBooks" button (form and list)."""
        self._quickbooks_check_user()
        jobs = self._quickbooks_enqueue()
        self._quickbooks_mark("queued")
        message = self.env._("%s record(s) queued for QuickBooks.", len(jobs))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "message": message,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def _quickbooks_check_user(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_user"):
            raise AccessError(self.env._("Only QuickBooks users can send records to QuickBooks."))
