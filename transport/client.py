"""The QuickBooks Online API client every feature goes through.

python-quickbooks builds the URLs and parses the answers; underneath, :meth:`send` does what
the library does not (see ``../shared/reference/qbo-api.md`` section 10):

* the access token comes from :class:`TokenManager` (refreshed before expiry, and once on 401);
* timeouts on every request;
* retries of 5xx, 429 and network failures, re-sending the *same* request, so a write keeps
  its ``requestid`` and QuickBooks answers a repeat with the original response;
* faults are parsed from the raw response (JSON in either case, or XML) instead of the
  library's exception, which loses the HTTP status and reads only capitalised ``Fault``.
"""

import json
import logging
import random
import time
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal

import requests
from quickbooks import QuickBooks
from quickbooks import exceptions as qb_exceptions

from .errors import (
    AuthorizationRevokedError,
    EnvironmentMismatchError,
    NetworkError,
    NotConnectedError,
    QuickBooksError,
    QuickBooksFault,
    ThrottledError,
    fault_text,
    hint_for,
)
from .tokens import TokenManager

_logger = logging.getLogger(__name__)

MINOR_VERSION = 75
RETRY_STATUSES = {429, 500, 502, 503, 504}


class _LibraryClient(QuickBooks):
    """python-quickbooks, pointed at our API base through its documented URL attribute and
    sending every request through :meth:`QuickBooksClient.send`."""

    transport = None

    def process_request(self, request_type, url, headers="", params="", data=""):
        return self.transport.send(request_type, url, headers=headers, params=params, data=data)


def parse_fault(response):
    """``(code, message, detail, type, element)`` of the first error in a fault body, whatever
    its casing or format; None when the body holds no fault."""
    text = response.text or ""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        fault = body.get("Fault") or body.get("fault")
        if isinstance(fault, dict):
            errors = fault.get("Error") or fault.get("error") or [{}]
            first = errors[0] if errors else {}
            return (
                str(first.get("code", "")),
                first.get("Message") or first.get("message") or "",
                first.get("Detail") or first.get("detail") or "",
                fault.get("type", ""),
                first.get("element") or first.get("Element") or "",
            )
        return None
    if text.lstrip().startswith("<"):
        try:
            # QuickBooks' own answer over TLS; expat >= 2.4.1 refuses entity-expansion bombs.
            root = ET.fromstring(text)  # noqa: S314
        except ET.ParseError:
            return None
        for element in root.iter():
            if element.tag.endswith("Error"):
                message = next((c.text for c in element if c.tag.endswith("Message")), "") or ""
                detail = next((c.text for c in element if c.tag.endswith("Detail")), "") or ""
                fault_type = next((e.get("type", "") for e in root.iter() if e.tag.endswith("Fault")), "")
                return element.get("code", ""), message, detail, fault_type, element.get("element", "")
    return None


def read_company_info(api_base, realm_id, access_token, timeout=30):
    """``CompanyInfo`` of ``realm_id``, read with an access token that is not stored yet (the
    OAuth callback's): QuickBooks answers only if the token was issued for that company, which
    is how a callback whose ``realmId`` was changed on the way is told apart.  Raises a
    :class:`QuickBooksError` that says nothing was changed."""
    url = f"{api_base}/company/{realm_id}/companyinfo/{realm_id}"
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json",
               "User-Agent": "Odoo quickbooks_sync"}
    try:
        response = requests.get(url, headers=headers, params={"minorversion": MINOR_VERSION}, timeout=timeout)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise NetworkError(
            f"Could not reach QuickBooks ({exc.__class__.__name__}) to confirm the company. Nothing was changed.",
            "Check this server's network access to QuickBooks, then connect again.",
        ) from exc
    parsed = parse_fault(response)
    code = (parsed[0].lstrip("0") if parsed else "") or ""
    tid = response.headers.get("intuit_tid", "")
    if response.status_code in (401, 403):
        raise EnvironmentMismatchError(
            f"QuickBooks did not confirm that this authorization is for company {realm_id} "
            f"(HTTP {response.status_code}{', code ' + code if code else ''}). Nothing was changed: "
            "the company stays connected as it was, if it was.",
            "Connect again and pick the QuickBooks company on Intuit's page; if it persists, check the environment.",
            code=code, http_status=response.status_code, intuit_tid=tid,
        )
    try:
        info = response.json()["CompanyInfo"] if response.ok else None
    except (ValueError, KeyError, TypeError):
        info = None
    if not isinstance(info, dict):
        raise QuickBooksError(
            f"QuickBooks could not confirm company {realm_id} (HTTP {response.status_code}). Nothing was changed.",
            "Try connecting again in a moment.",
            code=code, http_status=response.status_code, intuit_tid=tid,
        )
    return info
