"""The company file over HTTP: the request processor for Web Connectors in other processes, the
control interface for tests, demos and benchmarks, and an index page.

QuickBooks' request processor is a COM server on the QuickBooks PC; the Web Connector calls it
in-process.  Here a Web Connector in another process reaches it over loopback HTTP with one JSON
call per request-processor method (BeginSession, ProcessRequest, EndSession); a failure comes back
as the HRESULT and message the COM call would raise.  This wire format is the stand-in's own; the
SOAP side (Web Connector <-> web service) is the real one.
"""

import html
import json
import logging

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import control
from .status import MachineDown, QBError

_logger = logging.getLogger(__name__)


def _json(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json")


class QuickBooksApp:
    """WSGI application around a CompanyFile."""

    def __init__(self, company_file, control_enabled=False):
        self.qb = company_file
        self.control_enabled = control_enabled
        self.url_map = Map([
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/qbxmlrp/<method>", endpoint="processor", methods=["POST"]),
            Rule("/_qbd/<path:path>", endpoint="control", methods=["GET", "POST", "DELETE"]),
        ], strict_slashes=False)

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            adapter = self.url_map.bind_to_environ(environ)
            endpoint, values = adapter.match()
            if endpoint == "index":
                response = self.index()
            elif endpoint == "processor":
                response = self.processor(request, values["method"])
            else:
                if not self.control_enabled:
                    raise NotFound()
                response = control.dispatch(self.qb, request, values["path"])
        except HTTPException as exc:
            response = exc.get_response(environ)
        except Exception:
            _logger.exception("company file error on %s %s", request.method, request.path)
            response = _json({"error": "internal error in the stand-in (see its log)"}, status=500)
        return response(environ, start_response)

    def processor(self, request, method):
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError:
            return _json({"error": "expected a JSON body"}, status=400)
        try:
            if method == "BeginSession":
                session = self.qb.begin_session(body.get("company_file", ""), body.get("app_name", ""),
                                                body.get("app_id", ""), bool(body.get("read_only")))
                return _json({"ticket": session.ticket, "company_file": session.company,
                              "versions": session.versions, "country": session.country})
            if method == "ProcessRequest":
                return _json({"response": self.qb.process_request(body.get("ticket", ""), body.get("request", ""),
                                                                  internal=bool(body.get("internal")))})
            if method == "EndSession":
                self.qb.end_session(body.get("ticket", ""))
                return _json({"ok": True})
        except QBError as error:
            return _json({"hresult": error.hresult, "message": error.message})
        except MachineDown as down:
            return _json({"machine_down": True, "message": str(down)})
        raise NotFound()

    def index(self):
        rows = "".join(
            f"<li><strong>{html.escape(c['company_name'])}</strong> <code>{html.escape(c['path'])}</code>"
            f"{' (open in QuickBooks)' if c['open'] else ''}</li>" for c in self.qb.companies())
        body = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>QuickBooks Desktop stand-in</title></head>"
                "<body style='font-family:system-ui,sans-serif;max-width:760px;margin:40px auto'>"
                "<h1>QuickBooks Desktop stand-in</h1><p>Company files:</p>"
                f"<ul>{rows}</ul><p>Run a Web Connector against it: <code>python -m qbd_emulator webconnector "
                "--qwc FILE --password P --quickbooks URL</code></p></body></html>")
        return Response(body, content_type="text/html; charset=utf-8")
