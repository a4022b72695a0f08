"""Customers, vendors and items changed or created in QuickBooks, applied in Odoo (the pull
worker, sync/pull.py, hands each such object here, under its lock, in its own transaction).

* **Created in QuickBooks** (no link): matched and created exactly as the import does
  (``RecordImporter``: the company's match strategy, its duplicate-name handling, a parent
  before its sub-customers), then linked.
* **Changed in QuickBooks**: compared key by key with the link's snapshot (what both sides held
  when they last agreed, mapping/inbound_master.py).  A key changed in QuickBooks only is
  written into Odoo; changed in Odoo only, it waits for Odoo's push; changed on both sides to
  different values, the company's **conflict policy** decides: Odoo wins (Odoo's value is sent
  over QuickBooks' with QuickBooks' current SyncToken), QuickBooks wins, the most recent change
  wins, or ask: the job stops in *conflict* with both values side by side, and nothing of those
  keys is written until a person picks one (``quickbooks.sync.job.action_conflict_*``).
* **Odoo's own writes** do not bounce back: an object whose SyncToken is the one Odoo wrote
  (or already applied) changes nothing, and what Odoo writes here never queues a push.
"""

from datetime import timezone

from ..mapping import inbound_handler, inbound_master
from ..mapping.common import MappingError
from ..mapping.inbound import ImportContext
from ..mapping.inbound_payment import last_updated
from .record_import import IMPORT_CONTEXT, RecordImporter

# What Odoo writes from QuickBooks' values: nothing queued back to QuickBooks, no tracking
# noise (one chatter line says what came from QuickBooks).
PULL_CONTEXT = dict(IMPORT_CONTEXT, quickbooks_pull=True, active_test=False)
KINDS = {"Customer": "customers", "Vendor": "vendors", "Item": "items"}


def apply(env, job, obj, handler):
    """Make Odoo agree with QuickBooks' ``obj`` (None: deleted) as the company's policy says;
    returns ``(job state, what was done, what to do)``."""
    pulled = env["quickbooks.pull.object"].browse(job.res_id)
    connection = job.connection_id
    entity = handler.entity
    binding = env["quickbooks.binding"].search([
        ("realm_id", "=", connection.realm_id), ("qbo_entity", "=", entity), ("qbo_id", "=", job.qbo_id)], limit=1)
    job.conflict_details = False
    if obj is None:
        pulled.status = "removed"
        return "done", env._("%(entity)s %(id)s was deleted in QuickBooks: Odoo's record is left as it is.",
                             entity=entity, id=job.qbo_id), ""
    ignored = handler.ignored(obj)
    if ignored:
        pulled.status = "ignored"
        return "done", env._("%(kind)s %(entity)s objects have no Odoo counterpart: nothing to do.",
                             kind=ignored, entity=handler.entity), ""
    text, epoch = last_updated(obj)
    token = str(obj.get("SyncToken", ""))
    if pulled.last_updated_epoch and epoch and epoch < pulled.last_updated_epoch:
        return "done", env._("An older version than the one already applied (%s): ignored.", pulled.last_updated), ""
    waiting = env["quickbooks.sync.job"].search([
        ("id", "!=", job.id), ("res_model", "=", job.res_model), ("res_id", "=", job.res_id),
        ("state", "=", "conflict"), ("superseded_by_id", "=", False)], limit=1)
    if waiting and pulled.sync_token == token:
        return "done", env._("This version already waits for a decision (%s).", waiting.display_name), ""
    pulled.write({"last_updated": text, "last_updated_epoch": epoch, "sync_token": token,
                  "qbo_name": handler.name(obj)[:255]})
    # A newer version of the object supersedes the conflicts of older ones (kept as history).
    env["quickbooks.sync.job"].search([
        ("id", "<", job.id), ("res_model", "=", job.res_model), ("res_id", "=", job.res_id),
        ("state", "=", "conflict"), ("superseded_by_id", "=", False)]).write({"superseded_by_id": job.id})
    if binding:
        return _update(env, job, obj, handler, binding, pulled, epoch)
    return _create(env, job, obj, handler, pulled)


