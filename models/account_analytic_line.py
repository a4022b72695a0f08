from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError

# Fields whose change QuickBooks must receive (what mapping/time_activity.py sends).
SYNCED_FIELDS = frozenset({"date", "name", "unit_amount", "employee_id", "project_id", "task_id",
                           "quickbooks_billable"})


class AccountAnalyticLine(models.Model):
    """A timesheet entry (a line with an employee) is sent to QuickBooks as a TimeActivity."""

    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "quickbooks.sync.document.mixin"]
    _quickbooks_entity = "TimeActivity"

    quickbooks_billable = fields.Boolean(
        "Billable in QuickBooks", compute="_compute_quickbooks_billable", store=True, readonly=False, copy=True,
        help="Sent to QuickBooks as billable time (with its hourly rate). Default: the project's setting.",
    )
    quickbooks_edited = fields.Boolean(
        "Edited after sending", copy=False, readonly=True,
        help="Changed in Odoo since it was sent to QuickBooks: Sync to QuickBooks sends the change.",
    )

    @api.depends("project_id")
    def _compute_quickbooks_billable(self):
        for line in self:
            line.quickbooks_billable = bool(line.project_id.quickbooks_billable) if line.project_id else False

    def _quickbooks_app_page(self):
        return "timeactivity"

    def action_quickbooks_sync(self):
        """Send to QuickBooks (list, form, Actions menu): QuickBooks managers only, timesheet
        entries only; opens the review (what is sent, refused and why, the hours), whose
        *Send to QuickBooks* queues them (_quickbooks_send)."""
        self._quickbooks_check_sender()
        return self.env["quickbooks.time.send.wizard"]._open_review(self)

    def _quickbooks_check_sender(self):
        self._quickbooks_check_user()
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can send timesheets to QuickBooks."))
        not_timesheets = self.filtered(lambda line: not line.employee_id)
        if not_timesheets:
            raise UserError(self.env._("Only timesheet entries (with an employee) are sent to QuickBooks: %s.",
                                       ", ".join(not_timesheets.mapped("display_name")[:10])))

    def _quickbooks_send(self):
        """Queue the entries (after the review)."""
        self._quickbooks_check_sender()
        return super().action_quickbooks_sync()

    def _quickbooks_mark_many(self, rows):
        self._quickbooks_store_states(rows)
        synced = [record.id for record, state, *_rest in rows if state == "synced"]
        if synced:
            self.env.cr.execute(
                "UPDATE account_analytic_line SET quickbooks_edited = false WHERE id IN %s AND quickbooks_edited",
                (tuple(synced),),
            )
            self.browse(synced).invalidate_recordset(["quickbooks_edited"])

    def write(self, vals):
        result = super().write(vals)
        if SYNCED_FIELDS.intersection(vals) and not self.env.context.get("quickbooks_import"):
            sent = self.filtered(lambda line: line.quickbooks_id and not line.quickbooks_edited)
            if sent:
                sent.sudo().write({"quickbooks_edited": True})
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_ask_about_quickbooks(self):
        """A sent entry: the person deleting it says whether QuickBooks deletes its time activity
        too (the question: quickbooks.time.delete.wizard, which deletes with the answer)."""
        sent = self.filtered(lambda line: line.quickbooks_id)
        if sent and self.env.context.get("quickbooks_time_delete") not in ("both", "odoo"):
            raise RedirectWarning(
                self.env._("%(count)s of these entries were sent to QuickBooks (%(names)s). Delete their time "
                           "activities in QuickBooks too, or in Odoo only?", count=len(sent),
                           names=", ".join(sent.mapped("display_name")[:5])),
                self.env["quickbooks.time.delete.wizard"]._action(self),
                self.env._("Choose"),
            )

    def unlink(self):
        to_delete = []
        if self.env.context.get("quickbooks_time_delete") == "both":
            to_delete = [(line.company_id, line.id, line.quickbooks_id, line.display_name)
                         for line in self.filtered(lambda line: line.quickbooks_id)]
        result = super().unlink()
        for company, line_id, qbo_id, name in to_delete:
            connection = company._quickbooks_connection().sudo()
            if connection.realm_id:
                self.env["quickbooks.sync.job"].sudo()._enqueue_deletion(
                    connection, "account.analytic.line", line_id, "TimeActivity", qbo_id, name,
                )
        return result
