"""QuickBooks Desktop through the Web Connector: what one session sends and how it applies the
answers.  The queue (quickbooks.sync.job), the links (quickbooks.binding, keyed by the company
file's FileID as their realm), the Sync Log and the records' badges are Online's; only the
transport differs: the Web Connector calls Odoo (controllers/qbwc.py), so jobs are sent in
qbXML message sets when it asks, not by the queue's cron.

Exactly once without idempotency keys: a job is marked *running* under its session before its
request leaves (committed with the answer to sendRequestXML).  A session that dies between
send and receive leaves them so; the next session puts them back *in doubt*, and a job in doubt
first queries QuickBooks (name, or RefNumber + the memo's marker) and links what it finds
instead of adding it again.  A Mod answered 3200 (stale EditSequence) re-reads the object and is
sent once more.
"""

import logging
import re
import secrets
from collections import namedtuple
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError

from ..mapping.common import MappingError
from ..mapping.qbxml.common import (
    ADAPTERS,
    CUSTOMER_NAME_MAX,
    DesktopError,
    adapter_for,
    message_set,
    name_rule,
    parse_response,
    sub,
)
from ..models.quickbooks_qbwc_session import ticket_hash
from . import desktop_import

_logger = logging.getLogger(__name__)

TICKET_LIFETIME = timedelta(minutes=30)
MAX_REQUESTS = 200        # requests in one message set
MAX_MESSAGES = 200        # message sets in one session (a guard against a loop)
Fault = namedtuple("Fault", "code http_status intuit_tid")

# A plain-language hint per QuickBooks status code (qbXML SDK status codes).
HINTS = {
    "3000": "The QuickBooks object Odoo knew was not found (deleted in QuickBooks?). Retry to send it again.",
    "3070": "A text is longer than QuickBooks Desktop allows; shorten it in Odoo and retry.",
    "3100": "The name is already used in QuickBooks Desktop by another customer, vendor, employee or item; "
            "set another Name in QuickBooks on the Odoo record and retry.",
    "3120": "A referenced QuickBooks object was not found; retry once it is synced.",
    "3130": "The parent customer is not in QuickBooks Desktop yet; retry.",
    "3140": "A customer or item this document uses is missing or inactive in QuickBooks Desktop; sync it, "
            "then retry.",
    "3170": "QuickBooks could not save it; it is sent again.",
    "3175": "Someone is editing it in QuickBooks Desktop; it is sent again.",
    "3176": "Someone is editing it in QuickBooks Desktop; it is sent again.",
    "3180": "QuickBooks Desktop refused to save it (a ':' in a name, or an item without an account); check "
            "the record and the income account in Settings > QuickBooks.",
    "3200": "It was changed in QuickBooks Desktop meanwhile; Odoo re-read it and sent it again once, and it changed "
            "again: check it in QuickBooks Desktop (someone editing it?), then Retry.",
    "3210": "QuickBooks refused an amount (a payment larger than what is due?); check the invoice's balance.",
}
RETRIED_CODES = {"3170", "3175", "3176", "3180-busy", "3140", "3120", "3130"}


def new_ticket():
    return secrets.token_hex(24)


class DesktopContext:
    """Links and names during one message: what the adapters' ``ref`` and ``binding`` read."""

    def __init__(self, connection):
        self.connection = connection
        self.env = connection.env
        self.in_message = {}      # (model, id, entity) -> name added in this message
        self._bindings = {}
        self.current_ret = None   # the object as QuickBooks holds it, for the Mod being written

    def prefetch(self, keys):
        """Read the links of many ``(model, id, entity)`` at once (one query per model and entity)."""
        wanted = {}
        for model, res_id, entity in keys:
            if (model, res_id, entity) not in self._bindings:
                wanted.setdefault((model, entity), set()).add(res_id)
        for (model, entity), ids in wanted.items():
            found = self.env["quickbooks.binding"]._lookup(self.connection, model, list(ids), entity)
            for res_id in ids:
                self._bindings[(model, res_id, entity)] = found.get(res_id)

    def binding(self, record, entity):
        key = (record._name, record.id, entity)
        if key not in self._bindings:
            self._bindings[key] = self.env["quickbooks.binding"]._lookup(
                self.connection, record._name, [record.id], entity).get(record.id)
        return self._bindings[key]

    def forget(self, record, entity):
        self._bindings.pop((record._name, record.id, entity), None)

    def full_name(self, record, entity, default):
        binding = self.binding(record, entity)
        return (binding.qbo_name if binding else None) or self.in_message.get(
            (record._name, record.id, entity)) or default

    def ref(self, parent, tag, record, entity):
        """A reference by ListID when known, else by the name just added in this message."""
        element = sub(parent, tag)
        binding = self.binding(record, entity)
        if binding:
            sub(element, "ListID", binding.qbo_id)
        else:
            sub(element, "FullName", self.in_message.get((record._name, record.id, entity))
                or ADAPTERS[entity].name_of(record, self))
        return element


