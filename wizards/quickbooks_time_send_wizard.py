from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..mapping.context import MappingContext
from ..mapping.time_activity import minutes_of, rate_of, refusal

STATUSES = [
    ("send", "To send"),
    ("update", "To update (edited after sending)"),
    ("refused", "Refused"),
    ("skip", "Already sent (not sent again)"),
]


class QuickbooksTimeSendWizard(models.TransientModel):
    """Send to QuickBooks on timesheet entries: the review first (what is sent, what is refused
    and why, the hours), then the entries are queued (QuickBooks managers)."""

    _name = "quickbooks.time.send.wizard"
    _description = "Send Timesheets to QuickBooks"

    line_ids = fields.One2many("quickbooks.time.send.wizard.line", "wizard_id", readonly=True)
    count_send = fields.Integer("Entries to send", readonly=True)
    count_refused = fields.Integer("Entries refused", readonly=True)
    count_skip = fields.Integer("Entries already sent", readonly=True)
    hours_send = fields.Float("Hours to send", readonly=True)
    hours_billable = fields.Float("Billable hours to send", readonly=True)
    hours_refused = fields.Float("Hours refused", readonly=True)

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can send timesheets to QuickBooks."))

    @api.model
    def _open_review(self, entries):
        """Create the review of ``entries`` and open it."""
        self._check_manager()
        entries.check_access("read")
        if not entries:
            raise UserError(self.env._("Select the timesheet entries to send."))
        rows, totals = self._review(entries)
        wizard = self.create(dict(totals, line_ids=[fields.Command.create(row) for row in rows]))
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": wizard.id, "view_mode": "form",
                "target": "new", "name": self.env._("Send to QuickBooks: review")}

    @api.model_create_multi
    def create(self, vals_list):
        self._check_manager()
        wizards = super().create(vals_list)
        wizards.line_ids.entry_id.check_access("read")
        return wizards

    @api.model
    def _review(self, entries):
        """One row per entry (what will happen to it and why), and the totals."""
        rows = []
        totals = {"count_send": 0, "count_refused": 0, "count_skip": 0, "hours_send": 0.0, "hours_billable": 0.0,
                  "hours_refused": 0.0}
        contexts = {}
        for entry in entries:
            company = entry.company_id
            if company not in contexts:
                connection = company._quickbooks_connection().sudo()
                contexts[company] = MappingContext(self.env, connection) if connection.realm_id else None
            ctx = contexts[company]
            row = {"entry_id": entry.id, "billable": entry.quickbooks_billable}
            minutes = round(entry.unit_amount * 60)
            if ctx is None:
                row.update(status="refused", reason=self.env._(
                    "%s is not connected to QuickBooks: a QuickBooks manager connects it in Settings > QuickBooks.",
                    company.name))
            elif entry.quickbooks_state == "synced" and entry.quickbooks_id and not entry.quickbooks_edited:
                row.update(status="skip", reason=self.env._("Sent already; an entry is sent once."))
            else:
                problem = refusal(entry, ctx)
                minutes = minutes_of(entry, ctx.connection)
                if problem:
                    row.update(status="refused", reason=f"{problem.message} {problem.hint or ''}".strip())
                else:
                    row.update(status="update" if entry.quickbooks_id else "send")
                    if entry.quickbooks_billable:
                        row["rate"] = float(rate_of(entry))
            row["hours"] = minutes / 60
            if row["status"] in ("send", "update"):
                totals["count_send"] += 1
                totals["hours_send"] += row["hours"]
                if entry.quickbooks_billable:
                    totals["hours_billable"] += row["hours"]
            elif row["status"] == "refused":
                totals["count_refused"] += 1
                totals["hours_refused"] += row["hours"]
            else:
                totals["count_skip"] += 1
            rows.append(row)
        return rows, totals

    def action_send(self):
        """Queue what the review shows: the entries to send or update, and the refused ones (the
        queue refuses them before any request, and the entry and the Sync Log keep the reason)."""
        self.ensure_one()
        self._check_manager()
        self.line_ids.entry_id.check_access("read")
        entries = self.line_ids.filtered(lambda line: line.status != "skip").entry_id
        if not entries:
            raise UserError(self.env._("Nothing to send: every selected entry is in QuickBooks already."))
        return entries._quickbooks_send()


class QuickbooksTimeSendWizardLine(models.TransientModel):
    _name = "quickbooks.time.send.wizard.line"
    _description = "Send Timesheets to QuickBooks: an entry"
    _order = "status, id"

    wizard_id = fields.Many2one("quickbooks.time.send.wizard", required=True, ondelete="cascade")
    entry_id = fields.Many2one("account.analytic.line", "Entry", required=True, ondelete="cascade")
    date = fields.Date(related="entry_id.date")
    employee_id = fields.Many2one(related="entry_id.employee_id")
    project_id = fields.Many2one(related="entry_id.project_id")
    name = fields.Char(related="entry_id.name", string="Description")
    hours = fields.Float("Hours sent", help="The entry's time as QuickBooks receives it (after the rounding).")
    billable = fields.Boolean()
    rate = fields.Float("Hourly rate", digits="Product Price")
    status = fields.Selection(STATUSES, required=True)
    reason = fields.Char("Why / what to do")
