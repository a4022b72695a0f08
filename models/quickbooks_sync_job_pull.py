import time

from odoo import api, fields, models
from odoo.exceptions import UserError

from .quickbooks_sync_job import WORKER

PULL_PRIORITY = 40


class QuickbooksSyncJob(models.Model):
    """Changes made in QuickBooks come back as jobs of the same Sync Log: direction
    *incoming*, operation *pull*.  An incoming job points at the QuickBooks object's
    ``quickbooks.pull.object`` (one pending job per object, whatever the number of
    notifications), is claimed by the pull worker (never by the push queue), retried with
    backoff, and fails with QuickBooks' fault code and a plain-language hint like a push."""

    _inherit = "quickbooks.sync.job"

    direction = fields.Selection(
        [("outgoing", "To QuickBooks"), ("incoming", "From QuickBooks")],
        default="outgoing", required=True, index=True,
    )
    operation = fields.Selection(
        selection_add=[("pull", "Change from QuickBooks")], ondelete={"pull": "cascade"},
    )
    pull_result = fields.Char("Result", readonly=True, help="What the change did in Odoo.")
    source = fields.Selection(
        [("webhook", "Webhook"), ("cdc", "Change data capture"), ("query", "Query"), ("retry", "Retry")],
        readonly=True, help="How Odoo learnt of the change.",
    )

    def init(self):
        result = super().init()
        # The queue inserts its jobs with SQL of its own (``_enqueue``, Sync everything): a job
        # whose direction is not given goes to QuickBooks.
        self.env.cr.execute("ALTER TABLE quickbooks_sync_job ALTER COLUMN direction SET DEFAULT 'outgoing'")
        return result

    @api.model
    def _enqueue_incoming(self, connection, qbo_entity, changes, source):
        """Queue one incoming job per changed QuickBooks object (``changes``: ``{qbo_id:
        operation}``); an object that already has one waiting is not queued again.  Returns the
        number of jobs queued now."""
        if not changes:
            return 0
        objects = self.env["quickbooks.pull.object"].sudo()._ensure(connection, qbo_entity, changes)
        now = fields.Datetime.now()
        rows = [
            (connection.id, connection.company_id.id, connection.realm_id, "quickbooks.pull.object", objects[qbo_id],
             f"{qbo_entity} {qbo_id}", "pull", qbo_entity, qbo_id, "pending", PULL_PRIORITY, 0, 6, now,
             f"{source}:{operation}", self.env.uid, now, self.env.uid, now, "incoming", source)
            for qbo_id, operation in sorted(changes.items())
        ]
        self.env.cr.execute(
            f"""INSERT INTO quickbooks_sync_job (connection_id, company_id, realm_id, res_model, res_id, record_name,
                    operation, qbo_entity, qbo_id, state, priority, attempts, max_attempts, next_attempt_at,
                    request_id, create_uid, create_date, write_uid, write_date, direction, source)
                VALUES {','.join(['%s'] * len(rows))}
                ON CONFLICT (connection_id, res_model, res_id, operation, qbo_entity)
                WHERE state = 'pending' DO NOTHING
                RETURNING id""",  # noqa: S608 - placeholders only
            rows,
        )
        queued = len(self.env.cr.fetchall())
        self.invalidate_model()
        return queued

    @api.model
    def _trigger_incoming(self):
        cron = self.env.ref("quickbooks_sync.ir_cron_quickbooks_pull_queue", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _claim_incoming(self, limit=90, connection_id=None):
        """Mark up to ``limit`` due incoming jobs of one company as running (the caller commits)."""
        now = fields.Datetime.now()
        connection_ids = self.env["quickbooks.connection"]._pull_connection_ids()
        if connection_id:
            connection_ids = [cid for cid in connection_ids if cid == connection_id]
        if not connection_ids:
            return self.browse()
        self.env.cr.execute(
            """
            WITH batch AS (
                SELECT job.id FROM quickbooks_sync_job job
                 WHERE job.state = 'pending' AND job.operation = 'pull' AND job.next_attempt_at <= %(now)s
                   AND job.connection_id = (
                       SELECT first.connection_id FROM quickbooks_sync_job first
                        WHERE first.state = 'pending' AND first.operation = 'pull'
                          AND first.next_attempt_at <= %(now)s AND first.connection_id IN %(connections)s
                        ORDER BY first.next_attempt_at, first.id LIMIT 1)
                 ORDER BY job.next_attempt_at, job.id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE quickbooks_sync_job job
               SET state = 'running', started_at = %(now)s, worker = %(worker)s, attempts = job.attempts + 1,
                   write_date = %(now)s
              FROM batch WHERE job.id = batch.id
            RETURNING job.id
            """,
            {"now": now, "limit": limit, "connections": tuple(connection_ids), "worker": WORKER},
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        self.invalidate_model()
        return self.browse(ids)

    @api.model
    def _cron_process_incoming(self, time_budget=None):
        """The incoming worker: claim a batch of one company, apply it, until nothing is due."""
        from ..sync.pull import PullEngine  # noqa: PLC0415 - the engine imports the models' helpers

        deadline = time.monotonic() + (time_budget if time_budget is not None else 50)
        self._in_new_transaction(lambda jobs: jobs._requeue_dead_jobs())
        processed = 0
        while time.monotonic() < deadline:
            claimed = self._in_new_transaction(lambda jobs: jobs._claim_incoming().ids) or []
            if not claimed:
                break
            connection_id = self._in_new_transaction(lambda jobs, first=claimed[0]: jobs.browse(first).connection_id.id)
            PullEngine(self.env["quickbooks.connection"].sudo().browse(connection_id)).process_jobs(claimed)
            processed += len(claimed)
        return processed

    @api.model
    def _cron_pull_changes(self):
        """The safety net: change data capture for every company that may pull."""
        from ..sync.pull import PullEngine  # noqa: PLC0415

        for connection_id in self.env["quickbooks.connection"].sudo()._pull_connection_ids():
            PullEngine(self.env["quickbooks.connection"].sudo().browse(connection_id)).run_cdc()

    def action_retry(self):
        incoming = self.filtered(lambda job: job.operation == "pull")
        result = super().action_retry()
        if incoming:
            self._trigger_incoming()
        return result

    def action_open_record(self):
        self.ensure_one()
        if self.operation != "pull":
            return super().action_open_record()
        self._check_job_access()
        pulled = self.env["quickbooks.pull.object"].sudo().browse(self.res_id).exists()
        record = pulled._odoo_record() if pulled else None
        if not record:
            raise UserError(self.env._("Nothing was registered in Odoo for this QuickBooks change."))
        record.check_access("read")
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "target": "current"}


