"""Change data capture: ``GET /v3/company/<realmId>/cdc?entities=A,B&changedSince=T``.

https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
* objects of the listed entities changed at or after ``changedSince``, full objects, and
  deleted ones as ``{"Id", "status": "Deleted", "domain", "MetaData"}``;
* a look-back of 30 days at most;
* at most 1,000 objects per answer, all entities together, no paging (the oldest changes
  come first, so a client can ask again from the last one it got);
* within an entity, objects in order of last change, the deleted ones after the others;
* JournalCode, TaxAgency, TimeActivity, TaxCode and TaxRate are not covered: they come back
  empty, like an entity without changes (``{}``, as python-quickbooks#149 shows).

``{"CDCResponse": [{"QueryResponse": [{"Customer": [...], "startPosition": 1,
"maxResults": n}, {}]}], "time": ...}``
"""

import json

from werkzeug.wrappers import Response

from . import entities, faults
from .clock import iso_time, parse_iso

LOOK_BACK_DAYS = 30
MAX_OBJECTS = 1000
NOT_COVERED = {"JournalCode", "TaxAgency", "TimeActivity", "TaxCode", "TaxRate"}


def run(emulator, request, realm_id):
    names = [n.strip() for n in (request.args.get("entities") or "").split(",") if n.strip()]
    if not names:
        raise faults.required_param_missing("entities", "Required parameter entities is missing in the request")
    since_text = request.args.get("changedSince")
    if not since_text:
        raise faults.required_param_missing("changedSince", "Required parameter changedSince is missing in the request")
    try:
        since = round(parse_iso(since_text), 3)
    except ValueError as exc:
        raise faults.invalid_property("changedSince", "changedSince") from exc
    now = emulator.clock.now()
    if since < now - LOOK_BACK_DAYS * 86400:
        raise faults.cdc_too_old(since_text)
    wanted = []
    for name in names:
        if name == "JournalCode":
            wanted.append(name)
            continue
        spec = entities.get(name)
        if spec is None:
            raise faults.invalid_property(f"entities: {name}", "entities")
        wanted.append(spec.name)
    covered = [name for name in wanted if name not in NOT_COVERED and entities.get(name).cdc]
    found = {name: [] for name in covered}
    if covered:
        marks = ",".join("?" for _ in covered)
        with emulator.store.read() as db:
            rows = db.execute(
                f"SELECT entity, id, status, updated, data FROM objects WHERE realm_id = ? AND entity IN ({marks})"  # noqa: S608
                " AND updated >= ? ORDER BY updated, entity, id LIMIT ?",
                (realm_id, *covered, since, MAX_OBJECTS),
            ).fetchall()
        deleted = {name: [] for name in covered}
        for row in rows:
            if row["status"] == "deleted":
                deleted[row["entity"]].append(json.dumps({
                    "domain": "QBO", "status": "Deleted", "Id": str(row["id"]),
                    "MetaData": {"LastUpdatedTime": iso_time(row["updated"])}}))
            else:
                found[row["entity"]].append(row["data"])
        # "Objects deleted within the look-back period are returned after active objects."
        for name in covered:
            found[name].extend(deleted[name])
    parts = []
    for name in wanted:
        items = found.get(name) or []
        if items:
            parts.append(f'{{"{name}":[{",".join(items)}],"startPosition":1,"maxResults":{len(items)}}}')
        else:
            parts.append("{}")
    body = f'{{"CDCResponse":[{{"QueryResponse":[{",".join(parts)}]}}],"time":"{iso_time(now)}"}}'
    return Response(body, content_type="application/json;charset=UTF-8")
