"""A scripted QuickBooks Web Connector 2.3: it reads a .qwc, keeps the password, and runs sessions
against the web service over real SOAP 1.1 HTTP, with a company file on the other side.

One session (QBWC Programmer's Guide ch. 2 and 10; the call sequence in the team's reference sheet):

1. ``serverVersion()`` (its answer is logged; a Fault there does not stop QBWC);
   ``clientVersion(strVersion)``: ``""`` go on, ``W:<text>`` a warning the user accepts,
   ``E:<text>`` stop with that error, ``O:<version>`` a newer Web Connector is required.
2. ``authenticate(strUserName, strPassword)`` -> ``[ticket, what, postpone?, every_min?]``:
   ``nvu`` (any case) "Authentication failed"; ``none`` "No data exchange required"
   (RappidDevelopment/quickbooks-js#15, sent as ``NONE``); ``busy`` try later; with ``what`` ``""``
   or a company file path, open that file (``""``: the one open in QuickBooks).  ``postpone`` seconds
   put the update off ("Update postponed by application", guide p. 63), ``every_min`` seconds
   lengthen the schedule.  After nvu, none and busy the Web Connector calls ``closeConnection``.
3. If QuickBooks cannot open the file: ``connectionError(ticket, hresult, message)``; ``done``
   (any case) ends the session, any other answer names a file to try again (twice at most, "a
   couple of times", guide ch. 10).
4. The Web Connector queries the host, the company and the preferences itself, stamps its
   ``FileID`` into the file on first contact (a private Company data extension of the .qwc's
   ``OwnerID``), then loops: ``sendRequestXML(ticket, strHCPResponse, strCompanyFileName,
   qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers)`` (the HCP response on the first call only, ``""``
   after), QuickBooks processes the qbXML, ``receiveResponseXML(ticket, response, hresult,
   message)`` returns the percentage done: below 100 loop, 100 ``closeConnection``, negative
   ``getLastError`` then ``closeConnection``.  When QuickBooks fails the request, ``response`` is
   empty and ``hresult``/``message`` say why (NodeGeeks/loopback-connector-quickbooks#14).
   ``sendRequestXML`` answering ``""`` makes the Web Connector call ``getLastError``: ``NoOp`` waits
   five seconds and asks again, anything else is shown and the session closes.
5. ``closeConnection(ticket)``: its text is what the Web Connector's status column shows.

The Web Connector never retries a call: a failed SOAP call ends the session there, with the
message QBWC shows (``QBWC1012: Authentication failed due to following error message.`` for the
calls up to authenticate, consolibyte#240; ``QBWC1042: ReceiveResponseXML failed`` for
receiveResponseXML, consolibyte#248; ``SendRequestXML failed`` for sendRequestXML,
johnballantyne/qbws#3), and the next schedule or "Update Selected" starts afresh.

The log follows QBWCLog.txt's layout (``QBWebConnector.SOAPWebService.do_serverVersion() : ...``,
jsgoupil/quickbooks-sync#62, qbwc/qbwc#69); the password never appears in it.
"""

import base64
import json
import os
import pathlib
import threading
import time

import requests

from . import soap, status
from .qwc import load as load_qwc
from .soap import SoapClient, SoapError, SoapFault
from .status import MachineDown, QBError

VERSION = "2.3.0.215"  # what QBWC 2.3 sends as strVersion (jsgoupil/quickbooks-sync#62 log)
NOOP_DELAY = 5.0
FILE_ID_NAME = "FileID"
MAX_MESSAGE_SETS = 100000  # the real one has no limit (guide ch. 1); this stops a runaway test


class SessionResult:
    """What the Web Connector shows for one update, and what it did."""

    def __init__(self, app_name):
        self.app_name = app_name
        self.status = "Ok"          # Ok, Error, Postponed, Crashed
        self.message = ""
        self.calls = []             # [{"method", "result" | "error"}]
        self.progress = 0
        self.message_sets = 0
        self.qb_errors = []         # [{"hresult", "message"}] passed to the web service
        self.warnings = []
        self.postpone_seconds = None
        self.every_min_seconds = None
        self.ticket = None
        self.qb_ticket = None
        self.company_file = None
        self.started = time.time()
        self.ended = None
        self.log = []

    def fail(self, message):
        self.status = "Error"
        self.message = message

    def to_dict(self):
        return {"app_name": self.app_name, "status": self.status, "message": self.message, "calls": self.calls,
                "progress": self.progress, "message_sets": self.message_sets, "qb_errors": self.qb_errors,
                "warnings": self.warnings, "postpone_seconds": self.postpone_seconds,
                "every_min_seconds": self.every_min_seconds, "ticket": self.ticket,
                "company_file": self.company_file, "started": self.started, "ended": self.ended}


