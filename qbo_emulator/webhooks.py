"""Webhook notifications, delivered from a background thread.

https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks and
https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/best-practices:
* one endpoint and one verifier token per app, set up with ``POST /_emulator/webhooks``;
* every POST carries ``intuit-signature``: Base64(HMAC-SHA256(verifier token, raw body));
* payload: CloudEvents (a JSON array; ``type`` ``qbo.<entity>.<operation>.v1``,
  ``intuitaccountid`` the realm, ``intuitentityid`` the object; mandatory from 2026,
  https://blogs.intuit.com/2025/11/12/upcoming-change-to-webhooks-payload-structure) or the
  legacy ``eventNotifications`` format;
* the endpoint must answer 2xx within 3 seconds; otherwise the events are sent again
  after 10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h and then every 6 h (``retry_scale``
  shrinks this schedule for tests), and later events wait behind them (delivery is in
  order);
* changes made within a short window go out together (``window`` seconds).

Events are written to SQLite in the same transaction as the change, so none is lost if the
emulator stops before delivering; API calls never wait for a delivery.
"""

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

from . import entities

_logger = logging.getLogger(__name__)

RETRY_SCHEDULE = (10, 20, 30, 300, 1200, 7200, 14400, 21600)
ANSWER_WITHIN = 3.0
MAX_EVENTS_PER_DELIVERY = 200
PAST_TENSE = {"Create": "created", "Update": "updated", "Delete": "deleted", "Void": "voided",
              "Merge": "merged", "Emailed": "emailed"}

DEFAULT_CONFIG = {
    "enabled": False,
    "url": None,
    "verifier_token": None,
    "format": "cloudevents",
    "retry_scale": 1.0,
    "window": 0.5,
    "entities": None,
    "realm_ids": None,
}


