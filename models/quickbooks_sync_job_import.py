from odoo import api, fields, models


class QuickbooksSyncJob(models.Model):
    """Imports from QuickBooks leave their trace in the same sync log as pushes: one entry per
    run (what was asked, what was done, the full list attached) and one per QuickBooks record
    that was skipped, with the reason.  These entries are a record of the past: they are never
    queued, claimed or retried."""

    _inherit = "quickbooks.sync.job"

    operation = fields.Selection(
        selection_add=[("import", "Import from QuickBooks")], ondelete={"import": "cascade"},
    )
    # An import in progress is "importing", never "running": the queue requeues running jobs
    # whose worker holds no lock, and an import's entry is not a queue job.
    state = fields.Selection(
        selection_add=[("importing", "Importing"), ("skipped", "Skipped")],
        ondelete={"importing": "cascade", "skipped": "cascade"},
    )
    progress = fields.Char(readonly=True, help="What a running import is doing now.")
    summary = fields.Json(readonly=True, help="Counts of an import run (new, linked, created, skipped...).")

    @api.model
    def _log_import(self, connection, name, qbo_entity=False, summary=None, state="done", payload=None):
        """The entry of one import run (created in the caller's transaction)."""
        now = fields.Datetime.now()
        return self.sudo().create({
            "connection_id": connection.id,
            "realm_id": connection.realm_id,
            "res_model": "quickbooks.connection",
            "res_id": connection.id,
            "record_name": name,
            "operation": "import",
            "qbo_entity": qbo_entity,
            "state": state,
            "attempts": 1,
            "started_at": now,
            "done_at": now if state in ("done", "failed") else False,
            "payload": payload,
            "summary": summary,
        })

    @api.model
    def _log_skipped(self, connection, skipped):
        """One entry per QuickBooks record left out: ``skipped`` is a list of
        ``(qbo_entity, qbo_id, name, reason, hint)``."""
        now = fields.Datetime.now()
        return self.sudo().create([{
            "connection_id": connection.id,
            "realm_id": connection.realm_id,
            "res_model": "quickbooks.connection",
            "res_id": connection.id,
            "record_name": (name or "")[:200],
            "operation": "import",
            "qbo_entity": qbo_entity,
            "qbo_id": qbo_id,
            "state": "skipped",
            "attempts": 1,
            "started_at": now,
            "done_at": now,
            "fault_message": reason,
            "hint": hint or False,
        } for qbo_entity, qbo_id, name, reason, hint in skipped])

    def action_download_list(self):
        """The full list of an import run (every record and what was done with it)."""
        self.ensure_one()
        self.check_access("read")
        attachment = self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id desc", limit=1,
        )
        if not attachment:
            return False
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
