"""Push engine throughput: 2,000 invoices with their 500 customers and 200 items.

(a) QuickBooks' limits off: Odoo-side milliseconds, SQL queries, HTTP requests and QuickBooks
    reads per invoice (``push_ms_per_invoice``, ``push_sql_per_invoice``,
    ``push_http_per_invoice``, ``push_reads_per_invoice``);
(b) QuickBooks' real limits on (500 writes a minute, batch items included; 40 batch requests a
    minute; 10 requests a second): invoices per minute and the ratio to the best those limits
    allow (``push_limited_per_min``, ``push_limited_ratio``).  The best: no minute-long span
    may hold more than 500 operations, so 2,700 of them cannot finish before 5 minutes
    (60 x (ceil(2700 / 500) - 1) seconds); the ratio is that over the time it took.

Targets (issue 5): <= 0.2 HTTP requests and <= 40 SQL queries per invoice, no reads on the
happy path, >= 90 % of the limit-bound rate.  It runs in a throwaway database, against the
emulator in a subprocess; (b) takes as long as the limits make it (about six minutes).
"""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_push"


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "push_worker.py", emulator.url)
    finally:
        emulator.stop()
        drop_database(DATABASE)
