"""What QuickBooks has, stored so that nothing after it can undo it.

The push engine works inside the queue worker's transaction, which may still roll back after
QuickBooks answered (a serialization failure when a user edits the record meanwhile, a bug,
a killed worker).  Whatever QuickBooks did must survive that, or the next attempt creates
the object again.  So, like the token store, the ledger writes through short transactions of
its own, committed at once, never through the worker's:

* before a request that can create an object leaves, an *intent* per record
  (``quickbooks.write.intent``) says that QuickBooks may have it from now on;
* when QuickBooks' answer for a record arrives, its *link* (``quickbooks.binding``: id,
  SyncToken, what was sent, whether the stored object was verified against Odoo) is written
  and the intent removed, in one transaction;
* when the answer is a fault for that record (nothing created by that request, and a look-up
  showed nothing before it), the intent is removed;
* anything else (no answer, a later error, a killed worker) leaves the intent: the next
  attempt at that record, by any job or worker, looks the object up before creating it.

Reads that decide whether to create (links, intents) go through the ledger too, in READ
COMMITTED transactions: the worker's REPEATABLE READ snapshot cannot see a link another worker
committed after it began.  Two workers never create the same record at once: the engine holds
a transaction-level advisory lock per record (``lock``) in the worker's transaction from
before the intent until the worker's transaction ends.
"""

import contextlib
import json
import logging
from dataclasses import dataclass

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import Cursor

from ..mapping.common import fingerprint

_logger = logging.getLogger(__name__)

ADVISORY_KEY = 727171  # our namespace of record locks (the rate limiter uses 727170)


@dataclass
class Link:
    """A link as stored by the ledger: plain values, valid in any transaction."""

    id: int
    res_model: str
    res_id: int
    qbo_entity: str
    qbo_id: str
    qbo_sync_token: str = ""
    qbo_name: str = ""
    synced_hash: str = ""
    verified_hash: str = ""
    synced_payload: str = ""

    @property
    def verified(self):
        return bool(self.verified_hash) and self.verified_hash == self.synced_hash


class LinkTaken(Exception):
    """The QuickBooks object is already linked to another Odoo record."""

    def __init__(self, qbo_entity, qbo_id, res_model, res_id):
        super().__init__(f"{qbo_entity} {qbo_id} is linked to {res_model},{res_id}")
        self.qbo_entity = qbo_entity
        self.qbo_id = qbo_id
        self.res_model = res_model
        self.res_id = res_id


def sent_part(payload):
    """What of a payload describes the object (not how it was sent)."""
    return {k: v for k, v in (payload or {}).items() if k not in ("Id", "SyncToken", "sparse")}


