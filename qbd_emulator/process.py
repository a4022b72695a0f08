"""The company file and the Web Connector as child processes, on free loopback ports, with state of
their own: how the addon's tests and the benchmarks get a private QuickBooks Desktop.

    quickbooks = CompanyFileProcess()                      # python -m qbd_emulator quickbooks --port 0 --control
    connector = WebConnectorProcess(qwc_text, "secret", quickbooks.url)
    result = connector.update_selected()                   # one session, its result as a dict
    quickbooks.count("Invoice", ref_number="INV-1")        # {"count": 1, "ids": [...]}
    quickbooks.control("POST", "faults", kind="response_lost", match={"request": "InvoiceAdd"})
"""

import json
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse

import requests

PACKAGE_PARENT = pathlib.Path(__file__).resolve().parent.parent


class _Child:
    banner = re.compile(r"http://([\d.]+):(\d+)")
    control_timeout = 60

    def _start(self, args, python):
        self.process = subprocess.Popen([python, "-m", "qbd_emulator", *args], cwd=PACKAGE_PARENT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        first_line = self.process.stdout.readline()
        match = self.banner.search(first_line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the stand-in did not start: {first_line}{self.process.stdout.read()}")
        self.url = f"http://{match.group(1)}:{match.group(2)}"
        self.output = []
        # Keep reading its output so that the pipe never fills up and blocks it.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.directory.cleanup()


class CompanyFileProcess(_Child):
    """``python -m qbd_emulator quickbooks --port 0 --control``: ``url`` is where it listens; the
    default company file (Bayside Home Services) is open in QuickBooks."""

    def __init__(self, *args, python=sys.executable):
        self.directory = tempfile.TemporaryDirectory(prefix="qbd_company_")
        self.db = str(pathlib.Path(self.directory.name) / "company.sqlite3")
        self._start(["quickbooks", "--port", "0", "--control", "--db", self.db, *args], python)

    def control(self, method, path, **payload):
        response = requests.request(method, f"{self.url}/_qbd/{path}", json=payload or None,
                                    timeout=self.control_timeout)
        response.raise_for_status()
        return response.json()

    def count(self, kind, company=None, **filters):
        query = urllib.parse.urlencode({"kind": kind, **({"company": company} if company else {}), **filters})
        return self.control("GET", f"count?{query}")

    def objects(self, kind, company=None, include_deleted=False):
        query = urllib.parse.urlencode({"kind": kind, "include_deleted": int(include_deleted),
                                        **({"company": company} if company else {})})
        return self.control("GET", f"objects?{query}")["objects"]

    def qbxml(self, request, company=None):
        """Run a qbXML message set directly (as the SDK's test tool does)."""
        return self.control("POST", "qbxml", request=request, company=company or "")

    def inject(self, kind, **options):
        return self.control("POST", "faults", kind=kind, **options)


class WebConnectorProcess(_Child):
    """``python -m qbd_emulator webconnector --qwc FILE --password P --quickbooks URL --control-port 0``.

    ``qwc`` is the .qwc text (or a path); sessions run when ``update_selected()`` asks (QBWC's
    "Update Selected"), or every ``every`` ("2m", "30s") when given."""

    def __init__(self, qwc, password, quickbooks_url, *args, every=None, python=sys.executable,
                 soap_timeout=None, noop_delay=None):
        self.directory = tempfile.TemporaryDirectory(prefix="qbd_webconnector_")
        folder = pathlib.Path(self.directory.name)
        qwc_path = pathlib.Path(qwc) if not str(qwc).lstrip().startswith("<") else None
        if qwc_path is None:
            qwc_path = folder / "app.qwc"
            qwc_path.write_text(qwc, encoding="utf-8")
        options = ["webconnector", "--qwc", str(qwc_path), "--quickbooks", quickbooks_url, "--control-port", "0",
                   "--state", str(folder / "state.json"), "--log", str(folder / "QWCLog.txt"), "--json"]
        if password is not None:
            options += ["--password", password]
        if every is not None:
            options += ["--every", str(every)]
        else:
            options += ["--no-auto-run"]
        if soap_timeout is not None:
            options += ["--soap-timeout", str(soap_timeout)]
        if noop_delay is not None:
            options += ["--noop-delay", str(noop_delay)]
        self.log_path = folder / "QWCLog.txt"
        self._start([*options, *args], python)

    def update_selected(self, timeout=600):
        response = requests.post(f"{self.url}/update", timeout=timeout)
        response.raise_for_status()
        return response.json()

    def sessions(self, since=0):
        return requests.get(f"{self.url}/sessions", params={"since": since}, timeout=30).json()["sessions"]

    def set_password(self, password):
        requests.post(f"{self.url}/password", json={"password": password}, timeout=30).raise_for_status()

    def log(self):
        return self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""


def session_results(lines):
    """The JSON session results a ``--json`` Web Connector printed."""
    return [json.loads(line) for line in lines if line.startswith("{")]
