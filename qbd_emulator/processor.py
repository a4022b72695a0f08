"""Running one qbXML message set against a company file, as QuickBooks' request processor does.

1. The whole set is read and checked against the schema first; any fault refuses it all with
   HRESULT 0x80040400 and nothing runs (qbwc/qbxml#14).
2. The requests run in order, each answered by its ``*Rs`` carrying its ``requestID`` (a
   ``requestID`` longer than 50 characters is 1060).  ``onError="stopOnError"``: after a request
   fails, the following ones are not processed and get no ``*Rs`` (the stand-in's reading of the
   qbXML reference; one a public capture could settle); ``continueOnError``: every request is
   answered (a hotglue fixture shows 0, 3100, 3250, 3130 and 0 in one set); ``rollbackOnError``:
   QuickBooks Desktop does not roll back (jsgoupil/quickbooks-sync README: "QuickBooks does not
   support rollbackOnError"), so it behaves as ``stopOnError``.  A request that fails leaves nothing
   behind; the ones before it stay saved.
3. Queries may page with iterators: ``iterator="Start"`` with ``MaxReturned`` returns the first page,
   ``iteratorRemainingCount`` and an ``iteratorID``; ``iterator="Continue"`` with that id the next
   ones; ``iterator="Stop"`` ends it.  An iterator belongs to the session (and application) that
   started it ("only valid for the current QuickBooks session", Intuit qbXML reference) and is used
   up when nothing remains: another id is 3391.
"""

import uuid

from . import host, lists, objects, qbxml, queries, spec, status, txns
from .context import Ctx
from .schema import Parser, SchemaError
from .status import QBError, StatusError

PARSER = Parser(spec.MODELS)

ADD_LISTS = {"CustomerAddRq": ("Customer", "CustomerAdd"), "VendorAddRq": ("Vendor", "VendorAdd"),
             "ItemServiceAddRq": ("ItemService", "ItemServiceAdd"),
             "ItemNonInventoryAddRq": ("ItemNonInventory", "ItemNonInventoryAdd")}
MOD_LISTS = {"CustomerModRq": ("Customer", "CustomerMod"), "ItemServiceModRq": ("ItemService", "ItemServiceMod")}
ITERABLE = {"CustomerQueryRq", "VendorQueryRq", "ItemServiceQueryRq", "ItemNonInventoryQueryRq", "ItemQueryRq",
            "InvoiceQueryRq", "CreditMemoQueryRq", "ReceivePaymentQueryRq"}
WRITES = set(ADD_LISTS) | set(MOD_LISTS) | {"InvoiceAddRq", "InvoiceModRq", "CreditMemoAddRq", "ReceivePaymentAddRq",
                                            "ReceivePaymentModRq",
                                            "TxnDelRq", "TxnVoidRq", "DataExtAddRq"}


class Iterator:
    def __init__(self, request, keys, max_returned):
        self.id = "{" + str(uuid.uuid4()) + "}"
        self.request = request
        self.keys = keys          # [(kind, id)] fixed when the iterator started
        self.position = 0
        self.max_returned = max_returned


class Request:
    def __init__(self, element):
        self.element = element
        self.name = element.tag
        self.request_id = element.get("requestID")
        self.data = None
        self.too_long = []


def check(message_set):
    """Schema check of every request (0x80040400 for the set on the first fault)."""
    requests = []
    for element in message_set.requests:
        request = Request(element)
        if request.name in spec.MODELS:
            try:
                request.data, request.too_long = PARSER.parse(element, request.name)
            except SchemaError as exc:
                raise qbxml.parse_error(str(exc)) from exc
        elif request.name not in spec.QBXML13_REQUESTS:
            raise qbxml.parse_error(f"<{request.name}> is not a qbXML 13.0 request")
        requests.append(request)
    return requests


