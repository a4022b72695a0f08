"""Create, read, update, delete and void, shared by single requests and batch items.

https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features
* ``POST /<entity>`` without ``Id`` creates; with ``Id`` and ``SyncToken`` it updates
  (``"sparse": true`` changes only the fields sent).
* ``POST /<entity>?operation=delete`` with ``Id`` and ``SyncToken`` deletes a transaction
  (name lists are deactivated with ``Active`` false instead); the answer is
  ``{"status": "Deleted", "domain": "QBO", "Id": ...}``.
* ``?operation=void`` (and python-quickbooks' ``?operation=update&include=void``) voids.
* The SyncToken must be the current one, else 5010; every change increments it.
* A deleted transaction cannot be read: 610 "Another user has deleted this transaction."
"""

import json

from . import entities, faults, objects


def _identify(spec, payload, operation):
    object_id = payload.get("Id")
    if object_id in (None, ""):
        raise faults.required_param_missing("Id", f"Required parameter Id is missing in the request for {operation}")
    sync_token = payload.get("SyncToken")
    if sync_token in (None, ""):
        raise faults.required_param_missing("SyncToken")
    return str(object_id), str(sync_token)


def _current(ctx, spec, object_id, sync_token=None):
    row = ctx.row(spec.name, object_id)
    if row is None:
        raise faults.object_not_found(spec.name, object_id)
    if row["status"] == "deleted":
        raise faults.deleted_transaction(spec.name, object_id)
    if sync_token is not None and sync_token != str(row["sync_token"]):
        raise faults.stale_object()
    return row, json.loads(row["data"])


def read(db, realm_id, spec, object_id):
    row = objects.get_row(db, realm_id, spec.name, object_id)
    if row is None:
        raise faults.object_not_found(spec.name, object_id)
    if row["status"] == "deleted":
        raise faults.deleted_transaction(spec.name, object_id)
    return row["data"]


def create(ctx, spec, payload):
    if not spec.creatable:
        raise faults.unsupported_operation("Create")
    ctx.payload = payload
    data = spec.validate(ctx, spec.clean(payload), None)
    obj = objects.insert(ctx.db, ctx.store, ctx.realm_id, spec.name, data, ctx.now)
    spec.after_save(ctx, obj, None)
    ctx.changed(spec.name, obj["Id"], "Create")
    return obj


def update(ctx, spec, payload):
    if not spec.updatable:
        raise faults.unsupported_operation("Update")
    object_id, sync_token = _identify(spec, payload, "update")
    _row, old = _current(ctx, spec, object_id, sync_token)
    sparse = payload.get("sparse") in (True, "true", "True")
    ctx.payload = payload
    data = spec.validate(ctx, spec.merge(old, payload, sparse), old)
    data["Id"] = old["Id"]
    new = objects.save(ctx.db, ctx.realm_id, spec.name, data, ctx.now)
    spec.after_save(ctx, new, old)
    ctx.changed(spec.name, object_id, "Update")
    return new


def delete(ctx, spec, payload):
    if not spec.deletable:
        raise faults.unsupported_operation("Delete")
    object_id, sync_token = _identify(spec, payload, "delete")
    _row, old = _current(ctx, spec, object_id, sync_token)
    ctx.payload = payload
    spec.check_delete(ctx, old)
    objects.mark_deleted(ctx.db, ctx.realm_id, spec.name, object_id, ctx.now)
    spec.after_delete(ctx, old)
    ctx.changed(spec.name, object_id, "Delete")
    return {"status": "Deleted", "domain": "QBO", "Id": object_id}


def void(ctx, spec, payload):
    if not spec.voidable:
        raise faults.unsupported_operation("Void")
    object_id, sync_token = _identify(spec, payload, "void")
    _row, old = _current(ctx, spec, object_id, sync_token)
    ctx.payload = payload
    voided = spec.void(ctx, old)
    new = objects.save(ctx.db, ctx.realm_id, spec.name, voided, ctx.now, status="voided")
    spec.after_void(ctx, new, old)
    ctx.changed(spec.name, object_id, "Void")
    return new


def write(ctx, spec, payload, operation):
    """Run one write; ``operation`` is create, update, delete or void ("create" turns into
    an update when the payload carries an Id, as QuickBooks decides)."""
    if not isinstance(payload, dict):
        raise faults.invalid_property(spec.name, spec.name)
    custom = getattr(spec, "custom_write", None)
    if custom is not None:
        ctx.payload = payload
        return custom(ctx, payload, operation)
    if operation == "delete":
        return delete(ctx, spec, payload)
    if operation == "void":
        return void(ctx, spec, payload)
    if operation == "update" or payload.get("Id") not in (None, ""):
        if spec.kind == "company" and payload.get("Id") in (None, ""):
            payload = dict(payload, Id="1")
        return update(ctx, spec, payload)
    if spec.kind == "company":
        raise faults.unsupported_operation("Create")
    return create(ctx, spec, payload)


def entity_for(name):
    spec = entities.get(name)
    if spec is None:
        raise faults.unsupported_operation(f"{name}")
    return spec
