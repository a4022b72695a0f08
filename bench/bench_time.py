"""Timesheets to QuickBooks: 10,000 timesheet entries (50 employees, 100 projects and their
customers) sent as time activities.

(a) QuickBooks' limits off: Odoo-side milliseconds, SQL queries and HTTP requests per entry
    (``time_ms_per_entry``, ``time_sql_per_entry``, ``time_http_per_entry``);
(b) QuickBooks' real limits on (500 writes a minute, batch items included; 40 batch requests a
    minute; 10 requests a second): the ratio of the best time those limits allow to the time
    taken (``time_limited_ratio``, target >= 0.9).  At 500 writes a minute, 10,000 entries take
    twenty minutes at best; ``QBSYNC_BENCH_TIME_LIMITED=<n>`` sends only ``n`` of them in (b).
"""

from benchlib import Emulator, create_database, drop_database, run_in_odoo

DATABASE = "qbsync_bench_time"


def run(ctx):
    config = create_database(ctx, DATABASE)
    emulator = Emulator(ctx["python"])
    try:
        return run_in_odoo(ctx, config, DATABASE, "time_worker.py", emulator.url)
    finally:
        emulator.stop()
        drop_database(DATABASE)