def run(company_file, session, requests, on_error, status_faults=None):
    """Run the checked requests in one write transaction; returns the response text."""
    store = company_file.store
    responses = []
    with store.write() as db:
        ctx = Ctx(company_file, db, session.company, session=session)
        store.bump(db, session.company, "messages")
        for request in requests:
            store.bump(db, session.company, "requests")
            store.bump(db, session.company, f"rq.{request.name}")
            response = qbxml.Response(request.name[:-2] + "Rs", request.request_id)
            injected = status_faults(request.name) if status_faults else None
            if injected is not None:
                error = StatusError(injected["code"], injected["message"])
                response.set_status(error.code, error.message, error.severity)
                responses.append(response)
                if on_error != "continueOnError" and error.code >= 1000:
                    break
                continue
            db.execute("SAVEPOINT request")
            try:
                warnings = []
                _dispatch(ctx, request, response, warnings)
                if warnings and response.code == 0:
                    warning = warnings[0]
                    response.set_status(warning.code, warning.message, warning.severity)
                db.execute("RELEASE SAVEPOINT request")
            except StatusError as error:
                db.execute("ROLLBACK TO SAVEPOINT request")
                db.execute("RELEASE SAVEPOINT request")
                response = qbxml.error_response(response.name, request.request_id, error)
                responses.append(response)
                if error.code >= 1000 and on_error != "continueOnError":
                    break
                continue
            responses.append(response)
    return qbxml.render_message_set(responses)


def _dispatch(ctx, request, response, warnings):
    name = request.name
    if request.request_id is not None and len(request.request_id) > 50:
        raise status.invalid_request_id(request.request_id)
    if name not in spec.MODELS:
        raise status.unsupported_request(name)
    if request.too_long:
        field, value = request.too_long[0]
        raise status.string_too_long(value, field)
    data = qbxml.latin1(request.data)
    if name in ADD_LISTS:
        kind, key = ADD_LISTS[name]
        obj = lists.add(ctx, kind, data[key], warnings)
        response.lines = queries.Renderer(ctx).lines(_reload(ctx, kind, obj))
    elif name in MOD_LISTS:
        kind, key = MOD_LISTS[name]
        obj = lists.mod(ctx, kind, data[key], warnings)
        response.lines = queries.Renderer(ctx).lines(_reload(ctx, kind, obj))
    elif name in ("InvoiceAddRq", "CreditMemoAddRq"):
        kind = name[:-5]
        txn = txns.add_sales_form(ctx, kind, data[f"{kind}Add"], warnings)
        response.lines = queries.Renderer(ctx, {"IncludeLineItems": "true", "IncludeLinkedTxns": "true"}).lines(
            _reload(ctx, kind, txn))
    elif name == "InvoiceModRq":
        txn = txns.mod_invoice(ctx, data["InvoiceMod"], warnings)
        response.lines = queries.Renderer(ctx, {"IncludeLineItems": "true", "IncludeLinkedTxns": "true"}).lines(
            _reload(ctx, "Invoice", txn))
    elif name == "ReceivePaymentAddRq":
        txn = txns.add_payment(ctx, data["ReceivePaymentAdd"], warnings)
        response.lines = queries.Renderer(ctx).lines(_reload(ctx, "ReceivePayment", txn))
    elif name == "ReceivePaymentModRq":
        txn = txns.mod_payment(ctx, data["ReceivePaymentMod"], warnings)
        response.lines = queries.Renderer(ctx).lines(_reload(ctx, "ReceivePayment", txn))
    elif name in ("TxnDelRq", "TxnVoidRq"):
        void = name == "TxnVoidRq"
        kind = data["TxnVoidType" if void else "TxnDelType"]
        txn = txns.delete_or_void(ctx, kind, data["TxnID"], void)
        if void:
            response.lines = [f"<TxnVoidType>{kind}</TxnVoidType>", f"<TxnID>{txn['TxnID']}</TxnID>",
                              f"<TimeCreated>{txn['TimeCreated']}</TimeCreated>",
                              f"<TimeModified>{ctx.stamp()}</TimeModified>"]
        else:
            response.lines = [f"<TxnDelType>{kind}</TxnDelType>", f"<TxnID>{txn['TxnID']}</TxnID>",
                              f"<TimeDeleted>{ctx.stamp()}</TimeDeleted>"]
        if txn.get("RefNumber"):
            out = []
            qbxml.render_value("RefNumber", txn["RefNumber"], out)
            response.lines += out
    elif name == "HostQueryRq":
        response.lines = host.host_ret(ctx)
    elif name == "CompanyQueryRq":
        response.lines = host.company_ret(ctx, data)
    elif name == "PreferencesQueryRq":
        response.lines = host.preferences_ret(ctx, data)
    elif name == "DataExtAddRq":
        response.lines = host.data_ext_add(ctx, data["DataExtAdd"])
    elif name in queries.LIST_QUERIES or name in queries.TXN_QUERIES:
        _query(ctx, request, data, response, warnings)
    else:  # pragma: no cover - every model above has a handler
        raise status.unsupported_request(name)


