#!/usr/bin/env python3
"""``make soak``: the fault soak of issue 8, bounded to a few minutes.

300 posted invoices and 100 payments (one in ten with 1.00 written off), and 30 credit notes
applied to unpaid invoices (for 40 customers and 10 products QuickBooks does not have yet) are
queued in a throwaway database; two queue workers (separate processes, as two
Odoo servers or cron threads would be) send them to the emulator while a quarter of the
requests meet a fault picked at random (429 and XML 429, 500, 503, an answer held past the
client's timeout, a connection dropped before or after QuickBooks committed the write), and
one worker is killed (SIGKILL) twice and started again.  When the queue is empty:

* ``soak_duplicates``: objects QuickBooks holds beyond one per Odoo record (invoices and credit
  memos by DocNumber, payments, credit applications and write-off credit memos by Odoo's
  marker, customers by name, and "<name> - 2" twins);
* ``soak_lost``: Odoo records QuickBooks does not have;
* ``soak_state_mismatches``: records whose state or QuickBooks id says otherwise;
* ``soak_balance_mismatches``: invoices and credit notes whose QuickBooks total or balance
  differs from Odoo's.

All must be 0; they are printed and merged into bench/results.json.

    .venv/bin/python bench/soak.py --odoo-src ~/.cache/odoo/19.0 [--invoices 300 --payments 100]
"""

import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

BENCH = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from benchlib import ROOT, Emulator, create_database, drop_database, run_in_odoo  # noqa: E402
from run import merge  # noqa: E402

DATABASE = "qbsync_soak"
FAULTS = ["429", "429_xml", "500", "503", "timeout", "drop", "drop_after_commit"]


def start_worker(ctx, config, emulator, seconds, number):
    """A queue worker in a process of its own; its log goes to .build/soak-worker-<n>.log."""
    log = (ROOT / ".build" / f"soak-worker-{number}.log").open("a")
    return subprocess.Popen(
        [ctx["python"], str(BENCH / "soak_worker.py"), str(config), DATABASE, emulator.url, "work", str(seconds)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--payments", type=int, default=100)
    parser.add_argument("--rate", type=float, default=0.25, help="share of requests meeting a fault")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    ctx = {"odoo_src": pathlib.Path(args.odoo_src), "python": sys.executable}

    started = time.monotonic()
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    workers = []
    try:
        emulator.control("POST", "limits", enabled=True)  # QuickBooks' own limits, as in production
        made = run_in_odoo(ctx, config, DATABASE, "soak_worker.py", emulator.url, "setup",
                           args.invoices, args.payments)
        print(f"==> {made['invoices']} invoices, {made['payments']} payments and {made['credit_notes']} credit notes "
              "queued", flush=True)
        realm_id = emulator.control("GET", "realms")["realms"][0]["realm_id"]
        emulator.control("POST", "faults", realm_id=realm_id, fault=FAULTS, rate=args.rate, count=1_000_000,
                         delay=6)
        soak_started = time.monotonic()
        for number in (1, 2):
            (ROOT / ".build" / f"soak-worker-{number}.log").unlink(missing_ok=True)
        workers = [start_worker(ctx, config, emulator, 600, 1), start_worker(ctx, config, emulator, 600, 2)]
        kills = 0
        for at in (20, 50):
            while time.monotonic() - soak_started < at and workers[0].poll() is None:
                time.sleep(0.5)
            if workers[0].poll() is None:
                kill(workers[0])
                kills += 1
                print(f"==> worker killed at {time.monotonic() - soak_started:.0f} s; started again", flush=True)
                workers[0] = start_worker(ctx, config, emulator, 600, 1)
        for worker in workers:
            worker.wait(900)
        soak_seconds = time.monotonic() - soak_started
        fired = sum(rule["fired"] for rule in emulator.control("GET", "faults")["faults"])
        emulator.control("DELETE", f"faults?realm_id={realm_id}")
        counters = emulator.control("GET", f"stats?realm_id={realm_id}")["counters"]
        figures = run_in_odoo(ctx, config, DATABASE, "soak_worker.py", emulator.url, "verify")
    finally:
        for worker in workers:
            if worker.poll() is None:
                kill(worker)
        emulator.stop()
        if not args.keep_db:
            drop_database(DATABASE)

    for problem in figures.get("problems", []):
        print(f"    {problem}")
    results = {
        "soak_duplicates": figures["duplicates"],
        "soak_lost": figures["lost"],
        "soak_state_mismatches": figures["state_mismatches"],
        "soak_balance_mismatches": figures["balance_mismatches"],
        "soak_records": figures["records"],
        "soak_faults_injected": fired,
        "soak_requests": counters.get("api.requests", 0),
        "soak_worker_kills": kills,
        "soak_seconds": round(soak_seconds, 1),
    }
    print(f"==> {fired} faults injected in {counters.get('api.requests', 0)} requests; "
          f"{kills} worker kills; drained in {soak_seconds:.0f} s (total {time.monotonic() - started:.0f} s)")
    print(json.dumps(results, indent=2))
    merge(results)
    bad = figures["duplicates"] or figures["lost"] or figures["state_mismatches"] or figures["balance_mismatches"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
