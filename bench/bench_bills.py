"""Vendor bills to QuickBooks: 2,000 bills of 500 vendors, each with account-based lines
(mapped expense accounts) and item-based lines (200 products), QuickBooks' limits off.

Figures: Odoo-side milliseconds, SQL queries and HTTP requests per bill (``bill_ms_per_doc``,
``bill_sql_per_doc``, ``bill_http_per_doc``; target at most 0.2 requests a bill: creates go 30
to a batch request, vendors and items first).  It runs in a throwaway database, against the
emulator in a subprocess.
"""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_bills"


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "bills_worker.py", emulator.url)
    finally:
        emulator.stop()
        drop_database(DATABASE)
