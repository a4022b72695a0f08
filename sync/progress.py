"""The sync-log entry of an import run, written from a transaction of its own.

An import runs in one transaction (all of it lands, or nothing does), so whatever it writes
stays invisible until it ends.  Its log entry is therefore created and updated through a
separate cursor, committed at once: the Sync Log, the settings and the user's notifications
show the progress while the run is still going, and a run that fails leaves a failed entry
behind instead of nothing.
"""

import logging

from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


def lock_connection(connection):
    """One import per company at a time (a click, another admin's click, the daily cron): the
    company's connection row stays locked until the importing transaction ends.  ``NO KEY``
    lets the run's own log entries, which refer to the connection, be written meanwhile."""
    env = connection.env
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute("SELECT id FROM quickbooks_connection WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                           (connection.id,))
    except LockNotAvailable as exc:
        raise UserError(env._(
            "QuickBooks data is already being imported for %s; wait for it to finish.", connection.company_id.name,
        )) from exc


class ImportRun:
    def __init__(self, connection, name, qbo_entity=False, payload=None, notify=True):
        self.env = connection.env
        self.connection = connection
        self.name = name
        self.qbo_entity = qbo_entity
        self.payload = payload
        self.notify = notify and not self.env.su and bool(self.env.uid)
        self.uid = self.env.uid
        self.job_id = None

    def _in_own_transaction(self, func):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return func(env)

    def start(self):
        def create(env):
            connection = env["quickbooks.connection"].browse(self.connection.id)
            # A run of this kind still marked running for this company is one whose process
            # died (the caller holds the company's import lock): say so.
            env["quickbooks.sync.job"].search([
                ("connection_id", "=", connection.id), ("operation", "=", "import"),
                ("state", "=", "importing"), ("record_name", "=", self.name),
            ]).write({"state": "failed", "fault_message": "Interrupted (the server stopped during the import).",
                      "done_at": fields.Datetime.now()})
            job = env["quickbooks.sync.job"]._log_import(
                connection, self.name, qbo_entity=self.qbo_entity, state="importing", payload=self.payload,
            )
            job.user_id = self.uid
            return job.id
        self.job_id = self._in_own_transaction(create)
        return self

    def step(self, message, notify=False):
        def write(env):
            env["quickbooks.sync.job"].browse(self.job_id).write({"progress": message})
            if notify and self.notify:
                self._progress(env, message)
        if self.job_id:
            self._in_own_transaction(write)

    def _progress(self, env, message=None):
        """One progress notification per run in the user's browser, replaced by each step and
        closed at the end (static/src/js/quickbooks_progress.js)."""
        env["res.users"].browse(self.uid)._bus_send("quickbooks_sync/progress", {
            "id": self.job_id, "title": self.name, "message": message or "", "done": message is None,
        })

    def finish(self, summary, message, state="done"):
        def write(env):
            env["quickbooks.sync.job"].browse(self.job_id).write({
                "state": state, "progress": message, "summary": summary, "done_at": fields.Datetime.now(),
            })
            if self.notify:
                self._progress(env)
        if self.job_id:
            self._in_own_transaction(write)

    def fail(self, message, hint=""):
        def write(env):
            env["quickbooks.sync.job"].browse(self.job_id).write({
                "state": "failed", "fault_message": message, "hint": hint or False,
                "done_at": fields.Datetime.now(),
            })
            if self.notify:
                self._progress(env)
        if self.job_id:
            try:
                self._in_own_transaction(write)
            except Exception:
                _logger.exception("Could not record the failed QuickBooks import")

    def job(self):
        return self.env["quickbooks.sync.job"].sudo().browse(self.job_id)