def _create(env, job, obj, handler, pulled):
    """A QuickBooks object Odoo has no link for: matched or created as the import does."""
    connection = job.connection_id
    notes = f"{obj.get('Notes') or ''} {obj.get('PrivateNote') or ''}"
    if f"[odoo:{handler.model}:" in notes:
        pulled.status = "ignored"
        return "done", env._("Sent by Odoo (its marker is in the notes): the queue links it, nothing to do."), ""
    importer = RecordImporter(connection, kinds=(KINDS[handler.entity],), notify=False)
    importer.qbo = {handler.entity: [obj]}
    importer.plan()
    entry = next((e for e in importer.entries[handler.entity] if e.qbo_id == str(obj.get("Id"))), None)
    if entry is None or entry.action not in ("link", "create"):
        pulled.status = "ignored"
        reason = entry.reason if entry else env._("QuickBooks' object could not be read.")
        hint = (entry.hint if entry else "") or env._(
            "Link it from QuickBooks > Import from QuickBooks, or change it in QuickBooks; then Retry.")
        return "failed", reason, hint
    importer.apply()
    if not entry.record_id or entry.action not in ("link", "create"):
        pulled.status = "ignored"
        return "failed", entry.reason or env._("Odoo could not create it."), entry.hint or ""
    record = env[handler.model].browse(entry.record_id)
    pulled.write({"status": "applied", "res_model": handler.model, "res_id": record.id})
    if entry.action == "create":
        _note(record, env._("Created from QuickBooks (%(entity)s %(id)s).", entity=handler.entity, id=entry.qbo_id))
        return "done", env._("Created in Odoo as %s.", record.display_name), ""
    _note(record, env._("Linked to QuickBooks %(entity)s %(id)s, created there.", entity=handler.entity,
                        id=entry.qbo_id))
    return "done", env._("Linked to %s, which the match strategy found in Odoo.", record.display_name), ""


