"""The push engine: sends one claimed batch of jobs (one QuickBooks company) to QuickBooks.

For each batch:

1. records the jobs refer to that have no QuickBooks id yet (the invoice's customer and
   items, a payment's invoices) are pushed first, in batches;
2. each job's record is mapped to a payload; a record that cannot be mapped fails at once with
   what to fix;
3. an object that may already exist (an earlier attempt lost its answer) is looked up first,
   by DocNumber / DisplayName / Name and Odoo's marker, instead of being created twice;
4. creates, updates and deletes go out through the batch endpoint (30 per request), voids one
   by one with the job's ``requestid``;
5. each answer is applied: link stored, record marked synced (invoice totals compared to the
   cent), or the QuickBooks fault handled: 5010 re-read and retried once (a conflict when both
   sides changed the same field), 6240 per the duplicate-name setting, 6140 checked against
   Odoo's marker, closed books with the closing date, throttling and server errors retried
   later with backoff.
"""

import json
import logging
import uuid

from psycopg2.errors import SerializationFailure

from odoo import fields

from ..mapping import customer as customer_map
from ..mapping import invoice as invoice_map
from ..mapping import item as item_map
from ..mapping import payment as payment_map
from ..mapping import vendor as vendor_map
from ..mapping.common import MappingError, MissingDependency, fingerprint
from ..mapping.context import MappingContext
from ..transport.errors import (
    AuthorizationRevokedError,
    EnvironmentMismatchError,
    NetworkError,
    NotConnectedError,
    QuickBooksError,
    QuickBooksFault,
    ThrottledError,
    hint_for,
)
from ..transport.ratelimit import RateLimiter, parse_limits

_logger = logging.getLogger(__name__)

BATCH_SIZE = 30
MIN_PARTIAL_BATCH = 10  # below this, wait for room: 40 batch requests a minute must carry 500 operations
MAX_DEPENDENCY_DEPTH = 6  # QuickBooks nests sub-customers five levels deep


class Adapter:
    """How one kind of Odoo record becomes one kind of QuickBooks object."""

    model = None
    name_field = None  # DisplayName / Name: unique in QuickBooks, so 6240 can happen

    def entity(self, record):
        raise NotImplementedError

    def payload(self, record, ctx, suffix=""):
        raise NotImplementedError

    def prepare(self, record, ctx):
        """Tell the context what this record implies for the records pushed on its behalf."""

    def dependencies(self, record):
        return []

    def lookup_query(self, record, payload):
        return None

    def matches_lookup(self, record, found):
        return True

    def check(self, record, stored):
        return None

    def mark_many(self, rows):
        """Show the sync outcome on the records: ``rows`` of ``(record, state, binding, error)``."""
        if rows:
            rows[0][0]._quickbooks_mark_many(rows)


class CustomerAdapter(Adapter):
    model = "res.partner"
    name_field = "DisplayName"

    def entity(self, record):
        return customer_map.ENTITY

    def payload(self, record, ctx, suffix=""):
        return customer_map.partner_to_customer(record, ctx, suffix)

    def dependencies(self, record):
        return customer_map.dependencies(record)

    def lookup_query(self, record, payload):
        return customer_map.lookup_query(payload)


class VendorAdapter(CustomerAdapter):
    def entity(self, record):
        return vendor_map.ENTITY

    def payload(self, record, ctx, suffix=""):
        return vendor_map.partner_to_vendor(record, ctx, suffix)

    def dependencies(self, record):
        return []

    def lookup_query(self, record, payload):
        return vendor_map.lookup_query(payload)


class ItemAdapter(Adapter):
    model = "product.product"
    name_field = "Name"

    def entity(self, record):
        return item_map.ENTITY

    def payload(self, record, ctx, suffix=""):
        return item_map.product_to_item(record, ctx, suffix)

    def lookup_query(self, record, payload):
        return item_map.lookup_query(payload)


