#!/usr/bin/env python3
"""The pull fault soak of issue 14 (``make soak`` runs it after the push soak).

500 invoices are pushed to the emulator; then 500 payments are entered in QuickBooks (one in
four partial), 25 at a time, while the webhook notifications reach Odoo through a relay that
drops (15 %), duplicates (25 %), delays (up to 4 s) and so reorders them; Odoo's webhook
endpoint is a real Odoo server; Odoo's incoming worker (apply the queued changes, change data
capture every 8 s as the safety net for what is dropped) is a process of its own, killed
(SIGKILL) three times mid-run and started again.  When QuickBooks and Odoo are quiet:

* ``pull_soak_lost``: QuickBooks payments Odoo did not register;
* ``pull_soak_duplicates``: QuickBooks payments registered more than once in Odoo;
* ``pull_soak_wrong_amounts``: registered payments whose amount is not QuickBooks';
* ``pull_soak_balance_mismatches``: invoices whose amount due differs from QuickBooks' Balance
  (or whose payments differ), as the reconciliation report (sync/reconcile.py) finds them.

All must be 0; they are printed and merged into bench/results.json.

    .venv/bin/python bench/pull_soak.py --odoo-src ~/.cache/odoo/19.0 [--payments 500]
"""

import argparse
import http.server
import json
import os
import pathlib
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import requests

BENCH = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from benchlib import ROOT, Emulator, create_database, drop_database, run_in_odoo  # noqa: E402
from run import merge  # noqa: E402

