"""The Accounting API v3: ``/v3/company/<realmId>/...``.

Every request is authenticated as QuickBooks does (401 with the gateway's lower-case fault
body when the token is missing, expired or revoked; 403 code 3100 when the token cannot
reach this company), counted, checked against the throttling limits and the injected
faults, then served:

* ``GET <entity>/<id>``, ``GET companyinfo/<realmId>``, ``GET preferences``: read;
* ``POST <entity>`` (create or update), ``?operation=delete``, ``?operation=void`` (or
  ``?operation=update&include=void``), with an optional ``requestid``;
* ``GET|POST query``, ``POST batch``, ``GET cdc``.

``minorversion``: QuickBooks serves 75 whatever a client asks for below it, and when it is
absent (https://blogs.intuit.com/2025/01/21/changes-to-our-accounting-api-that-may-impact-your-application/);
a value that is not a minor version QuickBooks has (above 75, not a number) is refused with
a ValidationFault naming the parameter instead of being served silently.
"""

import json
import re
import time

from werkzeug.wrappers import Response

from . import (
    attachments,
    batch,
    cdc,
    entities,
    faults,
    idempotency,
    objects,
    operations,
    pdf,
    queryable,
    search,
    taxservice,
)
from . import query as qbo_query
from .clock import iso_time
from .context import Ctx
from .oauth import authenticate_bearer

JSON_TYPE = "application/json;charset=UTF-8"
LATEST_MINOR_VERSION = 75
# https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#get-an-invoice-as-pdf
PDF_ENTITIES = ("Invoice", "Estimate", "SalesReceipt", "CreditMemo", "RefundReceipt", "PurchaseOrder")
# https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#send-an-invoice
SEND_ENTITIES = ("Invoice", "Estimate", "SalesReceipt", "CreditMemo", "RefundReceipt", "PurchaseOrder")


def check_minor_version(request):
    value = request.args.get("minorversion")
    if value is None:
        return
    text = value.strip()
    if not (text.isdigit() and 1 <= int(text) <= LATEST_MINOR_VERSION):
        raise faults.validation(
            "2010", "Request has invalid or unsupported property",
            f"Property Name:minorversion specified is unsupported or invalid: {value!r} is not a minor version of "
            f"the Accounting API (1 to {LATEST_MINOR_VERSION}; versions below {LATEST_MINOR_VERSION} are served as "
            f"{LATEST_MINOR_VERSION})", element="minorversion")


class DropConnection(Exception):
    """Close the client's connection without an answer (fault injection)."""


def _classify(request, parts):
    """``(kind, spec, operation, entity label)`` of a request."""
    resource = parts[0].lower()
    if resource == "query":
        return "query", None, "query", "query"
    if resource == "batch":
        return "batch", None, "batch", "batch"
    if resource == "cdc":
        return "cdc", None, "cdc", "cdc"
    if resource == "taxservice" and request.method == "POST" and [p.lower() for p in parts[1:]] == ["taxcode"]:
        return "taxservice", entities.get("TaxCode"), "create", "TaxCode"
    if resource == "upload" and request.method == "POST" and len(parts) == 1:
        return "upload", entities.get("Attachable"), "create", "Attachable"
    if resource == "download" and request.method == "GET" and len(parts) == 2:
        return "download", entities.get("Attachable"), "read", "Attachable"
    spec = entities.get(resource)
    if spec is None:
        return "unsupported", None, None, resource
    if len(parts) == 3 and parts[2].lower() == "pdf" and request.method == "GET" and spec.name in PDF_ENTITIES:
        return "pdf", spec, "read", spec.name
    if len(parts) == 3 and parts[2].lower() == "send" and request.method == "POST" and spec.name in SEND_ENTITIES:
        return "send", spec, "send", spec.name
    if request.method == "GET":
        return "read", spec, "read", spec.name
    if len(parts) > 1:
        return "unsupported", spec, None, spec.name
    operation = (request.args.get("operation") or "").lower()
    include = (request.args.get("include") or "").lower()
    if operation == "update" and "void" in include.split(","):
        operation = "void"
    if operation in ("", "create"):
        operation = "create"
    if operation not in ("create", "update", "delete", "void"):
        return "unsupported", spec, operation, spec.name
    return "write", spec, operation, spec.name


