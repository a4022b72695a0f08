"""The emulator's clock.

QuickBooks decides token expiry, CDC look-back and closed books by *its* clock, not the
client's.  Tests and demos need to move that clock (``POST /_emulator/clock``) without
touching the caller's process, so every time the emulator reads goes through here.
"""

import threading
import time
from datetime import datetime, timedelta, timezone

# QuickBooks Online writes MetaData timestamps in the company's local time; sandbox
# companies are in Pacific time, which is what every sample in Intuit's docs shows.
PACIFIC = timezone(timedelta(hours=-8))


class Clock:
    def __init__(self, offset=0.0):
        self._offset = float(offset)
        self._lock = threading.Lock()

    def now(self):
        """Seconds since the epoch, shifted by the configured offset."""
        return time.time() + self._offset

    @property
    def offset(self):
        return self._offset

    def advance(self, seconds):
        with self._lock:
            self._offset += float(seconds)
            return self._offset

    def set_offset(self, seconds):
        with self._lock:
            self._offset = float(seconds)
            return self._offset


def iso_time(epoch):
    """``2026-11-22T01:02:03.456-08:00``: the form QuickBooks uses in MetaData and ``time``."""
    return datetime.fromtimestamp(epoch, tz=PACIFIC).isoformat(timespec="milliseconds")


def iso_date(epoch):
    return datetime.fromtimestamp(epoch, tz=PACIFIC).date().isoformat()


def parse_iso(text):
    """Parse the date-time forms clients send (CDC ``changedSince``, query filters):
    ``2015-12-23T09:00-07:00``, ``2015-12-23T09:00:00Z``, ``2015-12-23T09:00:00``
    (no offset: read as the company's Pacific time) or a bare date."""
    value = text.strip().strip("'")
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a date-time: {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PACIFIC)
    return parsed.timestamp()
