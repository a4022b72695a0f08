import logging
import os
import random
import socket
import time
import uuid
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

JOB_STATES = [
    ("pending", "Pending"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("conflict", "Conflict"),
    ("cancelled", "Cancelled"),
]
OPERATIONS = [("push", "Create or update"), ("delete", "Delete"), ("void", "Void")]
# Lower runs first: what invoices refer to must exist in QuickBooks before them.
PRIORITY = {"res.partner": 10, "product.product": 10, "account.move": 20, "account.payment": 30}
BATCH_SIZE = 30  # QuickBooks' batch endpoint takes 30 operations
# A worker takes three batches' worth at a time: the customers and items they need are then
# created in full batches too (40 batch requests a minute must carry QuickBooks' 500 writes).
CLAIM_SIZE = 3 * BATCH_SIZE
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
# A running job whose worker holds no lock any more is requeued, but not before this grace:
# a worker commits "running" a moment before it locks the rows it works on.
DEAD_JOB_GRACE = timedelta(seconds=60)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def backoff_delay(attempts):
    """Exponential backoff with full jitter: 30 s, 1 min, 2 min ... capped at an hour."""
    ceiling = min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)
    return ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 - jitter, not security


class QuickbooksSyncJob(models.Model):
    """One record to send to QuickBooks (or delete, or void): the queue and the sync log.

    States: pending -> running -> done | failed | conflict (| cancelled by a person).
    Workers claim pending jobs with ``FOR UPDATE SKIP LOCKED`` and commit them as running,
    then hold a row lock on them while they work; a job left running without a lock (its
    worker died) goes back to pending, flagged uncertain so that the next attempt looks the
    object up in QuickBooks before creating it again.
    """

    _name = "quickbooks.sync.job"
    _description = "QuickBooks Sync Job"
    _order = "id desc"
    _rec_name = "display_name"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID")
    res_model = fields.Char("Odoo Model", required=True, index=True)
    res_id = fields.Many2oneReference("Odoo Record ID", model_field="res_model", required=True)
    record_name = fields.Char("Record", help="The record's name when the job was queued.")
    model_description = fields.Char("Document Type", compute="_compute_model_description")
    operation = fields.Selection(OPERATIONS, required=True, default="push")
    qbo_entity = fields.Char("QuickBooks Type", help="A partner can be a Customer and a Vendor: one job each.")
    qbo_id = fields.Char("QuickBooks ID")
    qbo_doc_number = fields.Char("QuickBooks Number")
    state = fields.Selection(JOB_STATES, required=True, default="pending", index=True)
    priority = fields.Integer(default=20)
    attempts = fields.Integer(readonly=True)
    max_attempts = fields.Integer(default=6)
    next_attempt_at = fields.Datetime("Next Attempt", default=fields.Datetime.now, index=True)
    started_at = fields.Datetime(readonly=True)
    done_at = fields.Datetime(readonly=True)
    worker = fields.Char(readonly=True)
    request_id = fields.Char(
        "Request ID", readonly=True, copy=False,
        default=lambda self: uuid.uuid4().hex,
        help="Sent as QuickBooks' requestid with this job's single writes, so that a repeat after a lost "
             "answer creates nothing.",
    )
    uncertain = fields.Boolean(
        help="An earlier attempt may have reached QuickBooks without Odoo learning the outcome; the next "
             "attempt looks the object up before creating it.",
    )
    fault_code = fields.Char("QuickBooks Code", readonly=True)
    fault_message = fields.Text("Error", readonly=True)
    hint = fields.Text("What to do", readonly=True)
    http_status = fields.Integer("HTTP Status", readonly=True)
    intuit_tid = fields.Char("Intuit Transaction ID", readonly=True, help="Quote it to Intuit support.")
    payload = fields.Text("Sent", readonly=True)
    response = fields.Text("Received", readonly=True)
    conflict_details = fields.Json(readonly=True)
    conflict_html = fields.Html("Conflict", compute="_compute_conflict_html", sanitize=True)
    user_id = fields.Many2one("res.users", "Queued by", default=lambda self: self.env.user, readonly=True)

    _pending_uniq = models.UniqueIndex(
        "(connection_id, res_model, res_id, operation, qbo_entity) WHERE state = 'pending'",
        "This record already waits in the QuickBooks queue.",
    )
    _claim_idx = models.Index("(state, next_attempt_at, priority, id)")
    _record_idx = models.Index("(res_model, res_id)")

    @api.depends("operation", "record_name", "qbo_entity")
    def _compute_display_name(self):
        labels = dict(OPERATIONS)
        for job in self:
            operation = labels.get(job.operation, job.operation)
            job.display_name = f"{operation} {job.qbo_entity or ''} {job.record_name or ''}".replace("  ", " ")

    @api.depends("res_model", "qbo_entity")
    def _compute_model_description(self):
        # "Journal Entry" says little in a sync log: name the document as people know it.
        known = {
            "Invoice": self.env._("Customer Invoice"), "CreditMemo": self.env._("Credit Note"),
            "Payment": self.env._("Customer Payment"), "Customer": self.env._("Customer"),
            "Vendor": self.env._("Vendor"), "Item": self.env._("Product"),
        }
        for job in self:
            model = self.env.get(job.res_model) if job.res_model else None
            job.model_description = known.get(job.qbo_entity) or (
                model._description if model is not None else job.res_model)

    @api.depends("conflict_details")
    def _compute_conflict_html(self):
        for job in self:
            rows = job.conflict_details or []
            if not rows:
                job.conflict_html = False
                continue
            cells = "".join(
                f"<tr><td>{field}</td><td>{odoo}</td><td>{qbo}</td></tr>"
                for field, odoo, qbo in ((r.get("field"), r.get("odoo"), r.get("quickbooks")) for r in rows)
            )
            job.conflict_html = (
                "<table class='table table-sm'><thead><tr><th>Field</th><th>Odoo</th><th>QuickBooks</th>"
                f"</tr></thead><tbody>{cells}</tbody></table>"
            )

    # -- queueing ------------------------------------------------------------------------------

    @api.model
    def _enqueue(self, connection, records, operation="push", qbo_entity=None, qbo_ids=None, trigger=True):
        """Queue ``records`` once each: a record already pending for this operation is left
        as it is (a unique index, not a search, so concurrent saves cannot queue it twice).
        Returns the pending jobs of those records."""
        if not records:
            return self.browse()
        # Part of the one-pending-job key (NULLs would never collide): always set.
        qbo_entity = qbo_entity or records._quickbooks_entity
        if not qbo_entity:
            raise ValueError(f"no QuickBooks type for {records._name} jobs")
        now = fields.Datetime.now()
        priority = PRIORITY.get(records._name, 20)
        rows = []
        for record in records:
            rows.append((
                connection.id, connection.company_id.id, connection.realm_id, records._name, record.id,
                (record.display_name or "")[:200], operation, qbo_entity,
                (qbo_ids or {}).get(record.id), "pending", priority, 0, 6, now, uuid.uuid4().hex,
                self.env.uid, self.env.uid, now, self.env.uid, now,
            ))
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self._insert_pending(rows)
        except SerializationFailure:
            # Under REPEATABLE READ, a pending job committed by a concurrent transaction after
            # our snapshot makes ON CONFLICT raise instead of skip: that job is the one we
            # wanted.  Insert the others one by one.
            for row in rows:
                try:
                    with self.env.cr.savepoint(flush=False):
                        self._insert_pending([row])
                except SerializationFailure:
                    continue
        jobs = self.sudo().search([
            ("connection_id", "=", connection.id), ("res_model", "=", records._name),
            ("res_id", "in", records.ids), ("operation", "=", operation), ("qbo_entity", "=", qbo_entity),
            ("state", "=", "pending"),
        ])
        if trigger:
            self._trigger_processing()
        return jobs

    def _insert_pending(self, rows):
        placeholders = ",".join(["%s"] * len(rows))
        self.env.cr.execute(
            f"""INSERT INTO quickbooks_sync_job (connection_id, company_id, realm_id, res_model, res_id, record_name,
                    operation, qbo_entity, qbo_id, state, priority, attempts, max_attempts, next_attempt_at,
                    request_id, user_id, create_uid, create_date, write_uid, write_date)
                VALUES {placeholders}
                ON CONFLICT (connection_id, res_model, res_id, operation, qbo_entity)
                WHERE state = 'pending' DO NOTHING""",  # noqa: S608
            rows,
        )

    @api.model
    def _enqueue_deletion(self, connection, res_model, res_id, qbo_entity, qbo_id, name):
        """Queue the deletion in QuickBooks of a record already deleted in Odoo."""
        job = self.sudo().create({
            "connection_id": connection.id, "realm_id": connection.realm_id, "res_model": res_model,
            "res_id": res_id, "record_name": name, "operation": "delete", "qbo_entity": qbo_entity,
            "qbo_id": qbo_id, "priority": PRIORITY.get(res_model, 20),
        })
        self._trigger_processing()
        return job

    @api.model
    def _trigger_processing(self, at=None):
        """Wake the queue cron now: a save is synced within seconds, the periodic run is the sweep."""
        cron = self.env.ref("quickbooks_sync.ir_cron_quickbooks_push", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    # -- claiming and crash recovery ----------------------------------------------------------

    @api.model
    def _claim(self, limit=CLAIM_SIZE):
        """Mark up to ``limit`` due jobs of one connection as running, for this worker.
        The caller commits at once; ``SKIP LOCKED`` keeps concurrent workers apart."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            WITH due AS (
                SELECT job.id, job.connection_id
                  FROM quickbooks_sync_job job
                  JOIN quickbooks_connection connection ON connection.id = job.connection_id
                 WHERE job.state = 'pending' AND job.next_attempt_at <= %(now)s
                   AND connection.sync_enabled AND connection.realm_id IS NOT NULL
                   -- a disconnected company, or one whose authorization died, syncs nothing
                   AND EXISTS (SELECT 1 FROM quickbooks_credential credential
                                WHERE credential.connection_id = connection.id
                                  AND credential.refresh_token_encrypted IS NOT NULL
                                  AND credential.refresh_error IS NULL)
                 ORDER BY job.priority, job.next_attempt_at, job.id
                 LIMIT 1
                   FOR UPDATE OF job SKIP LOCKED
            ), batch AS (
                SELECT job.id
                  FROM quickbooks_sync_job job
                 WHERE job.state = 'pending' AND job.next_attempt_at <= %(now)s
                   AND job.connection_id = (SELECT connection_id FROM due)
                 ORDER BY job.priority, job.next_attempt_at, job.id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE quickbooks_sync_job job
               SET state = 'running', started_at = %(now)s, worker = %(worker)s,
                   attempts = job.attempts + 1, write_date = %(now)s
              FROM batch WHERE job.id = batch.id
            RETURNING job.id
            """,
            {"now": now, "limit": limit, "worker": WORKER},
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return self.browse(sorted(ids))

    def _lock_claimed(self):
        """Hold row locks on our running jobs for as long as this transaction works on them:
        that is how the reaper knows their worker is alive."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM quickbooks_sync_job WHERE id IN %s FOR UPDATE", (tuple(self.ids),)
            )

    @api.model
    def _requeue_dead_jobs(self):
        """Running jobs nobody holds (their worker was killed) go back to the queue, uncertain."""
        limit = fields.Datetime.now() - DEAD_JOB_GRACE
        self.env.cr.execute(
            """
            WITH dead AS (
                SELECT id FROM quickbooks_sync_job
                 WHERE state = 'running' AND started_at < %s
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE quickbooks_sync_job job
               SET state = 'pending', uncertain = TRUE, next_attempt_at = %s, worker = NULL
              FROM dead WHERE job.id = dead.id
            RETURNING job.id
            """,
            (limit, fields.Datetime.now()),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            _logger.warning("Requeued %d QuickBooks jobs whose worker stopped: %s", len(ids), ids)
        self.invalidate_model()
        return ids

    # -- processing -------------------------------------------------------------------------------

    @api.model
    def _cron_process_queue(self, time_budget=None):
        """The queue worker: claim a batch, process it, commit; until the queue is empty or the
        time budget is spent.  Each step runs in a transaction of its own."""
        from ..sync.engine import PushEngine  # noqa: PLC0415 - the engine imports the models' helpers

        budget = time_budget if time_budget is not None else float(
            self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.worker_time_budget", 50)
        )
        deadline = time.monotonic() + budget
        registry = self.env.registry
        self._in_new_transaction(lambda jobs: jobs._requeue_dead_jobs())
        processed = 0
        while time.monotonic() < deadline:
            claimed_ids = self._in_new_transaction(lambda jobs: jobs._claim().ids) or []
            if not claimed_ids:
                break
            with registry.cursor() as cr:
                jobs = self.with_env(self.env(cr=cr)).sudo().browse(claimed_ids)
                jobs._lock_claimed()
                try:
                    PushEngine(jobs).run()
                except Exception as exc:  # the engine handles QuickBooks errors; this is a bug
                    _logger.exception("QuickBooks push failed unexpectedly")
                    cr.rollback()
                    jobs.invalidate_recordset()
                    jobs._lock_claimed()
                    jobs._reschedule(str(exc), hint="Unexpected error in the sync; see the server log.")
            processed += len(claimed_ids)
        return processed

    def _in_new_transaction(self, func, attempts=5):
        """Run ``func(jobs)`` in a transaction of its own, committed at once.  Under REPEATABLE
        READ, rows another worker claimed after our snapshot began raise a serialization
        failure instead of being skipped: a new transaction (a new snapshot) sees them as taken."""
        for attempt in range(attempts):
            try:
                with self.env.registry.cursor() as cr:
                    return func(self.with_env(self.env(cr=cr)).sudo())
            except SerializationFailure:
                time.sleep(0.02 * (attempt + 1))
        return None

    def _reschedule(self, message, hint="", fault=None, uncertain=None):
        """Back to pending with backoff, or failed for good after max_attempts."""
        for job in self:
            values = job._fault_values(message, hint, fault)
            if uncertain is not None:
                values["uncertain"] = uncertain or job.uncertain
            if job.attempts >= job.max_attempts:
                values.update(state="failed", done_at=fields.Datetime.now())
                job.write(values)
                job._on_failed_for_good()
            else:
                values.update(state="pending", worker=False,
                              next_attempt_at=fields.Datetime.now() + timedelta(seconds=backoff_delay(job.attempts)))
                job.write(values)

    def _fail(self, message, hint="", fault=None, state="failed"):
        for job in self:
            values = job._fault_values(message, hint, fault)
            values.update(state=state, done_at=fields.Datetime.now(), worker=False)
            job.write(values)
            job._on_failed_for_good()

    @staticmethod
    def _fault_values(message, hint, fault):
        values = {"fault_message": message, "hint": hint or False}
        if fault is not None:
            values.update(
                fault_code=fault.code or False,
                http_status=fault.http_status or 0,
                intuit_tid=fault.intuit_tid or False,
            )
        return values

    def _on_failed_for_good(self):
        """Visible where people look: the record's chatter and an activity for a QuickBooks manager."""
        self.ensure_one()
        record = self._record()
        if not record or not hasattr(record, "message_post"):
            return
        body = self.env._(
            "Sync to QuickBooks failed: %(error)s %(hint)s", error=self.fault_message or "", hint=self.hint or ""
        )
        record.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        manager = self._manager_to_notify()
        if manager and hasattr(record, "activity_schedule"):
            record.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Fix the QuickBooks sync"),
                note=body,
                user_id=manager.id,
            )

    def _manager_to_notify(self):
        group = self.env.ref("quickbooks_sync.group_quickbooks_manager")
        if self.user_id and group in self.user_id.all_group_ids:
            return self.user_id
        return group.sudo().all_user_ids.filtered(lambda u: not u.share and u.active)[:1]

    def _record(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        record = self.env[self.res_model].browse(self.res_id).exists()
        return record or None

    # -- actions ----------------------------------------------------------------------------------
    # Jobs are written by the addon only (people have read access): these actions check, before
    # anything happens, that the user may read the jobs and the Odoo records they are about.

    def _check_job_access(self):
        self.check_access("read")
        by_model = {}
        for job in self.sudo():
            by_model.setdefault(job.res_model, set()).add(job.res_id)
        for model, ids in by_model.items():
            if model in self.env:
                self.env[model].browse(ids).exists().check_access("read")

    def action_retry(self):
        self._check_job_access()
        jobs = self.sudo()
        retryable = jobs.filtered(lambda j: j.state in ("failed", "conflict", "cancelled"))
        for job in retryable:
            already = jobs.search_count([
                ("connection_id", "=", job.connection_id.id), ("res_model", "=", job.res_model),
                ("res_id", "=", job.res_id), ("operation", "=", job.operation), ("qbo_entity", "=", job.qbo_entity),
                ("state", "=", "pending"),
            ])
            if already:
                job.state = "cancelled"
                continue
            job.write({"state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(),
                       "fault_code": False, "fault_message": False, "hint": False, "done_at": False,
                       "started_at": False, "http_status": 0, "intuit_tid": False})
        if retryable:
            self._trigger_processing()
        return True

    def action_cancel(self):
        self._check_job_access()
        jobs = self.sudo()
        if jobs.filtered(lambda j: j.state == "running"):
            raise UserError(self.env._("A running job cannot be cancelled; wait for it to finish."))
        jobs.filtered(lambda j: j.state in ("pending", "failed", "conflict")).write(
            {"state": "cancelled", "done_at": fields.Datetime.now()}
        )
        return True

    def action_process_now(self):
        """Send what is due now instead of waiting for the cron (Sync Log button; the
        selection, if any, does not matter: the whole due queue is sent).  The queue is
        worked here only when every company with due jobs is one of the user's; otherwise the
        queue's cron is woken, which sends them as its periodic run would."""
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can run the queue by hand."))
        self._check_job_access()
        due = self.sudo().search([("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())])
        connections = due.connection_id
        if self.env["quickbooks.connection"].search_count([("id", "in", connections.ids)]) < len(connections):
            self._trigger_processing()
            message = self.env._("The queue is being sent in the background.")
        else:
            processed = self.sudo()._cron_process_queue(time_budget=50)
            message = self.env._("%s job(s) processed.", processed)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_record(self):
        self.ensure_one()
        self._check_job_access()
        record = self._record()
        if not record:
            raise UserError(self.env._("The Odoo record of this job no longer exists."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form", "target": "current"}
