"""Fixtures for the QuickBooks Desktop stand-in's fidelity suite: a company file per test, qbXML
helpers, the company file over real HTTP, and a minimal QBWC web service the Web Connector drives."""

import threading
import uuid

import pytest
from lxml import etree
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from qbd_emulator import CompanyFile
from qbd_emulator.app import QuickBooksApp
from qbd_emulator.status import QBError

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "http://developer.intuit.com/"
OWNER_ID = "{6B063959-81B0-4622-85D6-F548C8CCB517}"
FILE_ID = "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"


def message_set(*requests, on_error="stopOnError", version="13.0"):
    body = "".join(requests)
    return (f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="{version}"?>'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}">{body}</QBXMLMsgsRq></QBXML>')


def rq(name, body="", request_id="1", **attrs):
    """``rq("CustomerAdd", "<Name>x</Name>")`` -> a CustomerAddRq wrapping a CustomerAdd aggregate;
    ``rq("CustomerQuery", "<MaxReturned>5</MaxReturned>")`` -> a query request (no aggregate)."""
    attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
    rid = f' requestID="{request_id}"' if request_id is not None else ""
    if name.endswith(("Add", "Mod")):
        return f"<{name}Rq{rid}{attributes}><{name}>{body}</{name}></{name}Rq>"
    return f"<{name}Rq{rid}{attributes}>{body}</{name}Rq>"


class Books:
    """A company file and one open session on it (iterators live in a session)."""

    def __init__(self, company_file):
        self.qb = company_file
        self.path = company_file.open_company()
        self.session = company_file.begin_session("", "Fidelity tests")

    def raw(self, *requests, on_error="stopOnError", version="13.0"):
        return self.qb.process_request(self.session.ticket, message_set(*requests, on_error=on_error,
                                                                          version=version))

    def send(self, *requests, **options):
        """The *Rs elements of the answer."""
        root = etree.fromstring(self.raw(*requests, **options).encode("utf-8"))
        return list(root.find("QBXMLMsgsRs"))

    def one(self, request, **options):
        (response,) = self.send(request, **options)
        return response

    def ok(self, request, **options):
        response = self.one(request, **options)
        assert response.get("statusCode") == "0", etree.tostring(response, encoding="unicode")
        return response

    def ret(self, request, **options):
        """The single *Ret of a successful answer."""
        response = self.ok(request, **options)
        return response[0]

    def refused(self, request, **options):
        """The HRESULT error QuickBooks raises instead of answering."""
        with pytest.raises(QBError) as caught:
            self.raw(request, **options)
        return caught.value

    def add_customer(self, name, extra=""):
        return self.ret(rq("CustomerAdd", f"<Name>{name}</Name>{extra}"))

    def objects(self, kind):
        return self.qb.objects(self.path, kind)


def text(element, path):
    found = element.find(path)
    return None if found is None else found.text


@pytest.fixture
def company_file(tmp_path):
    qb = CompanyFile(str(tmp_path / "company.sqlite3"))
    yield qb
    qb.store.close()


@pytest.fixture
def books(company_file):
    return Books(company_file)


