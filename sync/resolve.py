"""Settling a conflict with one click (``quickbooks.sync.job._resolve_conflicts``, which checks
who may): per field, *Keep Odoo's value* or *Take QuickBooks' value*; once every field of the
job is decided, the sync goes on.

* **Take QuickBooks' value**: the value is written into the Odoo record (nothing is queued back
  for it), and the link remembers that both sides agree on it.
* **Keep Odoo's value**: once the job is settled, Odoo's record is sent over QuickBooks' object
  with QuickBooks' *current* SyncToken (read now), so QuickBooks takes Odoo's values.

A change from QuickBooks (incoming job) names Odoo's fields; a push conflict (outgoing job,
sync/engine.py) names QuickBooks' properties, taken into Odoo through the entity's inbound
mapping (customers, vendors, items; a document's values cannot be taken into Odoo that way:
change the document in Odoo, or keep Odoo's value).
"""

from odoo import fields
from odoo.exceptions import UserError

from ..mapping import inbound_master
from ..mapping.common import MappingError
from ..mapping.inbound import ImportContext
from .pull_master import PULL_CONTEXT, _note


def resolve(job, decisions):
    """Apply ``decisions`` (``{row index: "odoo" | "quickbooks"}``) to ``job`` (sudo); returns
    what was done, in words."""
    env = job.env
    rows = [dict(row) for row in job.conflict_details or []]
    decisions = {int(index): decision for index, decision in decisions.items()
                 if 0 <= int(index) < len(rows) and not rows[int(index)].get("decision")}
    if not decisions:
        raise UserError(env._("Every field of this conflict is decided already."))
    record = job._conflict_record()
    if record is None:
        raise UserError(env._("The Odoo record of this conflict no longer exists."))
    record = record.sudo().with_company(job.connection_id.company_id)
    handler = inbound_master.handler_for(job.qbo_entity)
    binding = env["quickbooks.binding"].sudo().search([
        ("realm_id", "=", job.connection_id.realm_id), ("res_model", "=", record._name), ("res_id", "=", record.id),
        ("qbo_entity", "=", job.qbo_entity)], limit=1)
    if not binding:
        raise UserError(env._("%s is not linked to QuickBooks any more.", record.display_name))
    client = job.connection_id._client()
    current = None
    taken = []
    if job.operation == "pull":
        taken = _decide_pull(env, job, rows, decisions, record, handler, binding)
    else:
        if any(decision == "quickbooks" for decision in decisions.values()):
            current = client.read(job.qbo_entity, binding.qbo_id)
            taken = _decide_push(env, job, rows, decisions, record, handler, binding, current)
        for index, decision in decisions.items():
            rows[index]["decision"] = decision
    if taken:
        _note(record, env._("QuickBooks' value taken for %s (conflict settled).", ", ".join(taken)))
    job.write({"conflict_details": rows})
    if any(not row.get("decision") for row in rows):
        left = ", ".join(str(row.get("field")) for row in rows if not row.get("decision"))
        return env._("Decision recorded; still to decide: %s.", left)

    # Every field decided: the sync goes on.
    kept = [row["field"] for row in rows if row["decision"] == "odoo"]
    if kept or job.operation != "pull":
        current = current or client.read(job.qbo_entity, binding.qbo_id)
        binding.qbo_sync_token = str(current.get("SyncToken", ""))
    elif rows:
        binding.qbo_sync_token = rows[0].get("qbo_token") or binding.qbo_sync_token
    summary = _summary(env, rows)
    if job.operation == "pull":
        if kept:
            record._quickbooks_enqueue(qbo_entity=job.qbo_entity)
        job.write({"state": "done", "done_at": fields.Datetime.now(), "fault_message": False, "hint": False,
                   "pull_result": summary})
        return summary
    # A push: sent again, now over QuickBooks' current version.
    job.write({"state": "pending", "attempts": 0, "next_attempt_at": fields.Datetime.now(), "fault_code": False,
               "fault_message": False, "hint": False, "done_at": False, "started_at": False, "interactive": True})
    job._trigger_processing()
    return summary + " " + env._("Sent to QuickBooks again.")


def _decide_pull(env, job, rows, decisions, record, handler, binding):
    snapshot = dict(binding.pull_snapshot or {})
    values, taken = {}, []
    for index, decision in sorted(decisions.items()):
        row = rows[index]
        name = row.get("key")
        if handler is None or handler.key(name) is None:
            raise UserError(env._("This conflict cannot be settled here: %s is not a field Odoo takes.", row["field"]))
        if decision == "quickbooks":
            values.update(handler.taken_values(name, row.get("qbo_value")))
            taken.append(row["field"])
        row["decision"] = decision
    if values:
        record.with_context(**PULL_CONTEXT).write(values)
        record.invalidate_recordset()
    odoo_after = handler.odoo_values(record)
    for index, decision in decisions.items():
        row = rows[index]
        name, qbo_value = row["key"], row.get("qbo_value")
        if decision == "quickbooks":
            snapshot[name] = [odoo_after[name], qbo_value]
        else:
            base = snapshot.get(name)
            # Odoo's value counts as changed in Odoo: it is what the push sends.
            snapshot[name] = [base[0] if base else qbo_value, qbo_value]
    binding.pull_snapshot = snapshot
    return taken


def _decide_push(env, job, rows, decisions, record, handler, binding, current):
    """Push conflicts name QuickBooks' properties: take them through the inbound mapping."""
    taken_rows = [index for index, decision in decisions.items() if decision == "quickbooks"]
    if handler is None:
        raise UserError(env._(
            "QuickBooks' values cannot be taken into %(record)s here (%(type)s). Change it in Odoo to what you "
            "want, or keep Odoo's value.", record=record.display_name, type=job.qbo_entity))
    try:
        qbo_now = handler.qbo_values(current, ImportContext(env, job.connection_id))
    except MappingError as exc:
        raise UserError(exc.message) from exc
    values, taken, names = {}, [], []
    for index in taken_rows:
        keys = handler.keys_of_source(rows[index]["field"])
        if not keys:
            raise UserError(env._("QuickBooks' %s is not a field Odoo takes: keep Odoo's value, or change it in "
                                  "QuickBooks.", rows[index]["field"]))
        for key in keys:
            values.update(handler.taken_values(key.name, qbo_now[key.name]))
            names.append(key.name)
        taken.append(rows[index]["field"])
    if values:
        record.with_context(**PULL_CONTEXT).write(values)
        record.invalidate_recordset()
        snapshot = dict(binding.pull_snapshot or {})
        odoo_after = handler.odoo_values(record)
        for name in names:
            snapshot[name] = [odoo_after[name], qbo_now[name]]
        binding.pull_snapshot = snapshot
    return taken


def _summary(env, rows):
    kept = [row["field"] for row in rows if row["decision"] == "odoo"]
    taken = [row["field"] for row in rows if row["decision"] == "quickbooks"]
    parts = []
    if kept:
        parts.append(env._("Odoo's value kept for %s", ", ".join(kept)))
    if taken:
        parts.append(env._("QuickBooks' value taken for %s", ", ".join(taken)))
    return env._("Conflict settled: %s.", "; ".join(parts))