def _reload(ctx, kind, obj):
    fresh = objects.get(ctx.db, ctx.company, kind, obj.get("ListID") or obj.get("TxnID"), include_deleted=True)
    return fresh if fresh is not None else obj


def _query(ctx, request, data, response, warnings):
    element = request.element
    iterator_mode = element.get("iterator")
    meta = element.get("metaData", "NoMetaData")
    session = ctx.session
    renderer = queries.Renderer(ctx, data, many=True)
    if iterator_mode in ("Continue", "Stop"):
        iterator_id = element.get("iteratorID", "")
        iterator = session.iterators.get(iterator_id) if session else None
        if iterator is None or iterator.request != request.name:
            raise status.invalid_iterator(iterator_id)
        if iterator_mode == "Stop":
            session.iterators.pop(iterator_id, None)
            response.extra = {"iteratorRemainingCount": 0, "iteratorID": iterator_id}
            return
        page_size = queries._max_returned(data) or iterator.max_returned
        _page(ctx, iterator, page_size, response, renderer, meta)
        return
    if iterator_mode not in (None, "Start"):
        raise qbxml.parse_error(f"iterator={iterator_mode!r}")  # pragma: no cover - the schema enum
    if request.name in queries.LIST_QUERIES:
        selection = queries.select_list(ctx, queries.LIST_QUERIES[request.name], data, warnings)
    else:
        selection = queries.select_txn(ctx, queries.TXN_QUERIES[request.name], data, warnings)
    if selection.warning is not None:
        warnings.insert(0, selection.warning)
    keys = selection.keys
    if iterator_mode == "Start":
        if session is None:
            raise status.not_enabled("iterators outside a session")
        iterator = Iterator(request.name, keys, selection.max_returned)
        session.iterators[iterator.id] = iterator
        _page(ctx, iterator, selection.max_returned, response, renderer, meta)
        return
    if selection.max_returned is not None:
        keys = keys[:selection.max_returned]
    _fill(response, objects.get_many(ctx.db, ctx.company, keys), renderer, meta, warnings)


def _page(ctx, iterator, page_size, response, renderer, meta):
    keys = iterator.keys[iterator.position:]
    if page_size is not None:
        keys = keys[:page_size]
    iterator.position += len(keys)
    found = objects.get_many(ctx.db, ctx.company, keys)
    remaining = len(iterator.keys) - iterator.position
    if remaining <= 0:
        ctx.session.iterators.pop(iterator.id, None)
    _fill(response, found, renderer, meta, [])
    response.extra.update({"iteratorRemainingCount": remaining, "iteratorID": iterator.id})


def _fill(response, found, renderer, meta, warnings):
    if meta in ("MetaDataOnly", "MetaDataAndResponseData"):
        response.extra["retCount"] = len(found)
    if not found and not warnings:
        response.set_status(1, status.NO_MATCH)
        return
    if meta != "MetaDataOnly":
        for obj in found:
            response.lines.extend(renderer.lines(obj))



__all__ = ["QBError", "check", "run"]
