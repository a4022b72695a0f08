"""The company file's clock.

QuickBooks Desktop stamps ``TimeCreated``/``TimeModified`` in the local time of the PC it runs on,
with its UTC offset (``2015-11-04T14:39:03-08:00``, consolibyte#92), reads ``FromModifiedDate``
without an offset as that local time (jsgoupil/quickbooks-sync#19), and uses the Unix time of an
edit as the ``EditSequence`` (consolibyte#92).  Tests move this clock through the control API
without touching the caller's.  The PC's zone is a fixed offset (no daylight saving).
"""

import threading
import time
from datetime import date, datetime, timedelta, timezone

DEFAULT_OFFSET = "-08:00"


def parse_offset(text):
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


class Clock:
    def __init__(self, offset=0.0):
        self._offset = float(offset)
        self._lock = threading.Lock()

    def now(self):
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


def stamp(epoch, tz):
    """``2015-11-04T14:39:03-08:00``: seconds, no fraction, the PC's offset."""
    return datetime.fromtimestamp(int(epoch), tz=tz).isoformat(timespec="seconds")


def local_date(epoch, tz):
    return datetime.fromtimestamp(epoch, tz=tz).date()


def parse_datetime(text, tz):
    """A qbXML DATETIMETYPE (``2015-03-30T15:06:31-04:00``, no offset = the PC's local time, a bare
    date = its midnight) as epoch seconds, or ValueError."""
    value = text.strip()
    if not value:
        raise ValueError("empty")
    if len(value) <= 10:
        parsed = datetime.combine(date.fromisoformat(_pad_date(value)), datetime.min.time())
    else:
        head, _, rest = value.partition("T")
        parsed = datetime.fromisoformat(f"{_pad_date(head)}T{rest}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.timestamp()


def parse_date(text):
    """A qbXML DATETYPE (``2024-05-01``; QuickBooks also reads ``2024-5-1``) or ValueError."""
    return date.fromisoformat(_pad_date(text.strip()))


def _pad_date(text):
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