def _batch_size(request):
    """How many operations a batch request carries (each is metered like a call)."""
    try:
        items = json.loads(request.get_data(as_text=True) or "{}").get("BatchItemRequest") or []
    except (ValueError, AttributeError):
        return 1
    return len(items) if isinstance(items, list) else 1


def dispatch(emulator, request, realm_id, path):
    now = emulator.clock.now()
    with emulator.store.read() as db:
        grant = authenticate_bearer(db, request.headers.get("Authorization"), realm_id, now)
    parts = [part for part in path.split("/") if part]
    if not parts:
        raise faults.not_found(request.path)
    kind, spec, operation, label = _classify(request, parts)
    check_minor_version(request)
    if kind == "write" and operation == "create" and _body_has_id(request):
        operation = "update"
    rule = emulator.faults.take(realm_id, request.method, label, operation, path)
    try:
        if rule is not None and rule.fault == "drop":
            emulator.count(realm_id, "api.requests", "api.dropped")
            raise DropConnection()
        injected = rule.pre_fault() if rule is not None else None
        if injected is not None:
            emulator.count(realm_id, "api.requests", "api.injected_faults")
            raise injected
        try:
            emulator.limits.check(realm_id, grant["client_id"], batch=kind == "batch",
                                  weight=_batch_size(request) if kind == "batch" else 1)
        except faults.QBOFault:
            emulator.count(realm_id, "api.requests", "api.throttled")
            raise
        started = time.monotonic()
        response = _serve(emulator, request, realm_id, parts, kind, spec, operation, label)
    except faults.QBOFault as fault:
        if rule is not None and rule.fault == "xml":
            fault.as_xml = True
        raise
    if rule is not None and rule.fault == "timeout":
        cap = emulator.limits.request_cap
        held = min(rule.delay, max(cap - (time.monotonic() - started), 0))
        time.sleep(held)
        if rule.delay >= cap:
            raise faults.request_timeout(cap)
    if rule is not None and rule.fault == "drop_after_commit":
        raise DropConnection()
    return response


def _body_has_id(request):
    try:
        payload = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        return False
    return isinstance(payload, dict) and payload.get("Id") not in (None, "")


def _serve(emulator, request, realm_id, parts, kind, spec, operation, label):
    if kind == "query":
        emulator.count(realm_id, "api.requests", "api.reads", "op.query")
        return run_query(emulator, request, realm_id)
    if kind == "batch":
        return batch.run(emulator, request, realm_id)
    if kind == "cdc":
        emulator.count(realm_id, "api.requests", "api.reads", "op.cdc")
        return cdc.run(emulator, request, realm_id)
    if kind == "taxservice":
        emulator.count(realm_id, "api.requests", "api.writes", "op.TaxCode.create")
        return taxservice.create_tax_code(emulator, request, realm_id, request_payload(request))
    if kind == "upload":
        emulator.count(realm_id, "api.requests", "api.writes", "op.Attachable.upload")
        response = attachments.upload(emulator, request, realm_id)
        emulator.webhooks.wake()
        return response
    if kind == "download":
        emulator.count(realm_id, "api.requests", "api.reads", "op.Attachable.download")
        return attachments.download_link(emulator, request, realm_id, parts[1])
    if kind == "pdf":
        emulator.count(realm_id, "api.requests", "api.reads", f"op.{label}.pdf")
        return pdf_of(emulator, realm_id, spec, parts[1])
    if kind == "send":
        emulator.count(realm_id, "api.requests", "api.writes", f"op.{label}.send")
        return send(emulator, request, realm_id, spec, parts[1])
    if kind == "read":
        emulator.count(realm_id, "api.requests", "api.reads", f"op.{label}.read")
        return read(emulator, request, realm_id, spec, parts)
    if kind == "write":
        return write(emulator, request, realm_id, spec, operation)
    emulator.count(realm_id, "api.requests")
    raise faults.unsupported_operation(f"{request.method} {'/'.join(parts)}")