class InvoiceAdapter(Adapter):
    model = "account.move"

    def entity(self, record):
        return invoice_map.entity_for(record)

    def payload(self, record, ctx, suffix=""):
        return invoice_map.move_to_invoice(record, ctx)

    def prepare(self, record, ctx):
        invoice_map.prepare(record, ctx)

    def dependencies(self, record):
        return invoice_map.dependencies(record)

    def lookup_query(self, record, payload):
        return invoice_map.lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return invoice_map.matches_lookup(record, found)

    def check(self, record, stored):
        return invoice_map.check_total(record, stored)


class PaymentAdapter(Adapter):
    model = "account.payment"

    def entity(self, record):
        return payment_map.ENTITY

    def payload(self, record, ctx, suffix=""):
        return payment_map.payment_to_payment(record, ctx)

    def prepare(self, record, ctx):
        payment_map.prepare(record, ctx)

    def dependencies(self, record):
        return payment_map.dependencies(record)

    def lookup_query(self, record, payload):
        return payment_map.lookup_query(record, payload)

    def matches_lookup(self, record, found):
        return payment_map.matches_lookup(record, found)


ADAPTERS = {
    ("res.partner", "Customer"): CustomerAdapter(),
    ("res.partner", "Vendor"): VendorAdapter(),
    ("product.product", "Item"): ItemAdapter(),
    ("account.move", "Invoice"): InvoiceAdapter(),
    ("account.move", "CreditMemo"): InvoiceAdapter(),
    ("account.payment", "Payment"): PaymentAdapter(),
}


def adapter_for(record, qbo_entity=None):
    if record._name == "res.partner":
        return ADAPTERS[("res.partner", qbo_entity or "Customer")]
    if record._name == "account.move":
        return ADAPTERS[("account.move", invoice_map.entity_for(record) or "Invoice")]
    for (model, _entity), adapter in ADAPTERS.items():
        if model == record._name:
            return adapter
    raise MappingError(f"{record._description} records are not sent to QuickBooks.")


class Operation:
    """One write to send: for a job, or for a dependency pushed on the job's behalf."""

    def __init__(self, record, adapter, job=None, kind="create", payload=None, binding=None):
        self.record = record
        self.adapter = adapter
        self.job = job
        self.kind = kind  # create | update | delete
        self.payload = payload
        self.binding = binding
        self.entity = adapter.entity(record) if record else (job.qbo_entity if job else None)
        self.suffix_attempt = 1
        self.result = None  # the QuickBooks object, once written
        self.error = None  # (message, hint, fault, retry_later, uncertain)
        self.done_without_write = False


