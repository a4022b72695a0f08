"""QuickBooks' request limits, shared by every worker and every Odoo server (PostgreSQL).

Limits per realm (https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles):
10 requests per second, 500 per minute (each batch item counts), 40 batch requests per minute.
Each window is a *sliding* one, kept as a log of recent requests in ``quickbooks_rate_event``,
so no 60-second span ever holds more than the limit, whichever way QuickBooks aligns its own
windows.  An advisory lock per realm serialises the check-and-record step across workers; the
database clock is used so that several servers agree.
"""

import time

from odoo.sql_db import Cursor

# (window seconds, limit, what counts).  The per-minute figures stay a little under Intuit's
# (500 and 40): clocks and networks are not exact, and a 429 costs a whole minute.
DEFAULT_LIMITS = (
    (1.0, 10, "requests"),
    (60.0, 495, "weight"),
    (60.0, 39, "batches"),
)
ADVISORY_KEY = 727170  # namespace of our advisory locks
# QuickBooks starts its count when a request arrives, we when it leaves: wait this much longer
# than our own window says, or a request sent the instant ours frees up can meet a 429.
WINDOW_GUARD = 0.5


def parse_limits(text):
    """``"10/1,500/60,40/60:batches"`` -> limits; empty or "off" disables limiting."""
    text = (text or "").strip().lower()
    if not text:
        return DEFAULT_LIMITS
    if text in ("off", "0", "false", "none"):
        return ()
    limits = []
    for part in text.split(","):
        spec, _, kind = part.strip().partition(":")
        count, _, window = spec.partition("/")
        limits.append((float(window or 60), int(count), kind or ("requests" if float(window or 60) <= 1 else "weight")))
    return tuple(limits)


class RateLimiter:
    """``wait(weight, batch)`` blocks until one more request fits in every window, then
    records it.  Used as the API client's pacer."""

    def __init__(self, registry, realm_id, limits=DEFAULT_LIMITS, sleep=time.sleep):
        self.registry = registry
        self.realm_id = realm_id
        self.limits = limits
        self.sleep = sleep
        self.waited = 0.0

    def wait(self, weight=1, batch=False):
        if not self.limits:
            return 0.0
        waited = 0.0
        while True:
            delay = self._try_acquire(weight, batch)
            if delay <= 0:
                self.waited += waited
                return waited
            self.sleep(delay)
            waited += delay

    def room(self, batch=True):
        """How much weight one more request could carry right now (0: it would have to wait).
        The push engine sizes a batch to it rather than wait for a full window."""
        if not self.limits:
            return None
        with self.registry.cursor() as cr:
            _read_committed(cr)
            cr.execute("SELECT extract(epoch FROM clock_timestamp())")
            now = float(cr.fetchone()[0])
            room = None
            for window, limit, kind in self.limits:
                if kind == "batches" and not batch:
                    continue
                column = {"requests": "1", "weight": "weight", "batches": "CASE WHEN is_batch THEN 1 ELSE 0 END"}[kind]
                cr.execute(
                    f"SELECT COALESCE(SUM({column}), 0) FROM quickbooks_rate_event"  # noqa: S608
                    " WHERE realm_id = %s AND at > %s",
                    (self.realm_id, now - window),
                )
                free = limit - int(cr.fetchone()[0])
                if kind == "weight":
                    room = free if room is None else min(room, free)
                elif free <= 0:
                    return 0
            return max(room if room is not None else limit, 0)

    def _try_acquire(self, weight, batch):
        longest = max(window for window, _limit, _kind in self.limits)
        with self.registry.cursor() as cr:
            # The lock serialises the workers; READ COMMITTED lets the one that waited see (and
            # prune) what the others committed meanwhile instead of failing to serialise.
            _read_committed(cr)
            cr.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (ADVISORY_KEY, self.realm_id))
            cr.execute("SELECT extract(epoch FROM clock_timestamp())")
            now = float(cr.fetchone()[0])
            cr.execute("DELETE FROM quickbooks_rate_event WHERE realm_id = %s AND at < %s",
                       (self.realm_id, now - longest))
            delay = 0.0
            for window, limit, kind in self.limits:
                allowed = limit
                column = {"requests": "1", "weight": "weight", "batches": "CASE WHEN is_batch THEN 1 ELSE 0 END"}[kind]
                if kind == "batches" and not batch:
                    continue
                need = weight if kind == "weight" else 1
                cr.execute(
                    f"SELECT at, SUM({column}) OVER (ORDER BY at DESC) FROM quickbooks_rate_event"  # noqa: S608
                    " WHERE realm_id = %s AND at > %s ORDER BY at DESC",
                    (self.realm_id, now - window),
                )
                for at, running in cr.fetchall():
                    # Once the events newer than this one plus ours exceed the limit, ours
                    # must wait until this event leaves the window.
                    if running + need > allowed:
                        delay = max(delay, at + window - now + WINDOW_GUARD)
                        break
            if delay > 0:
                return delay
            cr.execute(
                "INSERT INTO quickbooks_rate_event (realm_id, at, weight, is_batch) VALUES (%s, %s, %s, %s)",
                (self.realm_id, now, weight, batch),
            )
        return 0.0


def _read_committed(cr):
    if isinstance(cr, Cursor):  # not the test cursor, which shares the test's transaction
        cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")


def minute_room(cr, realm_ids, limits=DEFAULT_LIMITS):
    """``{realm_id: weight}``: how many operations each company's longest window (QuickBooks'
    minute) can still take right now, from the shared log (one query).  The queue serves first
    the companies with room, so that no worker sleeps on one company's limit while another's
    work could go."""
    windows = [(window, limit) for window, limit, kind in limits if kind == "weight"]
    if not windows or not realm_ids:
        return dict.fromkeys(realm_ids)
    window, limit = max(windows)
    cr.execute(
        "SELECT realm_id, COALESCE(SUM(weight), 0) FROM quickbooks_rate_event"
        " WHERE realm_id IN %s AND at > extract(epoch FROM clock_timestamp()) - %s GROUP BY realm_id",
        (tuple(realm_ids), window),
    )
    used = dict(cr.fetchall())
    return {realm_id: max(limit - int(used.get(realm_id, 0)), 0) for realm_id in realm_ids}
