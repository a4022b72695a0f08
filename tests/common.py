"""Test helpers: the bundled emulator in a child process on a free loopback port, and a base
class that gives each test class its own Intuit app and QuickBooks company in it."""

import base64
import contextlib
import http.server
import json
import re
import threading
import urllib.parse
import uuid

import requests

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase
from odoo.tools import config

from ..qbo_emulator import process as qbo_emulator_process


class EmulatorProcess(qbo_emulator_process.EmulatorProcess):
    """The emulator in a child process, with what the tests ask of it.  Each test class
    starts its own and stops it in its class clean-up (Odoo's test case terminates child
    processes left behind at the end of a class)."""

    @classmethod
    def start_for(cls, test_class):
        emulator = cls()
        test_class.addClassCleanup(emulator.stop)
        return emulator

    def new_realm(self, company_name=None, fixture="us"):
        return self.control("POST", "realms", fixture=fixture, company_name=company_name,
                            realm_id=str(9130000000000000 + uuid.uuid4().int % 10**15))["realm_id"]

    def register_app(self, environment="development", redirect_uris=("*",)):
        client_id = "AB" + uuid.uuid4().hex
        secret = uuid.uuid4().hex
        self.control("POST", "apps", client_id=client_id, client_secret=secret, name="Odoo test app",
                     environment=environment, redirect_uris=list(redirect_uris))
        return client_id, secret

    def register_app_secret(self, client_id, secret, environment="development"):
        """What rotating the client secret on Intuit's developer site does."""
        self.control("POST", "apps", client_id=client_id, client_secret=secret, name="Odoo test app",
                     environment=environment, redirect_uris=["*"])

    def counters(self, realm_id):
        return self.control("GET", f"stats?realm_id={realm_id}")["counters"]

    def advance_clock(self, seconds):
        return self.control("POST", "clock", advance=seconds)

    def reset_clock(self):
        return self.control("POST", "clock", offset=0)

    def approve_consent(self, authorize_url, realm_id, decision="approve"):
        """What a person does on Intuit's consent page: pick the company, click Connect.
        Returns the callback URL the browser is sent back to."""
        page = requests.get(authorize_url, timeout=30)
        page.raise_for_status()
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
        fields = {name: _unescape(value) for name, value in fields.items()}
        fields.update(decision=decision, realm_id=realm_id)
        answer = requests.post(authorize_url, data=fields, allow_redirects=False, timeout=30)
        if answer.status_code != 302:
            raise AssertionError(f"consent page answered {answer.status_code}: {answer.text[:300]}")
        return answer.headers["Location"], page.text


class RecordingServer:
    """A server someone else runs: it answers like Intuit's discovery document (so that an
    OAuth client configured with its URL sends it its token requests), refuses every API call
    with 401 (so that a client tries to renew its token), and records every request it gets:
    what a stolen configuration would leak."""

    def __init__(self):
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                headers = dict(self.headers)
                scheme, _, value = headers.get("Authorization", "").partition(" ")
                if scheme.lower() == "basic":
                    # client_id:client_secret, as intuit-oauth sends them to a token endpoint
                    headers["Authorization (decoded)"] = base64.b64decode(value).decode("utf-8", "replace")
                server.requests.append({"method": self.command, "path": self.path, "headers": headers,
                                        "body": urllib.parse.unquote_plus(body)})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._record()
                if self.path.startswith("/.well-known/"):
                    base = server.url
                    return self._answer(200, {
                        "issuer": f"{base}/op/v1", "authorization_endpoint": f"{base}/connect/oauth2",
                        "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
                        "userinfo_endpoint": f"{base}/v1/openid_connect/userinfo",
                        "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke", "jwks_uri": f"{base}/op/v1/jwks",
                    })
                return self._answer(401, {"fault": {"error": [{"code": "3200", "message": "AuthenticationFailed"}]}})

            def do_POST(self):
                self._record()
                return self._answer(400, {"error": "invalid_grant"})

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def received(self, *secrets):
        """The recorded requests that carry any of ``secrets`` (in a header or the body)."""
        found = []
        for request in self.requests:
            text = json.dumps(request)
            if any(secret and secret in text for secret in secrets):
                found.append(request)
        return found


def _unescape(value):
    import html  # noqa: PLC0415

    return html.unescape(value)


def query_params(url):
    return {key: values[0] for key, values in urllib.parse.parse_qs(urllib.parse.urlparse(url).query).items()}


@contextlib.contextmanager
def encryption_key(value):
    """Run with another (or no) encryption key in the server configuration."""
    previous = config.get("quickbooks_encryption_key")
    config["quickbooks_encryption_key"] = value
    try:
        yield
    finally:
        config["quickbooks_encryption_key"] = previous