class PushEngine:
    def __init__(self, jobs):
        self.jobs = jobs
        self.env = jobs.env
        self.connection = jobs.connection_id
        self.connection.ensure_one()
        self.ctx = MappingContext(self.env, self.connection)
        self.client = None
        self.dependency_failures = {}  # (model, id, entity) -> message

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
            push_jobs = self.jobs.filtered(lambda job: job.operation == "push")
            self._run_push(push_jobs)
            for job in self.jobs.filtered(lambda job: job.operation == "delete"):
                self._run_delete(job)
            for job in self.jobs.filtered(lambda job: job.operation == "void"):
                self._run_void(job)
        except (AuthorizationRevokedError, EnvironmentMismatchError, NotConnectedError) as exc:
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
        for job in jobs:
            job.write({"attempts": max(job.attempts - 1, 0)})
        jobs._reschedule(exc.message, exc.hint, fault=exc)

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
        self._prefetch(operations)
        for op in operations:
            op.adapter.prepare(op.record, self.ctx)
        self._push_dependencies([op.record for op in operations], [op.adapter for op in operations])
        ready = [op for op in operations if self._prepare(op)]
        self._send(ready)
        self._finish_all(operations)

    def _prefetch(self, operations):
        by_key = {}
        for op in operations:
            by_key.setdefault((op.record._name, op.entity), op.record.browse())
            by_key[(op.record._name, op.entity)] |= op.record
        for (_model, entity), records in by_key.items():
            self.ctx.load_bindings(records, entity)

    def _push_dependencies(self, records, adapters, depth=0):
        """Create what the records refer to (customers, items, invoices) before them."""
        needed = {}
        for record, adapter in zip(records, adapters, strict=True):
            try:
                deps = adapter.dependencies(record)
            except MappingError:
                continue
            for dep, entity in deps:
                if dep:
                    needed.setdefault((dep._name, entity), dep.browse())
                    needed[(dep._name, entity)] |= dep
        if not needed:
            return
        for (_model, entity), deps in needed.items():
            self.ctx.load_bindings(deps, entity)
        missing = []
        for (_model, entity), deps in needed.items():
            for dep in deps:
                if not self.ctx.binding(dep, entity):
                    missing.append((dep, entity))
        if not missing:
            return
        if depth >= MAX_DEPENDENCY_DEPTH:
            for dep, entity in missing:
                self.dependency_failures[(dep._name, dep.id, entity)] = (
                    self.env._("references nest too deep"), None, False)
            return
        dep_records = [dep for dep, _entity in missing]
        dep_adapters = [adapter_for(dep, entity) for dep, entity in missing]
        for dep, adapter in zip(dep_records, dep_adapters, strict=True):
            adapter.prepare(dep, self.ctx)
        # Their own dependencies first (a sub-customer's parent, a payment's invoices' customers).
        self._push_dependencies(dep_records, dep_adapters, depth + 1)
        operations = [Operation(dep, adapter) for dep, adapter in zip(dep_records, dep_adapters, strict=True)]
        ready = [op for op in operations if self._prepare(op)]
        self._send(ready)
        self._finish_all(operations)

    def _prepare(self, op):
        """Map the record; decide create, update, or nothing; look up what may already exist."""
        try:
            op.payload = op.adapter.payload(op.record, self.ctx)
        except MissingDependency as exc:
            reason, fault, retry_later = self.dependency_failures.get(
                (exc.record._name, exc.record.id, exc.qbo_entity), ("", None, False))
            op.error = (
                self.env._("%(what)s %(name)s could not be created in QuickBooks first%(reason)s.",
                           what=exc.qbo_entity, name=exc.record.display_name,
                           reason=f": {reason}" if reason else ""),
                fault.hint if fault is not None and fault.hint else self.env._("Fix it, then retry."),
                fault, retry_later, False,
            )
            return False
        except MappingError as exc:
            op.error = (exc.message, exc.hint, None, False, False)
            return False
        op.binding = self.ctx.binding(op.record, op.entity)
        if op.binding:
            if op.binding.synced_hash == fingerprint(op.payload):
                op.done_without_write = True
                return False
            op.kind = "update"
            op.payload = dict(op.payload, Id=op.binding.qbo_id, SyncToken=op.binding.qbo_sync_token or "0",
                              sparse=True)
            return True
        if op.job is not None and op.job.uncertain:
            found = self._lookup(op)
            if found is not None:
                op.binding = self._bind(op, found, origin="push")
                if op.adapter.check(op.record, found) is None and not self._differs(op, found):
                    op.result = found
                    return False
                op.kind = "update"
                op.payload = dict(op.payload, Id=found["Id"], SyncToken=found["SyncToken"], sparse=True)
                return True
        op.kind = "create"
        return True

    def _differs(self, op, found):
        return any(found.get(key) != value for key, value in op.payload.items()
                   if key not in ("Line", "sparse") and not isinstance(value, dict))

    def _lookup(self, op):
        query = op.adapter.lookup_query(op.record, op.payload)
        if not query:
            return None
        response = self.client.query(query)
        for found in response.get(op.entity, []):
            if op.adapter.matches_lookup(op.record, found):
                return found
        return None

    # -- sending ---------------------------------------------------------------------------------

    def _batch_size(self):
        """30 operations, or fewer when that is what QuickBooks' minute has room for now: a
        smaller batch now beats a full one after waiting (each operation counts, not each
        request)."""
        pacer = self.client.pacer
        room = pacer.room() if pacer is not None else None
        if room is None or room >= BATCH_SIZE:
            return BATCH_SIZE
        return room if room >= MIN_PARTIAL_BATCH else BATCH_SIZE

    def _send(self, operations):
        start = 0
        while start < len(operations):
            chunk = operations[start:start + self._batch_size()]
            start += len(chunk)
            items = []
            for index, op in enumerate(chunk):
                item = {"bId": str(index + 1), "operation": op.kind, op.entity: op.payload}
                items.append(item)
            try:
                answers = self.client.batch(items, request_id=uuid.uuid4().hex)
            except ThrottledError as exc:
                for op in chunk:
                    op.error = (exc.message, exc.hint, exc, True, False)
                continue
            except NetworkError as exc:
                # The batch may have been applied without Odoo hearing back.
                for op in chunk:
                    op.error = (exc.message, exc.hint, exc, True, op.kind == "create")
                continue
            except QuickBooksFault as exc:
                for op in chunk:
                    op.error = (exc.message, exc.hint, exc, exc.retryable, False)
                continue
            for index, op in enumerate(chunk):
                answer = answers.get(str(index + 1))
                if answer is None:
                    op.error = ("QuickBooks' batch answer lacks this operation.", "", None, True, op.kind == "create")
                elif "Fault" in answer:
                    self._handle_fault(op, answer["Fault"])
                else:
                    op.result = answer.get(op.entity)

    def _handle_fault(self, op, fault_body):
        errors = fault_body.get("Error") or [{}]
        first = errors[0]
        code = str(first.get("code", "")).lstrip("0")
        message = first.get("Message", "")
        detail = first.get("Detail", "")
        fault = QuickBooksFault(f"QuickBooks fault {code} ({message})" + (f": {detail}" if detail else "."),
                                hint_for(code, message), code=code, detail=detail, http_status=200)
        if code == "5010" and "period" not in (message + detail).lower() and op.kind == "update":
            self._retry_stale(op, fault)
        elif code == "6240" and op.adapter.name_field and op.kind == "create":
            self._resolve_duplicate_name(op, fault)
        elif code == "6140" and op.kind == "create":
            found = self._lookup(op)
            if found is not None:
                op.binding = self._bind(op, found, origin="push")
                op.result = found
            else:
                op.error = (fault.message, fault.hint, fault, False, False)
        elif code in ("6210", "5010"):
            op.error = (self._closed_books_message(op, fault), fault.hint, fault, False, False)
        else:
            op.error = (fault.message, fault.hint, fault, fault.retryable, False)

    def _retry_stale(self, op, fault):
        """5010: someone changed the object in QuickBooks.  Re-read it; if they changed a field
        Odoo changes too, stop in conflict; otherwise resend Odoo's changes once."""
        current = self.client.read(op.entity, op.binding.qbo_id)
        last_sent = json.loads(op.binding.synced_payload or "{}")
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
            op.error = (
                self.env._("The record was changed both in Odoo and in QuickBooks (%s).",
                           ", ".join(c["field"] for c in conflicts)),
                self.env._("Decide which values to keep: change Odoo or QuickBooks, then retry."),
                fault, False, False,
            )
            op.conflicts = conflicts
            return
        payload = dict(op.payload, SyncToken=current["SyncToken"])
        try:
            op.result = self.client.update(op.entity, payload, request_id=_request_id(op, "stale"))
        except QuickBooksFault as exc:
            op.error = (exc.message, exc.hint, exc, exc.retryable, False)

    def _resolve_duplicate_name(self, op, fault):
        """6240: the name is taken in QuickBooks.  Link the existing object when the match
        strategy says it is the same one; otherwise add a differentiator (" - 2")."""
        found = self._lookup(op)
        if found is not None and self.connection._is_same_party(op.record, found):
            op.binding = self._bind(op, found, origin="import")
            op.result = found
            return
        if self.connection.duplicate_resolution != "suffix":
            op.error = (fault.message, self.env._(
                "Rename one of them, or link the existing QuickBooks record from the import wizard."),
                fault, False, False)
            return
        for attempt in range(2, 10):
            suffix = f" - {attempt}"
            try:
                payload = op.adapter.payload(op.record, self.ctx, suffix=suffix)
                op.result = self.client.create(op.entity, payload, request_id=_request_id(op, f"dup{attempt}"))
                op.payload = payload
                return
            except QuickBooksFault as exc:
                if exc.code != "6240":
                    op.error = (exc.message, exc.hint, exc, exc.retryable, False)
                    return
        op.error = (fault.message, fault.hint, fault, False, False)

    def _closed_books_message(self, op, fault):
        try:
            prefs = self.client.preferences()
            close_date = (prefs.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
        except QuickBooksError:
            close_date = None
        date = op.payload.get("TxnDate") if op.payload else None
        if close_date:
            return self.env._(
                "QuickBooks' books are closed through %(close)s; %(name)s is dated %(date)s.",
                close=close_date, name=op.record.display_name, date=date or "?",
            )
        return fault.message

    # -- results ---------------------------------------------------------------------------------

    def _bind(self, op, qbo_object, origin="push"):
        binding = self.env["quickbooks.binding"]._bind(
            self.connection, op.record, op.entity, qbo_object, origin=origin,
        )
        self.ctx.remember(op.record, op.entity, binding)
        return binding

    def _finish_all(self, operations):
        """Apply a batch's answers: links in bulk, then each job, then the records' states
        (one update and one chatter batch per model)."""
        self._bind_results([op for op in operations if op.result is not None and op.error is None
                            and not op.done_without_write])
        marks = {}
        for op in operations:
            outcome = self._finish(op)
            if outcome:
                marks.setdefault(op.adapter, []).append((op.record, *outcome))
        for adapter, rows in marks.items():
            adapter.mark_many(rows)

    def _bind_results(self, operations):
        by_key = {}
        for op in operations:
            by_key.setdefault((op.record._name, op.entity), []).append(op)
        Binding = self.env["quickbooks.binding"].sudo()
        now = fields.Datetime.now()
        for (model, entity), ops in by_key.items():
            found = Binding._lookup(self.connection, model, [op.record.id for op in ops], entity)
            to_create = []
            for op in ops:
                sent = {k: v for k, v in op.payload.items() if k not in ("Id", "SyncToken", "sparse")}
                values = {
                    "qbo_id": str(op.result["Id"]),
                    "qbo_sync_token": str(op.result.get("SyncToken", "")),
                    "qbo_name": (op.result.get("DocNumber") or op.result.get("DisplayName")
                                 or op.result.get("Name") or ""),
                    "synced_at": now,
                    "synced_hash": fingerprint(sent),
                    "synced_payload": json.dumps(sent),
                }
                binding = found.get(op.record.id)
                if binding:
                    binding.write(values)
                    op.binding = binding
                else:
                    to_create.append((op, dict(values, connection_id=self.connection.id,
                                                 realm_id=self.connection.realm_id, res_model=model,
                                                 res_id=op.record.id, qbo_entity=entity, origin="push")))
            if to_create:
                created = Binding.create([values for _op, values in to_create])
                for (op, _values), binding in zip(to_create, created, strict=True):
                    op.binding = binding
            for op in ops:
                self.ctx.remember(op.record, op.entity, op.binding)

    def _finish(self, op):
        """Write the job's outcome; returns ``(state, binding, error)`` for the record, or None."""
        job = op.job
        if op.done_without_write:
            if job:
                job.write({"state": "done", "done_at": fields.Datetime.now(), "qbo_id": op.binding.qbo_id,
                           "qbo_doc_number": op.binding.qbo_name, "uncertain": False,
                           "fault_message": self.env._("Nothing changed since the last sync.")})
                return "synced", op.binding, None
            return None
        if op.result is not None and op.error is None:
            mismatch = op.adapter.check(op.record, op.result)
            values = {
                "qbo_id": op.result.get("Id"),
                "qbo_doc_number": op.result.get("DocNumber") or op.result.get("DisplayName") or op.result.get("Name"),
                "payload": _dump(op.payload),
                "response": _dump(op.result),
                "uncertain": False,
            }
            if mismatch:
                if job:
                    job.write(values)
                    job._fail(mismatch, self.env._("The object exists in QuickBooks; fix the difference and retry."))
                return "error", op.binding, mismatch
            if job:
                job.write(dict(values, state="done", done_at=fields.Datetime.now(), fault_code=False,
                               fault_message=False, hint=False))
            return "synced", op.binding, None
        if op.error is None:
            return None
        message, hint, fault, retry_later, uncertain = op.error
        if not op.job:
            # Pushed on behalf of the jobs that need it: they report it (and wait with it when
            # the failure is temporary).
            self.dependency_failures[(op.record._name, op.record.id, op.entity)] = (message, fault, retry_later)
            return ("queued" if retry_later else "error"), None, message
        job.write({"payload": _dump(op.payload) if op.payload else False})
        if getattr(op, "conflicts", None):
            job.write({"conflict_details": op.conflicts})
            job._fail(message, hint, fault=fault, state="conflict")
            return "conflict", None, message
        if retry_later:
            job._reschedule(message, hint, fault=fault, uncertain=uncertain)
            return ("error" if job.state == "failed" else "queued"), None, message
        job._fail(message, hint, fault=fault)
        return "error", None, message

    # -- delete and void -----------------------------------------------------------------------

    def _run_delete(self, job):
        """A synced draft was deleted in Odoo: delete the transaction in QuickBooks."""
        try:
            current = self.client.read(job.qbo_entity, job.qbo_id)
            self.client.delete(job.qbo_entity, {"Id": job.qbo_id, "SyncToken": current["SyncToken"]},
                               request_id=job.request_id)
        except QuickBooksFault as exc:
            if exc.code == "610":  # already gone
                job.write({"state": "done", "done_at": fields.Datetime.now(),
                           "fault_message": self.env._("Already deleted in QuickBooks.")})
                return
            self._job_error(job, exc)
            return
        except NetworkError as exc:
            job._reschedule(exc.message, exc.hint, fault=exc)
            return
        self.env["quickbooks.binding"].sudo().search([
            ("realm_id", "=", self.connection.realm_id), ("qbo_entity", "=", job.qbo_entity),
            ("qbo_id", "=", job.qbo_id)]).unlink()
        job.write({"state": "done", "done_at": fields.Datetime.now()})

    def _run_void(self, job):
        """A synced invoice was cancelled in Odoo: void it in QuickBooks (kept, amounts zeroed)."""
        record = job._record()
        binding = None
        if record:
            binding = self.ctx.binding(record, job.qbo_entity or invoice_map.entity_for(record))
        qbo_id = binding.qbo_id if binding else job.qbo_id
        if not qbo_id:
            job.write({"state": "done", "done_at": fields.Datetime.now(),
                       "fault_message": self.env._("Never sent to QuickBooks: nothing to void.")})
            return
        entity = job.qbo_entity or (binding.qbo_entity if binding else "Invoice")
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
        if binding:
            binding.write({"qbo_sync_token": result.get("SyncToken", ""), "synced_at": fields.Datetime.now()})
        job.write({"state": "done", "done_at": fields.Datetime.now(), "qbo_id": qbo_id, "response": _dump(result)})
        if record:
            record._quickbooks_mark("synced", binding=binding)

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
