import logging
import os
import random
import socket
import time
import uuid
from datetime import timedelta

from markupsafe import Markup
from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..transport.ratelimit import minute_room, parse_limits

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
# Jobs the queue works one record at a time, which Retry and Cancel apply to (a change coming from
# QuickBooks, "pull", is one too); the others are runs of their own (imports, reconciliations).
QUEUED_OPERATIONS = ("push", "delete", "void", "pull")
# Lower runs first: what invoices refer to must exist in QuickBooks before them.
PRIORITY = {"res.partner": 10, "product.product": 10, "account.move": 20, "account.payment": 30}
BATCH_SIZE = 30  # QuickBooks' batch endpoint takes 30 operations
# A worker takes three batches' worth at a time: the customers and items they need are then
# created in full batches too (40 batch requests a minute must carry QuickBooks' 500 writes).
CLAIM_SIZE = 3 * BATCH_SIZE
# A company with less room than this in QuickBooks' minute is passed over while another can send.
MIN_ROOM = 10
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
# A running job whose worker holds no lock any more is requeued, but not before this grace:
# a worker commits "running" a moment before it locks the rows it works on.
DEAD_JOB_GRACE = timedelta(seconds=60)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def backoff_delay(attempts, base=RETRY_BASE_SECONDS):
    """Exponential backoff with full jitter: 30 s, 1 min, 2 min ... capped at an hour."""
    ceiling = min(base * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)
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
        "In doubt",
        help="An earlier attempt may have reached QuickBooks without Odoo learning the outcome; the next "
             "attempt looks the object up before creating it, and the job is not given up while QuickBooks "
             "cannot answer.",
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
    run_id = fields.Many2one("quickbooks.sync.run", "Sync everything run", index=True, ondelete="set null",
                             readonly=True)
    superseded_by_id = fields.Many2one(
        "quickbooks.sync.job", "Superseded by", readonly=True, index="btree_not_null", ondelete="set null",
        help="A later job sent the same record successfully: this failure is history, out of the default view.",
    )
    activity_id = fields.Many2one(
        "mail.activity", "Activity", readonly=True, ondelete="set null",
        help="The \"Fix the QuickBooks sync\" activity this failure scheduled; done when the record syncs.",
    )
    interactive = fields.Boolean(
        "Asked by a person", readonly=True,
        help="Queued by a person's click (Sync to QuickBooks): it goes before background work of its company.",
    )

    _pending_uniq = models.UniqueIndex(
        "(connection_id, res_model, res_id, operation, qbo_entity) WHERE state = 'pending'",
        "This record already waits in the QuickBooks queue.",
    )
    _claim_idx = models.Index("(state, next_attempt_at, priority, id)")
    _record_idx = models.Index("(res_model, res_id)")

    @api.depends("operation", "record_name", "qbo_entity")
    def _compute_display_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for job in self:
            operation = labels.get(job.operation, job.operation)
            if job.operation in QUEUED_OPERATIONS:
                job.display_name = f"{operation} {job.qbo_entity or ''} {job.record_name or ''}".replace("  ", " ")
            else:
                # An import or reconciliation run names itself ("Sync reference data").
                job.display_name = job.record_name or operation

    @api.depends("res_model", "qbo_entity")
    def _compute_model_description(self):
        # "Journal Entry" says little in a sync log: name the document as people know it.
        known = {
            "Invoice": self.env._("Customer Invoice"), "CreditMemo": self.env._("Credit Note"),
            "Payment": self.env._("Customer Payment"), "Customer": self.env._("Customer"),
            "Vendor": self.env._("Vendor"), "Item": self.env._("Product"),
            "Bill": self.env._("Vendor Bill"), "VendorCredit": self.env._("Vendor Refund"),
            "Purchase": self.env._("Purchase Receipt"), "BillPayment": self.env._("Vendor Payment"),
        }
        # What a record owns besides its own object: a credit note's application, a payment's
        # write-off.
        owned = {
            ("account.move", "Payment"): self.env._("Credit Note Applied"),
            ("account.payment", "CreditMemo"): self.env._("Payment Write-off"),
            ("account.move", "BillPayment"): self.env._("Vendor Refund Applied"),
            ("account.payment", "Purchase"): self.env._("Expense Paid by the Company"),
        }
        for job in self:
            model = self.env.get(job.res_model) if job.res_model else None
            job.model_description = owned.get((job.res_model, job.qbo_entity)) or known.get(job.qbo_entity) or (
                model._description if model is not None else job.res_model)

    @api.depends("conflict_details")
    def _compute_conflict_html(self):
        for job in self:
            rows = job.conflict_details or []
            if not rows:
                job.conflict_html = False
                continue
            # What QuickBooks holds is anyone's text: escaped, never markup.
            cells = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (field or "", odoo or "", qbo or "")
                for field, odoo, qbo in ((r.get("field"), r.get("odoo"), r.get("quickbooks")) for r in rows)
            )
            job.conflict_html = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th>Odoo</th><th>QuickBooks</th>"
                "</tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Field"), cells)

    # -- queueing ------------------------------------------------------------------------------

    @api.model
    def _enqueue(self, connection, records, operation="push", qbo_entity=None, qbo_ids=None, trigger=True,
                 interactive=False):
        """Queue ``records`` once each: a record already pending for this operation is left
        as it is (a unique index, not a search, so concurrent saves cannot queue it twice),
        except that a person asking for it (``interactive``) moves it ahead, due now.
        Returns the pending jobs of those records."""
        if not records:
            return self.browse()
        interactive = interactive or bool(self.env.context.get("quickbooks_interactive"))
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
                self.env.uid, self.env.uid, now, self.env.uid, now, bool(interactive),
            ))
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self._insert_pending(rows, interactive)
        except SerializationFailure:
            # Under REPEATABLE READ, a pending job committed by a concurrent transaction after
            # our snapshot makes ON CONFLICT raise instead of skip: that job is the one we
            # wanted.  Insert the others one by one.
            for row in rows:
                try:
                    with self.env.cr.savepoint(flush=False):
                        self._insert_pending([row], interactive)
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

    def _insert_pending(self, rows, interactive=False):
        placeholders = ",".join(["%s"] * len(rows))
        # A person's click moves a record already waiting ahead, due now (a backoff included).
        conflict = ("DO UPDATE SET interactive = TRUE, next_attempt_at = LEAST(quickbooks_sync_job.next_attempt_at,"
                    " EXCLUDED.next_attempt_at), user_id = EXCLUDED.user_id" if interactive else "DO NOTHING")
        self.env.cr.execute(
            f"""INSERT INTO quickbooks_sync_job (connection_id, company_id, realm_id, res_model, res_id, record_name,
                    operation, qbo_entity, qbo_id, state, priority, attempts, max_attempts, next_attempt_at,
                    request_id, user_id, create_uid, create_date, write_uid, write_date, interactive)
                VALUES {placeholders}
                ON CONFLICT (connection_id, res_model, res_id, operation, qbo_entity)
                WHERE state = 'pending' {conflict}""",  # noqa: S608
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
        """Wake the queue's workers now: a save is synced within seconds, the periodic run is
        the sweep.  Each worker is a scheduled action running ``_cron_process_queue`` (two are
        shipped; an administrator may add more): all of them are woken."""
        for cron in self._queue_crons():
            cron._trigger(at)

    @api.model
    def _queue_crons(self):
        return self.env["ir.cron"].sudo().search([
            ("model_id.model", "=", self._name), ("code", "=like", "model._cron_process_queue(%"),
        ])

    # -- claiming and crash recovery ----------------------------------------------------------

    @api.model
    def _claim(self, limit=CLAIM_SIZE):
        """Mark up to ``limit`` due jobs of one company as running, for this worker; the caller
        commits at once (``SKIP LOCKED`` keeps concurrent workers apart).

        Which company: one with work a person is waiting for first; then one no other worker
        is serving; then the one that used least of QuickBooks' current minute.  A company whose
        minute is used up is skipped while another has room (its work waits for room rather than
        a worker waiting on it), and at most the room it has is claimed.  Returns the jobs;
        ``self.env.context`` is not used to pass anything back: see :meth:`_next_room_at`."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            SELECT job.connection_id, connection.realm_id, bool_or(job.interactive),
                   EXISTS (SELECT 1 FROM quickbooks_sync_job running
                            WHERE running.connection_id = job.connection_id AND running.state = 'running')
              FROM quickbooks_sync_job job
              JOIN quickbooks_connection connection ON connection.id = job.connection_id
             WHERE job.state = 'pending' AND job.next_attempt_at <= %(now)s
               AND job.operation != 'pull'  -- changes from QuickBooks: the pull worker's (sync/pull.py)
               AND connection.sync_enabled AND connection.realm_id IS NOT NULL
               -- QuickBooks Desktop's jobs go through the Web Connector's sessions (sync/desktop.py)
               AND connection.backend = 'online'
               -- a disconnected company, or one whose authorization died, syncs nothing
               AND EXISTS (SELECT 1 FROM quickbooks_credential credential
                            WHERE credential.connection_id = connection.id
                              AND credential.refresh_token_encrypted IS NOT NULL
                              AND credential.refresh_error IS NULL)
             GROUP BY job.connection_id, connection.realm_id
            """,
            {"now": now},
        )
        candidates = self.env.cr.fetchall()
        if not candidates:
            return self.browse()
        limits = parse_limits(self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.rate_limits"))
        rooms = minute_room(self.env.cr, list({realm for _c, realm, _i, _b in candidates}), limits)
        candidates.sort(key=lambda row: (not row[2], row[3], -(rooms.get(row[1]) if rooms.get(row[1]) is not None
                                                                 else 10**6), row[0]))
        for connection_id, realm_id, interactive, _busy in candidates:
            room = rooms.get(realm_id)
            if room is not None and room < MIN_ROOM and not interactive:
                continue  # its minute is used up: serve a company that can send now
            size = limit if room is None else max(min(limit, room), MIN_ROOM)
            ids = self._claim_from(connection_id, size, now)
            if ids:
                return self.browse(sorted(ids))
        return self.browse()

    def _claim_from(self, connection_id, limit, now):
        self.env.cr.execute(
            """
            WITH batch AS (
                SELECT job.id
                  FROM quickbooks_sync_job job
                 WHERE job.state = 'pending' AND job.next_attempt_at <= %(now)s
                   AND job.connection_id = %(connection)s AND job.operation != 'pull'
                 ORDER BY job.interactive DESC, job.priority, job.next_attempt_at, job.id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE quickbooks_sync_job job
               SET state = 'running', started_at = %(now)s, worker = %(worker)s,
                   attempts = job.attempts + 1, write_date = %(now)s
              FROM batch WHERE job.id = batch.id
            RETURNING job.id
            """,
            {"now": now, "limit": limit, "worker": WORKER, "connection": connection_id},
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return ids

    @api.model
    def _due_realms(self, now, except_connection=None):
        """The QuickBooks companies with due work that may be sent (connected, sync on)."""
        self.env.cr.execute(
            """SELECT DISTINCT connection.realm_id FROM quickbooks_sync_job job
                 JOIN quickbooks_connection connection ON connection.id = job.connection_id
                WHERE job.state = 'pending' AND job.next_attempt_at <= %s AND connection.sync_enabled
                  AND job.operation != 'pull'
                  AND connection.realm_id IS NOT NULL AND connection.id != %s
                  AND EXISTS (SELECT 1 FROM quickbooks_credential credential
                               WHERE credential.connection_id = connection.id
                                 AND credential.refresh_token_encrypted IS NOT NULL
                                 AND credential.refresh_error IS NULL)""",
            (now, except_connection or 0),
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _others_can_send(self, connection_id):
        """Has another company due work and room in its minute now?  Then a worker does not
        wait on this company's limit."""
        realms = self._due_realms(fields.Datetime.now(), except_connection=connection_id)
        if not realms:
            return False
        limits = parse_limits(self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.rate_limits"))
        return any(room is None or room >= MIN_ROOM for room in minute_room(self.env.cr, realms, limits).values())

    @api.model
    def _waiting_for_room(self):
        """Due work whose company has no room in QuickBooks' minute now: seconds until the
        first of them may go (None when there is none)."""
        now = fields.Datetime.now()
        realms = self._due_realms(now)
        if not realms:
            return None
        limits = parse_limits(self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.rate_limits"))
        windows = [window for window, _limit, kind in limits if kind == "weight"]
        if not windows:
            return None
        self.env.cr.execute(
            "SELECT MIN(at) FROM quickbooks_rate_event WHERE realm_id IN %s"
            " AND at > extract(epoch FROM clock_timestamp()) - %s",
            (tuple(realms), max(windows)),
        )
        oldest = self.env.cr.fetchone()[0]
        self.env.cr.execute("SELECT extract(epoch FROM clock_timestamp())")
        current = float(self.env.cr.fetchone()[0])
        return max((oldest + max(windows) - current) if oldest else 0.0, 0.0) + 0.5

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
        grace = self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.dead_job_grace_seconds")
        limit = fields.Datetime.now() - (timedelta(seconds=float(grace)) if grace else DEAD_JOB_GRACE)
        self.env.cr.execute(
            """
            WITH dead AS (
                SELECT id FROM quickbooks_sync_job
                 WHERE state = 'running' AND started_at < %s
                   -- a Web Connector session holds no lock between its calls (sync/desktop.py)
                   AND connection_id NOT IN (SELECT id FROM quickbooks_connection WHERE backend = 'desktop')
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
                # Due work whose company's minute is used up (and none elsewhere): wait for room
                # rather than for the next round of the cron.
                wait = self._in_new_transaction(lambda jobs: jobs._waiting_for_room())
                if wait is None or time.monotonic() + wait >= deadline:
                    if wait is not None:
                        self._in_new_transaction(lambda jobs, wait=wait: jobs._trigger_processing(
                            at=fields.Datetime.now() + timedelta(seconds=wait)))
                    break
                time.sleep(wait)
                continue
            with registry.cursor() as cr:
                jobs = self.with_env(self.env(cr=cr)).sudo().browse(claimed_ids)
                jobs._lock_claimed()
                try:
                    PushEngine(jobs).run()
                    jobs.env.flush_all()  # a concurrent update shows here, not at the commit
                except SerializationFailure:
                    # A user saved one of these records while they were being sent.  What
                    # QuickBooks answered is already stored (sync/ledger.py): the jobs go again
                    # in a moment and find it.
                    _logger.info("QuickBooks jobs %s met a concurrent update; they go again", claimed_ids)
                    self._after_rollback(cr, jobs, self.env._("Another transaction changed these records while "
                                                              "they were sent; they are sent again."),
                                         "", count_attempt=False, delay=2)
                except Exception as exc:
                    _logger.exception("QuickBooks push failed unexpectedly")
                    self._after_rollback(cr, jobs, str(exc), "Unexpected error in the sync; see the server log.")
            processed += len(claimed_ids)
            self._in_new_transaction(lambda jobs: jobs.env["quickbooks.sync.run"]._check_finished())
        return processed

    def _after_rollback(self, cr, jobs, message, hint, count_attempt=True, delay=None):
        """The batch's transaction failed: back to the queue, each job in doubt when QuickBooks
        may have received its record (a write in doubt committed by the ledger says so)."""
        cr.rollback()
        jobs.invalidate_recordset()
        jobs._lock_claimed()
        doubtful = jobs._with_write_in_doubt()
        for job in jobs:
            job._reschedule(message, hint=hint, uncertain=job in doubtful, count_attempt=count_attempt, delay=delay)

    def _with_write_in_doubt(self):
        """The jobs of ``self`` whose record QuickBooks may have without Odoo knowing it."""
        if not self:
            return self.browse()
        self.env.cr.execute(
            """SELECT job.id FROM quickbooks_sync_job job
                 JOIN quickbooks_write_intent intent
                   ON intent.res_model = job.res_model AND intent.res_id = job.res_id
                  AND intent.qbo_entity = job.qbo_entity AND intent.connection_id = job.connection_id
                WHERE job.id IN %s""",
            (tuple(self.ids),),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

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

    def _reschedule(self, message, hint="", fault=None, uncertain=None, count_attempt=True, delay=None):
        """Back to pending with backoff, or failed for good after max_attempts.

        ``count_attempt=False``: the failure was not the job's (the company cannot reach
        QuickBooks, another worker held the record): the attempt is given back.  A job in doubt
        (QuickBooks may have its record) is never given up on while the failure is temporary:
        until QuickBooks answers, nobody can say what it holds."""
        base = float(self.env["ir.config_parameter"].sudo().get_param(
            "quickbooks_sync.retry_base_seconds", RETRY_BASE_SECONDS))
        soon = None
        for job in self:
            values = job._fault_values(message, hint, fault)
            if uncertain is not None:
                values["uncertain"] = uncertain or job.uncertain
            in_doubt = values.get("uncertain", job.uncertain)
            attempts = job.attempts if count_attempt else max(job.attempts - 1, 0)
            values["attempts"] = attempts
            if attempts >= job.max_attempts and not in_doubt:
                values.update(state="failed", done_at=fields.Datetime.now(), worker=False)
                job.write(values)
                job._on_failed_for_good()
            else:
                wait = delay if delay is not None else backoff_delay(attempts, base)
                values.update(state="pending", worker=False,
                              next_attempt_at=fields.Datetime.now() + timedelta(seconds=wait))
                job.write(values)
                soon = min(soon, values["next_attempt_at"]) if soon else values["next_attempt_at"]
        if soon and soon - fields.Datetime.now() < timedelta(seconds=60):
            # Sooner than the cron's next round: wake it then.
            self._trigger_processing(at=soon)

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

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "done":
            self._supersede_earlier()
        return result

    def _supersede_earlier(self):
        """A job done: the earlier failures of the same record and operation are history now
        (kept, out of the default Sync Log view), and their "Fix the QuickBooks sync" activities,
        and this job's own from an earlier attempt, are marked done.

        Done once per transaction, just before it commits, for all the jobs it finished (a
        batch of 30 invoices is one statement, not 30 searches)."""
        if not self:
            return
        data = self.env.cr.precommit.data
        pending = data.get("quickbooks_sync.supersede")
        if pending is None:
            pending = data["quickbooks_sync.supersede"] = set()
            self.env.cr.precommit.add(self._supersede_pending)
        pending.update(self.ids)

    @api.model
    def _supersede_pending(self):
        done_ids = sorted(self.env.cr.precommit.data.pop("quickbooks_sync.supersede", ()))
        if not done_ids:
            return
        self.flush_model()
        # The latest job done of each record supersedes every earlier failure or conflict.
        self.env.cr.execute(
            """WITH latest AS (
                   SELECT DISTINCT ON (connection_id, res_model, res_id, operation, qbo_entity)
                          id, connection_id, res_model, res_id, operation, qbo_entity
                     FROM quickbooks_sync_job
                    WHERE id = ANY(%s) AND state = 'done'
                    ORDER BY connection_id, res_model, res_id, operation, qbo_entity, id DESC)
               UPDATE quickbooks_sync_job earlier
                  SET superseded_by_id = latest.id
                 FROM latest
                WHERE earlier.connection_id = latest.connection_id AND earlier.res_model = latest.res_model
                  AND earlier.res_id = latest.res_id AND earlier.operation = latest.operation
                  AND earlier.qbo_entity IS NOT DISTINCT FROM latest.qbo_entity
                  AND earlier.state IN ('failed', 'conflict') AND earlier.superseded_by_id IS NULL
                  AND earlier.id < latest.id
            RETURNING earlier.id, earlier.activity_id""",
            (done_ids,),
        )
        rows = self.env.cr.fetchall()
        if rows:
            self.invalidate_model(["superseded_by_id"])
        activity_ids = {activity_id for _id, activity_id in rows if activity_id}
        self.env.cr.execute(
            "SELECT activity_id FROM quickbooks_sync_job WHERE id = ANY(%s) AND activity_id IS NOT NULL", (done_ids,))
        activity_ids.update(activity_id for (activity_id,) in self.env.cr.fetchall())
        activities = self.env["mail.activity"].sudo().browse(sorted(activity_ids)).exists()
        if activities:
            activities.action_feedback(feedback=self.env._("Synced to QuickBooks since."))

    def _on_failed_for_good(self):
        """Visible where people look: the record's chatter and an activity for a QuickBooks manager."""
        self.ensure_one()
        record = self._record()
        if record and hasattr(record, "_quickbooks_chatter_record"):
            record = record._quickbooks_chatter_record()
        if not record or not hasattr(record, "message_post"):
            return
        body = self.env._(
            "Sync to QuickBooks failed: %(error)s %(hint)s", error=self.fault_message or "", hint=self.hint or ""
        )
        record.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        manager = self._manager_to_notify()
        if manager and hasattr(record, "activity_schedule"):
            activity = record.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Fix the QuickBooks sync"),
                note=body,
                user_id=manager.id,
            )
            self.sudo().write({"activity_id": activity.id})

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

    def _not_retryable_reason(self):
        """Why Retry leaves this job alone (in words), or None."""
        self.ensure_one()
        if self.operation not in QUEUED_OPERATIONS:
            return self.env._("a run of its own: start it again from Settings > QuickBooks")
        if self.state in ("pending", "running"):
            return self.env._("already waiting in the queue")
        if self.state == "done":
            return self.env._("done: nothing to retry")
        return None

    def _not_cancellable_reason(self):
        """Why Cancel leaves this job alone (in words), or None."""
        self.ensure_one()
        if self.operation not in QUEUED_OPERATIONS and self.state != "failed":
            return self.env._("a run of its own, finished: nothing to cancel")
        if self.state == "done":
            return self.env._("done: QuickBooks has it already")
        if self.state == "cancelled":
            return self.env._("cancelled already")
        if self.state not in ("pending", "failed", "conflict"):
            return self.env._("%s: nothing to cancel", self.state)
        return None

    def _report_left_alone(self, done_message, left_alone):
        """The answer of a bulk action: True when it did everything it was asked, else a
        notification saying what it did not do and why."""
        if not left_alone:
            return True
        lines = [f"{job.display_name}: {reason}" for job, reason in left_alone[:10]]
        if len(left_alone) > 10:
            lines.append(self.env._("and %s more", len(left_alone) - 10))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "warning", "sticky": True, "title": done_message,
                       "message": "\n".join(lines), "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def action_retry(self):
        self._check_job_access()
        jobs = self.sudo()
        left_alone = [(job, reason) for job in jobs if (reason := job._not_retryable_reason())]
        retryable = jobs.filtered(lambda j: j.state in ("failed", "conflict", "cancelled")
                                  and not j._not_retryable_reason())
        retried = 0
        for job in retryable:
            already = jobs.search_count([
                ("connection_id", "=", job.connection_id.id), ("res_model", "=", job.res_model),
                ("res_id", "=", job.res_id), ("operation", "=", job.operation), ("qbo_entity", "=", job.qbo_entity),
                ("state", "=", "pending"),
            ])
            if already:
                job.state = "cancelled"
                left_alone.append((job, self.env._("the record already waits in the queue with a newer job")))
                continue
            job.write({"state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(),
                       "fault_code": False, "fault_message": False, "hint": False, "done_at": False,
                       "started_at": False, "http_status": 0, "intuit_tid": False})
            retried += 1
        if retryable:
            self._trigger_processing()
        return self._report_left_alone(self.env._("%(done)s of %(total)s retried; left alone:",
                                                  done=retried, total=len(jobs)), left_alone)

    def action_cancel(self):
        self._check_job_access()
        jobs = self.sudo()
        if jobs.filtered(lambda j: j.state == "running" and j.operation in QUEUED_OPERATIONS):
            raise UserError(self.env._("A running job cannot be cancelled; wait for it to finish."))
        left_alone = [(job, reason) for job in jobs if (reason := job._not_cancellable_reason())]
        cancellable = jobs.filtered(lambda j: not j._not_cancellable_reason())
        cancellable.write({"state": "cancelled", "done_at": fields.Datetime.now()})
        return self._report_left_alone(self.env._("%(done)s of %(total)s cancelled; left alone:",
                                                  done=len(cancellable), total=len(jobs)), left_alone)

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
            message = self.env._("1 job processed.") if processed == 1 else \
                self.env._("%s jobs processed.", processed)
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