def connect_committed_company(test_class, realm_id, name, company_values=None, prepare=None):
    """For tests of separate transactions (row locks, SKIP LOCKED, commits): a company of its
    own, committed, that the admin user may use, connected to ``realm_id`` in the class's
    emulator through the real authorization round trip.  Sets ``company_id``,
    ``connection_id`` and ``admin_id`` on the class; a class clean-up removes the connection
    (its jobs, links and tokens go with it) and archives the company.  ``prepare(env,
    company)`` runs before connecting (e.g. to load a chart of accounts)."""
    client_id, client_secret = test_class.emulator.register_app()
    admin_id = test_class.env.ref("base.user_admin").id
    with test_class.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].create({"name": f"{name} {uuid.uuid4().hex[:8]}", **(company_values or {})})
        if prepare:
            prepare(env, company)
        env["res.users"].browse(admin_id).write({"company_ids": [Command.link(company.id)]})
        connection = company._quickbooks_connection().sudo()
        connection.write({"environment": "custom", "custom_url": test_class.emulator.url,
                          "client_id": client_id, "client_secret": client_secret})
        test_class.company_id, test_class.connection_id, test_class.admin_id = company.id, connection.id, admin_id
    test_class.addClassCleanup(_remove_committed_company, test_class)

    def as_admin(func):
        with test_class.registry.cursor() as cr:
            env = api.Environment(cr, admin_id, {"allowed_company_ids": [test_class.company_id]})
            return func(env["quickbooks.connection"].browse(test_class.connection_id), env)

    url = as_admin(lambda connection, _env: connection.action_connect()["url"])
    callback, _page = test_class.emulator.approve_consent(url, realm_id)
    params = query_params(callback)
    as_admin(lambda _connection, env: env["quickbooks.oauth.state"]._consume(params["state"])
             .connection_id._complete_authorization(params["code"], params["realmId"]))


def _remove_committed_company(test_class):
    with test_class.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["quickbooks.connection"].browse(test_class.connection_id).unlink()
        env["res.users"].browse(test_class.admin_id).write({"company_ids": [Command.unlink(test_class.company_id)]})
        env["res.company"].browse(test_class.company_id).active = False


class QuickBooksSetupMixin:
    """Gives the test class an Intuit app and a QuickBooks company in the emulator, and
    points the main company's connection at them."""

    @classmethod
    def setup_quickbooks(cls, company=None):
        cls.emulator = EmulatorProcess.start_for(cls)
        cls.client_id, cls.client_secret = cls.emulator.register_app()
        cls.qbo_company_name = f"Emulated Books {uuid.uuid4().hex[:6]}"
        cls.realm_id = cls.emulator.new_realm(company_name=cls.qbo_company_name)
        cls.company = company or cls.env.company
        cls.connection = cls.company._quickbooks_connection()
        cls.connection.sudo().write({
            "environment": "custom",
            "custom_url": cls.emulator.url,
            "client_id": cls.client_id,
            "client_secret": cls.client_secret,
        })

    def setUp(self):
        super().setUp()
        self._counters_at_start = self.emulator.counters(self.realm_id)

    def counted(self, name, realm_id=None):
        """How many times the emulator counted ``name`` for the realm during this test."""
        if realm_id and realm_id != self.realm_id:
            return self.emulator.counters(realm_id).get(name, 0)
        return self.emulator.counters(self.realm_id).get(name, 0) - self._counters_at_start.get(name, 0)

    def connect(self, connection=None, realm_id=None):
        """Go through the whole authorization (consent page included) without a browser."""
        return type(self).connect_class(connection, realm_id)

    @classmethod
    def connect_class(cls, connection=None, realm_id=None):
        connection = connection or cls.connection
        action = connection.action_connect()
        callback, _page = cls.emulator.approve_consent(action["url"], realm_id or cls.realm_id)
        params = query_params(callback)
        pending = cls.env["quickbooks.oauth.state"]._consume(params["state"])
        pending.connection_id._complete_authorization(params["code"], params["realmId"])
        return connection

    def credential(self, connection=None):
        """The connection's tokens as stored now.  The token manager writes them through a
        cursor of its own, so the test's cache is dropped (after flushing what it holds)."""
        connection = connection or self.connection
        self.env.invalidate_all()
        return self.env["quickbooks.credential"].sudo().search([("connection_id", "=", connection.id)])

    def raised(self, exception_class, func, *args, **kwargs):
        """The exception ``func`` raises.  Unlike Odoo's assertRaises, which rolls back to a
        savepoint, this keeps what was committed on the way (the token manager commits)."""
        try:
            func(*args, **kwargs)
        except exception_class as exc:
            return exc
        self.fail(f"{exception_class.__name__} not raised")

    def state_of(self, connection=None):
        connection = connection or self.connection
        self.env.invalidate_all()
        return connection.state


class QuickBooksCase(QuickBooksSetupMixin, TransactionCase):
    """A TransactionCase whose new cursors (the token manager's own transactions) share the
    test transaction, so that everything rolls back at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry_enter_test_mode_cls()
        cls.setup_quickbooks()
