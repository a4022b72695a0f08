"""Faults on demand for the next N matching API requests (control API ``/_emulator/faults``).

Each rule matches on realm, HTTP method, entity (or ``query``, ``batch``, ``cdc``) and
operation (``create``, ``update``, ``delete``, ``void``, ``read``, ``query``, ``batch``,
``cdc``), and makes the emulator answer as QuickBooks (or the network) does when things go
wrong:

* ``500``, ``503``: server faults (SystemFault, code 10000);
* ``429``: throttled (Fault 3001); ``429_xml``: the same as an XML body;
* ``xml``: the request is served, but a fault it raises comes back as XML;
* ``timeout``: the request is served and committed, then the answer is held for ``delay``
  seconds (longer than the client waits; capped at the 120-second request limit, after
  which a 504 is sent);
* ``drop``: the connection is closed before anything is done;
* ``drop_after_commit``: the write is done and committed, then the connection is closed
  without an answer (the object exists; the client sees a connection error).

``"format": "xml"`` turns the 500/503/429 bodies into XML.

For soaks, a rule can fire at random: ``"rate": 0.25`` makes it hit one matching request in
four on average (the others pass untouched and do not use up ``count``), and ``"fault"`` may be
a list of kinds, one picked at random each time the rule fires.
"""

import copy
import itertools
import random
import threading

from . import faults

KINDS = ("500", "503", "429", "429_xml", "xml", "timeout", "drop", "drop_after_commit")


class Rule:
    _ids = itertools.count(1)

    def __init__(self, fault, count=1, realm_id=None, match=None, delay=None, fmt=None, rate=None):
        kinds = [str(kind) for kind in fault] if isinstance(fault, (list, tuple)) else [str(fault)]
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown or not kinds:
            raise ValueError(f"unknown fault {fault!r} (known: {', '.join(KINDS)})")
        self.id = next(self._ids)
        self.kinds = kinds
        self.fault = kinds[0]
        self.rate = float(rate) if rate is not None else 1.0
        if not 0 < self.rate <= 1:
            raise ValueError("rate must be in (0, 1]")
        self.remaining = int(count)
        self.realm_id = str(realm_id) if realm_id else None
        self.match = {k: str(v).lower() for k, v in (match or {}).items() if v is not None}
        unknown = set(self.match) - {"method", "entity", "operation", "path"}
        if unknown:
            raise ValueError(f"unknown match keys {sorted(unknown)} (known: method, entity, operation, path)")
        self.delay = float(delay) if delay is not None else 30.0
        self.fmt = fmt
        self.format = fmt or ("xml" if self.fault == "429_xml" else "json")
        self.fired = 0
        self._random = random.Random()  # noqa: S311 - test faults, not security

    def matches(self, realm_id, method, entity, operation, path):
        if self.remaining <= 0:
            return False
        if self.realm_id and self.realm_id != realm_id:
            return False
        wanted = {"method": method, "entity": entity, "operation": operation, "path": path}
        for key, value in self.match.items():
            actual = (wanted[key] or "").lower()
            if key == "path":
                if value not in actual:
                    return False
            elif actual != value:
                return False
        return True

    def describe(self):
        return {"id": self.id, "fault": self.kinds if len(self.kinds) > 1 else self.fault,
                "remaining": self.remaining, "fired": self.fired, "rate": self.rate,
                "realm_id": self.realm_id, "match": self.match, "delay": self.delay, "format": self.format}

    def fire(self):
        """This rule for one request: itself, or a copy carrying the kind picked at random."""
        if len(self.kinds) == 1:
            return self
        firing = copy.copy(self)
        firing.fault = self._random.choice(self.kinds)
        firing.format = self.fmt or ("xml" if firing.fault == "429_xml" else "json")
        return firing

    def pre_fault(self):
        """The fault answered before the request is served, or None."""
        if self.fault == "500":
            fault = faults.application_error()
        elif self.fault == "503":
            fault = faults.service_unavailable()
        elif self.fault in ("429", "429_xml"):
            fault = faults.throttled()
        else:
            return None
        fault.as_xml = self.format == "xml"
        return fault


class FaultInjector:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []

    def add(self, **kwargs):
        rule = Rule(**kwargs)
        with self._lock:
            self._rules.append(rule)
        return rule.describe()

    def clear(self, realm_id=None):
        with self._lock:
            removed = [r for r in self._rules if realm_id is None or r.realm_id == str(realm_id)]
            self._rules = [r for r in self._rules if r not in removed]
        return len(removed)

    def list(self):
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def take(self, realm_id, method, entity, operation, path):
        """The first rule matching this request, consumed once; None when none does."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(realm_id, method, entity, operation, path):
                    if rule.rate < 1 and rule._random.random() >= rule.rate:
                        continue
                    rule.remaining -= 1
                    rule.fired += 1
                    if rule.remaining <= 0:
                        self._rules.remove(rule)
                    return rule.fire()
        return None
