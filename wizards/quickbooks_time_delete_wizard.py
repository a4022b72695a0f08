from odoo import api, fields, models
from odoo.exceptions import AccessError


class QuickbooksTimeDeleteWizard(models.TransientModel):
    """Deleting timesheet entries that were sent to QuickBooks asks first: delete their time
    activities in QuickBooks too (QuickBooks managers), or delete them in Odoo only."""

    _name = "quickbooks.time.delete.wizard"
    _description = "Delete Timesheets Sent to QuickBooks"

    entry_ids = fields.Many2many("account.analytic.line", string="Entries to delete")
    sent_count = fields.Integer("Sent to QuickBooks", compute="_compute_sent")
    can_delete_in_quickbooks = fields.Boolean(compute="_compute_sent")

    @api.model
    def _action(self, entries):
        """The question, for ``entries`` (raised by account.analytic.line's unlink)."""
        return {"type": "ir.actions.act_window", "res_model": self._name, "view_mode": "form", "target": "new",
                "views": [[False, "form"]], "name": self.env._("Delete timesheet entries"),
                "context": {"default_entry_ids": [fields.Command.set(entries.ids)]}}

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.entry_ids.check_access("unlink")
        return wizards

    @api.depends("entry_ids")
    def _compute_sent(self):
        manager = self.env.user.has_group("quickbooks_sync.group_quickbooks_manager")
        for wizard in self:
            wizard.sent_count = len(wizard.entry_ids.filtered("quickbooks_id"))
            wizard.can_delete_in_quickbooks = manager

    def action_delete_both(self):
        """Delete the entries, and their time activities in QuickBooks (the queue deletes them)."""
        self.ensure_one()
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can delete time activities in QuickBooks."))
        return self._delete("both")

    def action_delete_odoo(self):
        """Delete the entries in Odoo only: QuickBooks keeps their time activities."""
        self.ensure_one()
        return self._delete("odoo")

    def _delete(self, choice):
        entries = self.entry_ids
        entries.check_access("unlink")
        entries.with_context(quickbooks_time_delete=choice).unlink()
        return {"type": "ir.actions.client", "tag": "soft_reload"}
