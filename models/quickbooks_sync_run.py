from odoo import api, fields, models
from odoo.exceptions import UserError

# QuickBooks takes 500 operations a minute per company; the estimate uses what the queue's
# limiter allows.
OPERATIONS_PER_MINUTE = 495


class QuickbooksSyncRun(models.Model):
    """One "Sync everything now": the jobs it queued, its progress, and who to tell at the end."""

    _name = "quickbooks.sync.run"
    _description = "QuickBooks Sync Everything Run"
    _inherit = ["mail.thread"]
    _order = "id desc"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True,
                                    readonly=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", "Started by", required=True, readonly=True,
                              default=lambda self: self.env.user)
    date_from = fields.Date("Documents from", readonly=True)
    kinds = fields.Char("What", readonly=True)
    state = fields.Selection([("running", "Sending"), ("done", "Done")], default="running", required=True,
                             readonly=True, index=True)
    started_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    finished_at = fields.Datetime(readonly=True)
    queued_count = fields.Integer("Queued", readonly=True)
    job_ids = fields.One2many("quickbooks.sync.job", "run_id", string="Jobs", readonly=True)
    sent_count = fields.Integer("Sent", compute="_compute_progress")
    failed_count = fields.Integer("Failed", compute="_compute_progress")
    pending_count = fields.Integer("To send", compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", help="Share of the queued jobs that are finished.")
    time_left = fields.Char("Time left", compute="_compute_progress",
                            help="At QuickBooks' rate: 500 operations a minute for one company.")

    _one_running = models.UniqueIndex("(connection_id) WHERE state = 'running'",
                                      "A Sync everything run of this company is still sending.")

    @api.depends("job_ids.state", "queued_count")
    def _compute_progress(self):
        counts = {}
        if self.ids:
            for run, state, count in self.env["quickbooks.sync.job"].sudo()._read_group(
                    [("run_id", "in", self.ids)], groupby=["run_id", "state"], aggregates=["__count"]):
                counts.setdefault(run.id, {})[state] = count
        for run in self:
            by_state = counts.get(run.id, {})
            run.sent_count = by_state.get("done", 0)
            run.failed_count = by_state.get("failed", 0) + by_state.get("conflict", 0)
            run.pending_count = by_state.get("pending", 0) + by_state.get("running", 0)
            total = sum(by_state.values()) or run.queued_count
            run.progress = 100.0 * (total - run.pending_count) / total if total else 100.0
            if run.state == "done" or not run.pending_count:
                run.time_left = False
            else:
                minutes = run.pending_count / OPERATIONS_PER_MINUTE
                run.time_left = (self.env._("about %s minutes", max(round(minutes), 1)) if minutes >= 1
                                 else self.env._("less than a minute"))

    @api.depends("company_id", "started_at")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._("Sync everything of %(company)s, %(date)s",
                                          company=run.company_id.name or "", date=run.started_at or "")

    # -- end of a run -------------------------------------------------------------------------------

    @api.model
    def _check_finished(self):
        """Runs whose jobs are all finished: done, and their starter is told (called by the
        queue's workers after each batch; one query when nothing finished)."""
        self.env.cr.execute(
            """SELECT run.id FROM quickbooks_sync_run run
                WHERE run.state = 'running'
                  AND NOT EXISTS (SELECT 1 FROM quickbooks_sync_job job
                                   WHERE job.run_id = run.id AND job.state IN ('pending', 'running'))
                  FOR UPDATE SKIP LOCKED"""
        )
        runs = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for run in runs:
            run.write({"state": "done", "finished_at": fields.Datetime.now()})
            run._notify_done()
        return runs

    def _notify_done(self):
        self.ensure_one()
        if self.failed_count:
            message = self.env._("Sync everything of %(company)s is done: %(sent)s sent, %(failed)s failed.",
                                 company=self.company_id.name, sent=self.sent_count, failed=self.failed_count)
        else:
            message = self.env._("Sync everything of %(company)s is done: %(sent)s sent.",
                                 company=self.company_id.name, sent=self.sent_count)
        # The inbox keeps it, with a link to the run and its failures; the bus shows it now.
        self.message_post(body=message, partner_ids=self.user_id.partner_id.ids, subtype_xmlid="mail.mt_comment")
        self.user_id._bus_send("simple_notification", {
            "title": self.env._("QuickBooks"), "message": message, "sticky": bool(self.failed_count),
            "type": "warning" if self.failed_count else "success",
        })

    # -- actions -------------------------------------------------------------------------------------

    def action_open_jobs(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_sync_job")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_failed": 1} if self.failed_count else {}
        return action

    def action_open_failed(self):
        self.ensure_one()
        self.check_access("read")
        if not self.failed_count:
            raise UserError(self.env._("Nothing failed in this run."))
        return self.action_open_jobs()