class DesktopSession:
    """What one Web Connector session does, on its ``quickbooks.qbwc.session`` record (sudo)."""

    def __init__(self, session):
        self.session = session
        self.connection = session.connection_id
        self.env = session.env
        self.jobs = self.env["quickbooks.sync.job"].sudo()

    # -- session life -------------------------------------------------------------------------

    @classmethod
    def open(cls, connection):
        """A new session for ``connection``; returns ``(session, ticket)``.  Jobs a previous
        session sent without hearing back go back to the queue, in doubt."""
        env = connection.env
        ticket = new_ticket()
        cls.recover(connection)
        session = env["quickbooks.qbwc.session"].sudo().create({
            "connection_id": connection.id, "ticket_hash": ticket_hash(ticket),
            "expires_at": fields.Datetime.now() + TICKET_LIFETIME, "in_flight": {}, "deps_queued": [],
            "qbwc_version": connection.qbd_version,
        })
        return session, ticket

    @classmethod
    def recover(cls, connection):
        env = connection.env
        sessions = env["quickbooks.qbwc.session"].sudo().search([
            ("connection_id", "=", connection.id), ("state", "=", "open")])
        sessions.write({"state": "dead", "closed_at": fields.Datetime.now(), "in_flight": {}})
        lost = env["quickbooks.sync.job"].sudo().search([
            ("connection_id", "=", connection.id), ("state", "=", "running"), ("worker", "=like", "qbwc:%")])
        if lost:
            _logger.warning("QuickBooks Desktop: %d jobs of company %s were sent by a session that ended without "
                            "answering; they are looked up before being sent again", len(lost),
                            connection.company_id.id)
            lost.write({"state": "pending", "uncertain": True, "worker": False,
                        "next_attempt_at": fields.Datetime.now()})

    @classmethod
    def find(cls, env, ticket):
        session = env["quickbooks.qbwc.session"].sudo().search([("ticket_hash", "=", ticket_hash(ticket))], limit=1)
        if not session or session.state != "open" or session.expires_at < fields.Datetime.now():
            return None
        return cls(session)

    @classmethod
    def has_work_for(cls, connection):
        """Whether a session would send anything (authenticate answers ``none`` otherwise)."""
        jobs = connection.env["quickbooks.sync.job"].sudo().search([
            ("connection_id", "=", connection.id), ("state", "=", "pending"),
            ("next_attempt_at", "<=", fields.Datetime.now()),
        ])
        return any((adapter_for(job.res_model, job.qbo_entity) or job.qbo_entity == desktop_import.ENTITY)
                   and (job.operation == "delete" or job._record()) for job in jobs)

    # -- sendRequestXML ------------------------------------------------------------------------

    def _due_jobs(self):
        return self.jobs.search([
            ("connection_id", "=", self.connection.id), ("state", "=", "pending"),
            ("next_attempt_at", "<=", fields.Datetime.now()),
        ], order="priority, id")

    def _plan(self, dry_run=False):
        """``[(job, step, element)]`` for the next message, in dependency order; with
        ``dry_run`` nothing is written (whether there is work)."""
        ctx = DesktopContext(self.connection)
        plan = []
        jobs = self._due_jobs()
        imports = jobs.filtered(lambda j: j.qbo_entity == desktop_import.ENTITY)
        if imports:
            # The one-time import goes alone: what it links must not be added meanwhile.
            if dry_run:
                return list(imports)
            iterators = self.session.iterators or {}
            return [(job, f"import-{name}", element) for job in imports[:1]
                    for name, element in desktop_import.queries(job, iterators, f"{job.id}-import")]
        jobs = jobs.sorted(lambda j: (getattr(adapter_for(j.res_model, j.qbo_entity), "order", 99), j.id))
        queued = set(map(tuple, self.session.deps_queued or []))
        if not dry_run:
            ctx.prefetch([(job.res_model, job.res_id, job.qbo_entity) for job in jobs])
            self._waiting = self._open_job_keys()
        for job in jobs:
            if len(plan) >= MAX_REQUESTS:
                break
            adapter = adapter_for(job.res_model, job.qbo_entity)
            record = job._record()
            if dry_run:
                if adapter and (record or job.operation == "delete"):
                    return [job]
                continue
            if job.operation == "delete" and adapter:
                self._plan_delete(job, adapter, plan)
                continue
            if not record:
                job.write({"state": "cancelled", "done_at": fields.Datetime.now(),
                           "fault_message": self.env._("The Odoo record no longer exists.")})
                continue
            if not adapter:
                job._fail(self.env._("%s records are not sent to QuickBooks Desktop.", job.qbo_entity))
                continue
            request_id = f"{job.id}"
            try:
                refused = adapter.refused(record)
                if refused:
                    # The job's, not the record's own state (a credit note's application).
                    job._fail(refused.message, refused.hint)
                    continue
                if job.operation == "void":
                    # The id travels with the job: a payment reset to draft forgets its link.
                    binding = ctx.binding(record, job.qbo_entity)
                    txn_id = binding.qbo_id if binding else job.qbo_id
                    if txn_id and not adapter.is_list:
                        element = etree.Element("TxnVoidRq", requestID=f"{request_id}-void")
                        sub(element, "TxnVoidType", adapter.kind)
                        sub(element, "TxnID", txn_id)
                        plan.append((job, "void", element))
                    else:
                        job.write({"state": "done", "done_at": fields.Datetime.now()})
                    continue
                if job.operation != "push":
                    job._fail(self.env._("%s is not done in QuickBooks Desktop.", job.operation))
                    continue
                waiting = self._missing_dependencies(job, record, adapter, ctx, queued)
                if waiting is None:
                    continue  # failed for good, or waits for what it needs
                binding = ctx.binding(record, job.qbo_entity)
                if job.uncertain:
                    step = "refresh" if binding else "lookup"
                    element = adapter.refresh(binding, f"{request_id}-{step}") if binding else adapter.lookup(
                        record, ctx, f"{request_id}-lookup")
                    plan.append((job, step, element))
                    continue
                if binding:
                    ctx.current_ret = adapter.current(job, binding) if adapter.reads_before_mod else None
                    if adapter.reads_before_mod and ctx.current_ret is None:
                        # What QuickBooks holds now (and its EditSequence) first; the Mod next message.
                        plan.append((job, "refresh", adapter.refresh(binding, f"{request_id}-refresh")))
                        continue
                    plan.append((job, "mod", adapter.mod(record, ctx, binding, f"{request_id}-mod")))
                else:
                    plan.append((job, "add", adapter.add(record, ctx, f"{request_id}-add")))
                    ctx.in_message[(record._name, record.id, job.qbo_entity)] = adapter.name_of(record, ctx)
            except (DesktopError, MappingError) as error:
                job._fail(error.message, error.hint)
                if adapter.owns_record:
                    record._quickbooks_mark("error", error=error.message)
            except (ValueError, KeyError, TypeError, AttributeError, UserError) as error:
                # One record's failure is its own (errors that leave the transaction usable).
                _logger.exception("QuickBooks Desktop: job %s could not be prepared", job.id)
                message = self.env._("Unexpected error while preparing it: %s", error)
                job._fail(message, self.env._("See the server log; retry once fixed."))
                if adapter.owns_record:
                    record._quickbooks_mark("error", error=message)
        if queued != set(map(tuple, self.session.deps_queued or [])):
            self.session.deps_queued = sorted(queued)
        return plan

    def _plan_delete(self, job, adapter, plan):
        """A transaction QuickBooks holds whose Odoo record was deleted: TxnDel (QuickBooks keeps
        no trace but its audit trail).  Customers and items are not deleted from Odoo's side."""
        if adapter.is_list:
            job._fail(self.env._("Customers and items are not deleted in QuickBooks Desktop from Odoo."),
                      self.env._("Make it inactive in QuickBooks Desktop if it is no longer used."))
            return
        if not job.qbo_id:
            job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False})
            return
        element = etree.Element("TxnDelRq", requestID=f"{job.id}-delete")
        sub(element, "TxnDelType", adapter.kind)
        sub(element, "TxnID", job.qbo_id)
        plan.append((job, "delete", element))

    def _open_job_keys(self):
        """``{(model, id, entity)}`` of the connection's jobs waiting or in flight (one query)."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT res_model, res_id, qbo_entity FROM quickbooks_sync_job"
            " WHERE connection_id = %s AND state IN ('pending', 'running')", (self.connection.id,))
        return set(self.env.cr.fetchall())

    def _missing_dependencies(self, job, record, adapter, ctx, queued):
        """True when the job can go in this message; None when it waits or failed."""
        for dep, entity in adapter.dependencies(record, ctx):
            if not dep or ctx.binding(dep, entity):
                continue
            if (dep._name, dep.id, entity) in ctx.in_message and entity not in adapter.needs_ids_of:
                continue
            key = (dep._name, dep.id, entity)
            if key in self._waiting:
                return None
            if key in queued:
                message = self.env._("%(what)s needs %(dep)s in QuickBooks Desktop, which could not be sent: see "
                                     "its entry in the Sync Log.", what=record.display_name, dep=dep.display_name)
                job._fail(message, self.env._("Fix it, retry it, then retry this one."))
                if adapter.owns_record:
                    record._quickbooks_mark("error", error=message)
                return None
            queued.add(key)
            self._waiting.add(key)
            self.jobs._enqueue(self.connection, dep, qbo_entity=entity, trigger=False)
            return None
        return True

    def next_request(self):
        """The qbXML of the next message set, or ``""`` when nothing is left."""
        if self.session.messages >= MAX_MESSAGES:
            return ""
        plan = self._plan()
        if not plan:
            # What the plan queued (a document's customer) goes now.
            plan = self._plan()
        if not plan:
            return ""
        plan.sort(key=lambda row: getattr(adapter_for(row[0].res_model, row[0].qbo_entity), "order", 0))
        in_flight = {}
        for job, step, element in plan:
            in_flight[element.get("requestID")] = [job.id, step]
            job.write({
                "state": "running", "worker": f"qbwc:{self.session.id}", "started_at": fields.Datetime.now(),
                "attempts": job.attempts + 1, "payload": etree.tostring(element, encoding="unicode", pretty_print=True),
                "response": False,
            })
        self.session.write({"in_flight": in_flight, "messages": self.session.messages + 1,
                            "request_count": self.session.request_count + len(plan)})
        return message_set([element for _job, _step, element in plan])

    # -- receiveResponseXML ------------------------------------------------------------------

    def apply(self, response, hresult="", message=""):
        """Apply QuickBooks' answers; returns the percentage done (negative: the session ends)."""
        in_flight = self.session.in_flight or {}
        jobs = self.jobs.browse([job_id for job_id, _step in in_flight.values()]).exists()
        if hresult or not response:
            # QuickBooks failed the whole message (or died after running it): nothing is known.
            text = f"{hresult} {message}".strip()
            for job in jobs.filtered(lambda j: j.state == "running"):
                job._reschedule(self.env._("QuickBooks Desktop did not answer: %s", text),
                                hint=self.env._("It is looked up before being sent again, at the next session."),
                                fault=Fault(hresult or "", 0, ""), uncertain=True, count_attempt=False, delay=0)
            self.session.write({"in_flight": {}, "last_error": text, "error_count": self.session.error_count + 1})
            return -1
        ctx = DesktopContext(self.connection)
        importing = {}
        answers = parse_response(response)
        self.session.response_count += len(answers)
        for rs in answers:
            request_id = rs.get("requestID") or ""
            job_id, step = in_flight.get(request_id, (None, None))
            job = self.jobs.browse(job_id).exists() if job_id else None
            if not job or job.state != "running":
                continue
            if step.startswith("import-"):
                importing.setdefault(job, []).append((step[len("import-"):], rs))
                continue
            self._apply_one(job, step, rs, ctx)
        for job, pages in importing.items():
            self._apply_import(job, pages)
        # Anything QuickBooks did not answer (stopOnError) goes again.
        for job in jobs.filtered(lambda j: j.state == "running"):
            job._reschedule(self.env._("QuickBooks Desktop did not answer this request."), uncertain=True,
                            count_attempt=False, delay=0)
        self.session.in_flight = {}
        remaining = len(self._plan(dry_run=True))
        if not remaining or self.session.messages >= MAX_MESSAGES:
            return 100
        done = self.session.done_count + self.session.error_count
        return max(1, min(99, int(100 * done / ((done + len(self._due_jobs())) or 1))))

    def _apply_import(self, job, pages):
        """A page of each list of the one-time import's read: kept in the job's snapshot (nothing
        is written to Odoo's records: the preview and the import happen in Odoo afterwards),
        then the next page."""
        iterators = dict(self.session.iterators or {})
        state = dict(iterators.get(str(job.id)) or {})
        problems = list(state.get("problems") or [])
        if not state.get("started"):
            # A new read (or a retry): start from an empty snapshot.
            self.env["ir.attachment"].sudo().search([
                ("res_model", "=", "quickbooks.sync.job"), ("res_id", "=", job.id),
                ("name", "=", desktop_import.SNAPSHOT_NAME)]).unlink()
            state["started"] = True
        rows = []
        for name, rs in pages:
            code = rs.get("statusCode") or "0"
            if code not in ("0", "1", "500"):
                problems.append(f"{name}: {code} {rs.get('statusMessage') or ''}")
                state[name] = "done"
                continue
            rows.append((name, desktop_import.convert(name, desktop_import.page_rets(rs))))
            remaining = int(rs.get("iteratorRemainingCount") or 0)
            state[name] = rs.get("iteratorID") if remaining and rs.get("iteratorID") else "done"
        snapshot = desktop_import.add_pages(job, rows)
        state["problems"] = problems[:50]
        iterators[str(job.id)] = state
        self.session.iterators = iterators
        job.response = "\n".join(desktop_import.describe(rs) for _name, rs in pages)[:200000]
        if all(state.get(name) == "done" for name in desktop_import.LISTS):
            if any(problem.startswith(("Customer:", "Item:")) for problem in problems):
                job._fail(self.env._("QuickBooks Desktop did not give all its lists: %s", "; ".join(problems)),
                          self.env._("Retry the read; the import cannot be previewed from part of the lists."))
                self.session.error_count += 1
                return
            desktop_import.finish(job, snapshot, problems)
            self.session.done_count += 1
        else:
            job.write({"state": "pending", "worker": False, "next_attempt_at": fields.Datetime.now()})

    def _apply_one(self, job, step, rs, ctx):
        adapter = adapter_for(job.res_model, job.qbo_entity)
        record = job._record()
        code = rs.get("statusCode") or "0"
        severity = rs.get("statusSeverity") or ""
        text = rs.get("statusMessage") or ""
        rets = [child for child in rs if isinstance(child.tag, str) and child.tag.endswith("Ret")]
        job.response = etree.tostring(rs, encoding="unicode", pretty_print=True)[:200000]
        if step == "delete":
            if code in ("0", "3120", "3000"):
                # 3120/3000: not in the file any more (deleted there already): nothing left to do.
                job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False,
                           "fault_message": False if code == "0" else self.env._(
                               "QuickBooks Desktop no longer had it: %s", text)})
                self.env["quickbooks.binding"].sudo().search([
                    ("realm_id", "=", self.connection.realm_id), ("res_model", "=", job.res_model),
                    ("res_id", "=", job.res_id), ("qbo_entity", "=", job.qbo_entity)]).unlink()
                self.session.done_count += 1
            elif code in RETRIED_CODES and job.attempts < job.max_attempts:
                job._reschedule(text, hint=HINTS.get(code, ""), fault=Fault(code, 0, ""), count_attempt=True)
            else:
                job._fail(f"{code} {severity}: {text}".strip(), HINTS.get(code, ""), fault=Fault(code, 0, ""))
                self.session.error_count += 1
            return
        if record is None:
            job.write({"state": "cancelled", "done_at": fields.Datetime.now()})
            return
        if step == "lookup":
            if code == "0" and rets:
                ours = [ret for ret in rets if adapter.ours(record, ret)]
                if ours:
                    self._link(job, record, adapter, ours[0], ctx, origin="push")
                    return
                if adapter.is_list:
                    if self._differentiate(job, record, adapter, ctx):
                        return
                    self._failed(job, record, "3100", self.env._(
                        "QuickBooks Desktop already has %(name)r, which is not this Odoo record.",
                        name=adapter.name_of(record, ctx)))
                    return
            if code in ("0", "1", "500"):
                if job.fault_code == "3100" and adapter.is_list:
                    # The name is taken by a vendor, an employee or another name (one name space).
                    if self._differentiate(job, record, adapter, ctx):
                        return
                    self._failed(job, record, "3100", self.env._(
                        "QuickBooks Desktop says the name %(name)r is in use (by a vendor, an employee or an "
                        "inactive customer?).", name=adapter.name_of(record, ctx)))
                    return
                # QuickBooks does not have it: add it in the next message.
                job.write({"state": "pending", "uncertain": False, "worker": False,
                           "next_attempt_at": fields.Datetime.now()})
                return
        elif step == "refresh":
            if code == "0" and rets:
                binding = ctx.binding(record, job.qbo_entity)
                _id, edit_sequence, _name = adapter.ids_of(rets[0])
                binding.write({"qbo_sync_token": edit_sequence})
                job.write({"state": "pending", "uncertain": False, "worker": False,
                           "next_attempt_at": fields.Datetime.now()})
                return
        elif step == "void":
            if code == "0":
                job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False})
                self.session.done_count += 1
                return
        elif code == "0" and rets:
            self._link(job, record, adapter, rets[0], ctx, origin="push")
            return
        elif step == "mod" and code == "3200" and job.fault_code != "3200":
            # Changed in QuickBooks since Odoo last read it: re-read its EditSequence, send again once.
            job.write({"state": "pending", "uncertain": True, "worker": False, "fault_code": "3200",
                       "fault_message": text, "hint": HINTS["3200"], "next_attempt_at": fields.Datetime.now()})
            return
        elif step == "add" and code == "3100" and adapter.is_list:
            # The name is taken: Odoo's own object (added by a session whose answer was lost)?
            job.write({"state": "pending", "uncertain": True, "worker": False, "fault_code": code,
                       "fault_message": text, "next_attempt_at": fields.Datetime.now()})
            return
        if code in RETRIED_CODES and job.attempts < job.max_attempts:
            job._reschedule(text, hint=HINTS.get(code, ""), fault=Fault(code, 0, ""), count_attempt=True)
            return
        self._failed(job, record, code, f"{code} {severity}: {text}".strip())

    def _differentiate(self, job, record, adapter, ctx):
        """The name is taken in QuickBooks by another customer: with the connection's "add a
        differentiator" rule, the record gets a *Name in QuickBooks* ``Name - 2`` (then 3...),
        shown on the record, and is added under it in the next message."""
        if self.connection.duplicate_resolution != "suffix" or "quickbooks_name" not in record:
            return False
        current = adapter.name_of(record, ctx)
        found = re.fullmatch(r"(.*) - (\d+)", current)
        number = int(found.group(2)) + 1 if found and record.quickbooks_name else 2
        if number > 99:
            return False
        suffix = f" - {number}"
        base = record.name or record.display_name or ""
        new_name = name_rule(base, CUSTOMER_NAME_MAX - len(suffix)) + suffix
        record.with_context(quickbooks_import=True).write({"quickbooks_name": new_name})
        job.write({"state": "pending", "uncertain": False, "worker": False, "next_attempt_at": fields.Datetime.now(),
                   "fault_message": self.env._("%(name)r is taken in QuickBooks Desktop by another customer: sent as "
                                               "%(new)r.", name=current, new=new_name)})
        return True

    def _failed(self, job, record, code, message):
        job._fail(message, HINTS.get(code, self.env._("See QuickBooks Desktop's message.")), fault=Fault(code, 0, ""))
        if adapter_for(job.res_model, job.qbo_entity).owns_record:
            record._quickbooks_mark("error", error=message)
        self.session.error_count += 1

    def _link(self, job, record, adapter, ret, ctx, origin):
        qb_id, edit_sequence, name = adapter.ids_of(ret)
        binding = self.env["quickbooks.binding"].sudo()._bind(
            self.connection, record, job.qbo_entity, {"Id": qb_id, "SyncToken": edit_sequence, "Name": name},
            origin=origin)
        ctx.forget(record, job.qbo_entity)
        problem = adapter.check(record, ret, ctx)
        if problem:
            binding.verified_hash = False
            self._failed(job, record, "check", self.env._("In QuickBooks Desktop as %(name)s, but it differs: "
                                                          "%(problem)s", name=name, problem=problem))
            return
        binding.verified_hash = "qbd"
        self._done(job, record, binding)

    def _done(self, job, record, binding, note=None):
        job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False, "uncertain": False,
                   "qbo_id": binding.qbo_id, "qbo_doc_number": binding.qbo_name if not adapter_for(
                       job.res_model, job.qbo_entity).is_list else False,
                   "fault_code": False, "fault_message": note or False, "hint": False})
        if adapter_for(job.res_model, job.qbo_entity).owns_record:
            record._quickbooks_mark("synced", binding)
        self.session.done_count += 1