class Ledger:
    def __init__(self, connection, worker=None):
        self.registry = connection.env.registry
        self.connection_id = connection.id
        self.company_id = connection.company_id.id
        self.realm_id = connection.realm_id
        self.worker = worker
        self.transactions = 0  # how many transactions of its own it committed (benchmarks)

    @contextlib.contextmanager
    def _env(self):
        with self.registry.cursor() as cr:
            if isinstance(cr, Cursor):
                # Each statement sees what other transactions committed (never a serialization
                # failure, never a stale "no link yet"); unique indexes keep the rows consistent.
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            self.transactions += 1
            yield api.Environment(cr, SUPERUSER_ID, {"active_test": False})

    # -- locks (in the worker's own transaction) --------------------------------------------------

    def lock(self, cr, keys):
        """Try to take each record's lock for the rest of the worker's transaction (one query);
        returns the keys locked, without those another worker is sending right now.
        ``keys``: ``(res_model, res_id, qbo_entity)``."""
        if not keys:
            return set()
        names = [f"{self.realm_id}|{model}|{res_id}|{entity}" for model, res_id, entity in keys]
        cr.execute("SELECT name, pg_try_advisory_xact_lock(%s, hashtext(name)) FROM unnest(%s::text[]) AS name",
                   (ADVISORY_KEY, names))
        locked = {name for name, ok in cr.fetchall() if ok}
        return {key for key, name in zip(keys, names, strict=True) if name in locked}

    # -- reads ---------------------------------------------------------------------------------------

    @staticmethod
    def _link(row):
        return Link(*row)

    _LINK_COLUMNS = ("id, res_model, res_id, qbo_entity, qbo_id, COALESCE(qbo_sync_token, ''), COALESCE(qbo_name, ''),"
                     " COALESCE(synced_hash, ''), COALESCE(verified_hash, ''), COALESCE(synced_payload, '')")

    def links(self, res_model, res_ids, qbo_entity):
        """``{res_id: Link}`` as committed now, in the connection's current realm."""
        if not res_ids or not self.realm_id:
            return {}
        with self._env() as env:
            env.cr.execute(
                f"SELECT {self._LINK_COLUMNS} FROM quickbooks_binding"  # noqa: S608 - our own columns
                " WHERE realm_id = %s AND res_model = %s AND qbo_entity = %s AND res_id IN %s",
                (self.realm_id, res_model, qbo_entity, tuple(res_ids)),
            )
            return {row[2]: self._link(row) for row in env.cr.fetchall()}

    def link_of_object(self, qbo_entity, qbo_id):
        """The link of a QuickBooks object, whichever Odoo record holds it, or None."""
        with self._env() as env:
            env.cr.execute(
                f"SELECT {self._LINK_COLUMNS} FROM quickbooks_binding"  # noqa: S608
                " WHERE realm_id = %s AND qbo_entity = %s AND qbo_id = %s",
                (self.realm_id, qbo_entity, str(qbo_id)),
            )
            row = env.cr.fetchone()
            return self._link(row) if row else None

    def doubts(self, res_model, res_ids, qbo_entity):
        """The records of ``res_ids`` that QuickBooks may have without Odoo knowing it."""
        if not res_ids or not self.realm_id:
            return set()
        with self._env() as env:
            env.cr.execute(
                "SELECT res_id FROM quickbooks_write_intent"
                " WHERE realm_id = %s AND res_model = %s AND qbo_entity = %s AND res_id IN %s",
                (self.realm_id, res_model, qbo_entity, tuple(res_ids)),
            )
            return {row[0] for row in env.cr.fetchall()}

    # -- writes ----------------------------------------------------------------------------------------

    def sending(self, keys, request_id):
        """Before the request leaves: QuickBooks may have these records from now on.
        ``keys``: ``(res_model, res_id, qbo_entity)``."""
        if not keys:
            return
        now = fields.Datetime.now()
        with self._env() as env:
            rows = [(self.connection_id, self.realm_id, model, res_id, entity, request_id, now, self.worker)
                    for model, res_id, entity in keys]
            env.cr.execute(
                "INSERT INTO quickbooks_write_intent"  # noqa: S608 - placeholders only
                " (connection_id, realm_id, res_model, res_id, qbo_entity, request_id, sent_at, worker)"
                f" VALUES {','.join(['%s'] * len(rows))}"
                " ON CONFLICT (realm_id, res_model, res_id, qbo_entity)"
                " DO UPDATE SET request_id = EXCLUDED.request_id, sent_at = EXCLUDED.sent_at,"
                " worker = EXCLUDED.worker",
                rows,
            )

    def settle(self, outcomes):
        """Store QuickBooks' answers, each in one go with the removal of its intent.

        ``outcomes``: dicts with ``key`` (res_model, res_id, qbo_entity) and either ``qbo``
        (the object QuickBooks holds now), ``sent`` (the payload that produced it, None when
        the object was only found), ``verified`` (the check against Odoo passed), ``origin``;
        or ``cleared=True`` (a fault: nothing was created).  Returns ``{key: Link or
        LinkTaken}``."""
        results = {}
        if not outcomes:
            return results
        with self._env() as env:
            bindings = env["quickbooks.binding"]
            stored = [outcome for outcome in outcomes if outcome.get("qbo") is not None]
            batch = None
            if len(stored) > 1:
                try:
                    with env.cr.savepoint(flush=False):
                        batch = self._store_links(env, bindings, stored)
                except IntegrityError:
                    # Another worker linked one of these objects meanwhile: one by one, so that
                    # only that record learns it.
                    env.clear()
                    batch = None
            if batch is not None:
                results.update(batch)
            else:
                for outcome in stored:
                    try:
                        with env.cr.savepoint(flush=False):
                            results[outcome["key"]] = self._store_link(env, bindings, outcome)
                    except LinkTaken as exc:
                        results[outcome["key"]] = exc
            # The intents go with the links (a record whose object is linked to another keeps
            # its intent: what QuickBooks holds for it is still unknown).
            settled = [outcome["key"] for outcome in outcomes
                       if not isinstance(results.get(outcome["key"]), LinkTaken)]
            if settled:
                env.cr.execute(
                    "DELETE FROM quickbooks_write_intent"
                    " WHERE realm_id = %s AND (res_model, res_id, qbo_entity) IN"
                    " (SELECT * FROM unnest(%s::varchar[], %s::int[], %s::varchar[]))",
                    (self.realm_id, [key[0] for key in settled], [key[1] for key in settled],
                     [key[2] for key in settled]),
                )
        return results

    def _link_values(self, outcome, binding_row=None):
        """The binding's values for QuickBooks' answer; ``binding_row``: (qbo_id, synced_hash,
        synced_payload) of the record's current link, if any."""
        qbo = outcome["qbo"]
        qbo_id = str(qbo["Id"])
        values = {
            "qbo_id": qbo_id,
            "qbo_sync_token": str(qbo.get("SyncToken", "")),
            "qbo_name": qbo.get("DocNumber") or qbo.get("DisplayName") or qbo.get("Name") or "",
            "synced_at": fields.Datetime.now(),
        }
        sent = outcome.get("sent")
        if sent is not None:
            sent = sent_part(sent)
            values.update(synced_hash=fingerprint(sent), synced_payload=json.dumps(sent, default=str))
        elif binding_row and binding_row[0] == qbo_id:
            # Found again, unchanged by Odoo: keep what was sent last.
            values.update(synced_hash=binding_row[1] or False, synced_payload=binding_row[2] or False)
        values["verified_hash"] = values.get("synced_hash") if outcome.get("verified") else False
        return values

    def _store_links(self, env, bindings, outcomes):
        """``_store_link`` for a whole batch in a few statements (the usual case: no object
        linked to another record, no concurrent worker)."""
        keys = [outcome["key"] for outcome in outcomes]
        env.cr.execute(
            "SELECT qbo_entity, qbo_id, res_model, res_id FROM quickbooks_binding WHERE realm_id = %s"
            " AND (qbo_entity, qbo_id) IN (SELECT * FROM unnest(%s::varchar[], %s::varchar[]))",
            (self.realm_id, [key[2] for key in keys], [str(outcome["qbo"]["Id"]) for outcome in outcomes]),
        )
        holders = {(entity, qbo_id): (model, res_id) for entity, qbo_id, model, res_id in env.cr.fetchall()}
        env.cr.execute(
            "SELECT res_model, res_id, qbo_entity, id, qbo_id, synced_hash, synced_payload FROM quickbooks_binding"
            " WHERE realm_id = %s AND (res_model, res_id, qbo_entity) IN"
            " (SELECT * FROM unnest(%s::varchar[], %s::int[], %s::varchar[]))",
            (self.realm_id, [key[0] for key in keys], [key[1] for key in keys], [key[2] for key in keys]),
        )
        current = {(model, res_id, entity): row for model, res_id, entity, *row in env.cr.fetchall()}
        results, to_create, created_keys = {}, [], []
        for outcome in outcomes:
            model, res_id, entity = key = outcome["key"]
            qbo_id = str(outcome["qbo"]["Id"])
            holder = holders.get((entity, qbo_id))
            if holder and holder != (model, res_id):
                results[key] = LinkTaken(entity, qbo_id, holder[0], holder[1])
                continue
            row = current.get(key)
            values = self._link_values(outcome, row[1:] if row else None)
            if row:
                binding = bindings.browse(row[0])
                binding.write(values)
                results[key] = self._as_link(binding.id, key, values)
            else:
                to_create.append(dict(values, connection_id=self.connection_id, realm_id=self.realm_id,
                                      res_model=model, res_id=res_id, qbo_entity=entity,
                                      origin=outcome.get("origin") or "push"))
                created_keys.append(key)
        created = bindings.create(to_create) if to_create else bindings
        for binding, key, values in zip(created, created_keys, to_create, strict=True):
            results[key] = self._as_link(binding.id, key, values)
        env.flush_all()
        return results

    @staticmethod
    def _as_link(binding_id, key, values):
        model, res_id, entity = key
        return Link(binding_id, model, res_id, entity, values["qbo_id"], values["qbo_sync_token"],
                    values["qbo_name"], values.get("synced_hash") or "", values.get("verified_hash") or "",
                    values.get("synced_payload") or "")

    def _store_link(self, env, bindings, outcome):
        model, res_id, entity = key = outcome["key"]
        qbo_id = str(outcome["qbo"]["Id"])
        env.cr.execute(
            "SELECT res_model, res_id FROM quickbooks_binding WHERE realm_id = %s AND qbo_entity = %s AND qbo_id = %s",
            (self.realm_id, entity, qbo_id),
        )
        holder = env.cr.fetchone()
        if holder and (holder[0], holder[1]) != (model, res_id):
            raise LinkTaken(entity, qbo_id, holder[0], holder[1])
        binding = bindings.search([("realm_id", "=", self.realm_id), ("res_model", "=", model),
                                  ("res_id", "=", res_id), ("qbo_entity", "=", entity)], limit=1)
        values = self._link_values(
            outcome, (binding.qbo_id, binding.synced_hash, binding.synced_payload) if binding else None)
        try:
            if binding:
                binding.write(values)
            else:
                binding = bindings.create(dict(values, connection_id=self.connection_id, realm_id=self.realm_id,
                                              res_model=model, res_id=res_id, qbo_entity=entity,
                                              origin=outcome.get("origin") or "push"))
            env.flush_all()
        except IntegrityError as exc:
            # Another worker linked that object in the meantime.
            raise LinkTaken(entity, qbo_id, model, 0) from exc
        return self._as_link(binding.id, key, values)

    def verified(self, link, ok):
        """Record the outcome of a check of the object QuickBooks holds (no write)."""
        with self._env() as env:
            env.cr.execute("UPDATE quickbooks_binding SET verified_hash = %s, synced_at = %s WHERE id = %s",
                           (link.synced_hash if ok else None, fields.Datetime.now(), link.id))
        link.verified_hash = link.synced_hash if ok else ""
        return link

    def forget(self, qbo_entity, qbo_id):
        """The object is gone from QuickBooks (deleted there, or by Odoo): drop its link."""
        with self._env() as env:
            env.cr.execute("DELETE FROM quickbooks_binding WHERE realm_id = %s AND qbo_entity = %s AND qbo_id = %s",
                           (self.realm_id, qbo_entity, str(qbo_id)))
