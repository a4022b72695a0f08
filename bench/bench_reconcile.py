"""The reconciliation report's cost: 2,000 invoices (500 customers, 200 items) and their 2,000
payments, synced to the emulator, then reconciled for their period in a fresh Odoo process.

Figures: seconds (Odoo and QuickBooks together, limits off: ``reconcile_2k_s``), HTTP requests
to QuickBooks (``reconcile_2k_http``) and query pages read (``reconcile_2k_pages``).  Target
(issue 9): no more than one query page per 1,000 objects of each kind, no per-record read; the
reconciliation must find no difference.
"""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_reconcile"


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "reconcile_worker.py", emulator.url)
    finally:
        emulator.stop()
        drop_database(DATABASE)
