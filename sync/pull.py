"""Changes made in QuickBooks, brought back into Odoo: payments entered in QuickBooks for
invoices Odoo sent become registered, reconciled payments in Odoo; credits applied there
reconcile the credit notes; invoices and credit memos voided, deleted or edited there are
flagged on the Odoo document.  The engine is generic: what each QuickBooks entity does in Odoo
is its handler's, beside its mapping (``mapping/inbound_*.py``, ``mapping/inbound_handler.py``).

How a change arrives:

* a **webhook** notification (``controllers/webhook.py``) or a **change data capture** run
  (``run_cdc``, the periodic safety net) queues an *incoming* job per changed object in the
  Sync Log (``quickbooks.sync.job``, operation ``pull``); one object has at most one job
  waiting, however many notifications name it;
* the incoming worker (``process_jobs``) reads the objects' current state in one query per
  batch (a notification carries no data, and whatever arrived last, QuickBooks' current state
  is what Odoo must show) and applies each object in a transaction of its own.

Exactly once: each object is applied under a transaction-level advisory lock on (realm,
entity, id), reading links as committed now (READ COMMITTED); the payment Odoo registers and
its link (``quickbooks.binding``, unique per realm, entity and id) are committed together.  A
second delivery, by webhook or change data capture, in any order, finds the link and a
fingerprint of what was applied, and changes nothing.  Payments Odoo itself sent carry its
marker in their private note and their link: they are never registered again.
"""

import contextlib
import json
import logging
import time
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import Cursor

from ..mapping import inbound_credit_memo, inbound_handler, inbound_invoice, inbound_master, inbound_payment  # noqa: F401
from ..mapping.common import MappingError
from ..transport.errors import NetworkError, QuickBooksError, QuickBooksFault, ThrottledError
from . import pull_master  # noqa: F401 - registers the customers', vendors' and items' handlers

_logger = logging.getLogger(__name__)

ENTITY = "Payment"
PULL_LOCK = 727172  # advisory lock namespace of incoming objects (727170: rate limiter, 727171: ledger)
CDC_LOOK_BACK = timedelta(days=30)
CDC_MAX_OBJECTS = 1000
READ_CHUNK = 200  # ids per "Id IN (...)" query
OWN_MARKER = inbound_payment.OWN_MARKER


