"""Changes from QuickBooks (issue 14): 1,000 payments entered in QuickBooks for 1,000 invoices
Odoo sent, brought back by change data capture and registered, reconciled, in Odoo; then a
burst of 200 signed webhook notifications against a running Odoo server.

Figures: ``pull_ms_per_payment``, ``pull_sql_per_payment``, ``pull_http_per_payment`` (requests
to QuickBooks per payment: reads are metered, at most 0.01, no per-object read) and
``webhook_ack_ms_p95`` (the 95th percentile of the time Odoo takes to answer a notification, at
most 1,000 ms; Intuit waits 3 s).
"""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_pull"


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "pull_worker.py", emulator.url)
    finally:
        emulator.stop()
        drop_database(DATABASE)
