"""Test helpers: the bundled emulator in a child process on a free loopback port, and a base
class that gives each test class its own Intuit app and QuickBooks company in it."""

import contextlib
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import uuid

import requests

from odoo.tests import TransactionCase
from odoo.tools import config

ADDON_ROOT = pathlib.Path(__file__).resolve().parent.parent


class EmulatorProcess:
    """``python -m qbo_emulator --port 0 --control`` in a child process.  Each test class
    starts its own and stops it in its class clean-up (Odoo's test case terminates child
    processes left behind at the end of a class)."""

    @classmethod
    def start_for(cls, test_class):
        emulator = cls()
        test_class.addClassCleanup(emulator.stop)
        return emulator

    def __init__(self):
        self.directory = tempfile.TemporaryDirectory(prefix="qbo_emulator_")
        self.process = subprocess.Popen(
            # QuickBooks' throttling is off here (tests fire bursts a real client would pace);
            # the tests of rate limiting switch it on through the control API.
            [sys.executable, "-m", "qbo_emulator", "--port", "0", "--control", "--no-limits",
             "--db", str(pathlib.Path(self.directory.name) / "state.sqlite3")],
            cwd=ADDON_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        first_line = self.process.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)", first_line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the emulator did not start: {first_line}{self.process.stdout.read()}")
        self.url = f"http://{match.group(1)}:{match.group(2)}"
        # Keep reading its output so that the pipe never fills up and blocks it.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        self.directory.cleanup()

    def control(self, method, path, **payload):
        response = requests.request(method, f"{self.url}/_emulator/{path}", json=payload or None, timeout=30)
        response.raise_for_status()
        return response.json()

    def new_realm(self, company_name=None, fixture="us"):
        return self.control("POST", "realms", fixture=fixture, company_name=company_name,
                            realm_id=str(9130000000000000 + uuid.uuid4().int % 10**15))["realm_id"]

    def register_app(self, environment="development", redirect_uris=("*",)):
        client_id = "AB" + uuid.uuid4().hex
        secret = uuid.uuid4().hex
        self.control("POST", "apps", client_id=client_id, client_secret=secret, name="Odoo test app",
                     environment=environment, redirect_uris=list(redirect_uris))
        return client_id, secret

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
