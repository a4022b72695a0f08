"""The Accounting API v3: ``/v3/company/<realmId>/...``.

Part 1 serves the company itself: ``companyinfo/<realmId>``, ``preferences`` and the
``query`` endpoint.  Every request is authenticated as QuickBooks does (401 with the
gateway's lower-case fault body when the token is missing, expired or revoked; 403 code
3100 when the token cannot reach this company).
"""

import json

from werkzeug.wrappers import Response

from . import faults, objects
from . import query as qbo_query
from .clock import iso_time
from .oauth import authenticate_bearer

# Entities a query may name; the map gives the canonical spelling (queries are
# case-insensitive on the entity name).
QUERYABLE = {name.lower(): name for name in ("CompanyInfo", "Preferences")}

# Name lists hide inactive rows unless the query filters on Active.
NAME_LISTS = {"Customer", "Vendor", "Employee", "Item", "Account", "Class", "Department",
              "Term", "PaymentMethod", "TaxCode", "TaxRate", "TaxAgency"}


def json_response(emulator, payload, status=200):
    payload = dict(payload)
    payload["time"] = iso_time(emulator.clock.now())
    return Response(json.dumps(payload), status=status, content_type="application/json;charset=UTF-8")


def dispatch(emulator, request, realm_id, path):
    now = emulator.clock.now()
    with emulator.store.read() as db:
        grant = authenticate_bearer(db, request.headers.get("Authorization"), realm_id, now)
    emulator.before_api_call(request, realm_id, grant)
    parts = [part for part in path.split("/") if part]
    if not parts:
        raise faults.not_found(request.path)
    resource = parts[0].lower()
    if resource == "query":
        return run_query(emulator, request, realm_id)
    if resource == "companyinfo" and request.method == "GET" and len(parts) == 2:
        if parts[1] != realm_id:
            raise faults.object_not_found("CompanyInfo", parts[1])
        return read_single(emulator, realm_id, "CompanyInfo", 1)
    if resource == "preferences" and request.method == "GET" and len(parts) == 1:
        return read_single(emulator, realm_id, "Preferences", 1)
    raise faults.unsupported_operation(f"{request.method} {'/'.join(parts)}")


def read_single(emulator, realm_id, entity, object_id):
    with emulator.store.read() as db:
        obj = objects.get(db, realm_id, entity, object_id)
    if obj is None:
        raise faults.object_not_found(entity, object_id)
    return json_response(emulator, {entity: obj})


def _query_text(request):
    if request.method == "GET":
        return request.args.get("query", "")
    text = request.get_data(as_text=True)
    if request.mimetype in ("application/x-www-form-urlencoded",):
        return request.form.get("query", text)
    return text or request.args.get("query", "")


def run_query(emulator, request, realm_id):
    text = _query_text(request)
    if not text.strip():
        raise faults.query_parse_error("The query is empty.")
    parsed = qbo_query.parse(text)
    entity = QUERYABLE.get(parsed.entity.lower())
    if entity is None:
        raise faults.query_parse_error(f"Invalid context declaration : {parsed.entity}")
    with emulator.store.read() as db:
        rows = objects.all_of(db, realm_id, entity)
    conditions = list(parsed.conditions)
    if entity in NAME_LISTS and not any(c.field.lower() == "active" for c in conditions):
        conditions.append(qbo_query.Condition("Active", "=", True))
    rows = [row for row in rows if all(qbo_query.matches(row, c) for c in conditions)]
    if parsed.count:
        return json_response(emulator, {"QueryResponse": {"totalCount": len(rows)}})
    for name, direction in reversed(parsed.order):
        rows.sort(key=qbo_query.sort_key_for(name), reverse=direction == "desc")
    start = parsed.start_position - 1
    page = rows[start:start + parsed.max_results]
    if parsed.fields:
        keep = {f.lower() for f in parsed.fields} | {"id", "synctoken", "metadata", "domain", "sparse"}
        page = [{k: v for k, v in row.items() if k.lower() in keep} for row in page]
    body = {}
    if page:
        body = {entity: page, "startPosition": parsed.start_position, "maxResults": len(page)}
    return json_response(emulator, {"QueryResponse": body})
