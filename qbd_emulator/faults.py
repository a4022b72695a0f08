"""Faults on demand, for the next ``count`` matching sessions or message sets.

When a session opens (the Web Connector's BeginSession):

* ``not_running``: QuickBooks cannot be started: ``0x80040408 Could not start QuickBooks.``
  (johnballantyne/qbws#9);
* ``busy``: QuickBooks shows a modal dialog: ``0x80040414`` (the request processor's "modal dialog"
  HRESULT), what an unattended PC shows when someone left a window open;
* ``access_denied``: the user refused the application: ``0x80040420 The QuickBooks user has denied
  access.`` (Conductor's error reference).

When a message set runs (``match.request`` narrows it to sets holding that request, ``InvoiceAdd``):

* ``response_lost``: QuickBooks commits, then dies before answering; the caller gets
  ``0x80010007`` (RPC_E_SERVERDIED, "The call may have executed.") and the session is gone (later
  calls: ``0x80010108``).  The Web Connector reports it in ``receiveResponseXML``'s hresult/message;
* ``crash``: QuickBooks commits, then the machine goes down with the Web Connector: the web service
  hears nothing more of that session (no receiveResponseXML, no closeConnection);
* ``slow``: QuickBooks commits and answers after ``delay`` seconds (the Web Connector waits; the web
  service sees a long gap between sendRequestXML and receiveResponseXML);
* ``status``: the matching request is not run and is answered with ``code`` and ``message``
  (e.g. 3175/3176/3180, "This list has been modified by another user", which callers retry).
"""

import json

KINDS = {"not_running": "open", "busy": "open", "access_denied": "open",
         "response_lost": "process", "crash": "process", "slow": "process", "status": "status"}


class Faults:
    def __init__(self, store):
        self.store = store

    def add(self, kind, count=1, company=None, match=None, delay=None, code=None, message=None):
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r} (known: {', '.join(KINDS)})")
        match = dict(match or {})
        unknown = set(match) - {"request", "app"}
        if unknown:
            raise ValueError(f"unknown match keys {sorted(unknown)} (known: request, app)")
        if "request" in match:
            request = str(match["request"])
            match["request"] = request if request.endswith("Rq") else request + "Rq"
        if kind == "status":
            if code is None:
                raise ValueError("a status fault needs a code (e.g. 3180)")
            match["code"] = int(code)
            match["message"] = message or f"Status {code} (injected by the stand-in's control interface)."
        delay = float(delay) if delay is not None else (30.0 if kind == "slow" else 0.0)
        with self.store.write() as db:
            cursor = db.execute("INSERT INTO faults (company, kind, match, remaining, delay) VALUES (?, ?, ?, ?, ?)",
                                (company, kind, json.dumps(match), int(count), delay))
            rule_id = cursor.lastrowid
        return {"id": rule_id, "kind": kind, "company": company, "match": match, "remaining": int(count),
                "delay": delay}

    def list(self):
        with self.store.read() as db:
            rows = db.execute("SELECT * FROM faults ORDER BY id").fetchall()
        return [{"id": r["id"], "kind": r["kind"], "company": r["company"], "match": json.loads(r["match"]),
                 "remaining": r["remaining"], "fired": r["fired"], "delay": r["delay"]} for r in rows]

    def clear(self, company=None):
        with self.store.write() as db:
            if company is None:
                return db.execute("DELETE FROM faults").rowcount
            return db.execute("DELETE FROM faults WHERE company = ?", (company,)).rowcount

    def has_status_rules(self):
        with self.store.read() as db:
            return db.execute("SELECT 1 FROM faults WHERE kind = 'status' AND remaining > 0").fetchone() is not None

    def take(self, db, stage, company=None, app=None, requests=()):
        """The first rule for this stage that matches, used once; None when none does."""
        from .companyfile import same_path  # noqa: PLC0415

        for row in db.execute("SELECT * FROM faults WHERE remaining > 0 ORDER BY id").fetchall():
            if KINDS[row["kind"]] != stage:
                continue
            if row["company"] and not same_path(row["company"], company):
                continue
            match = json.loads(row["match"])
            if match.get("app") and match["app"] != app:
                continue
            if match.get("request") and match["request"] not in requests:
                continue
            db.execute("UPDATE faults SET remaining = remaining - 1, fired = fired + 1 WHERE id = ?", (row["id"],))
            db.execute("DELETE FROM faults WHERE remaining <= 0")
            self.store.bump(db, company, "injected_faults")
            return {"kind": row["kind"], "delay": row["delay"], **match}
        return None
