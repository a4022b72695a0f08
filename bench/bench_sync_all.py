"""Sync everything now (issue 18): queueing 20,000 posted invoices, with their 500 customers and
100 products, in one click: seconds and SQL statements (``sync_all_queue_20k_s``,
``sync_all_queue_20k_sql``; the statements must not grow with the number of records), and the
preview's (``sync_all_preview_20k_s``, ``sync_all_preview_20k_sql``).  Creating the 20,000 invoices
takes most of the run and is not measured."""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_sync_all"
INVOICES = 20000


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "sync_all_worker.py", emulator.url, INVOICES)
    finally:
        emulator.stop()
        drop_database(DATABASE)