DATABASE = "qbsync_pull_soak"
WEBHOOK_PATH = "/quickbooks/webhook"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """Between QuickBooks (the emulator) and Odoo: answers QuickBooks at once, then drops,
    duplicates and delays (so reorders) what it forwards to Odoo, signature untouched."""

    def __init__(self, target, drop=0.15, duplicate=0.25, max_delay=4.0, seed=14):
        self.target = target
        self.drop, self.duplicate, self.max_delay = drop, duplicate, max_delay
        self.random = random.Random(seed)  # noqa: S311 - faults, not secrets
        self.counts = {"received": 0, "dropped": 0, "forwarded": 0, "duplicated": 0, "failed": 0}
        self.lock = threading.Lock()
        relay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                relay.receive(body, self.headers.get("intuit-signature", ""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    def receive(self, body, signature):
        with self.lock:
            self.counts["received"] += 1
            if self.random.random() < self.drop:
                self.counts["dropped"] += 1
                return
            copies = 2 if self.random.random() < self.duplicate else 1
            self.counts["duplicated"] += copies - 1
            delays = [self.random.uniform(0, self.max_delay) for _copy in range(copies)]
        for delay in delays:
            threading.Timer(delay, self.forward, (body, signature)).start()

    def forward(self, body, signature):
        try:
            answer = requests.post(self.target, data=body, timeout=30, headers={
                "Content-Type": "application/json", "intuit-signature": signature})
            ok = answer.status_code == 200
        except requests.RequestException:
            ok = False
        with self.lock:
            self.counts["forwarded" if ok else "failed"] += 1

    def stop(self):
        self.server.shutdown()


def start_worker(ctx, config, emulator, seconds, number):
    log = (ROOT / ".build" / f"pull-soak-worker-{number}.log").open("a")
    return subprocess.Popen(
        [ctx["python"], str(BENCH / "pull_soak_worker.py"), str(config), DATABASE, emulator.url, "work",
         str(seconds)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def start_server(ctx, config, port):
    log = (ROOT / ".build" / "pull-soak-server.log").open("a")
    return subprocess.Popen(
        [ctx["python"], str(pathlib.Path(ctx["odoo_src"]) / "odoo-bin"), "-c", str(config), "-d", DATABASE,
         "--http-port", str(port), "--http-interface", "127.0.0.1", "--max-cron-threads", "0",
         "--log-level=warn"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--payments", type=int, default=500)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    ctx = {"odoo_src": pathlib.Path(args.odoo_src), "python": sys.executable}
    os.environ["QBSYNC_BENCH_SCALE"] = str(args.payments / 1000)  # pull_worker.create_invoices' count

    started = time.monotonic()
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    processes = []
    relay = None
    try:
        made = run_in_odoo(ctx, config, DATABASE, "pull_soak_worker.py", emulator.url, "setup", args.payments)
        print(f"==> {made['invoices']} invoices pushed in {time.monotonic() - started:.0f} s", flush=True)
        port = free_port()
        server = start_server(ctx, config, port)
        processes.append(server)
        for _attempt in range(240):
            try:
                if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        relay = Relay(f"http://127.0.0.1:{port}{WEBHOOK_PATH}")
        emulator.control("POST", "webhooks", enabled=True, url=relay.url, verifier_token=made["token"],
                         window=0.2, retry_scale=0.05, realm_ids=[made["realm"]], entities=["Payment", "Invoice"])
        for number in (1,):
            (ROOT / ".build" / f"pull-soak-worker-{number}.log").unlink(missing_ok=True)
        worker = start_worker(ctx, config, emulator, 900, 1)
        processes.append(worker)
        soak_started = time.monotonic()
        kills = 0
        kill_at = [12.0, 30.0, 50.0]
        payments = made["payments"]
        for start in range(0, len(payments), 25):
            emulator.control("POST", f"realms/{made['realm']}/objects", objects={"Payment": payments[start:start + 25]})
            time.sleep(1.0)
            if kill_at and time.monotonic() - soak_started >= kill_at[0]:
                kill_at.pop(0)
                kill(worker)
                kills += 1
                print(f"==> incoming worker killed at {time.monotonic() - soak_started:.0f} s; started again",
                      flush=True)
                worker = start_worker(ctx, config, emulator, 900, 1)
                processes.append(worker)
        entered = time.monotonic() - soak_started
        print(f"==> {len(payments)} payments entered in QuickBooks in {entered:.0f} s", flush=True)
        while kill_at:  # the kills the entering did not reach happen while Odoo catches up
            time.sleep(max(0.0, kill_at.pop(0) - (time.monotonic() - soak_started)))
            kill(worker)
            kills += 1
            worker = start_worker(ctx, config, emulator, 900, 1)
            processes.append(worker)
        # Quiet: the relay's late copies are delivered, then the worker drains the queue and
        # change data capture (every 8 s) brings what was dropped.
        figures = {}
        for _round in range(60):
            time.sleep(10)
            figures = run_in_odoo(ctx, config, DATABASE, "pull_soak_worker.py", emulator.url, "verify")
            print(f"    {figures['registered']} of {figures['qbo_payments']} registered, {figures['pending']} "
                  f"job(s) waiting", flush=True)
            if figures["registered"] >= len(payments) and not figures["pending"]:
                break
        time.sleep(10)  # one more change data capture run: nothing may move any more
        figures = run_in_odoo(ctx, config, DATABASE, "pull_soak_worker.py", emulator.url, "verify")
        soak_seconds = time.monotonic() - soak_started
    finally:
        for process in processes:
            kill(process)
        if relay:
            relay.stop()
        emulator.stop()
        if not args.keep_db:
            drop_database(DATABASE)

    for problem in figures.get("problems", []):
        print(f"    {problem}")
    results = {
        "pull_soak_payments": figures["qbo_payments"],
        "pull_soak_lost": figures["lost"],
        "pull_soak_duplicates": figures["duplicates"],
        "pull_soak_wrong_amounts": figures["wrong_amount"],
        "pull_soak_balance_mismatches": figures["balance_mismatches"] + figures["payment_mismatches"],
        "pull_soak_invoices_compared": figures["invoices_compared"],
        "pull_soak_notifications": relay.counts["received"],
        "pull_soak_notifications_dropped": relay.counts["dropped"],
        "pull_soak_notifications_duplicated": relay.counts["duplicated"],
        "pull_soak_worker_kills": kills,
        "pull_soak_seconds": round(soak_seconds, 1),
    }
    print(f"==> jobs {figures['jobs']}, by {figures['sources']}; total {time.monotonic() - started:.0f} s")
    print(json.dumps(results, indent=2))
    merge(results)
    bad = (figures["lost"] or figures["duplicates"] or figures["wrong_amount"] or figures["balance_mismatches"]
           or figures["payment_mismatches"] or figures["qbo_payments"] != len(payments))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