def signature(verifier_token, body):
    digest = hmac.new(verifier_token.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _utc(epoch):
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _past(operation):
    return PAST_TENSE.get(operation, operation.lower())


def cloudevents_body(events, app_source):
    return [
        {
            "specversion": "1.0",
            "id": event["event_id"],
            "source": app_source,
            "type": f"qbo.{event['entity'].lower()}.{_past(event['operation'])}.v1",
            "datacontenttype": "application/json",
            "time": _utc(event["occurred"]),
            "intuitentityid": event["object_id"],
            "intuitaccountid": event["realm_id"],
            "data": {},
        }
        for event in events
    ]


def legacy_body(events):
    realms = {}
    for event in events:
        realms.setdefault(event["realm_id"], []).append({
            "name": event["entity"],
            "id": event["object_id"],
            "operation": event["operation"],
            "lastUpdated": _utc(event["occurred"]),
        })
    return {"eventNotifications": [
        {"realmId": realm_id, "dataChangeEvent": {"entities": changes}} for realm_id, changes in realms.items()
    ]}


class Webhooks:
    def __init__(self, emulator):
        self.emulator = emulator
        self.store = emulator.store
        self._wake = threading.Condition()
        self._thread = None
        self._stopped = False
        with self.store.read() as db:
            saved = self.store.get_meta(db, "webhooks", {})
        self.config = dict(DEFAULT_CONFIG, **saved)
        if self.config["enabled"]:
            self._start()

    # -- configuration -------------------------------------------------------------------

    def configure(self, **changes):
        unknown = set(changes) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError(f"unknown webhook settings {sorted(unknown)} (known: {', '.join(DEFAULT_CONFIG)})")
        config = dict(self.config, **changes)
        if config["format"] not in ("cloudevents", "legacy"):
            raise ValueError("format must be 'cloudevents' or 'legacy'")
        if config["enabled"] and not (config["url"] and config["verifier_token"]):
            raise ValueError("url and verifier_token are required to enable webhooks")
        with self.store.write() as db:
            self.store.set_meta(db, "webhooks", config)
        self.config = config
        if config["enabled"]:
            self._start()
        self.wake()
        return self.describe()

    def describe(self):
        with self.store.read() as db:
            pending = db.execute("SELECT COUNT(*) FROM webhook_events WHERE delivered IS NULL").fetchone()[0]
            rows = db.execute("SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT 100").fetchall()
        deliveries = [dict(row) for row in reversed(rows)]
        return {"config": dict(self.config), "pending_events": pending, "deliveries": deliveries}

    def reset(self):
        with self.store.write() as db:
            db.execute("DELETE FROM webhook_events")
            db.execute("DELETE FROM webhook_deliveries")
            self.store.set_meta(db, "webhooks", dict(DEFAULT_CONFIG))
        self.config = dict(DEFAULT_CONFIG)

    # -- recording (inside the API's write transaction) -----------------------------------

    def record(self, db, realm_id, events, now):
        config = self.config
        if not config["enabled"] or not events:
            return
        if config["realm_ids"] and realm_id not in [str(r) for r in config["realm_ids"]]:
            return
        wanted = {e.lower() for e in config["entities"]} if config["entities"] else None
        for entity, object_id, operation in events:
            spec = entities.get(entity)
            if spec is None or not spec.webhooks or (wanted and entity.lower() not in wanted):
                continue
            db.execute(
                "INSERT INTO webhook_events (realm_id, entity, object_id, operation, occurred, event_id, next_attempt)"
                " VALUES (?, ?, ?, ?, ?, ?, 0)",
                (realm_id, entity, str(object_id), operation, now, str(uuid.uuid4())),
            )

    def wake(self):
        with self._wake:
            self._wake.notify_all()

    # -- delivery ------------------------------------------------------------------------

    def _start(self):
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="qbo-emulator-webhooks", daemon=True)
        self._thread.start()

    def stop(self):
        self._stopped = True
        self.wake()

    def _run(self):
        while not self._stopped:
            try:
                wait = self._deliver_due()
            except Exception:  # the delivery thread must survive anything
                _logger.exception("webhook delivery failed")
                wait = 1.0
            with self._wake:
                if not self._stopped:
                    self._wake.wait(timeout=wait)

    def _deliver_due(self):
        """Send what is due; returns how long to sleep before looking again."""
        config = self.config
        if not config["enabled"]:
            return 5.0
        with self.store.read() as db:
            rows = db.execute(
                "SELECT * FROM webhook_events WHERE delivered IS NULL ORDER BY seq LIMIT ?",
                (MAX_EVENTS_PER_DELIVERY,),
            ).fetchall()
        if not rows:
            return 5.0
        now = time.time()
        head = rows[0]
        if head["next_attempt"] > now:
            return head["next_attempt"] - now
        youngest = max(row["occurred"] for row in rows if row["attempts"] == 0) if any(
            row["attempts"] == 0 for row in rows) else 0
        window = float(config["window"] or 0)
        # Changes made within the window go out together.  (A clock moved back by the control
        # API makes the age negative: deliver rather than wait for the clock to catch up.)
        age = self.emulator.clock.now() - youngest
        if head["attempts"] == 0 and youngest and 0 <= age < window:
            return window - age
        events = [dict(row) for row in rows if row["next_attempt"] <= now]
        status, error, body, sig = self._post(config, events)
        # The delivery and its outcome are recorded in one transaction, so the control API
        # never shows a delivery whose events still look pending.
        with self.store.write() as db:
            db.execute(
                "INSERT INTO webhook_deliveries (started, url, format, events, status, error, body, signature)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (now, config["url"], config["format"], len(events), status, error, body, sig),
            )
            seqs = [event["seq"] for event in events]
            marks = ",".join("?" for _ in seqs)
            if status is not None and 200 <= status < 300:
                db.execute(f"UPDATE webhook_events SET delivered = ?, attempts = attempts + 1"  # noqa: S608
                           f" WHERE seq IN ({marks})", (now, *seqs))
            else:
                attempt = max(event["attempts"] for event in events) + 1
                delay = RETRY_SCHEDULE[min(attempt - 1, len(RETRY_SCHEDULE) - 1)] * float(config["retry_scale"])
                db.execute(f"UPDATE webhook_events SET attempts = attempts + 1, next_attempt = ?"  # noqa: S608
                           f" WHERE seq IN ({marks})", (now + delay, *seqs))
        return 0.0

    def _post(self, config, events):
        if config["format"] == "legacy":
            payload = legacy_body(events)
        else:
            payload = cloudevents_body(events, f"intuit.{hashlib.sha256(config['url'].encode()).hexdigest()[:32]}")
        body = json.dumps(payload).encode("utf-8")
        sig = signature(config["verifier_token"], body)
        request = urllib.request.Request(  # noqa: S310 - the URL the tester configured
            config["url"], data=body, method="POST",
            headers={"Content-Type": "application/json", "intuit-signature": sig,
                     "User-Agent": "Intuit-Webhooks-Emulator"},
        )
        status = error = None
        try:
            with urllib.request.urlopen(request, timeout=ANSWER_WITHIN) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, str(exc)
        except (OSError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        return status, error, body.decode("utf-8"), sig