class PullEngine:
    def __init__(self, connection):
        self.registry = connection.env.registry
        self.connection_id = connection.id
        self.realm_id = connection.realm_id
        self.stats = {"reads": 0, "registered": 0, "cancelled": 0, "unchanged": 0, "failed": 0, "flagged": 0,
                      "credits_applied": 0, "credits_removed": 0}

    @contextlib.contextmanager
    def _env(self):
        with self.registry.cursor() as cr:
            if isinstance(cr, Cursor):
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            yield api.Environment(cr, SUPERUSER_ID, {"active_test": False})

    def _client(self, env):
        return env["quickbooks.connection"].browse(self.connection_id)._client()

    def _entities(self, env):
        return pull_entities(env["quickbooks.connection"].browse(self.connection_id))

    # -- incoming jobs ---------------------------------------------------------------------------

    def process_jobs(self, job_ids, known=None):
        """Apply claimed (running) incoming jobs of this connection.  ``known``: ``{(entity,
        qbo_id): object or None (deleted)}`` just read by change data capture, not read again."""
        if not job_ids:
            return
        known = {key: obj for key, obj in (known or {}).items() if _use_known(key[0])}
        with self._env() as env:
            jobs = env["quickbooks.sync.job"].browse(job_ids)
            wanted = sorted({(job.qbo_entity, job.qbo_id) for job in jobs} - set(known))
            client = self._client(env) if wanted else None
        try:
            objects = {key: obj for key, obj in known.items() if obj is not None}
            for entity in sorted({entity for entity, _id in wanted}):
                found = self._read(client, [qbo_id for name, qbo_id in wanted if name == entity], entity)
                objects.update({(entity, qbo_id): obj for qbo_id, obj in found.items()})
        except QuickBooksError as exc:
            with self._env() as env:
                jobs = env["quickbooks.sync.job"].browse(job_ids)
                jobs._lock_claimed()
                temporary = isinstance(exc, (NetworkError, ThrottledError)) or (exc.http_status or 0) >= 500
                jobs._reschedule(str(exc), hint=exc.hint, fault=exc, count_attempt=not temporary)
            return
        for job_id in job_ids:
            self._apply_job(job_id, objects)

    def _read(self, client, qbo_ids, entity=ENTITY):
        """``{qbo_id: object}`` as QuickBooks holds them now; deleted objects are absent."""
        found = {}
        select = _select(entity)
        for start in range(0, len(qbo_ids), READ_CHUNK):
            chunk = qbo_ids[start:start + READ_CHUNK]
            ids = ",".join(f"'{int(qbo_id)}'" for qbo_id in chunk)
            statement = f"select {select} from {entity} where Id in ({ids}) maxresults 1000"  # noqa: S608 - ids are numbers
            rows = client.query(statement).get(entity, [])
            self.stats["reads"] += 1
            found.update({str(row["Id"]): row for row in rows})
        return found

    def _apply_job(self, job_id, objects):
        entity = None
        try:
            with self._env() as env:
                job = env["quickbooks.sync.job"].browse(job_id)
                job._lock_claimed()
                if job.state != "running":
                    return
                entity = job.qbo_entity or ENTITY
                handler = inbound_handler.handler(entity)
                env.cr.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                               (PULL_LOCK, f"{self.realm_id}|{entity}|{job.qbo_id}"))
                obj = objects.get((entity, job.qbo_id))
                details = False
                try:
                    with env.cr.savepoint():
                        if handler is None:
                            raise MappingError(env._("Changes to QuickBooks %s objects are not brought into Odoo.",
                                                     entity))
                        outcome = handler.apply(self, env, job, obj)
                    state, message, hint = outcome[:3]
                    details = outcome[3] if len(outcome) > 3 else False
                except MappingError as exc:
                    state, message, hint = "failed", exc.message, exc.hint
                job.write({
                    "record_name": handler.label(job, obj) if handler else f"{entity} {job.qbo_id}",
                    "state": state, "done_at": fields.Datetime.now(), "worker": False,
                    "fault_message": message if state != "done" else False,
                    "hint": hint or False, "response": json.dumps(obj, sort_keys=True) if obj else False,
                    "pull_result": message, "conflict_details": details or False,
                })
        except Exception as exc:  # one object's failure is its own: the job goes again, with backoff
            _logger.exception("Applying QuickBooks %s %s failed", entity, job_id)
            with self._env() as env:
                job = env["quickbooks.sync.job"].browse(job_id)
                job._lock_claimed()
                job._reschedule(str(exc), hint=env._("Unexpected error while applying the change; see the server "
                                                     "log. It is tried again."))

    def _apply_payment(self, env, job, obj):
        """Make Odoo agree with QuickBooks' payment ``obj`` (None: deleted); returns
        ``(job state, what was done, what to do)``.  Credit memos it applies (a payment of no
        money linking a credit memo and invoices, QuickBooks' way of applying a credit) reconcile
        the Odoo credit notes with the invoices (mapping/inbound_credit_memo.py)."""
        pulled = env["quickbooks.pull.object"].browse(job.res_id)
        connection = job.connection_id
        binding = env["quickbooks.binding"].search([
            ("realm_id", "=", self.realm_id), ("qbo_entity", "=", ENTITY), ("qbo_id", "=", job.qbo_id)], limit=1)
        own = obj is not None and inbound_payment.is_own(obj)
        if (binding and binding.origin == "push") or own:
            pulled.status = "ignored"
            if obj is None or inbound_payment.is_voided(obj):
                if binding.res_model == "account.move":
                    return ("conflict",
                            env._("Odoo applied this credit note in QuickBooks, where the application was voided or "
                                  "deleted. Odoo's reconciliation was left as it is."),
                            env._("Unreconcile the credit note in Odoo if QuickBooks is right; otherwise apply it "
                                  "again in QuickBooks (Sync to QuickBooks on the credit note)."))
                return ("conflict",
                        env._("Odoo sent this payment to QuickBooks, where it was voided or deleted. Odoo's "
                              "payment was left as it is."),
                        env._("Cancel the payment in Odoo if QuickBooks is right; otherwise enter it again in "
                              "QuickBooks."))
            return "done", env._("Sent by Odoo: already registered in Odoo, nothing to do."), ""
        payment = env["account.payment"].browse(binding.res_id).exists() if binding else env["account.payment"]

        if obj is not None:
            text, epoch = inbound_payment.last_updated(obj)
            if pulled.last_updated_epoch and epoch and epoch < pulled.last_updated_epoch:
                return "done", env._("An older version than the one already applied (%s): ignored.",
                                 pulled.last_updated), ""
            pulled.write({"last_updated": text, "last_updated_epoch": epoch,
                          "sync_token": str(obj.get("SyncToken", "")), "qbo_name": obj.get("PaymentRefNum") or False})

        if obj is None or inbound_payment.is_voided(obj):
            word = env._("deleted") if obj is None else env._("voided")
            removed = inbound_credit_memo.unapply(pulled, env._("%(word)s in QuickBooks (payment %(id)s).",
                                                                word=word, id=job.qbo_id))
            self.stats["credits_removed"] += len(removed)
            pulled.write({"status": "removed", "applied_hash": False})
            if payment and payment.state != "canceled":
                self._cancel(payment, env._("%(word)s in QuickBooks (payment %(id)s).", word=word, id=job.qbo_id))
                self.stats["cancelled"] += 1
                return "done", env._("Payment %(payment)s cancelled in Odoo: %(word)s in QuickBooks.",
                                 payment=payment.name, word=word), ""
            if removed:
                return "done", env._("Credit %(word)s in QuickBooks: %(moves)s no longer reconciled in Odoo.",
                                 word=word, moves=", ".join(removed)), ""
            return "done", env._("Payment %(id)s %(word)s in QuickBooks: nothing registered in Odoo.",
                             id=job.qbo_id, word=word), ""

        signature = inbound_payment.signature(obj)
        money = inbound_credit_memo.money(obj)
        if money and payment and payment.state != "canceled" and binding.synced_hash == signature:
            self.stats["unchanged"] += 1
            return "done", env._("Already registered in Odoo as %s: nothing changed.", payment.name), ""
        if not money and pulled.applied_hash == signature:
            self.stats["unchanged"] += 1
            return "done", env._("Credit already applied in Odoo: nothing changed."), ""

        applied = inbound_payment.applications(obj)
        credits = inbound_credit_memo.credits(obj)
        invoice_links = env["quickbooks.binding"]._lookup_qbo(connection, "Invoice", [txn for txn, _a in applied])
        credit_links = env["quickbooks.binding"]._lookup_qbo(connection, "CreditMemo", [txn for txn, _a in credits])
        unknown = [txn for txn, amount in applied if txn not in invoice_links and amount]
        unknown += [f"{txn} ({env._('credit memo')})" for txn, amount in credits if txn not in credit_links and amount]
        if not applied or unknown:
            pulled.status = "ignored"
            return ("failed",
                    env._("QuickBooks payment %(id)s (%(amount)s) pays QuickBooks invoices %(invoices)s that Odoo "
                          "did not send: nothing was registered in Odoo.", id=job.qbo_id, amount=obj.get("TotalAmt"),
                      invoices=", ".join(unknown) or env._("none")),
                    env._("Register the payment by hand in Odoo if the invoice is there, or leave it to QuickBooks. "
                      "Retry once the invoice is linked."))
        invoices = env["account.move"].browse([invoice_links[txn].res_id for txn, _a in applied]).exists()
        journal = inbound_payment.find_journal(env, connection.company_id, obj) if money else None
        # Changed in QuickBooks: what Odoo registered of it before goes first.
        removed = inbound_credit_memo.unapply(pulled, env._("Changed in QuickBooks (payment %s): applied again.",
                                                            job.qbo_id))
        self.stats["credits_removed"] += len(removed)
        if payment and payment.state != "canceled":
            self._cancel(payment, env._("Changed in QuickBooks: registered again."))
        partials = inbound_credit_memo.apply(env, obj, invoice_links, credit_links)
        if partials:
            self.stats["credits_applied"] += 1
        pulled.write({"applied_partial_ids": partials.ids or False, "applied_hash": signature})
        if not money:
            credit_notes = (partials.credit_move_id.move_id | partials.debit_move_id.move_id).filtered(
                lambda move: move.move_type == "out_refund")
            pulled.write({"status": "applied", "res_model": "account.move", "res_id": credit_notes[:1].id})
            return "done", env._("QuickBooks applied %(credits)s to %(invoices)s (payment %(id)s): reconciled in Odoo.",
                             credits=", ".join(credit_notes.mapped("name")), id=job.qbo_id,
                             invoices=", ".join(invoices.mapped("name"))), ""
        new_payment = self._register(env, invoices, journal, obj)
        values = {"res_id": new_payment.id, "qbo_sync_token": str(obj.get("SyncToken", "")),
                  "qbo_name": obj.get("PaymentRefNum") or "", "synced_at": fields.Datetime.now(),
                  "synced_hash": signature, "verified_hash": signature}
        if binding:
            binding.write(values)
        else:
            binding = env["quickbooks.binding"].create(dict(
                values, connection_id=connection.id, realm_id=self.realm_id, res_model="account.payment",
                qbo_entity=ENTITY, qbo_id=job.qbo_id, origin="import"))
        env.flush_all()  # the link's unique index speaks now, inside this object's lock
        new_payment._quickbooks_mark("synced", binding)
        pulled.write({"status": "applied", "res_model": "account.payment", "res_id": new_payment.id})
        self.stats["registered"] += 1
        verb = env._("updated and registered again as") if payment else env._("registered as")
        return "done", env._("QuickBooks payment %(id)s of %(amount)s %(verb)s %(payment)s (%(invoices)s).",
                         id=job.qbo_id, amount=obj.get("TotalAmt"), verb=verb, payment=new_payment.name,
                         invoices=", ".join(invoices.mapped("name"))), ""

    @staticmethod
    def _register(env, invoices, journal, obj):
        values = inbound_payment.payment_values(obj)
        values["amount"] = inbound_credit_memo.money(obj) or values["amount"]
        context = {"active_model": "account.move", "active_ids": invoices.ids, "quickbooks_pull": True,
                   "quickbooks_import": True}
        company = invoices.company_id[:1]
        wizard = env["account.payment.register"].with_company(company).with_context(**context).create({
            "journal_id": journal.id, "amount": values["amount"], "payment_date": values["payment_date"],
            "communication": values["communication"], "group_payment": True,
        })
        return wizard._create_payments()

    @staticmethod
    def _cancel(payment, reason):
        """Cancel in Odoo a payment QuickBooks voided, deleted or replaced.  It is no longer
        QuickBooks' payment's twin: its QuickBooks id is cleared first, so that Odoo's own
        reaction to a cancelled payment (void or delete it in QuickBooks) never reaches the
        QuickBooks payment; and nothing queued for it is sent."""
        env = payment.env
        payment.flush_recordset()
        env.cr.execute("UPDATE account_payment SET quickbooks_id = NULL, quickbooks_state = 'not_synced'"
                       " WHERE id = %s", (payment.id,))
        payment.invalidate_recordset(["quickbooks_id", "quickbooks_state"])
        payment = payment.with_context(quickbooks_pull=True, quickbooks_import=True)
        if payment.state != "draft":
            payment.action_draft()
        payment.action_cancel()
        env["quickbooks.sync.job"].search([
            ("res_model", "=", "account.payment"), ("res_id", "=", payment.id), ("direction", "=", "outgoing"),
            ("state", "=", "pending")]).write({"state": "cancelled"})
        payment.message_post(body=reason)

    # -- change data capture ------------------------------------------------------------------------

    def run_cdc(self, process=True):
        """Read what changed since the stored window start, queue and apply it, then move the
        window: one page at a time (QuickBooks answers 1,000 objects at most), each page
        under a row lock on the window.  Older than 30 days: queries on LastUpdatedTime."""
        total = 0
        for _page in range(100):
            page = self._cdc_page(process)
            if page is None:
                break
            total += page["changes"]
            if not page["more"]:
                break
        return {"changes": total}

    def _cdc_page(self, process):
        """One page: the window is locked (``FOR UPDATE NOWAIT`` on its row) for as long as
        the page's changes are queued and applied, each in transactions of their own; it
        moves forward only then, in the locking transaction."""
        with self._env() as env:
            state = self._lock_state(env)
            if state is None:
                return None  # another run holds the window
            connection = env["quickbooks.connection"].browse(self.connection_id)
            since = state.window_start or self._first_window(connection)
            client = self._client(env)
            names = self._entities(env)
            if not names:
                return None
            try:
                method, objects, server_time, more = self._changes_since(client, since, names)
            except QuickBooksError as exc:
                state.write({"last_error": f"{exc} {exc.hint or ''}".strip(), "last_run_at": fields.Datetime.now()})
                return None
            changes, newest = self._changes(env, objects)
            gone = {}
            if method == "query":
                # Queries show no deletions, and CDC keeps them 30 days only: what Odoo holds a
                # link to is looked for by id, and what QuickBooks no longer has is deleted.
                try:
                    gone = self._sweep_deleted(env, client, names)
                except QuickBooksError as exc:
                    _logger.warning("QuickBooks %s: looking for deleted objects failed: %s", self.realm_id, exc)
                for entity, ids in gone.items():
                    changes.setdefault(entity, {}).update(dict.fromkeys(ids, "Delete"))
            with self._env() as queue_env:
                queued = sum(queue_env["quickbooks.sync.job"]._enqueue_incoming(
                    queue_env["quickbooks.connection"].browse(self.connection_id), entity, entity_changes, method)
                    for entity, entity_changes in sorted(changes.items()))
            count = sum(len(entity_changes) for entity_changes in changes.values())
            if process and count:
                known = {(entity, qbo_id): None for entity, ids in gone.items() for qbo_id in ids}
                known.update({(entity, str(obj["Id"])): None if obj.get("status") == "Deleted" else obj
                              for entity, obj in objects if str(obj["Id"]) in changes.get(entity, {})})
                self.process_pending(known)
            more = bool(more and newest and inbound_payment.utc_naive(newest) > since)
            if more:
                next_start = inbound_payment.utc_naive(newest)
            else:
                next_start = max(since, inbound_payment.utc_naive(server_time)) if server_time else since
            state.write({"window_start": next_start, "last_run_at": fields.Datetime.now(),
                         "last_count": count, "last_method": "query" if method == "query" else "cdc",
                         "last_error": False})
            _logger.info("QuickBooks %s: %d change(s) by %s, %d queued; window now %s", self.realm_id,
                         count, method, queued, next_start)
            return {"changes": count, "more": more}

    @staticmethod
    def _first_window(connection):
        """Where a company's first run starts: its connection when that was within a day
        (nothing entered since is missed), else now (years of QuickBooks history are not
        Odoo's to register: the reconciliation report shows what differs)."""
        now = fields.Datetime.now()
        since = connection.connected_since
        return since if since and since >= now - timedelta(days=1) else now

    def _lock_state(self, env):
        env.cr.execute(
            "INSERT INTO quickbooks_pull_state (connection_id, company_id, realm_id, create_uid, create_date,"
            " write_uid, write_date) SELECT id, company_id, realm_id, %s, now() at time zone 'UTC', %s,"
            " now() at time zone 'UTC' FROM quickbooks_connection WHERE id = %s"
            " ON CONFLICT (connection_id, realm_id) DO NOTHING",
            (SUPERUSER_ID, SUPERUSER_ID, self.connection_id),
        )
        try:
            with env.cr.savepoint(flush=False):
                env.cr.execute("SELECT id FROM quickbooks_pull_state WHERE connection_id = %s AND realm_id = %s"
                               " FOR UPDATE NOWAIT", (self.connection_id, self.realm_id))
                row = env.cr.fetchone()
        except pg_errors.LockNotAvailable:
            return None
        state = env["quickbooks.pull.state"].browse(row[0])
        state.invalidate_recordset()
        return state

    def _changes_since(self, client, since, names):
        """``(method, [(entity, object)], QuickBooks' time or None, more to read)`` of the
        entities ``names``."""
        if since >= fields.Datetime.now() - CDC_LOOK_BACK:
            try:
                answer = client._call(client.qb.get, client.url("cdc"),
                                      params={"entities": ",".join(names),
                                              "changedSince": inbound_payment.qbo_time(since)})
                self.stats["reads"] += 1
                objects = []
                for response in answer.get("CDCResponse") or []:
                    for part in response.get("QueryResponse") or []:
                        for entity in names:
                            objects.extend((entity, obj) for obj in part.get(entity) or [])
                server_time = inbound_payment.parse_time(answer.get("time") or "") or None
                # QuickBooks caps the answer at 1,000 objects (all entities together).
                return "cdc", objects, server_time, len(objects) >= CDC_MAX_OBJECTS
            except QuickBooksFault as exc:
                if "changedSince" not in f"{exc} {getattr(exc, 'detail', '')}":
                    raise
                # QuickBooks' clock says the window is older than 30 days: read by query.
        objects = []
        for entity in names:
            statement = (f"select {_select(entity)} from {entity} where MetaData.LastUpdatedTime >= "  # noqa: S608
                         f"'{inbound_payment.qbo_time(since)}' orderby MetaData.LastUpdatedTime")
            found = list(client.query_all(statement, entity))
            self.stats["reads"] += max(1, (len(found) + 999) // 1000)
            objects.extend((entity, obj) for obj in found)
        newest = max((inbound_payment.last_updated(obj)[1] for _entity, obj in objects), default=0.0)
        # Queries show no deletions; the window then moves to the newest change seen.
        return "query", objects, newest or None, False

    def _sweep_deleted(self, env, client, names):
        """``{entity: [qbo_id]}``: objects Odoo holds a link to (as each handler says) that
        QuickBooks no longer has, read by id (200 a query)."""
        gone = {}
        for entity in names:
            linked = sorted(inbound_handler.handler(entity).linked_ids(self, env), key=int)
            if linked:
                found = self._read(client, linked, entity)
                missing = [qbo_id for qbo_id in linked if qbo_id not in found]
                if missing:
                    gone[entity] = missing
        return gone

    def _changes(self, env, objects):
        """``({entity: {qbo_id: operation}}, newest LastUpdatedTime)`` of the objects Odoo
        should look at, as each entity's handler decides (what Odoo sent itself and has not
        changed since is left out)."""
        changes = {}
        newest = max((inbound_payment.last_updated(obj)[1] for _entity, obj in objects), default=0.0)
        for entity in sorted({entity for entity, _obj in objects}):
            found = inbound_handler.handler(entity).changes(self, env, [obj for name, obj in objects if name == entity])
            if found:
                changes[entity] = found
        return changes, newest

    def process_pending(self, known=None):
        """Apply this connection's due incoming jobs now (the change data capture run, with
        the objects it read)."""
        for _round in range(1000):
            with self._env() as env:
                claimed = env["quickbooks.sync.job"]._claim_incoming(connection_id=self.connection_id).ids
            if not claimed:
                return
            self.process_jobs(claimed, known)

    # -- webhooks -----------------------------------------------------------------------------------


def ingest_notifications(env, events):
    """Queue the changes of verified notifications.  ``events``: ``(realm_id, entity,
    qbo_id, operation, epoch)``.  Realms of no connection that may pull are ignored, and so
    are entities no handler brings back, and changes already applied (a replay, or an older
    notification arriving late).  Returns ``{realm_id: jobs queued}``."""
    connections = env["quickbooks.connection"].sudo()
    realm_ids = sorted({event[0] for event in events})
    allowed = connections.browse(connections._pull_connection_ids(realm_ids))
    events = [(realm, inbound_handler.canonical(entity), qbo_id, operation, epoch)
              for realm, entity, qbo_id, operation, epoch in events]
    queued = {}
    for connection in allowed:
        queued[connection.realm_id] = 0
        wanted = set(pull_entities(connection))
        for entity in sorted({event[1] for event in events if event[0] == connection.realm_id} & wanted):
            mine = [event for event in events if event[0] == connection.realm_id and event[1] == entity]
            ids = sorted({event[2] for event in mine})
            env.cr.execute(
                "SELECT qbo_id, last_updated_epoch FROM quickbooks_pull_object"
                " WHERE realm_id = %s AND qbo_entity = %s AND qbo_id IN %s",
                (connection.realm_id, entity, tuple(ids)),
            )
            applied = dict(env.cr.fetchall())
            operations = {}  # a removal among an object's notifications wins
            for event in mine:
                if operations.get(event[2]) not in ("Delete", "Void"):
                    operations[event[2]] = event[3]
            skip = inbound_handler.handler(entity).skip_notification(env, connection, operations)
            changes = {}
            for _realm, _entity, qbo_id, operation, epoch in mine:
                if qbo_id in skip:
                    continue  # not Odoo's to look at (Odoo's own write, a document Odoo never sent)
                if operation not in ("Delete", "Void") and applied.get(qbo_id) and epoch \
                        and epoch <= applied[qbo_id] + 0.001:
                    continue  # that version (or a newer one) is applied already
                changes[qbo_id] = operation
            queued[connection.realm_id] += env["quickbooks.sync.job"].sudo()._enqueue_incoming(
                connection, entity, changes, "webhook")
    if any(queued.values()):
        env["quickbooks.sync.job"]._trigger_incoming()
    return queued


def pull_entities(connection):
    """What a connection brings back, as its options say: payments, invoices and credit memos
    (*Bring payments back*), customers, vendors and items (*Bring customers, vendors and
    products back*)."""
    return [entity for entity in inbound_handler.entities() if inbound_handler.handler(entity).enabled(connection)]


def _use_known(entity):
    """Whether an object as change data capture returned it is complete enough to apply."""
    handler = inbound_master.handler_for(entity)
    return handler is None or handler.use_known


def _select(entity):
    handler = inbound_master.handler_for(entity)
    return handler.select if handler else "*"


def wait_for(predicate, timeout=30.0, step=0.1):
    """Poll ``predicate`` until it is true (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()