def _update(env, job, obj, handler, binding, pulled, epoch):
    record = env[handler.model].with_context(active_test=False).browse(binding.res_id).exists()
    if not record:
        return ("failed", env._("The Odoo record linked to %(entity)s %(id)s no longer exists.",
                                entity=handler.entity, id=job.qbo_id),
                env._("Import from QuickBooks links or creates it again."))
    record = record.with_company(binding.connection_id.company_id)
    ctx = ImportContext(env, binding.connection_id)
    try:
        qbo_now = handler.qbo_values(obj, ctx)
    except MappingError as exc:
        return "failed", exc.message, exc.hint
    odoo_now = handler.odoo_values(record)
    snapshot = dict(binding.pull_snapshot or {})
    token = str(obj.get("SyncToken", ""))
    pulled.write({"status": "applied", "res_model": handler.model, "res_id": record.id})
    if token == (binding.qbo_sync_token or ""):
        # QuickBooks holds what Odoo wrote (or already took): what it holds, in Odoo's terms, is
        # remembered; nothing comes back.
        for name, value in qbo_now.items():
            snapshot[name] = [snapshot.get(name, [odoo_now[name]])[0], value]
        binding.pull_snapshot = snapshot
        return "done", env._("QuickBooks holds what Odoo sent: nothing to apply."), ""

    from_qbo, from_odoo, both, agreed = handler.compare(snapshot, odoo_now, qbo_now)
    policy = binding.connection_id.pull_conflict_policy or "ask"
    take, keep, conflicts = list(from_qbo), [], []
    odoo_time = record.write_date.replace(tzinfo=timezone.utc).timestamp() if record.write_date else 0.0
    for name in both:
        if policy == "quickbooks" or (policy == "recent" and epoch >= odoo_time):
            take.append(name)
        elif policy in ("odoo", "recent"):
            keep.append(name)
        else:
            conflicts.append(name)

    values = {}
    for name in take:
        values.update(handler.taken_values(name, qbo_now[name]))
    if values:
        record.with_context(**PULL_CONTEXT).write(values)
        record.invalidate_recordset()
    odoo_after = handler.odoo_values(record)
    for name in qbo_now:
        if name in take or name in agreed:
            snapshot[name] = [odoo_after[name], qbo_now[name]]
        elif name in keep:
            # Odoo's value is sent over QuickBooks': it still counts as changed in Odoo.
            base = snapshot.get(name)
            snapshot[name] = [base[0] if base else qbo_now[name], qbo_now[name]]
        elif name not in snapshot and name not in conflicts:
            snapshot[name] = [odoo_after[name], qbo_now[name]]
    binding.pull_snapshot = snapshot
    labels = {key.name: key.label for key in handler.keys}
    if not conflicts:
        # Odoo's own changes go over QuickBooks' current version (no stale SyncToken).
        binding.qbo_sync_token = token
        if keep or from_odoo:
            record._quickbooks_enqueue(qbo_entity=handler.entity)
    parts = []
    if take:
        names = ", ".join(labels[name] for name in take)
        parts.append(env._("took %s from QuickBooks", names))
        _note(record, env._("Updated from QuickBooks (%(entity)s %(id)s): %(fields)s.",
                            entity=handler.entity, id=job.qbo_id, fields=names))
    if keep:
        parts.append(env._("kept Odoo's %s and sends it to QuickBooks", ", ".join(labels[name] for name in keep)))
    if conflicts:
        job.conflict_details = [{
            "field": labels[name], "key": name,
            "odoo": handler.key(name).display(record, odoo_now[name]),
            "quickbooks": handler.key(name).display(record, qbo_now[name]),
            "odoo_value": odoo_now[name], "qbo_value": qbo_now[name], "qbo_token": token,
        } for name in conflicts]
        done = (" " + env._("Meanwhile it %s.", "; ".join(parts))) if parts else ""
        return ("conflict",
                env._("%(name)s was changed both in Odoo and in QuickBooks (%(fields)s).",
                      name=record.display_name, fields=", ".join(labels[name] for name in conflicts)) + done,
                env._("Choose Keep Odoo's value or Take QuickBooks' value, per field or for all."))
    if not parts:
        return "done", env._("Nothing to apply: Odoo already has QuickBooks' values."), ""
    return "done", env._("%(name)s: %(what)s.", name=record.display_name, what="; ".join(parts)), ""


def _note(record, body):
    target = record._quickbooks_chatter_record() if hasattr(record, "_quickbooks_chatter_record") else record
    if hasattr(target, "message_post"):
        target.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")


class MasterInbound(inbound_handler.InboundHandler):
    """The pull engine's handler (mapping/inbound_handler.py) of a customer, vendor or item
    entity: what comes back is decided field by field by the entity's own handler
    (mapping/inbound_customer.py, inbound_item.py) and applied by :func:`apply`."""

    def __init__(self, master):
        self.entity = master.entity
        self.master = master

    def enabled(self, connection):
        return bool(connection.pull_master_data)

    def label(self, job, obj):
        name = self.master.name(obj) if obj else None
        return f"{self.entity} {job.qbo_id}" + (f" ({name})" if name and name != str(job.qbo_id) else "")

    def changes(self, engine, env, objects):
        """Deleted objects, and versions that are neither Odoo's own write nor already taken."""
        ids = [str(obj["Id"]) for obj in objects]
        tokens = {link.qbo_id: link.qbo_sync_token for link in env["quickbooks.binding"].search([
            ("realm_id", "=", engine.realm_id), ("qbo_entity", "=", self.entity), ("qbo_id", "in", ids)])}
        found = {}
        for obj in objects:
            qbo_id = str(obj["Id"])
            if obj.get("status") == "Deleted":
                found[qbo_id] = "Delete"
            elif tokens.get(qbo_id) != str(obj.get("SyncToken", "")):
                found[qbo_id] = "Update"
        return found

    def apply(self, engine, env, job, obj):
        state, message, hint = apply(env, job, obj, self.master)
        return state, message, hint, job.conflict_details or False


for _entity in inbound_master.entities():
    inbound_handler.add(MasterInbound(inbound_master.handler_for(_entity)))
