"""The push engine: sends one claimed batch of jobs (one QuickBooks company) to QuickBooks.

For each batch:

1. records the jobs refer to that have no QuickBooks id yet (the invoice's customer and
   items, a payment's invoices), or whose object was never verified, are pushed first;
2. each record is mapped to a payload; a record that cannot be mapped fails at once with what
   to fix, and only that record fails;
3. before anything can be created, the record is locked against other workers and its link
   and *write in doubt* are read as committed now (sync/ledger.py): an object QuickBooks may
   already have (an earlier request whose answer was lost) is looked up first, by DocNumber /
   DisplayName / Name and Odoo's marker, and linked instead of created again;
4. creates and updates go out through the batch endpoint (30 per request), voids and deletes
   one by one with the job's ``requestid``; each create is recorded as a write in doubt,
   committed, before its request leaves;
5. each answer is checked against Odoo (a document's total, tax, balance) and stored by the
   ledger in a transaction of its own at once, so nothing that fails later (a serialization
   failure, a lost worker, another record's error) can make Odoo forget it; only then are the
   job and the record updated: *synced* only when the check passed.  QuickBooks faults:
   5010 re-read and retried once (a conflict when both sides changed the same field), 6240 per
   the duplicate-name setting, 6140 checked against Odoo's marker, closed books with the closing
   date, throttling, server and network errors retried later with backoff.

What is specific to an entity (payload, dependencies, look-up, check) lives beside its mapping
(mapping/adapter.py and each entity's module); this module knows none of them.
"""

import json
import logging
import uuid
from dataclasses import dataclass

from psycopg2.errors import SerializationFailure

from odoo import fields

from ..mapping.adapter import adapter_for
from ..mapping.common import MappingError, MissingDependency, attachables_query, fingerprint
from ..mapping.context import MappingContext
from ..transport.errors import (
    AuthorizationRevokedError,
    CredentialsError,
    EnvironmentMismatchError,
    NetworkError,
    NotConnectedError,
    QuickBooksError,
    QuickBooksFault,
    ThrottledError,
    fault_text,
    hint_for,
)
from ..transport.ratelimit import RateLimiter, parse_limits
from .ledger import Ledger, LinkTaken, sent_part

_logger = logging.getLogger(__name__)

BATCH_SIZE = 30
MIN_PARTIAL_BATCH = 10  # below this, wait for room: 40 batch requests a minute must carry 500 operations
MAX_DEPENDENCY_DEPTH = 6  # QuickBooks nests sub-customers five levels deep
BUSY_DELAY = 5  # seconds: another worker is sending the same record right now
# The company cannot talk to QuickBooks at all: its jobs wait, without spending attempts.
CONNECTION_PROBLEMS = (AuthorizationRevokedError, CredentialsError, EnvironmentMismatchError, NotConnectedError)


@dataclass
class Failure:
    """Why an operation did not end synced."""

    message: str
    hint: str = ""
    fault: object = None
    retry: bool = False  # temporary: try again later
    uncertain: bool = False  # QuickBooks may have it: look it up before creating it again
    free: bool = False  # not the job's fault (another worker busy with the record): no attempt spent
    delay: float = None


class Operation:
    """One record to write: for a job, or for a dependency pushed on the job's behalf."""

    def __init__(self, record, adapter, job=None):
        self.record = record
        self.adapter = adapter
        self.job = job
        self.entity = adapter.entity(record)
        self.kind = None  # create | update | verify | None (nothing to send)
        self.payload = None
        self.link = None  # sync.ledger.Link
        self.result = None  # the QuickBooks object, once written or found
        self.error = None  # Failure
        self.mismatch = None  # the check's message: QuickBooks differs from Odoo
        self.conflicts = None
        self.done_without_write = False
        self.in_doubt = False
        self.suffix_attempt = 1

    @property
    def key(self):
        return (self.record._name, self.record.id, self.entity)


