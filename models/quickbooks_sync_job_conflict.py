from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class QuickbooksSyncJob(models.Model):
    """One-click conflict resolution: a job in *conflict* (a push that met QuickBooks' changes,
    sync/engine.py, or a change from QuickBooks that met Odoo's, sync/pull_master.py) lists its
    fields with *Keep Odoo's value* / *Take QuickBooks' value*, each or for all; once every
    field is decided, the sync goes on (sync/resolve.py)."""

    _inherit = "quickbooks.sync.job"

    conflict_line_ids = fields.One2many("quickbooks.sync.conflict", "job_id", "Conflicting fields", readonly=True)
    conflict_open = fields.Boolean(compute="_compute_conflict_open")

    @api.depends("state", "superseded_by_id", "conflict_line_ids.decision")
    def _compute_conflict_open(self):
        for job in self:
            job.conflict_open = job.state == "conflict" and not job.superseded_by_id and any(
                not line.decision for line in job.conflict_line_ids)

    def write(self, vals):
        result = super().write(vals)
        if "conflict_details" in vals:
            self._sync_conflict_lines()
        return result

    def _sync_conflict_lines(self):
        """One line per row of ``conflict_details`` (the rows are the truth)."""
        lines = self.env["quickbooks.sync.conflict"].sudo()
        for job in self:
            job.sudo().conflict_line_ids.unlink()
            lines.create([{
                "job_id": job.id, "row": index, "field": str(row.get("field") or "")[:255],
                "odoo_value": str(row.get("odoo") or "")[:1000], "qbo_value": str(row.get("quickbooks") or "")[:1000],
                "decision": row.get("decision") or False,
            } for index, row in enumerate(job.conflict_details or [])])

    def _check_conflict_access(self):
        """Managers only, on jobs (and records) of their companies."""
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can settle conflicts."))
        self._check_job_access()
        for job in self.sudo():
            if job.state != "conflict":
                raise UserError(self.env._("%s is not in conflict (any more).", job.display_name))
            if job.superseded_by_id:
                raise UserError(self.env._("A newer entry replaces this one: settle %s instead.",
                                           job.superseded_by_id.display_name))
            record = job._conflict_record()
            if record is not None:
                record.check_access("write")

    def _conflict_record(self):
        """The Odoo record a conflict is about (an incoming job points at QuickBooks' object)."""
        self.ensure_one()
        if self.operation == "pull":
            pulled = self.env["quickbooks.pull.object"].sudo().browse(self.res_id).exists()
            record = pulled._odoo_record() if pulled else None
            return self.env[record._name].browse(record.id) if record else None
        record = self._record()
        return self.env[record._name].browse(record.id) if record else None

    def action_conflict_keep_odoo_all(self):
        return self._resolve_all("odoo")

    def action_conflict_take_quickbooks_all(self):
        return self._resolve_all("quickbooks")

    def _resolve_all(self, decision):
        result = True
        for job in self:
            rows = {index: decision for index, row in enumerate(job.sudo().conflict_details or [])
                    if not row.get("decision")}
            result = job._resolve_conflicts(rows)
        return result

    def _resolve_conflicts(self, decisions):
        """Apply ``decisions`` (``{row: "odoo" | "quickbooks"}``) to this job's conflict."""
        self.ensure_one()
        self._check_conflict_access()
        from ..sync.resolve import resolve  # noqa: PLC0415 - the sync layer imports the models' helpers

        message = resolve(self.sudo(), decisions)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"type": "success", "message": message,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }
