"""Throttling, as https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
and https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features state it:

* 500 requests per minute per realm ID, every operation of a batch counted like a call
  (the limits page: "each batch item is metered as a single API call");
* 10 requests per second per realm ID and app;
* 40 batch requests per minute per realm ID and app, and 120 per realm ID across apps;
* beyond a limit: HTTP 429, Fault code 3001 ``ThrottleExceeded``; "wait 60 seconds before
  retrying".  The body sometimes comes back as XML even to ``Accept: application/json``
  (python-quickbooks#83): here every ``xml_every``-th throttled answer of a realm is XML;
* requests that run longer than 120 seconds time out.

Tests and benchmarks switch the limits off, or scale them: ``scale`` multiplies the counts
(at least 1 remains), ``time_scale`` shortens the windows and the 120-second cap.
Windows slide over the process's monotonic clock (moving the emulator's business clock
does not reset them).
"""

import collections
import threading
import time

from . import faults

DEFAULTS = {
    "per_minute": 500,
    "per_second": 10,
    "batch_per_minute": 40,
    "batch_per_minute_realm": 120,
    "request_cap_seconds": 120,
}


class Limits:
    def __init__(self, enabled=True, scale=1.0, time_scale=1.0, xml_every=4):
        self._lock = threading.Lock()
        self._windows = collections.defaultdict(collections.deque)
        self._throttled = collections.Counter()
        self.enabled = enabled
        self.scale = float(scale)
        self.time_scale = float(time_scale)
        self.xml_every = int(xml_every)
        self.overrides = {}

    def configure(self, enabled=None, scale=None, time_scale=None, xml_every=None, **overrides):
        with self._lock:
            if enabled is not None:
                self.enabled = bool(enabled)
            if scale is not None:
                self.scale = float(scale)
            if time_scale is not None:
                self.time_scale = float(time_scale)
            if xml_every is not None:
                self.xml_every = int(xml_every)
            for key, value in overrides.items():
                if key not in DEFAULTS:
                    raise ValueError(f"unknown limit {key!r} (known: {', '.join(DEFAULTS)})")
                if value is None:
                    self.overrides.pop(key, None)
                else:
                    self.overrides[key] = value
            self._windows.clear()
        return self.snapshot()

    def value(self, name):
        if name in self.overrides:
            return self.overrides[name]
        if name == "request_cap_seconds":
            return DEFAULTS[name] * self.time_scale
        return max(1, round(DEFAULTS[name] * self.scale))

    def snapshot(self):
        return {
            "enabled": self.enabled,
            "scale": self.scale,
            "time_scale": self.time_scale,
            "xml_every": self.xml_every,
            **{name: self.value(name) for name in DEFAULTS},
        }

    @property
    def request_cap(self):
        return self.value("request_cap_seconds")

    def check(self, realm_id, client_id, batch=False, weight=1):
        """Count one request (``weight``: the operations of a batch, each metered like a call
        against the per-minute limit); raise the throttle fault if it is over a limit."""
        if not self.enabled:
            return
        now = time.monotonic()
        minute, second = 60 * self.time_scale, 1 * self.time_scale
        windows = [(("minute", realm_id), minute, self.value("per_minute"), max(int(weight), 1)),
                   (("second", realm_id, client_id), second, self.value("per_second"), 1)]
        if batch:
            windows.append((("batch", realm_id, client_id), minute, self.value("batch_per_minute"), 1))
            windows.append((("batch-realm", realm_id), minute, self.value("batch_per_minute_realm"), 1))
        with self._lock:
            for key, span, limit, count in windows:
                window = self._windows[key]
                while window and window[0] <= now - span:
                    window.popleft()
                if len(window) + count > limit:
                    self._throttled[realm_id] += 1
                    fault = faults.throttled()
                    if self.xml_every and self._throttled[realm_id] % self.xml_every == 0:
                        fault.as_xml = True
                    raise fault
            for key, _span, _limit, count in windows:
                self._windows[key].extend([now] * count)
