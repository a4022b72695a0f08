"""The emulator served over real HTTP on a free loopback port, for the fidelity suite."""

import re
import threading
import time
import urllib.parse
import uuid

import pytest
import requests
from werkzeug.serving import make_server

from qbo_emulator import Emulator
from qbo_emulator.limits import Limits


class RunningEmulator:
    def __init__(self, tmp_path, limits=None):
        # Throttling is on in QuickBooks, but most tests fire requests faster than 10 per
        # second; test_limits.py turns it back on for its own realms.
        self.app = Emulator(str(tmp_path / "emulator.sqlite3"), control_enabled=True,
                            limits=limits or Limits(enabled=False))
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # -- the control API ------------------------------------------------------------------------

    def control(self, method, path, **payload):
        response = requests.request(method, f"{self.url}/_emulator/{path}", json=payload or None, timeout=10)
        response.raise_for_status()
        return response.json()

    def new_realm(self, company_name=None, fixture="us"):
        realm_id = str(9130000000000000 + uuid.uuid4().int % 10**15)
        return self.control("POST", "realms", fixture=fixture, realm_id=realm_id, company_name=company_name)["realm_id"]

    def new_app(self, environment="development", redirect_uris=("*",)):
        client_id, secret = "AB" + uuid.uuid4().hex, uuid.uuid4().hex
        self.control("POST", "apps", client_id=client_id, client_secret=secret, environment=environment,
                     redirect_uris=list(redirect_uris), name="Fidelity test app")
        return client_id, secret

    def tokens(self, realm_id, **extra):
        return self.control("POST", "tokens", realm_id=realm_id, **extra)

    def counters(self, realm_id):
        return self.control("GET", f"stats?realm_id={realm_id}")["counters"]

    def api(self, method, realm_id, path, token=None, **kwargs):
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        timeout = kwargs.pop("timeout", 10)
        return requests.request(method, f"{self.url}/v3/company/{realm_id}/{path}", headers=headers,
                                timeout=timeout, **kwargs)

    def consent(self, authorize_url, realm_id, decision="approve"):
        """Submit the consent form as a browser would; returns the redirect Location."""
        page = requests.get(authorize_url, timeout=10)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
        import html  # noqa: PLC0415

        fields = {k: html.unescape(v) for k, v in fields.items()}
        fields.update(decision=decision, realm_id=realm_id)
        answer = requests.post(authorize_url, data=fields, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"], page.text


class Company:
    """A realm with a token: ``company.get("invoice/5")``, ``company.post("invoice", {...})``."""

    def __init__(self, emulator, realm_id, token):
        self.emulator = emulator
        self.realm = realm_id
        self.token = token

    def request(self, method, path, **kwargs):
        return self.emulator.api(method, self.realm, path, token=self.token, **kwargs)

    def get(self, path, **params):
        return self.request("GET", path, params={"minorversion": 75, **params})

    def post(self, path, payload, **params):
        return self.request("POST", path, json=payload, params={"minorversion": 75, **params})

    def query(self, text):
        return self.request("POST", "query", data=text, params={"minorversion": 75},
                            headers={"Content-Type": "application/text"})

    def rows(self, text):
        answer = self.query(text)
        assert answer.status_code == 200, answer.text
        lists = [value for value in answer.json()["QueryResponse"].values() if isinstance(value, list)]
        return lists[0] if lists else []

    def create(self, entity, payload, **params):
        answer = self.post(entity.lower(), payload, **params)
        assert answer.status_code == 200, answer.text
        return answer.json()[entity]

    def read(self, entity, object_id):
        answer = self.get(f"{entity.lower()}/{object_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()[entity]

    def counters(self):
        return self.emulator.counters(self.realm)

    def objects(self, entity, include_deleted=False):
        return self.emulator.control(
            "GET", f"objects?realm_id={self.realm}&entity={entity}&include_deleted={int(include_deleted)}")["objects"]

    def preferences(self, patch):
        return self.emulator.control("POST", "preferences", realm_id=self.realm, patch=patch)


def fault_of(answer):
    """The first error of a capitalised QuickBooks fault body."""
    body = answer.json()
    return body["Fault"]["Error"][0]


def library_client(emulator, realm, token):
    """python-quickbooks pointed at the emulator through its documented URL attribute."""
    import warnings  # noqa: PLC0415

    from quickbooks import QuickBooks  # noqa: PLC0415

    class Session:
        def __init__(self):
            self.access_token = token
            self._http = requests.Session()

        def request(self, *args, **kwargs):
            return self._http.request(*args, **kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = QuickBooks(company_id=realm, minorversion=75)
    client.api_url_v3 = f"{emulator.url}/v3"
    client.session = Session()
    return client


def query_of(url):
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(url).query).items()}


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    running = RunningEmulator(tmp_path_factory.mktemp("emulator"))
    yield running
    running.stop()


@pytest.fixture
def realm(emulator):
    return emulator.new_realm(company_name=f"Fidelity Books {uuid.uuid4().hex[:6]}")


@pytest.fixture
def company(emulator):
    """A fresh US sandbox company and an access token for it."""
    realm_id = emulator.new_realm(company_name=f"Fidelity Books {uuid.uuid4().hex[:6]}")
    return Company(emulator, realm_id, emulator.tokens(realm_id)["access_token"])


@pytest.fixture
def canada(emulator):
    """A fresh Canadian sandbox company (GST/HST codes per line)."""
    realm_id = emulator.new_realm(company_name=f"Fidelity Canada {uuid.uuid4().hex[:6]}", fixture="ca")
    return Company(emulator, realm_id, emulator.tokens(realm_id)["access_token"])


@pytest.fixture
def qb(emulator, company):
    """python-quickbooks client for ``company``."""
    return library_client(emulator, company.realm, company.token)


@pytest.fixture
def clock(emulator):
    """Move the emulator's clock; put it back afterwards."""
    yield lambda seconds: emulator.control("POST", "clock", advance=seconds)
    emulator.control("POST", "clock", offset=0)


class WebhookReceiver:
    """An HTTP endpoint that records what it is sent and answers with the statuses queued in
    ``answers`` (200 once they run out)."""

    def __init__(self):
        import http.server  # noqa: PLC0415

        receiver = self
        self.received = []
        self.answers = []
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.received.append({"body": body, "headers": {k.lower(): v for k, v in self.headers.items()},
                                              "status": status,
                                              "at": time.monotonic()})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} deliveries, got {len(self.received)}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver(emulator):
    receiver = WebhookReceiver()
    yield receiver
    emulator.control("DELETE", "webhooks")
    receiver.stop()
