from psycopg2 import IntegrityError
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sync import backlog


class QuickbooksSyncAllWizard(models.TransientModel):
    """Settings > QuickBooks > Sync everything now: what QuickBooks does not have yet, counted
    per kind, then queued in bulk (sent by the queue's workers in the background)."""

    _name = "quickbooks.sync.all.wizard"
    _description = "Sync Everything to QuickBooks"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="connection_id.company_id")
    state = fields.Selection([("options", "Options"), ("preview", "Preview")], default="options", required=True)
    send_customers = fields.Boolean("Customers", default=True)
    send_vendors = fields.Boolean("Vendors", default=True)
    send_items = fields.Boolean("Products", default=True)
    send_invoices = fields.Boolean("Customer invoices and credit notes", default=True)
    send_payments = fields.Boolean("Customer payments", default=True)
    date_from = fields.Date(
        "Documents from", required=True,
        help="Invoices, credit notes and payments dated from this day. Older documents are often in QuickBooks "
             "already, from before Odoo.",
    )
    line_ids = fields.One2many("quickbooks.sync.all.wizard.line", "wizard_id", readonly=True)
    to_send = fields.Integer("To send", compute="_compute_totals")
    cannot_send = fields.Integer("Cannot be sent", compute="_compute_totals")
    running_run_id = fields.Many2one("quickbooks.sync.run", compute="_compute_running_run_id")
    missing = fields.Char("Missing before sync", related="connection_id.sync_missing")
    sync_enabled = fields.Boolean(related="connection_id.sync_enabled")
    reconciliation_note = fields.Char(compute="_compute_reconciliation_note")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        connection = self.env["quickbooks.connection"].browse(values.get("connection_id")) \
            or self.env.company._quickbooks_connection()
        values["connection_id"] = connection.id
        if "date_from" in fields_list and not values.get("date_from"):
            company = connection.company_id or self.env.company
            values["date_from"] = company.compute_fiscalyear_dates(fields.Date.context_today(self))["date_from"]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._check_manager()
        return wizards

    def _check_manager(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can send everything to QuickBooks."))
        self.connection_id.check_access("write")

    @api.depends("line_ids.to_send", "line_ids.blocked")
    def _compute_totals(self):
        for wizard in self:
            wizard.to_send = sum(wizard.line_ids.mapped("to_send"))
            wizard.cannot_send = sum(wizard.line_ids.mapped("blocked"))

    @api.depends("connection_id")
    def _compute_running_run_id(self):
        for wizard in self:
            wizard.running_run_id = self.env["quickbooks.sync.run"].sudo().search([
                ("connection_id", "=", wizard.connection_id.id), ("state", "=", "running")], limit=1)

    @api.depends("connection_id")
    def _compute_reconciliation_note(self):
        """The seeds' advice: one reconciliation pass before the first big push."""
        for wizard in self:
            wizard.reconciliation_note = wizard.connection_id._quickbooks_last_reconciliation_note()

    # -- preview and send --------------------------------------------------------------------------

    def _kinds(self):
        chosen = {"customers": self.send_customers, "vendors": self.send_vendors, "items": self.send_items,
                  "invoices": self.send_invoices, "payments": self.send_payments}
        mapped = self.connection_id._tax_codes_linked().ids
        return [kind for kind in backlog.kinds(mapped) if chosen.get(kind.code)]

    def action_preview(self):
        self.ensure_one()
        self._check_manager()
        if not self.connection_id.realm_id:
            raise UserError(self.env._("%s is not connected to QuickBooks.", self.company_id.name))
        lines = [(5, 0, 0)]
        for kind in self._kinds():
            counts = backlog.count(self.env.cr, kind, self.connection_id, self.date_from)
            reasons = []
            blocked_ids = set()
            for _code, (blocker, ids) in counts["blocked"].items():
                reasons.append(self.env._("%(count)s %(reason)s (%(hint)s)", count=len(ids), reason=blocker.label,
                                          hint=blocker.hint))
                blocked_ids.update(ids)
            lines.append((0, 0, {
                "kind": kind.code, "label": kind.label, "res_model": kind.model,
                "linked": counts["linked"], "queued": counts["queued"], "to_send": counts["to_send"],
                "blocked": len(blocked_ids), "blocked_reasons": "; ".join(reasons),
                "blocked_ids": ",".join(str(i) for i in sorted(blocked_ids)),
            }))
        self.write({"line_ids": lines, "state": "preview"})
        return self._reopen()

    def action_send(self):
        self.ensure_one()
        self._check_manager()
        connection = self.connection_id
        if not connection.realm_id:
            raise UserError(self.env._("%s is not connected to QuickBooks.", self.company_id.name))
        if not connection.sync_enabled:
            raise UserError(self.env._(
                "Sync is not active for %s: nothing would be sent.", self.company_id.name),
            )
        # One run at a time per company (a unique index on running runs decides between two clicks).
        if self.running_run_id:
            raise UserError(self.env._(
                "A Sync everything run of %(company)s is still sending (%(done)s of %(total)s done). Wait for it to "
                "end; a new run then sends only what is still missing.",
                company=self.company_id.name, done=self.running_run_id.sent_count,
                total=self.running_run_id.queued_count))
        kinds = self._kinds()
        try:
            with self.env.cr.savepoint():
                run = self.env["quickbooks.sync.run"].sudo().create({
                    "connection_id": connection.id, "user_id": self.env.uid, "date_from": self.date_from,
                    "kinds": ", ".join(kind.label for kind in kinds),
                })
                self.env.flush_all()
        except (IntegrityError, SerializationFailure) as exc:
            raise UserError(self.env._("Another Sync everything run of %s has just started.",
                                       self.company_id.name)) from exc
        queued = 0
        for kind in kinds:
            queued += backlog.queue(self.env.cr, kind, connection, self.date_from, run.id, self.env.uid)
        run.queued_count = queued
        if not queued:
            run.write({"state": "done", "finished_at": fields.Datetime.now()})
        self.env["quickbooks.sync.job"].invalidate_model()
        self.env["quickbooks.sync.job"]._trigger_processing()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if queued else "info",
                "title": self.env._("Sync everything now"),
                "message": (self.env._("%s records queued: they are sent in the background; the progress shows in "
                                       "the settings and the Sync Log.", queued) if queued
                            else self.env._("Nothing to send: QuickBooks has everything that can be sent.")),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_back(self):
        self._check_manager()
        self.state = "options"
        return self._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Sync everything now")}


class QuickbooksSyncAllWizardLine(models.TransientModel):
    _name = "quickbooks.sync.all.wizard.line"
    _description = "Sync Everything Preview Line"

    wizard_id = fields.Many2one("quickbooks.sync.all.wizard", required=True, ondelete="cascade")
    kind = fields.Char(required=True)
    label = fields.Char("What")
    res_model = fields.Char()
    linked = fields.Integer("Already in QuickBooks")
    queued = fields.Integer("Already queued")
    to_send = fields.Integer("To send")
    blocked = fields.Integer("Cannot be sent")
    blocked_reasons = fields.Char("Why not")
    blocked_ids = fields.Text()

    def action_open_blocked(self):
        self.ensure_one()
        self.wizard_id._check_manager()
        ids = [int(i) for i in (self.blocked_ids or "").split(",") if i]
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "name": self.label,
                "domain": [("id", "in", ids)], "view_mode": "list,form", "target": "current"}