def encode_body(payload):
    """The JSON text of a write's body.  Amounts may be Decimals: each is written as the exact
    JSON number it is (``2.675`` stays 2.675, ``92.5633333`` keeps its 7 decimals), never
    through a binary float."""
    marker = uuid.uuid4().hex
    numbers = []

    def plain(value):
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"{value} is not an amount QuickBooks can take")
            numbers.append(format(value, "f"))
            return f"{marker}{len(numbers) - 1}"
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        return value

    text = json.dumps(plain(payload))
    if not numbers:
        return text
    for index in range(len(numbers) - 1, -1, -1):
        text = text.replace(f'"{marker}{index}"', numbers[index])
    return text


class QuickBooksClient:  # pylint: disable=method-required-super
    def __init__(self, registry, connection, *, timeout=120, max_attempts=3, sleep=time.sleep,
                 pacer=None):
        if not connection.realm_id:
            raise NotConnectedError(
                "This company is not connected to QuickBooks.", "Click 'Connect to QuickBooks' in the settings."
            )
        self.connection_id = connection.id
        self.realm_id = connection.realm_id
        self.api_base = connection._api_base()
        self.tokens = TokenManager(registry, connection.id)
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.sleep = sleep
        self.pacer = pacer
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "Odoo quickbooks_sync (python-quickbooks)"
        self.qb = _LibraryClient(company_id=self.realm_id, minorversion=MINOR_VERSION)
        self.qb.api_url_v3 = self.api_base
        self.qb.sandbox = False  # the URL attribute above decides where requests go
        self.qb.transport = self
        self.last_response = None
        self._metering = (1, False)  # (weight, is_batch) of the request being sent
        self.stats = {"requests": 0, "reads": 0, "writes": 0, "batches": 0, "retries": 0, "refreshes_on_401": 0,
                      "http_seconds": 0.0}

    # -- the wire ----------------------------------------------------------------------------

    def send(self, method, url, headers=None, params=None, data=None):
        headers = dict(headers or {})
        if isinstance(data, str):
            # A query is sent as text: requests would encode it as Latin-1 and fail on a name
            # such as "Łódź – €" (JSON bodies are ASCII already).
            data = data.encode("utf-8")
        token = self._token()
        refreshed = False
        attempt = 0
        weight, is_batch = self._metering
        while True:
            attempt += 1
            if self.pacer is not None:
                self.pacer.wait(weight=weight, batch=is_batch)
            headers["Authorization"] = f"Bearer {token}"
            self.stats["requests"] += 1
            if is_batch:
                self.stats["batches"] += 1
            else:
                self.stats["reads" if method == "GET" or url.endswith("/query") else "writes"] += 1
            started = time.monotonic()
            try:
                response = self.http.request(method, url, headers=headers, params=params, data=data,
                                             timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                self.stats["http_seconds"] += time.monotonic() - started
                if attempt < self.max_attempts:
                    self.stats["retries"] += 1
                    self.sleep(self._backoff(attempt))
                    continue
                raise NetworkError(
                    f"Could not reach QuickBooks ({exc.__class__.__name__}) after {attempt} attempts.",
                    "Check this server's network access to QuickBooks; the sync will try again.",
                ) from exc
            self.stats["http_seconds"] += time.monotonic() - started
            self.last_response = response
            if not refreshed and self._auth_refused(response):
                # Renew the token once: an expired one is replaced; a revoked authorization
                # shows itself as invalid_grant (reconnect); a 403 that survives a fresh token
                # is the environment.
                refreshed = True
                self.stats["refreshes_on_401"] += 1
                token = self._token(rejected=token)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_attempts:
                self.stats["retries"] += 1
                self.sleep(self._backoff(attempt, response))
                continue
            return response

    @staticmethod
    def _auth_refused(response):
        if response.status_code == 401:
            return True
        if response.status_code == 403:
            parsed = parse_fault(response)
            return bool(parsed) and parsed[0].lstrip("0") == "3100"
        return False

    def _token(self, rejected=None):
        token, realm_id = self.tokens.access_token(rejected=rejected)
        if realm_id != self.realm_id:
            # The stored authorization is for another QuickBooks company than the one this
            # connection (and every id it holds) belongs to: never mix them.
            raise NotConnectedError(
                f"The stored authorization belongs to QuickBooks company {realm_id}, not {self.realm_id}.",
                "Reconnect to QuickBooks.",
            )
        return token

    @staticmethod
    def _backoff(attempt, response=None):
        # Exponential with jitter; QuickBooks sends no Retry-After, but honour one if present.
        if response is not None and response.headers.get("Retry-After", "").isdigit():
            return min(int(response.headers["Retry-After"]), 60)
        return min(2 ** (attempt - 1), 8) * (0.5 + random.random() / 2)  # noqa: S311 - jitter

    # -- calls -------------------------------------------------------------------------------

    def _call(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except QuickBooksError:
            raise
        except qb_exceptions.QuickbooksException as exc:
            raise self._error_from_response(exc) from exc

    def _error_from_response(self, exc):
        response = self.last_response
        status = response.status_code if response is not None else None
        tid = response.headers.get("intuit_tid", "") if response is not None else ""
        parsed = parse_fault(response) if response is not None else None
        code, message, detail, _fault_type, element = parsed or (str(exc.error_code), exc.message, exc.detail, "", "")
        code = code.lstrip("0") or code
        kwargs = {"code": code, "detail": detail, "http_status": status, "intuit_tid": tid, "element": element}
        if status == 401:
            return AuthorizationRevokedError(
                "QuickBooks refused the access token even after renewing it.",
                "Reconnect to QuickBooks.",
                **kwargs,
            )
        if status == 403 or code == "3100":
            return EnvironmentMismatchError(
                f"QuickBooks refused this app access to company {self.realm_id} (HTTP {status}, code {code}).",
                hint_for("3100"),
                **kwargs,
            )
        if status == 429 or code == "3001":
            return ThrottledError("QuickBooks' rate limit was reached (HTTP 429, code 3001).",
                                  hint_for("3001"), **kwargs)
        return QuickBooksFault(fault_text(code, message, detail, element), hint_for(code, message, element), **kwargs)

    def url(self, *parts):
        return "/".join([self.api_base, "company", self.realm_id, *[str(p) for p in parts]])

    def company_info(self):
        return self._call(self.qb.get_single_object, "CompanyInfo", self.realm_id)["CompanyInfo"]

    def preferences(self):
        return self._call(self.qb.get, self.url("preferences"))["Preferences"]

    def query(self, statement):
        return self._call(self.qb.query, statement).get("QueryResponse", {})

    def read(self, entity, object_id):
        return self._call(self.qb.get_single_object, entity, object_id)[entity]

    def create(self, entity, payload, request_id=None):
        return self._call(self.qb.create_object, entity, encode_body(payload), request_id=request_id)[entity]

    def update(self, entity, payload, request_id=None, sparse=True):
        body = dict(payload, sparse=True) if sparse else payload
        return self._call(self.qb.update_object, entity, encode_body(body), request_id=request_id)[entity]

    def delete(self, entity, payload, request_id=None):
        """Delete a transaction (``{"Id", "SyncToken"}``); name lists are deactivated instead."""
        return self._call(self.qb.delete_object, entity, json.dumps(payload), request_id=request_id)[entity]

    def void(self, entity, payload, request_id=None):
        """Void an invoice or a payment: the object stays, its amounts go to zero.
        Invoice: ``?operation=void``; Payment and BillPayment: a sparse update with ``include=void``
        (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#void-an-invoice,
        .../billpayment#void-a-billpayment)."""
        if entity in ("Payment", "BillPayment"):
            body, params = dict(payload, sparse=True), {"operation": "update", "include": "void"}
        else:
            body, params = payload, {"operation": "void"}
        answer = self._call(self.qb.post, self.url(entity.lower()), json.dumps(body), params=params,
                            request_id=request_id)
        return answer[entity]

    def upload(self, metadata, file_name, content_type, content, request_id=None):
        """Upload one file as an Attachable (``metadata``: its ``AttachableRef``, ``Note`` ...):
        ``POST /upload``, multipart, a ``file_metadata_01`` part (JSON) and a ``file_content_01``
        part (the file).  Returns the stored Attachable.
        https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable#upload-attachments"""
        boundary = uuid.uuid4().hex
        safe_name = file_name.replace('"', "'").replace("\r", " ").replace("\n", " ")
        body = b"".join([
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file_metadata_01\"; "
            f"filename=\"attachment.json\"\r\nContent-Type: application/json\r\n\r\n".encode(),
            json.dumps(dict(metadata, FileName=file_name, ContentType=content_type)).encode(), b"\r\n",
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file_content_01\"; "
            f"filename=\"{safe_name}\"\r\nContent-Type: {content_type}\r\n\r\n".encode(),
            content, b"\r\n", f"--{boundary}--\r\n".encode(),
        ])
        params = {"minorversion": MINOR_VERSION}
        if request_id:
            params["requestid"] = request_id
        response = self.send("POST", self.url("upload"), params=params, data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "application/json"})
        failure = qb_exceptions.QuickbooksException("The upload failed.", response.status_code, response.text[:500])
        if response.status_code >= 400:
            raise self._error_from_response(failure)
        try:
            item = (response.json().get("AttachableResponse") or [{}])[0]
        except ValueError as exc:
            raise self._error_from_response(failure) from exc
        if "Attachable" not in item:
            fault = item.get("Fault") or {}
            error = (fault.get("Error") or [{}])[0]
            raise QuickBooksFault(
                f"QuickBooks fault {error.get('code', '?')} ({error.get('Message', 'upload refused')}): "
                f"{error.get('Detail', '')}", hint_for(str(error.get("code", "")), error.get("Message", "")),
                code=str(error.get("code", "")), detail=error.get("Detail", ""), http_status=response.status_code)
        return item["Attachable"]

    def batch(self, items, request_id=None):
        """Up to 30 operations in one request; returns ``{bId: item answer}`` where each answer
        holds the object or its own ``Fault``.
        https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch"""
        body = {"BatchItemRequest": items}
        self._metering = (len(items), True)  # every item counts against the per-minute limit
        try:
            answer = self._call(self.qb.post, self.url("batch"), encode_body(body), request_id=request_id)
        finally:
            self._metering = (1, False)
        return {item.get("bId"): item for item in answer.get("BatchItemResponse", [])}

    def query_all(self, statement, entity, page_size=1000):
        """Every row of ``statement`` (no STARTPOSITION/MAXRESULTS in it), page by page:
        QuickBooks returns at most 1,000 rows per query."""
        start = 1
        while True:
            page = self.query(f"{statement} STARTPOSITION {start} MAXRESULTS {page_size}").get(entity, [])
            yield from page
            if len(page) < page_size:
                return
            start += page_size
