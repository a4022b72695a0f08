"""The batch endpoint: ``POST /v3/company/<realmId>/batch``.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
* up to 30 ``BatchItemRequest`` items, each with its own ``bId`` and either an
  ``operation`` (create, update, delete) on one entity or a ``Query``; more are refused;
* each item gets its own result or its own ``Fault`` (no ``time`` inside), all in one
  HTTP 200 ``{"BatchItemResponse": [...], "time": ...}``;
* items are independent: an object created by one item is not visible to the others of
  the same batch ("a newly created customer is not available for a subsequent invoice
  create operation within the same batch operation");
* the batch is throttled as one request (and against the batch limits), but every item is
  metered like a call (qbo-api.md section 2);
* a ``requestid`` on the batch (at most 36 characters, and then each ``bId`` at most 10)
  replays the whole answer.
"""

import json

from werkzeug.wrappers import Response

from . import entities, faults, idempotency, operations
from .clock import iso_time
from .context import Ctx

MAX_ITEMS = 30
MAX_BID_WITH_REQUEST_ID = 10
JSON_TYPE = "application/json;charset=UTF-8"


def run(emulator, request, realm_id):
    from .api import parse_query, query_body, request_payload  # noqa: PLC0415 - api imports this module

    emulator.count(realm_id, "api.requests", "api.batches")
    key = idempotency.request_id(request, batch=True)
    payload = request_payload(request)
    items = payload.get("BatchItemRequest")
    if not isinstance(items, list) or not items:
        raise faults.required_param_missing("BatchItemRequest")
    if len(items) > MAX_ITEMS:
        raise faults.batch_too_large(len(items), MAX_ITEMS)
    if key:
        for item in items:
            bid = str((item or {}).get("bId", ""))
            if len(bid) > MAX_BID_WITH_REQUEST_ID:
                raise faults.string_too_long("bId", MAX_BID_WITH_REQUEST_ID, len(bid))
        with emulator.store.read() as db:
            cached = idempotency.lookup(db, realm_id, key)
        if cached:
            emulator.count(realm_id, "api.replays")
            return Response(cached[2], status=cached[0], content_type=cached[1])
    created = set()
    answers = []
    for item in items:
        answers.append(_run_item(emulator, request, realm_id, item, created, parse_query, query_body))
    body = "{" + '"BatchItemResponse":[' + ",".join(answers) + f'],"time":"{iso_time(emulator.clock.now())}"' + "}"
    if key:
        with emulator.store.write() as db:
            idempotency.remember(db, realm_id, key, emulator.clock.now(), 200, JSON_TYPE, body)
    emulator.webhooks.wake()
    return Response(body, content_type=JSON_TYPE)


def _run_item(emulator, request, realm_id, item, created, parse_query, query_body):
    bid = str((item or {}).get("bId", "")) if isinstance(item, dict) else ""
    try:
        if not isinstance(item, dict):
            raise faults.invalid_property("BatchItemRequest")
        if not bid:
            raise faults.required_param_missing("bId")
        if "Query" in item:
            emulator.count(realm_id, "api.reads", "op.query")
            parsed = parse_query(str(item["Query"]))
            with emulator.store.read() as db:
                body = query_body(db, realm_id, parsed)
            return '{"bId":' + json.dumps(bid) + ',"QueryResponse":' + body + "}"
        names = [key for key in item if entities.get(key) is not None and key not in ("bId", "operation")]
        if len(names) != 1:
            raise faults.invalid_property("BatchItemRequest: one entity object per item")
        spec = entities.get(names[0])
        operation = str(item.get("operation") or "create").lower()
        if operation not in ("create", "update", "delete"):
            raise faults.invalid_enumeration("operation", operation)
        if operation == "create" and isinstance(item[names[0]], dict) and item[names[0]].get("Id"):
            operation = "update"
        emulator.count(realm_id, "api.writes", f"op.{spec.name}.{operation}")
        with emulator.store.write() as db:
            ctx = Ctx(emulator, db, realm_id, args=request.args)
            ctx.invisible = created
            obj = operations.write(ctx, spec, item[names[0]], operation)
            emulator.webhooks.record(db, realm_id, ctx.events, ctx.now)
        if operation == "create":
            created.add((spec.name, obj["Id"]))
        return json.dumps({"bId": bid, spec.name: obj})
    except faults.QBOFault as fault:
        return json.dumps({"Fault": fault.body(), "bId": bid})