class PushEngine:
    def __init__(self, jobs):
        from ..models.quickbooks_sync_job import WORKER  # noqa: PLC0415 - the models import this module lazily

        self.jobs = jobs
        self.env = jobs.env
        self.connection = jobs.connection_id
        self.connection.ensure_one()
        self.ledger = Ledger(self.connection, worker=WORKER)
        self.ctx = MappingContext(self.env, self.connection, ledger=self.ledger)
        self.client = None
        self.dependency_failures = {}  # (model, id, entity) -> Failure

    # -- entry point ------------------------------------------------------------------------------

    def run(self):
        params = self.env["ir.config_parameter"].sudo()
        limits = parse_limits(params.get_param("quickbooks_sync.rate_limits"))
        try:
            self.client = self.connection._client(
                pacer=RateLimiter(self.env.registry, self.connection.realm_id, limits),
                timeout=float(params.get_param("quickbooks_sync.http_timeout", 120)),
            )
        except QuickBooksError as exc:
            self._connection_problem(exc)
            return
        try:
            self._run_push(self.jobs.filtered(lambda job: job.operation == "push"))
            for job in self.jobs.filtered(lambda job: job.operation == "delete"):
                self._run_delete(job)
            for job in self.jobs.filtered(lambda job: job.operation == "void"):
                self._run_void(job)
        except CONNECTION_PROBLEMS as exc:
            self._connection_problem(exc, only=self.jobs.filtered(lambda job: job.state == "running"))
            return
        self._touch_last_sync()

    def _touch_last_sync(self):
        """Several workers finish at once: the one that cannot write this shared timestamp
        leaves it to the others rather than fail its batch."""
        now = fields.Datetime.now()
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "UPDATE quickbooks_connection SET last_sync_at = %s WHERE id = %s"
                    " AND (last_sync_at IS NULL OR last_sync_at < %s)",
                    (now, self.connection.id, now),
                )
        except SerializationFailure:
            return
        self.connection.invalidate_recordset(["last_sync_at"])

    def _connection_problem(self, exc, only=None):
        """The company cannot talk to QuickBooks at all: the jobs wait, without burning attempts."""
        jobs = only if only is not None else self.jobs
        _logger.warning("QuickBooks jobs of %s postponed: %s", self.connection.display_name, exc)
        jobs._reschedule(exc.message, exc.hint, fault=exc, count_attempt=False)

    # -- push (create or update) ---------------------------------------------------------------

    def _run_push(self, jobs):
        operations = []
        # Browse each model's records together so that the ORM fetches their fields in one go.
        existing = {}
        for model in set(jobs.mapped("res_model")):
            if model in self.env:
                ids = jobs.filtered(lambda job, model=model: job.res_model == model).mapped("res_id")
                # Iterating keeps each record in the whole set's prefetch.
                existing.update({(model, record.id): record for record in self.env[model].browse(ids).exists()})
        for job in jobs:
            record = existing.get((job.res_model, job.res_id))
            if not record:
                job.write({"state": "cancelled", "done_at": fields.Datetime.now(),
                           "fault_message": self.env._("The Odoo record was deleted before it was sent.")})
                continue
            try:
                adapter = adapter_for(record, job.qbo_entity)
            except MappingError as exc:
                job._fail(exc.message, exc.hint)
                continue
            operations.append(Operation(record, adapter, job=job))
        if not operations:
            return
        self._load_links(operations)
        for op in operations:
            self._guard(op, op.adapter.prepare, op.record, self.ctx)
        self._push_dependencies([op for op in operations if op.error is None])
        self._process(operations)

    def _guard(self, op, func, *args):
        """Run an entity's code for one operation: whatever it raises fails that operation only."""
        try:
            return func(*args)
        except MappingError as exc:
            op.error = Failure(exc.message, exc.hint)
        except QuickBooksError:
            raise
        except Exception as exc:  # noqa: BLE001 - one record's bug must not fail the others
            self._unexpected(op, exc)
        return None

    def _unexpected(self, op, exc):
        _logger.exception("QuickBooks sync of %s failed unexpectedly", op.record.display_name)
        op.error = Failure(self.env._("Unexpected error while preparing %(name)s: %(error)s",
                                      name=op.record.display_name, error=exc),
                           self.env._("This is a bug in the sync; see the server log. Retry once fixed."))

    def _load_links(self, operations):
        by_key = {}
        for op in operations:
            by_key.setdefault((op.record._name, op.entity), op.record.browse())
            by_key[(op.record._name, op.entity)] |= op.record
        for (_model, entity), records in by_key.items():
            self.ctx.load_bindings(records, entity)

    def _push_dependencies(self, operations, depth=0):
        """Create what the records refer to (customers, items, invoices) before them, and bring
        up to date those whose object in QuickBooks was never verified."""
        needed = {}
        for op in operations:
            deps = self._guard(op, op.adapter.dependencies, op.record) or []
            for dep, entity in deps:
                if dep:
                    needed.setdefault((dep._name, entity), dep.browse())
                    needed[(dep._name, entity)] |= dep
        if not needed:
            return
        for (_model, entity), deps in needed.items():
            self.ctx.load_bindings(deps, entity)
        todo = []
        for (_model, entity), deps in needed.items():
            for dep in deps:
                if (dep._name, dep.id, entity) in self.dependency_failures:
                    continue
                adapter = adapter_for(dep, entity)
                link = self.ctx.binding(dep, entity)
                if not link or (adapter.checks and not link.verified):
                    todo.append(Operation(dep, adapter))
        if not todo:
            return
        if depth >= MAX_DEPENDENCY_DEPTH:
            for op in todo:
                self.dependency_failures[op.key] = Failure(self.env._("references nest too deep"))
            return
        for op in todo:
            self._guard(op, op.adapter.prepare, op.record, self.ctx)
        # Their own dependencies first (a sub-customer's parent, a payment's invoices' customers).
        self._push_dependencies([op for op in todo if op.error is None], depth + 1)
        self._process(todo)

    def _process(self, operations):
        self._map(operations)
        self._decide(operations)
        self._send([op for op in operations if op.error is None and op.kind in ("create", "update")])
        self._attach([op for op in operations if op.error is None and not op.mismatch and op.link
                      and (op.result is not None or op.done_without_write)])
        self._finish_all(operations)

    # -- files attached to what was written ------------------------------------------------------

    def _attach(self, operations):
        """Attach the files a record carries (an expense's receipts, per its adapter) to its
        object, once each: QuickBooks' attachables of the object are looked up first and a file
        whose marker is in one of their notes is not sent again (an upload whose answer was
        lost is found, not repeated).  A failure is the operation's: the object stays linked
        and the next attempt attaches what is still missing."""
        for op in operations:
            files = self._guard(op, op.adapter.attachments, op.record)
            if not files:
                continue
            qbo_id = op.link.qbo_id
            try:
                found = self.client.query(attachables_query(op.entity, qbo_id)).get("Attachable", [])
                notes = " ".join(item.get("Note") or "" for item in found)
                for attachment in files:
                    marker = f"[odoo:{attachment._name}:{attachment.id}]"
                    if marker in notes:
                        continue
                    self.client.upload(
                        {"AttachableRef": [{"EntityRef": {"type": op.entity, "value": qbo_id},
                                            "IncludeOnSend": False}],
                         "Note": f"{attachment.name} {marker}"[-4000:]},
                        attachment.name, attachment.mimetype, attachment.raw or b"",
                        request_id=_request_id(op, f"att{attachment.id}"),
                    )
            except QuickBooksFault as exc:
                op.error = Failure(self.env._("Sent, but its receipt could not be attached: %s", exc.message),
                                   exc.hint, fault=exc, retry=exc.retryable)
            except NetworkError as exc:
                op.error = Failure(self.env._("Sent, but its receipt could not be attached: %s", exc.message),
                                   exc.hint, fault=exc, retry=True)

    # -- mapping and deciding ------------------------------------------------------------------

    def _map(self, operations):
        for op in operations:
            if op.error is not None:
                continue
            try:
                op.payload = op.adapter.payload(op.record, self.ctx)
            except MissingDependency as exc:
                failure = self.dependency_failures.get((exc.record._name, exc.record.id, exc.qbo_entity))
                reason = failure.message if failure else ""
                op.error = Failure(
                    self.env._("%(what)s %(name)s could not be sent to QuickBooks first%(reason)s.",
                               what=exc.qbo_entity, name=exc.record.display_name,
                               reason=f": {reason}" if reason else ""),
                    (failure.hint if failure and failure.hint else self.env._("Fix it, then retry.")),
                    failure.fault if failure else None,
                    retry=bool(failure and failure.retry), free=bool(failure and failure.free),
                    delay=failure.delay if failure else None,
                )
            except MappingError as exc:
                op.error = Failure(exc.message, exc.hint)
            except Exception as exc:  # noqa: BLE001 - one record's bug must not fail the others
                self._unexpected(op, exc)

    def _decide(self, operations):
        """For each mapped record: nothing to send, a check of what QuickBooks holds, an update,
        a look-up (QuickBooks may have it already), or a create."""
        unlinked = []
        for op in operations:
            if op.error is not None or op.payload is None:
                continue
            op.link = self.ctx.binding(op.record, op.entity)
            if op.link:
                self._decide_linked(op)
            else:
                unlinked.append(op)
        if not unlinked:
            return
        # Only one worker may create a record at a time; then read, as committed now, whether
        # it got linked meanwhile or has a write in doubt.
        locked = []
        held = self.ledger.lock(self.env.cr, [op.key for op in unlinked])
        for op in unlinked:
            if op.key in held:
                locked.append(op)
            else:
                op.error = Failure(self.env._("Another worker is sending %s to QuickBooks right now.",
                                              op.record.display_name),
                                   self.env._("Nothing to do: it is sent again in a moment."),
                                   retry=True, free=True, delay=BUSY_DELAY)
        by_key = {}
        for op in locked:
            by_key.setdefault((op.record._name, op.entity), []).append(op)
        for (model, entity), ops in by_key.items():
            ids = [op.record.id for op in ops]
            links = self.ledger.links(model, ids, entity)
            doubts = self.ledger.doubts(model, ids, entity)
            for op in ops:
                op.in_doubt = op.record.id in doubts or bool(op.job and op.job.uncertain)
                if op.record.id in links:
                    op.link = links[op.record.id]
                    self.ctx.remember(op.record, op.entity, op.link)
                    self._decide_linked(op)
                elif op.in_doubt:
                    self._decide_in_doubt(op)
                else:
                    op.kind = "create"

    def _decide_linked(self, op):
        sent = fingerprint(sent_part(op.payload))
        if op.link.synced_hash == sent:
            if op.link.verified or not op.adapter.checks:
                op.done_without_write = True
                op.kind = None
                return
            # Sent as it is now, but what QuickBooks holds was never found equal to Odoo
            # (its check failed, or its answer was stored before the check): check it again.
            op.kind = "verify"
            try:
                stored = self.client.read(op.entity, op.link.qbo_id)
            except QuickBooksError as exc:
                op.error = self._failure_of(exc)
                return
            self._accept(op, stored, sent=None)
            return
        op.kind = "update"
        op.payload = dict(op.payload, Id=op.link.qbo_id, SyncToken=op.link.qbo_sync_token or "0", sparse=True)

    def _decide_in_doubt(self, op):
        """An earlier request may have created it: look for it before creating it again.  No
        answer means no decision: the record waits, still in doubt."""
        try:
            found = self._lookup(op)
        except QuickBooksError as exc:
            op.error = self._failure_of(exc, uncertain=True)
            return
        if found is None:
            op.kind = "create"  # the look-up proved QuickBooks does not have it
            return
        if op.adapter.check(op.record, found) is None and not self._differs(op, found):
            op.kind = None
            self._accept(op, found, sent=op.payload)
            return
        if self._store(op, found, sent=None) is None:
            return
        op.kind = "update"
        op.payload = dict(op.payload, Id=found["Id"], SyncToken=found["SyncToken"], sparse=True)

    def _differs(self, op, found):
        return any(found.get(key) != value for key, value in op.payload.items()
                   if key not in ("Line", "sparse") and not isinstance(value, dict))

    def _lookup(self, op, payload=None):
        query = op.adapter.lookup_query(op.record, payload or op.payload)
        if not query:
            return None
        response = self.client.query(query)
        for found in response.get(op.entity, []):
            if op.adapter.matches_lookup(op.record, found):
                return found
        return None

    # -- storing what QuickBooks has ---------------------------------------------------------------

    def _store(self, op, qbo_object, sent, origin="push", verified=False):
        """Link ``op``'s record to ``qbo_object`` now, committed (the ledger).  None (and the
        operation failed) when that object already belongs to another Odoo record."""
        outcome = {"key": op.key, "qbo": qbo_object, "sent": sent, "verified": verified, "origin": origin}
        result = self.ledger.settle([outcome])[op.key]
        return self._stored(op, result)

    def _stored(self, op, result):
        if isinstance(result, LinkTaken):
            other = self.env[result.res_model].browse(result.res_id).exists() if result.res_id else None
            op.error = Failure(
                self.env._("QuickBooks %(entity)s %(id)s is already linked to another Odoo record%(other)s.",
                           entity=op.entity, id=result.qbo_id,
                           other=f" ({other.display_name})" if other else ""),
                self.env._("Two Odoo records cannot share one QuickBooks object: rename or merge one of them."),
            )
            return None
        op.link = result
        self.ctx.remember(op.record, op.entity, result)
        return result

    def _accept(self, op, stored, sent, origin="push"):
        """QuickBooks holds ``stored`` for the record: check it against Odoo, store the link
        and the outcome of the check (committed), and remember the result."""
        op.result = stored
        self._check(op)
        if op.kind == "verify" and op.link is not None:
            self.ledger.verified(op.link, op.mismatch is None)
            return op.link
        return self._store(op, stored, sent, origin=origin, verified=op.mismatch is None)

    def _check(self, op):
        """Compare what QuickBooks stored (``op.result``) with Odoo: ``op.mismatch`` says how
        they differ, None when they agree."""
        try:
            op.mismatch = op.adapter.check(op.record, op.result)
        except Exception as exc:
            _logger.exception("QuickBooks check of %s failed unexpectedly", op.record.display_name)
            op.mismatch = self.env._("Odoo could not check what QuickBooks stored: %s", exc)

    # -- sending ---------------------------------------------------------------------------------

    def _batch_size(self):
        """30 operations, or fewer when that is what QuickBooks' minute has room for now: a
        smaller batch now beats a full one after waiting (each operation counts, not each
        request).  0 when this company's minute is used up while another company could send:
        the worker leaves this company's work for later instead of sleeping on its limit."""
        pacer = self.client.pacer
        room = pacer.room() if pacer is not None else None
        if room is None or room >= BATCH_SIZE:
            return BATCH_SIZE
        if room >= MIN_PARTIAL_BATCH:
            return room
        if self.jobs._in_new_transaction(lambda jobs: jobs._others_can_send(self.connection.id)):
            return 0
        return BATCH_SIZE

    def _defer(self, operations):
        for op in operations:
            op.error = Failure(
                self.env._("Waiting for room in QuickBooks' request limit (500 a minute per company)."),
                self.env._("Nothing to do: it is sent as soon as QuickBooks' limit allows."),
                retry=True, free=True, delay=BUSY_DELAY,
            )

    def _send(self, operations):
        start = 0
        while start < len(operations):
            size = self._batch_size()
            if not size:
                self._defer(operations[start:])
                return
            chunk = operations[start:start + size]
            start += len(chunk)
            request_id = uuid.uuid4().hex
            items = [{"bId": str(index + 1), "operation": op.kind, op.entity: op.payload}
                     for index, op in enumerate(chunk)]
            creates = [op for op in chunk if op.kind == "create"]
            # From here on QuickBooks may have them, whatever happens to this transaction.
            self.ledger.sending([op.key for op in creates], request_id)
            try:
                answers = self.client.batch(items, request_id=request_id)
            except CONNECTION_PROBLEMS:
                raise  # the whole company waits (run()), not these records
            except QuickBooksError as exc:
                # No answer for the batch: an earlier try of the same request may have been
                # applied (the transport retries it): the creates stay in doubt.
                for op in chunk:
                    op.error = self._failure_of(exc, uncertain=op.kind == "create")
                continue
            # What QuickBooks created or updated is stored first (one transaction), then the
            # faults are handled: a 6240 must see the links of the objects this batch created.
            outcomes, faulted = [], []
            for index, op in enumerate(chunk):
                answer = answers.get(str(index + 1))
                if answer is None:
                    op.error = Failure(self.env._("QuickBooks' batch answer lacks this operation."),
                                       retry=True, uncertain=op.kind == "create")
                elif "Fault" in answer:
                    faulted.append((op, answer["Fault"]))
                else:
                    op.result = answer.get(op.entity)
                    self._check(op)
                    outcomes.append((op, {"key": op.key, "qbo": op.result, "sent": op.payload,
                                          "verified": op.mismatch is None, "origin": "push"}))
            results = self.ledger.settle([outcome for _op, outcome in outcomes])
            for op, _outcome in outcomes:
                self._stored(op, results[op.key])
            cleared = []
            for op, fault in faulted:
                self._handle_fault(op, fault)
                if op.kind == "create" and op.result is None and op.error is not None and not op.error.uncertain:
                    # QuickBooks refused this create: nothing was made by it (and a look-up
                    # showed nothing before it, when in doubt).
                    cleared.append({"key": op.key, "cleared": True})
            self.ledger.settle(cleared)

    def _failure_of(self, exc, uncertain=False):
        retry = bool(exc.retryable or isinstance(exc, (ThrottledError, NetworkError)))
        return Failure(exc.message, exc.hint, exc, retry=retry, uncertain=uncertain)

    def _handle_fault(self, op, fault_body):
        errors = fault_body.get("Error") or [{}]
        first = errors[0]
        code = str(first.get("code", "")).lstrip("0")
        message = first.get("Message", "")
        detail = first.get("Detail", "")
        element = first.get("element", "")
        fault = QuickBooksFault(fault_text(code, message, detail, element), hint_for(code, message, element),
                                code=code, detail=detail, http_status=200, element=element)
        try:
            if code == "5010" and "period" not in (message + detail).lower() and op.kind == "update":
                self._retry_stale(op, fault)
            elif code == "6240" and op.adapter.name_field and op.kind == "create":
                self._resolve_duplicate_name(op, fault)
            elif code == "6140" and op.kind == "create":
                found = self._lookup(op)
                if found is None:
                    op.error = Failure(fault.message, fault.hint, fault)
                else:
                    self._accept_found(op, found)
            elif code in ("6210", "5010"):
                op.error = Failure(self._closed_books_message(op, fault), fault.hint, fault)
            else:
                op.error = Failure(fault.message, fault.hint, fault, retry=fault.retryable)
        except QuickBooksError as exc:
            # The follow-up (a look-up, a re-read, a retry) got no answer: try again later;
            # a create that may have happened stays in doubt.
            op.error = self._failure_of(exc, uncertain=op.kind == "create")

    def _accept_found(self, op, found):
        """An object found by its number or name is the record's: if it equals Odoo, it is
        synced; otherwise Odoo's version is sent over it."""
        if op.adapter.check(op.record, found) is None and not self._differs(op, found):
            op.kind = None
            self._accept(op, found, sent=op.payload)
            return
        if self._store(op, found, sent=None) is None:
            return
        payload = dict(op.payload, Id=found["Id"], SyncToken=found["SyncToken"], sparse=True)
        stored = self.client.update(op.entity, payload, request_id=_request_id(op, "found"))
        op.kind = "update"
        op.payload = payload
        self._accept(op, stored, sent=payload)

    def _retry_stale(self, op, fault):
        """5010: someone changed the object in QuickBooks.  Re-read it; if they changed a field
        Odoo changes too, stop in conflict; otherwise resend Odoo's changes once."""
        current = self.client.read(op.entity, op.link.qbo_id)
        last_sent = json.loads(op.link.synced_payload or "{}")
        conflicts = []
        for key, odoo_value in op.payload.items():
            if key in ("Id", "SyncToken", "sparse"):
                continue
            before = last_sent.get(key)
            odoo_changed = before != odoo_value
            # QuickBooks adds to what it stores (line ids, subtotal lines, tax lines): compare
            # only what Odoo sent.
            now_in_qbo = _project(current.get(key), before)
            qbo_changed = key in current and before is not None and now_in_qbo != before
            if odoo_changed and qbo_changed and _project(current.get(key), odoo_value) != odoo_value:
                conflicts.append({"field": key, "odoo": _short(odoo_value), "quickbooks": _short(current.get(key))})
        if conflicts:
            op.error = Failure(
                self.env._("The record was changed both in Odoo and in QuickBooks (%s).",
                           ", ".join(c["field"] for c in conflicts)),
                self.env._("Decide which values to keep: change Odoo or QuickBooks, then retry."),
                fault,
            )
            op.conflicts = conflicts
            return
        payload = dict(op.payload, SyncToken=current["SyncToken"])
        try:
            stored = self.client.update(op.entity, payload, request_id=_request_id(op, "stale"))
        except QuickBooksFault as exc:
            op.error = self._failure_of(exc)
            return
        op.payload = payload
        self._accept(op, stored, sent=payload)

    def _resolve_duplicate_name(self, op, fault):
        """6240: the name is taken in QuickBooks.  Link the existing object when the match
        strategy says it is the same one (and no other Odoo record holds it); otherwise add a
        differentiator (" - 2")."""
        found = self._lookup(op)
        if found is not None:
            holder = self.ledger.link_of_object(op.entity, found["Id"])
            mine = holder is not None and (holder.res_model, holder.res_id) == (op.record._name, op.record.id)
            if mine or (holder is None and self.connection._is_same_party(op.record, found)):
                op.kind = None
                self._accept(op, found, sent=None, origin="import")
                return
        if self.connection.duplicate_resolution != "suffix":
            op.error = Failure(fault.message, self.env._(
                "Rename one of them, or link the existing QuickBooks record from the import wizard."), fault)
            return
        for attempt in range(2, 10):
            payload = op.adapter.payload(op.record, self.ctx, suffix=f" - {attempt}")
            request_id = _request_id(op, f"dup{attempt}")
            self.ledger.sending([op.key], request_id)
            try:
                stored = self.client.create(op.entity, payload, request_id=request_id)
            except QuickBooksFault as exc:
                if exc.code != "6240" or isinstance(exc, ThrottledError):
                    op.error = self._failure_of(exc, uncertain=exc.retryable)
                    if not exc.retryable:
                        self.ledger.settle([{"key": op.key, "cleared": True}])
                    return
                continue
            op.payload = payload
            self._accept(op, stored, sent=payload)
            return
        self.ledger.settle([{"key": op.key, "cleared": True}])
        op.error = Failure(fault.message, fault.hint, fault)

    def _closed_books_message(self, op, fault):
        try:
            prefs = self.client.preferences()
            close_date = (prefs.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
        except QuickBooksError:
            close_date = None
        date = op.payload.get("TxnDate") if op.payload else None
        if close_date:
            # Remembered: what is dated on or before it is refused before the next request.
            closed = fields.Date.to_date(close_date[:10])
            if self.connection.book_close_date != closed:
                self.connection.sudo().book_close_date = closed
            return self.env._(
                "QuickBooks' books are closed through %(close)s; %(name)s is dated %(date)s.",
                close=close_date, name=op.record.display_name, date=date or "?",
            )
        return fault.message

    # -- results ---------------------------------------------------------------------------------

    def _finish_all(self, operations):
        """Record each operation's outcome on its job and record (what QuickBooks has is already
        stored by the ledger).  One record's failure here is its own."""
        marks = {}
        for op in operations:
            try:
                with self.env.cr.savepoint():
                    outcome = self._finish(op)
            except SerializationFailure:
                raise
            except Exception as exc:
                _logger.exception("QuickBooks sync bookkeeping of %s failed", op.record.display_name)
                outcome = None
                if op.job:
                    op.job._reschedule(self.env._("Unexpected error while recording the result: %s", exc),
                                       self.env._("See the server log."))
            if outcome:
                marks.setdefault(op.adapter, []).append((op.record, *outcome))
        self._notify([op for op in operations if op.job])
        for adapter, rows in marks.items():
            try:
                with self.env.cr.savepoint():
                    adapter.mark_many(rows)
            except SerializationFailure:
                raise
            except Exception:
                _logger.exception("QuickBooks sync state of %d records could not be written together", len(rows))
                for row in rows:
                    try:
                        with self.env.cr.savepoint():
                            adapter.mark_many([row])
                    except SerializationFailure:
                        raise
                    except Exception:
                        _logger.exception("QuickBooks sync state of %s could not be written", row[0].display_name)

    def _notify(self, operations):
        """Tell the people who queued these records that their QuickBooks state changed: their
        open forms reload (static/src/js/quickbooks_live_state.js).  Sent when the worker's
        transaction commits."""
        by_user = {}
        for op in operations:
            if op.job.user_id:
                by_user.setdefault(op.job.user_id, {}).setdefault(op.record._name, set()).add(op.record.id)
        for user, models in by_user.items():
            for model, ids in models.items():
                user.sudo()._bus_send("quickbooks_sync/state", {"model": model, "ids": sorted(ids)})

    def _finish(self, op):
        """Write the job's outcome; returns ``(state, link, error)`` for the record, or None."""
        job = op.job
        now = fields.Datetime.now()
        if op.error is None and op.mismatch:
            hint = self.env._("The object exists in QuickBooks (id %s) but differs from Odoo: fix the difference "
                              "(in Odoo or QuickBooks), then retry; it is checked again before it is called synced.",
                              op.link.qbo_id if op.link else "?")
            if not job:
                self.dependency_failures[op.key] = Failure(op.mismatch, hint)
                self.ctx.block(op.record, op.entity)
                return "error", op.link, op.mismatch
            job.write({"qbo_id": op.link.qbo_id if op.link else False, "qbo_doc_number": op.link and op.link.qbo_name,
                       "payload": _dump(op.payload), "response": _dump(op.result), "uncertain": False})
            job._fail(op.mismatch, hint)
            return "error", op.link, op.mismatch
        if op.error is None and (op.done_without_write or op.result is not None):
            if job:
                values = {"state": "done", "done_at": now, "qbo_id": op.link.qbo_id, "qbo_doc_number": op.link.qbo_name,
                          "uncertain": False, "fault_code": False, "hint": False, "http_status": 0}
                if op.done_without_write:
                    values["fault_message"] = self.env._("Nothing changed since the last sync.")
                else:
                    values.update(payload=_dump(op.payload), response=_dump(op.result), fault_message=False)
                job.write(values)
                return "synced", op.link, None
            return ("synced", op.link, None) if not op.done_without_write else None
        if op.error is None:
            return None
        failure = op.error
        if not job:
            # Pushed on behalf of the jobs that need it: they report it (and wait with it when
            # the failure is temporary).
            self.dependency_failures[op.key] = failure
            return ("queued" if failure.retry else "error"), op.link, failure.message
        job.write({"payload": _dump(op.payload) if op.payload else False})
        if op.conflicts:
            job.write({"conflict_details": op.conflicts})
            job._fail(failure.message, failure.hint, fault=failure.fault, state="conflict")
            return "conflict", op.link, failure.message
        if failure.retry:
            job._reschedule(failure.message, failure.hint, fault=failure.fault,
                            uncertain=failure.uncertain or op.in_doubt, count_attempt=not failure.free,
                            delay=failure.delay)
            return ("error" if job.state == "failed" else "queued"), op.link, failure.message
        job._fail(failure.message, failure.hint, fault=failure.fault)
        return "error", op.link, failure.message

    # -- delete and void -----------------------------------------------------------------------

    def _run_delete(self, job):
        """A synced draft was deleted in Odoo: delete the transaction in QuickBooks."""
        try:
            current = self.client.read(job.qbo_entity, job.qbo_id)
            self.client.delete(job.qbo_entity, {"Id": job.qbo_id, "SyncToken": current["SyncToken"]},
                               request_id=job.request_id)
        except QuickBooksFault as exc:
            if exc.code == "610":  # already gone
                self.ledger.forget(job.qbo_entity, job.qbo_id)
                job.write({"state": "done", "done_at": fields.Datetime.now(),
                           "fault_message": self.env._("Already deleted in QuickBooks.")})
                self._deleted(job)
                return
            self._job_error(job, exc)
            return
        except NetworkError as exc:
            job._reschedule(exc.message, exc.hint, fault=exc)
            return
        self.ledger.forget(job.qbo_entity, job.qbo_id)
        job.write({"state": "done", "done_at": fields.Datetime.now()})
        self._deleted(job)

    def _deleted(self, job):
        """The record still in Odoo (a payment reset to draft, a credit note no longer applied)
        stops showing the object QuickBooks deleted."""
        record = job._record()
        if record:
            adapter_for(record, job.qbo_entity).deleted(record)

    def _run_void(self, job):
        """A synced document was cancelled in Odoo: void it in QuickBooks (kept, amounts zeroed)."""
        record = job._record()
        entity = job.qbo_entity
        link = None
        if record:
            entity = entity or adapter_for(record).entity(record)
            link = self.ledger.links(record._name, [record.id], entity).get(record.id)
        qbo_id = link.qbo_id if link else job.qbo_id
        if not qbo_id:
            job.write({"state": "done", "done_at": fields.Datetime.now(),
                       "fault_message": self.env._("Never sent to QuickBooks: nothing to void.")})
            return
        try:
            current = self.client.read(entity, qbo_id)
            result = self.client.void(entity, {"Id": qbo_id, "SyncToken": current["SyncToken"]},
                                      request_id=job.request_id)
        except QuickBooksFault as exc:
            self._job_error(job, exc)
            return
        except NetworkError as exc:
            job._reschedule(exc.message, exc.hint, fault=exc, uncertain=True)
            return
        if link:
            link = self.ledger.settle([{"key": (record._name, record.id, entity), "qbo": result,
                                        "sent": None, "verified": link.verified}])[(record._name, record.id, entity)]
        job.write({"state": "done", "done_at": fields.Datetime.now(), "qbo_id": qbo_id, "response": _dump(result)})
        if record and link and not isinstance(link, LinkTaken):
            # (A record no longer linked to it, e.g. a payment reset to draft since, is not its twin.)
            record._quickbooks_mark("synced", binding=link)

    def _job_error(self, job, exc):
        if exc.retryable:
            job._reschedule(exc.message, exc.hint, fault=exc)
        else:
            job._fail(exc.message, exc.hint, fault=exc)


def _project(value, shape):
    """``value`` reduced to the keys (and lines) ``shape`` has, to compare it with what was sent."""
    if isinstance(shape, dict) and isinstance(value, dict):
        if "value" in shape:  # a reference: the id is what matters, QuickBooks fills the name
            return dict(shape, value=value.get("value"))
        return {key: _project(value.get(key), sub) for key, sub in shape.items()}
    if isinstance(shape, list) and isinstance(value, list):
        if shape and all(isinstance(item, dict) and "DetailType" in item for item in shape):
            value = [item for item in value if item.get("DetailType") != "SubTotalLineDetail"]
        projected = [_project(item, sub) for item, sub in zip(value, shape, strict=False)]
        return projected + value[len(shape):]
    return value


def _request_id(op, purpose):
    base = op.job.request_id if op.job else uuid.uuid4().hex
    return f"{base[:32]}-{purpose}"[:50]


def _short(value):
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 200 else text[:197] + "..."


SECRET_KEYS = {"access_token", "refresh_token", "client_secret", "authorization", "id_token", "password"}


def _redacted(value):
    """What the Sync Log keeps: payloads never hold credentials (tokens travel in headers and
    are never stored with a job), and any key that looks like one is masked all the same."""
    if isinstance(value, dict):
        return {key: "***" if str(key).lower() in SECRET_KEYS else _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


def _dump(value):
    return json.dumps(_redacted(value), indent=1, sort_keys=True, default=str)