def read(emulator, request, realm_id, spec, parts):
    if spec.name == "CompanyInfo":
        if len(parts) != 2 or parts[1] != realm_id:
            raise faults.object_not_found("CompanyInfo", parts[1] if len(parts) > 1 else "")
        object_id = "1"
    elif spec.name == "ExchangeRate" and len(parts) == 1:
        return _exchange_rate(emulator, request, realm_id)
    elif spec.name == "Preferences":
        if len(parts) != 1:
            raise faults.unsupported_operation(f"GET {'/'.join(parts)}")
        object_id = "1"
    else:
        if len(parts) != 2:
            raise faults.unsupported_operation(f"GET {'/'.join(parts)}")
        object_id = parts[1]
    with emulator.store.read() as db:
        text = operations.read(db, realm_id, spec, object_id)
    if spec.name == "Invoice" and "invoicelink" in (request.args.get("include") or "").lower():
        text = json.dumps(_with_invoice_link(emulator, request, realm_id, json.loads(text)))
    body = f'{{"{spec.name}":{text},"time":"{iso_time(emulator.clock.now())}"}}'
    return Response(body, content_type=JSON_TYPE)


def _with_invoice_link(emulator, request, realm_id, invoice):
    """``include=invoiceLink``: "a sharable link for the invoice ... generated only for
    invoices with online payment enabled and having a valid customer email address"
    (the Invoice page).  Here the link opens the emulator's company view."""
    online = invoice.get("AllowOnlineCreditCardPayment") or invoice.get("AllowOnlineACHPayment")
    if online and (invoice.get("BillEmail") or {}).get("Address"):
        invoice["InvoiceLink"] = (f"{emulator.base_url(request)}/app/invoice?txnId={invoice['Id']}"
                                  f"&realmId={realm_id}")
    return invoice


def pdf_of(emulator, realm_id, spec, object_id):
    with emulator.store.read() as db:
        obj = json.loads(operations.read(db, realm_id, spec, object_id))
        info = objects.get(db, realm_id, "CompanyInfo", 1) or {}
    document = pdf.render(f"{spec.name} {obj.get('DocNumber') or obj['Id']}",
                          pdf.sales_form_lines(spec.name, obj, info.get("CompanyName", "")))
    return Response(document, content_type="application/pdf")


_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def send(emulator, request, realm_id, spec, object_id):
    """``POST /<entity>/<id>/send[?sendTo=address]``: QuickBooks emails the form and records
    it: ``EmailStatus`` EmailSent, ``DeliveryInfo`` (Email, the time), ``BillEmail`` set to
    ``sendTo`` when given; the answer is the updated object."""
    send_to = request.args.get("sendTo")
    with emulator.store.write() as db:
        ctx = Ctx(emulator, db, realm_id, args=request.args)
        obj = json.loads(operations.read(db, realm_id, spec, object_id))
        address = send_to or (obj.get("BillEmail") or {}).get("Address")
        if not address:
            raise faults.business_validation("There is no email address to send this to: add a BillEmail or "
                                             "pass sendTo.", "BillEmail")
        if not _EMAIL.match(address):
            raise faults.invalid_property("sendTo", "sendTo")
        if send_to:
            obj["BillEmail"] = {"Address": send_to}
        obj["EmailStatus"] = "EmailSent"
        obj["DeliveryInfo"] = {"DeliveryType": "Email", "DeliveryTime": iso_time(ctx.now)}
        saved = objects.save(db, realm_id, spec.name, obj, ctx.now)
        ctx.changed(spec.name, object_id, "Emailed")
        emulator.webhooks.record(db, realm_id, ctx.events, ctx.now)
    emulator.webhooks.wake()
    return Response(json.dumps({spec.name: saved, "time": iso_time(emulator.clock.now())}), content_type=JSON_TYPE)


def _exchange_rate(emulator, request, realm_id):
    """``GET /exchangerate?sourcecurrencycode=EUR&asofdate=YYYY-MM-DD`` (asofdate: today)."""
    from .entities.orders import find_rate  # noqa: PLC0415

    args = {k.lower(): v for k, v in request.args.items()}
    source = (args.get("sourcecurrencycode") or "").upper()
    if not source:
        raise faults.required_param_missing("sourcecurrencycode")
    now = emulator.clock.now()
    with emulator.store.read() as db:
        day = args.get("asofdate") or Ctx(emulator, db, realm_id).today()
        rate = find_rate(db, realm_id, source, day)
    if rate is None:
        raise faults.object_not_found("ExchangeRate", f"{source} {day}")
    body = json.dumps({"ExchangeRate": rate, "time": iso_time(now)})
    return Response(body, content_type=JSON_TYPE)


def request_payload(request):
    raw = request.get_data()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # handling-common-errors, 500: non-UTF-8 characters in the payload.
        raise faults.unsupported_operation(
            "com.sun.org.apache.xerces.internal.impl.io.MalformedByteSequenceException: Invalid byte 1 of 1-byte "
            "UTF-8 sequence.") from exc
    try:
        payload = json.loads(text) if text.strip() else None
    except ValueError as exc:
        raise faults.invalid_property(f"Unexpected JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise faults.invalid_property("request body: expected a JSON object")
    return payload


def write(emulator, request, realm_id, spec, operation):
    emulator.count(realm_id, "api.requests", "api.writes", f"op.{spec.name}.{operation}")
    key = idempotency.request_id(request)
    payload = request_payload(request)
    if key:
        with emulator.store.read() as db:
            cached = idempotency.lookup(db, realm_id, key)
        if cached:
            emulator.count(realm_id, "api.replays")
            return Response(cached[2], status=cached[0], content_type=cached[1])
    with emulator.store.write() as db:
        if key:
            cached = idempotency.lookup(db, realm_id, key)
            if cached:
                return Response(cached[2], status=cached[0], content_type=cached[1])
        ctx = Ctx(emulator, db, realm_id, args=request.args)
        obj = operations.write(ctx, spec, payload, operation)
        body = json.dumps({spec.name: obj, "time": iso_time(ctx.now)})
        if key:
            idempotency.remember(db, realm_id, key, ctx.now, 200, JSON_TYPE, body)
        emulator.webhooks.record(db, realm_id, ctx.events, ctx.now)
    emulator.webhooks.wake()
    return Response(body, content_type=JSON_TYPE)


def query_text(request):
    if request.method == "GET":
        return request.args.get("query", "")
    text = request.get_data(as_text=True)
    if request.mimetype in ("application/x-www-form-urlencoded",):
        return request.form.get("query", text)
    return text or request.args.get("query", "")


def parse_query(text):
    if not text.strip():
        raise faults.query_parse_error("The query is empty.")
    parsed = qbo_query.parse(text)
    spec = entities.get(parsed.entity)
    if spec is None:
        raise faults.query_parse_error(f"Invalid context declaration : {parsed.entity}")
    queryable.check(spec.name, parsed)
    return parsed


def query_body(db, realm_id, parsed):
    """The ``QueryResponse`` object of a query, as JSON text."""
    entity, result = search.execute(db, realm_id, parsed)
    if parsed.count:
        return json.dumps({"totalCount": result})
    if not result:
        return "{}"
    if parsed.fields:
        result = [json.dumps(obj) for obj in search.project(result, parsed.fields)]
    elif not isinstance(result[0], str):
        result = [json.dumps(obj) for obj in result]
    return (f'{{"{entity}":[{",".join(result)}],"startPosition":{parsed.start_position},'
            f'"maxResults":{len(result)}}}')


def run_query(emulator, request, realm_id):
    parsed = parse_query(query_text(request))
    with emulator.store.read() as db:
        body = query_body(db, realm_id, parsed)
    text = f'{{"QueryResponse":{body},"time":"{iso_time(emulator.clock.now())}"}}'
    return Response(text, content_type=JSON_TYPE)
