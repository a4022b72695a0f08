"""The WSGI application: routing, faults, response headers."""

import contextlib
import json
import logging
import socket
import uuid

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import api, attachments, control, faults, oauth, realms, webview, xmlout
from .clock import Clock, iso_time
from .faultinject import FaultInjector
from .limits import Limits
from .realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from .store import Store
from .webhooks import Webhooks

_logger = logging.getLogger(__name__)

DEFAULT_FIXTURES = ("us",)
FIXTURES_VERSION = 4


class Emulator:
    """A QuickBooks Online stand-in.  ``Emulator(path)`` is a WSGI application."""

    def __init__(self, db_path, *, control_enabled=False, clock=None, access_token_ttl=oauth.ACCESS_TOKEN_TTL,
                 default_fixtures=DEFAULT_FIXTURES, realm_id=None, limits=None,
                 refresh_rotation="window", refresh_window=oauth.REFRESH_TOKEN_WINDOW):
        self.store = Store(db_path)
        self.clock = clock or Clock()
        self.limits = limits or Limits()
        self.faults = FaultInjector()
        self.webhooks = Webhooks(self)
        self.control_enabled = control_enabled
        self.access_token_ttl = access_token_ttl
        self.refresh_rotation = {}
        self.configure_refresh_rotation(mode=refresh_rotation, window=refresh_window)
        self._default_rotation = dict(self.refresh_rotation)
        self.default_fixtures = default_fixtures
        self.default_realm = realm_id
        self.url_map = Map([
            Rule("/", endpoint="index", methods=["GET"]),
            Rule("/.well-known/openid_configuration", endpoint="discovery_production", strict_slashes=False),
            Rule("/.well-known/openid_sandbox_configuration", endpoint="discovery_sandbox", strict_slashes=False),
            Rule("/connect/oauth2", endpoint="authorize", methods=["GET", "POST"]),
            Rule("/oauth2/v1/tokens/bearer", endpoint="token", methods=["POST"]),
            Rule("/v2/oauth2/tokens/revoke", endpoint="revoke", methods=["POST"]),
            Rule("/v1/openid_connect/userinfo", endpoint="userinfo", methods=["GET"]),
            Rule("/op/v1/jwks", endpoint="jwks", methods=["GET"]),
            Rule("/v3/company/<realm_id>/<path:path>", endpoint="api", methods=["GET", "POST"]),
            Rule("/_emulator/<path:path>", endpoint="control", methods=["GET", "POST", "DELETE"]),
            Rule("/_files/<realm_id>/<attachable_id>", endpoint="file", methods=["GET"]),
            Rule("/app", endpoint="webview", methods=["GET"], defaults={"page": ""}),
            Rule("/app/<path:page>", endpoint="webview", methods=["GET"]),
        ], strict_slashes=False)
        self.seed_defaults(realm_id)
        self.upgrade_companies()

    # -- set-up ---------------------------------------------------------------------------

    def seed_defaults(self, realm_id=None):
        """An empty database gets the demo app and the default sandbox companies."""
        now = self.clock.now()
        with self.store.write() as db:
            if realms.get_app(db, DEFAULT_CLIENT_ID) is None:
                realms.ensure_app(db, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            if not realms.list_realms(db):
                for index, fixture in enumerate(self.default_fixtures):
                    realms.seed_realm(db, self.store, fixture, now, realm_id=realm_id if index == 0 else None,
                                      emulator=self)

    def upgrade_companies(self):
        """Companies seeded by an older emulator (part 1 held only CompanyInfo and Preferences)
        get the lists their fixture has since gained, so an existing ``make run`` database
        keeps working."""
        with self.store.write() as db:
            if self.store.get_meta(db, "fixtures_version", 1) >= FIXTURES_VERSION:
                return
            for company in realms.list_realms(db):
                if company["fixture"] in realms.fixture_names():
                    realms.top_up(db, self.store, company["realm_id"], company["fixture"], self.clock.now(), self)
            self.store.set_meta(db, "fixtures_version", FIXTURES_VERSION)

    def ensure_realm(self, realm_id, fixture="us"):
        with self.store.write() as db:
            if not realms.realm_exists(db, realm_id):
                realms.seed_realm(db, self.store, fixture, self.clock.now(), realm_id=realm_id, emulator=self)

    def configure_refresh_rotation(self, mode=None, window=None):
        """``mode``: ``"window"`` (Intuit: one value for ``window`` seconds, 24 h by default)
        or ``"always"`` (a new value on every refresh)."""
        mode = self.refresh_rotation.get("mode", "window") if mode is None else mode
        window = self.refresh_rotation.get("window", oauth.REFRESH_TOKEN_WINDOW) if window is None else window
        if mode not in oauth.ROTATION_MODES:
            raise ValueError(f"mode must be one of {', '.join(oauth.ROTATION_MODES)}")
        if isinstance(window, bool) or not isinstance(window, (int, float)) or window < 0:
            raise ValueError("window must be a number of seconds >= 0")
        self.refresh_rotation = {"mode": mode, "window": window}
        return dict(self.refresh_rotation)

    def register_token(self, realm_id, token, client_id=DEFAULT_CLIENT_ID):
        with self.store.write() as db:
            oauth.register_static_token(db, client_id, realm_id, token, self.clock.now())

    def reset(self):
        with self.store.write() as db:
            for table in ("objects", "sequences", "idempotency", "counters", "tokens", "grants",
                          "auth_codes", "realms", "apps", "webhook_events", "webhook_deliveries", "files"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            db.execute("DELETE FROM meta WHERE key NOT IN ('schema_version', 'fixtures_version')")
        self.clock.set_offset(0)
        self.faults.clear()
        self.configure_refresh_rotation(**self._default_rotation)
        self.webhooks.reset()
        self.seed_defaults()

    # -- helpers used by the handlers -------------------------------------------------------

    @staticmethod
    def base_url(request):
        return request.host_url.rstrip("/")

    def count(self, realm_id, *names):
        """Bump the counters ``/_emulator/stats`` reports (benchmarks read them)."""
        with self.store.write() as db:
            for name in names:
                self.store.bump(db, realm_id, name)

    # -- WSGI -------------------------------------------------------------------------------

    def dispatch(self, request):
        adapter = self.url_map.bind_to_environ(request.environ)
        endpoint, values = adapter.match()
        if endpoint == "index":
            return self.index(request)
        if endpoint == "discovery_production":
            return oauth.discovery(self, request, sandbox=False)
        if endpoint == "discovery_sandbox":
            return oauth.discovery(self, request, sandbox=True)
        if endpoint == "api":
            return api.dispatch(self, request, values["realm_id"], values["path"])
        if endpoint == "control":
            return control.dispatch(self, request, values["path"])
        if endpoint == "file":
            return attachments.serve_file(self, request, values["realm_id"], values["attachable_id"])
        if endpoint == "webview":
            return webview.dispatch(self, request, values["page"])
        return getattr(oauth, endpoint)(self, request)

    def fault_response(self, fault, as_xml=False):
        time_text = iso_time(self.clock.now())
        if as_xml:
            response = Response(fault.to_xml(time_text), status=fault.status, content_type="application/xml")
        else:
            response = Response(json.dumps(fault.to_json(time_text)), status=fault.status,
                                content_type="application/json;charset=UTF-8")
        for name, value in fault.headers.items():
            response.headers[name] = value
        return response

    def wsgi_app(self, environ, start_response):
        request = Request(environ)
        as_xml = request.path.startswith("/v3/") and xmlout.wants_xml(request)
        try:
            response = self.dispatch(request)
            if as_xml and response.mimetype == "application/json":
                kept = [h for h in response.headers if h[0].lower() not in ("content-type", "content-length")]
                response = Response(xmlout.from_json(response.get_data(as_text=True)), status=response.status,
                                    headers=kept, content_type="application/xml;charset=UTF-8")
        except api.DropConnection:
            return self._drop(environ)
        except faults.QBOFault as fault:
            response = self.fault_response(fault, as_xml=as_xml or getattr(fault, "as_xml", False))
        except HTTPException as exc:
            if exc.code == 404 and not request.path.startswith(("/v3/", "/_emulator/")):
                response = exc.get_response(environ)
            else:
                response = self.fault_response(faults.not_found(request.path) if exc.code == 404 else
                                               faults.unsupported_operation(f"{request.method} {request.path}"),
                                               as_xml=as_xml)
        except Exception:
            _logger.exception("emulator error on %s %s", request.method, request.path)
            response = self.fault_response(faults.application_error(), as_xml=as_xml)
        response.headers["intuit_tid"] = uuid.uuid4().hex
        return response(environ, start_response)

    def __call__(self, environ, start_response):
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _drop(environ):
        """Close the client's connection without answering (fault injection).  The server
        sees a dropped connection and logs nothing; the client sees a connection error."""
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("connection dropped on purpose (fault injection)")

    def index(self, request):
        base = self.base_url(request)
        with self.store.read() as db:
            companies = realms.list_realms(db)
        rows = "".join(
            f"<li><strong>{c['company_name']}</strong> realm {c['realm_id']} ({c['environment']}, {c['country']})</li>"
            for c in companies
        )
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>QuickBooks Online emulator</title></head>"
            "<body style='font-family:system-ui,sans-serif;max-width:760px;margin:40px auto'>"
            "<h1>QuickBooks Online emulator</h1>"
            f"<p>Discovery document: <code>{base}/.well-known/openid_sandbox_configuration</code><br>"
            f"API base: <code>{base}/v3</code><br>Demo client id: <code>{DEFAULT_CLIENT_ID}</code>"
            + (f"<br>Company view: <a href='{base}/app'>{base}/app</a>" if self.control_enabled else "")
            + "</p>"
            f"<h2>Companies</h2><ul>{rows}</ul></body></html>"
        )
        return Response(body, content_type="text/html; charset=utf-8")