class _Stop(Exception):
    """The session ends here (the result already says how)."""


# -- QuickBooks, as the Web Connector reaches it --------------------------------------------------------

class LocalQuickBooks:
    """A company file opened in this process (QBWC starting QuickBooks on the same PC)."""

    def __init__(self, company_file):
        self.qb = company_file

    def begin_session(self, company_file, app_name, app_id, read_only):
        session = self.qb.begin_session(company_file, app_name, app_id, read_only)
        return {"ticket": session.ticket, "company_file": session.company, "versions": session.versions,
                "country": session.country}

    def process_request(self, ticket, request, internal=False):
        return self.qb.process_request(ticket, request, internal=internal)

    def end_session(self, ticket):
        self.qb.end_session(ticket)


class RemoteQuickBooks:
    """A company file served by ``python -m qbd_emulator quickbooks`` (its request processor)."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.http = requests.Session()

    def _call(self, method, payload, timeout=None):
        try:
            answer = self.http.post(f"{self.url}/qbxmlrp/{method}", json=payload, timeout=timeout)
        except requests.ConnectionError as exc:
            raise status.qb_error(status.COULD_NOT_START, f"no QuickBooks at {self.url}") from exc
        if answer.status_code != 200:
            raise status.qb_error(status.UNEXPECTED, f"HTTP {answer.status_code} from {self.url}")
        body = answer.json()
        if body.get("machine_down"):
            raise MachineDown(body.get("message", ""))
        if "hresult" in body:
            raise QBError(body["hresult"], body["message"])
        return body

    def begin_session(self, company_file, app_name, app_id, read_only):
        return self._call("BeginSession", {"company_file": company_file, "app_name": app_name, "app_id": app_id,
                                           "read_only": read_only}, timeout=60)

    def process_request(self, ticket, request, internal=False):
        # QBWC waits for QuickBooks as long as it takes: no timeout on the request processor.
        return self._call("ProcessRequest", {"ticket": ticket, "request": request, "internal": internal})["response"]

    def end_session(self, ticket):
        try:
            self._call("EndSession", {"ticket": ticket}, timeout=30)
        except QBError:
            pass


def quickbooks_for(target):
    """A URL (a running company file), a CompanyFile, or something already speaking the protocol."""
    if isinstance(target, str):
        if target.startswith(("http://", "https://")):
            return RemoteQuickBooks(target)
        from .companyfile import CompanyFile  # noqa: PLC0415

        return LocalQuickBooks(CompanyFile(target))
    if hasattr(target, "begin_session") and hasattr(target, "store"):
        return LocalQuickBooks(target)
    return target


# -- the stored password -------------------------------------------------------------------------------

class PasswordStore:
    """QBWC keeps each application's password (encrypted, in the registry) once the user typed it.
    The stand-in keeps it in a JSON file readable by its owner only; obfuscated, not encrypted."""

    def __init__(self, path):
        self.path = pathlib.Path(path) if path else None
        self._memory = {}

    def _load(self):
        if self.path and self.path.exists():
            return json.loads(self.path.read_text())
        return {"apps": {}}

    def get(self, app):
        if app in self._memory:
            return self._memory[app]
        stored = self._load()["apps"].get(app, {}).get("password")
        return base64.b64decode(stored).decode("utf-8") if stored else None

    def set(self, app, password):
        self._memory[app] = password
        if not self.path:
            return
        data = self._load()
        data["apps"].setdefault(app, {})["password"] = base64.b64encode(password.encode("utf-8")).decode("ascii")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)


# -- the Web Connector ---------------------------------------------------------------------------------

class WebConnector:
    def __init__(self, qwc, quickbooks, password=None, *, state_path=None, soap_timeout=100.0,
                 noop_delay=NOOP_DELAY, version=VERSION, allow_http=False, accept_warnings=True,
                 connection_retries=2, log_path=None, sleep=time.sleep, max_message_sets=MAX_MESSAGE_SETS):
        self.qwc = qwc if hasattr(qwc, "app_url") else load_qwc(qwc, allow_http=allow_http)
        self.quickbooks = quickbooks_for(quickbooks)
        self.passwords = PasswordStore(state_path)
        if password is not None:
            self.passwords.set(self.qwc.app_name, password)
        self.soap_timeout = soap_timeout
        self.noop_delay = noop_delay
        self.version = version
        self.accept_warnings = accept_warnings
        self.connection_retries = connection_retries
        self.log_path = pathlib.Path(log_path) if log_path else None
        self.sleep = sleep
        self.max_message_sets = max_message_sets
        self.lock = threading.Lock()          # "Update session locked": one session at a time
        self.results = []
        self.every_min_seconds = None

    def set_password(self, password):
        self.passwords.set(self.qwc.app_name, password)

    # -- logging ---------------------------------------------------------------------------------------

    def _log(self, result, where, text):
        line = f"{time.strftime('%Y%m%d.%H:%M:%S', time.gmtime())} UTC\t: QBWebConnector.{where} : {text}"
        result.log.append(line)
        if self.log_path:
            with self.log_path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    # -- one session -----------------------------------------------------------------------------------

    def update_selected(self):
        """One session now, as the user's "Update Selected" button (or the scheduler) starts it."""
        with self.lock:
            result = SessionResult(self.qwc.app_name)
            self._log(result, "RegistryManager.setUpdateLock()", "********************* Update session locked "
                                                                   "*********************")
            try:
                self._session(result)
            except _Stop:
                pass
            except MachineDown as down:
                result.status = "Crashed"
                result.message = f"The machine went down during the update ({down})."
                self._log(result, "SOAPWebService.do_update()", result.message)
            finally:
                if result.qb_ticket is not None:
                    self.quickbooks.end_session(result.qb_ticket)
                result.ended = time.time()
                self._log(result, "RegistryManager.setUpdateLock()", "********************* Update session "
                                                                       "unlocked *********************")
                self.results.append(result)
            return result

    def _call(self, client, result, method, params, phase):
        """One SOAP call; a failure ends the session with QBWC's message for that phase."""
        shown = [(name, "<hidden>" if name == "strPassword" else value) for name, value in params]
        try:
            answer = client.call(method, params)
        except SoapError as exc:
            result.calls.append({"method": method, "params": _short(shown), "error": str(exc)})
            self._log(result, f"SOAPWebService.do_{method}()", f"Exception: {exc}")
            if method == "serverVersion" and isinstance(exc, SoapFault):
                return None
            result.fail(_phase_message(phase, method, str(exc)))
            self._log(result, f"SOAPWebService.do_{method}()", result.message.replace("\n", " "))
            raise _Stop() from exc
        return answer

    def _session(self, result):
        qwc = self.qwc
        password = self.passwords.get(qwc.app_name)
        self._log(result, "SOAPWebService.instantiateWebService()", f"AppName: {qwc.app_name}")
        self._log(result, "SOAPWebService.instantiateWebService()", f"AppURL: {qwc.app_url}")
        if not password:
            result.fail("Password is blank: enter the password for this application in the Web Connector.")
            raise _Stop()
        client = SoapClient(qwc.app_url, timeout=self.soap_timeout)

        self._log(result, "SOAPWebService.do_serverVersion()", "*** Calling serverVersion().")
        answer = self._call(client, result, "serverVersion", [], "auth")
        server_version = soap.text_of(answer)
        if answer is not None:
            result.calls.append({"method": "serverVersion", "result": server_version})
        self._log(result, "SOAPWebService.do_serverVersion()",
                  f'Received from serverVersion() following parameter:<serverVersionRet="{server_version or ""}">')

        self._log(result, "SOAPWebService.do_clientVersion()",
                  f'*** Calling clientVersion() with following parameter:<productVersion="{self.version}">')
        answer = self._call(client, result, "clientVersion", [("strVersion", self.version)], "auth")
        verdict = soap.text_of(answer) or ""
        result.calls.append({"method": "clientVersion", "result": verdict})
        self._log(result, "SOAPWebService.do_clientVersion()",
                  f'Received from clientVersion() following parameter:<clientVersionRet="{verdict}">')
        if verdict[:2].upper() == "W:":
            result.warnings.append(verdict[2:])
            if not self.accept_warnings:
                result.fail(verdict[2:])
                raise _Stop()
        elif verdict[:2].upper() == "E:":
            result.fail(verdict[2:])
            raise _Stop()
        elif verdict[:2].upper() == "O:":
            result.fail(f"This application requires QuickBooks Web Connector version {verdict[2:]} or later; "
                        f"this one is {self.version}.")
            raise _Stop()

        self._log(result, "SOAPWebService.do_authenticate()",
                  f'Authenticating to application \'{qwc.app_name}\', username = \'{qwc.user_name}\'')
        answer = self._call(client, result, "authenticate", [("strUserName", qwc.user_name),
                                                              ("strPassword", password)], "auth")
        values = soap.strings_of(answer)
        if values is None or len(values) < 2:
            result.calls.append({"method": "authenticate", "error": "fewer than two strings"})
            result.fail(_phase_message("auth", "authenticate", "Index was outside the bounds of the array."))
            raise _Stop()
        ticket, what = values[0], values[1]
        result.ticket = ticket
        result.calls.append({"method": "authenticate", "result": [ticket, what, *values[2:]]})
        shown = "".join(f'<authRet[{i}]="{v}">' for i, v in enumerate(values))
        self._log(result, "SOAPWebService.do_authenticate()", f"Received from authenticate() following "
                                                               f"parameters:{shown}")
        postpone = _seconds(values[2]) if len(values) > 2 else None
        every_min = _seconds(values[3]) if len(values) > 3 else None
        if every_min:
            result.every_min_seconds = every_min
            self.every_min_seconds = every_min
        lowered = what.strip().lower()
        if lowered in ("nvu", "none", "busy"):
            result.status = {"nvu": "Error", "none": "Ok", "busy": "Postponed"}[lowered]
            result.message = {"nvu": "Authentication failed", "none": "No data exchange required",
                              "busy": "The application is busy. The update will be tried again later."}[lowered]
            if lowered == "busy" and postpone:
                result.postpone_seconds = postpone
            self._close(client, result, ticket, keep_status=True)
            raise _Stop()
        if postpone:
            result.status = "Postponed"
            result.postpone_seconds = postpone
            result.message = "Update postponed by application"
            raise _Stop()

        qb, company_file = self._open(client, result, ticket, what)
        result.company_file = company_file
        result.qb_ticket = qb["ticket"]
        versions = qb["versions"]
        major, minor = versions[-1].split(".")
        hcp = self._hcp(result, qb["ticket"], versions[-1])
        first = True
        while True:
            self._log(result, "SOAPWebService.do_sendRequestXML()", f'wcTicket="{ticket}"')
            params = [("ticket", ticket), ("strHCPResponse", hcp if first else ""),
                      ("strCompanyFileName", company_file), ("qbXMLCountry", qb["country"]),
                      ("qbXMLMajorVers", major), ("qbXMLMinorVers", minor)]
            answer = self._call(client, result, "sendRequestXML", params, "send")
            request = soap.text_of(answer)
            first = False
            if request is None:
                result.calls.append({"method": "sendRequestXML", "result": None})
                result.fail(_phase_message("send", "sendRequestXML",
                                           "Object reference not set to an instance of an object."))
                raise _Stop()
            result.calls.append({"method": "sendRequestXML", "result": _short(request)})
            if request == "":
                last = self._last_error(client, result, ticket)
                if last == "NoOp":
                    self.sleep(self.noop_delay)
                    continue
                if last.strip().lower() == "interactive mode":
                    result.fail("Interactive mode is not supported by this Web Connector stand-in.")
                elif last:
                    result.fail(last)
                self._close(client, result, ticket, keep_status=bool(last))
                return
            if result.message_sets >= self.max_message_sets:
                result.fail(f"The stand-in stopped after {self.max_message_sets} message sets.")
                raise _Stop()
            result.message_sets += 1
            hresult = message = ""
            try:
                response = self.quickbooks.process_request(qb["ticket"], request)
            except QBError as error:
                response, hresult, message = "", error.hresult, error.message
                result.qb_errors.append({"hresult": hresult, "message": message})
                self._log(result, "RequestProcessor.ProcessRequest()", f"{hresult}: {message}")
            params = [("ticket", ticket), ("response", response), ("hresult", hresult), ("message", message)]
            answer = self._call(client, result, "receiveResponseXML", params, "receive")
            try:
                percent = soap.int_of(answer)
            except SoapError as exc:
                result.calls.append({"method": "receiveResponseXML", "error": str(exc)})
                result.fail(_phase_message("receive", "receiveResponseXML", str(exc)))
                raise _Stop() from exc
            result.calls.append({"method": "receiveResponseXML", "result": percent})
            self._log(result, "SOAPWebService.do_receiveResponseXML()",
                      f'Received from receiveResponseXML() following parameter:<retVal="{percent}">')
            if percent < 0:
                last = self._last_error(client, result, ticket)
                result.fail(last or "QBWC1031: Update completed with some error. See QBWCLog for details.")
                self._close(client, result, ticket, keep_status=True)
                return
            result.progress = min(percent, 100)
            if percent >= 100:
                self._close(client, result, ticket)
                return

    def _open(self, client, result, ticket, what):
        """BeginSession on the file authenticate named; connectionError on failure."""
        path = what
        for attempt in range(self.connection_retries + 1):
            try:
                qb = self.quickbooks.begin_session(path, self.qwc.app_name, self.qwc.app_id, self.qwc.is_read_only)
                self._log(result, "RequestProcessor.BeginSession()", f"Opened company file {qb['company_file']}")
                return qb, qb["company_file"]
            except QBError as error:
                result.qb_errors.append({"hresult": error.hresult, "message": error.message})
                self._log(result, "RequestProcessor.BeginSession()", f"{error.hresult}: {error.message}")
                answer = self._call(client, result, "connectionError",
                                    [("ticket", ticket), ("hresult", error.hresult), ("message", error.message)],
                                    "other")
                reply = soap.text_of(answer)
                result.calls.append({"method": "connectionError", "result": reply})
                if reply is None or reply.strip().lower() == "done" or attempt == self.connection_retries:
                    result.fail(error.message)
                    self._close(client, result, ticket, keep_status=True)
                    raise _Stop() from error
                path = reply
        raise _Stop()  # pragma: no cover - the loop always returns or stops

    def _hcp(self, result, qb_ticket, version):
        """HostQuery, CompanyQuery and PreferencesQuery, and the FileID stamp on first contact."""
        owner = self.qwc.owner_id
        request = (f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">'
                   '<HostQueryRq requestID="0"/>'
                   f'<CompanyQueryRq requestID="1"><OwnerID>{owner}</OwnerID></CompanyQueryRq>'
                   '<PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>')
        hcp = self.quickbooks.process_request(qb_ticket, request, internal=True)
        if f"<DataExtName>{FILE_ID_NAME}</DataExtName>" not in hcp:
            stamp = (f'<?xml version="1.0"?><?qbxml version="{version}"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
                     f'<DataExtAddRq requestID="0"><DataExtAdd><OwnerID>{owner}</OwnerID>'
                     f'<DataExtName>{FILE_ID_NAME}</DataExtName><OtherDataExtType>Company</OtherDataExtType>'
                     f'<DataExtValue>{self.qwc.file_id}</DataExtValue></DataExtAdd></DataExtAddRq>'
                     '</QBXMLMsgsRq></QBXML>')
            self.quickbooks.process_request(qb_ticket, stamp, internal=True)
            self._log(result, "RequestProcessor.ProcessRequest()", f"Stamped FileID {self.qwc.file_id} into the "
                                                                   "company file")
        elif f"<DataExtValue>{self.qwc.file_id}</DataExtValue>" not in hcp:
            self._log(result, "RequestProcessor.ProcessRequest()", "The company file carries another FileID for "
                                                                   "this OwnerID")
        return hcp

    def _last_error(self, client, result, ticket):
        answer = self._call(client, result, "getLastError", [("ticket", ticket)], "other")
        last = soap.text_of(answer) or ""
        result.calls.append({"method": "getLastError", "result": last})
        self._log(result, "SOAPWebService.do_getLastError()", f'Received from getLastError() following '
                                                               f'parameter:<getLastErrorRet="{last}">')
        return last

    def _close(self, client, result, ticket, keep_status=False):
        answer = self._call(client, result, "closeConnection", [("ticket", ticket)], "other")
        text = soap.text_of(answer) or ""
        result.calls.append({"method": "closeConnection", "result": text})
        self._log(result, "SOAPWebService.do_closeConnection()",
                  f'Received from closeConnection() following parameter:<closeConnectionRet="{text}">')
        if not keep_status:
            result.status = "Ok"
            result.message = text or "Ok"

    # -- the scheduler ---------------------------------------------------------------------------------

    def run(self, every_seconds=None, sessions=None, stop=None, on_result=None):
        """Auto-Run: a session now, then every ``every_seconds`` (else the .qwc's Scheduler), until
        ``stop`` is set or ``sessions`` sessions ran.  Without any schedule: one session."""
        stop = stop or threading.Event()
        interval = every_seconds or self.qwc.scheduler_seconds
        done = 0
        while not stop.is_set():
            result = self.update_selected()
            done += 1
            if on_result:
                on_result(result)
            if interval is None or (sessions is not None and done >= sessions):
                return
            wait = max(interval, self.every_min_seconds or 0)
            if result.postpone_seconds:
                wait = result.postpone_seconds
            stop.wait(wait)


def _seconds(text):
    try:
        value = int(str(text).strip())
    except ValueError:
        return None
    return value if value > 0 else None


def _short(value, limit=2000):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _phase_message(phase, method, detail):
    if phase == "auth":
        return f"QBWC1012: Authentication failed due to following error message.\n{detail}"
    if phase == "receive":
        return f"QBWC1042: ReceiveResponseXML failed\nError message: {detail}"
    if phase == "send":
        return f"SendRequestXML failed\nError message: {detail}"
    return f"{method[0].upper()}{method[1:]} failed\nError message: {detail}"