class RunningCompanyFile:
    """The company file served over HTTP (request processor and control interface)."""

    def __init__(self, company_file):
        self.qb = company_file
        self.server = make_server("127.0.0.1", 0, QuickBooksApp(company_file, control_enabled=True), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def control(self, method, path, **payload):
        import requests  # noqa: PLC0415

        answer = requests.request(method, f"{self.url}/_qbd/{path}", json=payload or None, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served(company_file):
    running = RunningCompanyFile(company_file)
    yield running
    running.stop()


# -- a minimal QBWC web service ------------------------------------------------------------------------

class Raw:
    """Answer a call with exactly this body (for malformed answers)."""

    def __init__(self, body, status=200, content_type="text/xml; charset=utf-8"):
        self.body = body
        self.status = status
        self.content_type = content_type


class Fault(Exception):
    """Answer a call with a SOAP Fault (HTTP 500), as ASP.NET does for an exception."""


class WebService:
    """A web service that queues qbXML requests and answers the Web Connector by the book.
    Override any method by assigning ``service.answers[method] = callable(**params) | value``."""

    def __init__(self, requests=(), password="s3cret", user="odoo-test"):
        self.queue = list(requests)
        self.total = len(self.queue)
        self.password = password
        self.user = user
        self.calls = []
        self.received = []
        self.answers = {}
        self.tickets = set()
        self.http = []
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/qbwc"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def names(self):
        return [name for name, _params in self.calls]

    def params(self, method, index=0):
        return [params for name, params in self.calls if name == method][index]

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.http.append(dict(request.headers))
        root = etree.fromstring(request.get_data())
        call = root.find(f"{{{SOAP}}}Body")[0]
        method = etree.QName(call).localname
        params = {etree.QName(child).localname: child.text or "" for child in call}
        self.calls.append((method, params))
        try:
            answer = self.answers.get(method, getattr(self, method))
            result = answer(**params) if callable(answer) else answer
        except Fault as fault:
            body = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
                    f"<soap:Fault><faultcode>soap:Server</faultcode><faultstring>{fault}</faultstring>"
                    "</soap:Fault></soap:Body></soap:Envelope>")
            return Response(body, status=500, content_type="text/xml; charset=utf-8")(environ, start_response)
        if isinstance(result, Raw):
            return Response(result.body, status=result.status, content_type=result.content_type)(
                environ, start_response)
        if isinstance(result, list):
            inner = "".join(f"<string>{_escape(s)}</string>" if s else "<string />" for s in result)
        else:
            inner = _escape("" if result is None else str(result))
        body = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}" '
                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>'
                f'<{method}Response xmlns="{NS}"><{method}Result>{inner}</{method}Result></{method}Response>'
                "</soap:Body></soap:Envelope>")
        return Response(body, content_type="text/xml; charset=utf-8")(environ, start_response)

    # The service's logic, as the QBWC Programmer's Guide describes a web service's duties.
    def serverVersion(self):  # the method names are QBWC's
        return "1.0.0"

    def clientVersion(self, strVersion):
        return ""

    def authenticate(self, strUserName, strPassword):
        if strUserName != self.user or strPassword != self.password:
            return ["", "nvu"]
        ticket = str(uuid.uuid4())
        self.tickets.add(ticket)
        return [ticket, "" if self.queue else "none"]

    def sendRequestXML(self, ticket, strHCPResponse, strCompanyFileName, qbXMLCountry,
                       qbXMLMajorVers, qbXMLMinorVers):
        return self.queue[0] if self.queue else ""

    def receiveResponseXML(self, ticket, response, hresult, message):
        self.received.append({"response": response, "hresult": hresult, "message": message})
        if hresult:
            return -1
        self.queue.pop(0)
        if not self.queue:
            return 100
        return int(100 * (self.total - len(self.queue)) / self.total)

    def connectionError(self, ticket, hresult, message):
        return "done"

    def getLastError(self, ticket):
        return "QuickBooks could not process the request."

    def closeConnection(self, ticket):
        return f"Processed {self.total - len(self.queue)} requests"

    def qwc(self, **overrides):
        fields = {"AppName": "Fidelity web service", "AppID": "", "AppURL": self.url,
                  "AppDescription": "A web service written in the test", "AppSupport": self.url + "/support",
                  "UserName": self.user, "OwnerID": OWNER_ID, "FileID": FILE_ID, "QBType": "QBFS"}
        fields.update(overrides)
        inner = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items() if v is not None)
        return f'<?xml version="1.0"?><QBWCXML>{inner}</QBWCXML>'

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _escape(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture
def web_service():
    services = []

    def make(*requests, **options):
        service = WebService(requests, **options)
        services.append(service)
        return service

    yield make
    for service in services:
        service.stop()
