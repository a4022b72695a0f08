"""QuickBooks Desktop sync through the Web Connector (issue 16): 2,000 invoices, with their 500
customers and 200 items, sent by the stand-in's Web Connector driving Odoo's SOAP service over
real HTTP (an Odoo server on a free port) against the stand-in's company file.

Figures: ``qbd_sessions`` (Web Connector sessions it took), ``qbd_soap_calls_per_invoice`` (every
SOAP call of those sessions over the invoices: at most 0.1, many requests per message set) and
``qbd_ms_per_invoice`` (time Odoo spent answering the sessions' calls, per invoice).
``QBSYNC_BENCH_SCALE=0.1`` runs a tenth of the work."""

import json
import os
import pathlib
import socket
import subprocess
import time

import requests
from benchlib import ROOT, create_database, drop_database, run_in_odoo

from qbd_emulator.process import CompanyFileProcess, WebConnectorProcess

DATABASE = "qbsync_bench_qbd_sync"
INVOICES = int(2000 * float(os.environ.get("QBSYNC_BENCH_SCALE", "1")))
MAX_SESSIONS = 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(ctx):
    config = create_database(ctx, DATABASE)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = quickbooks = connector = None
    try:
        seeded = run_in_odoo(ctx, config, DATABASE, "qbd_sync_worker.py", "seed", INVOICES, base)
        src = pathlib.Path(ctx["odoo_src"])
        server = subprocess.Popen([ctx["python"], str(src / "odoo-bin"), "-c", str(config), "-d", DATABASE,
                                   f"--http-port={port}", "--max-cron-threads=0", "--log-level=warn"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"{base}/quickbooks/qbwc", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(1)
        quickbooks = CompanyFileProcess(python=ctx["python"])
        connector = WebConnectorProcess(seeded["qwc"], seeded["password"], quickbooks.url, python=ctx["python"],
                                        soap_timeout=600)
        calls = sessions = 0
        started = time.time()
        while sessions < MAX_SESSIONS:
            result = connector.update_selected(timeout=3600)
            sessions += 1
            calls += len(result["calls"])
            if "No data exchange required" in result["message"] or result["status"] != "Ok":
                break
        wall = time.time() - started
        odoo = run_in_odoo(ctx, config, DATABASE, "qbd_sync_worker.py", "report")
        held = quickbooks.objects("Invoice")
        print(json.dumps({"wall_s": round(wall, 1), "quickbooks_invoices": len(held), **odoo}))
        return {
            "qbd_sessions": odoo["sessions"],
            "qbd_soap_calls_per_invoice": round(calls / INVOICES, 4),
            "qbd_ms_per_invoice": round(odoo["odoo_ms"] / INVOICES, 2),
            "qbd_invoices_synced": odoo["synced"],
        }
    finally:
        for child in (connector, quickbooks):
            if child is not None:
                child.stop()
        if server is not None:
            server.terminate()
            server.wait(30)
        drop_database(DATABASE)
