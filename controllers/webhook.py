"""QuickBooks' webhook notifications: ``POST /quickbooks/webhook``.

Nothing of a notification is read before its ``intuit-signature`` (Base64 of HMAC-SHA256 of
the raw body with the app's verifier token) matches the verifier token of a connection; a bad
or missing signature is refused (401) and nothing is processed.  The answer comes at once:
the changes are queued as incoming jobs (Intuit waits 3 seconds at most), routed by realm to
the Odoo company connected to it; realms no connection may pull for are ignored.
"""

import base64
import hashlib
import hmac
import json
import logging

from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..mapping.inbound_payment import parse_time
from ..sync.pull import ingest_notifications
from ..transport import crypto
from ..transport.errors import QuickBooksError

_logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/quickbooks/webhook"
MAX_BODY = 2 * 1024 * 1024
OPERATIONS = {"created": "Create", "updated": "Update", "deleted": "Delete", "voided": "Void", "merged": "Merge",
              "emailed": "Emailed"}


def expected_signature(token, body):
    return base64.b64encode(hmac.new(token.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def verified_realms(env, body, signature):
    """The realms of the connections whose verifier token signed ``body`` (empty: refused)."""
    if not signature:
        return set()
    env.cr.execute("SELECT realm_id, webhook_verifier_token_encrypted FROM quickbooks_connection"
                   " WHERE webhook_verifier_token_encrypted IS NOT NULL AND realm_id IS NOT NULL")
    realms = set()
    for realm_id, encrypted in env.cr.fetchall():
        try:
            token = crypto.decrypt(encrypted)
        except QuickBooksError:
            continue
        if token and hmac.compare_digest(expected_signature(token, body), signature.strip()):
            realms.add(realm_id)
    return realms


def parse_events(payload):
    """``[(realm_id, entity, qbo_id, operation, epoch)]`` of a CloudEvents array or of the
    legacy ``eventNotifications`` object."""
    events = []
    if isinstance(payload, list):
        for event in payload:
            if not isinstance(event, dict):
                continue
            parts = str(event.get("type") or "").split(".")
            if len(parts) < 3 or parts[0] != "qbo":
                continue
            events.append((str(event.get("intuitaccountid") or ""), parts[1].capitalize(),
                           str(event.get("intuitentityid") or ""), OPERATIONS.get(parts[2], parts[2].capitalize()),
                           _epoch(event.get("time"))))
    elif isinstance(payload, dict):
        for notification in payload.get("eventNotifications") or []:
            realm_id = str(notification.get("realmId") or "")
            for change in (notification.get("dataChangeEvent") or {}).get("entities") or []:
                events.append((realm_id, str(change.get("name") or ""), str(change.get("id") or ""),
                               str(change.get("operation") or ""), _epoch(change.get("lastUpdated"))))
    return [event for event in events if event[0] and event[2].isdigit()]


def _epoch(text):
    try:
        return parse_time(str(text or ""))
    except ValueError:
        return 0.0


class QuickbooksWebhookController(http.Controller):
    @http.route(WEBHOOK_PATH, type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
                readonly=False)
    def webhook(self, **_kwargs):
        body = request.httprequest.get_data(cache=False)
        if len(body) > MAX_BODY:
            return self._answer(413, {"error": "too large"})
        if not request.db:
            return self._answer(404, {"error": "no database"})
        signature = request.httprequest.headers.get("intuit-signature", "")
        env = api.Environment(request.env.cr, SUPERUSER_ID, {})
        realms = verified_realms(env, body, signature)
        if not realms:
            _logger.warning("Refused a QuickBooks webhook notification: bad or missing intuit-signature")
            return self._answer(401, {"error": "bad signature"})
        try:
            payload = json.loads(body)
        except ValueError:
            return self._answer(400, {"error": "not JSON"})
        events = [event for event in parse_events(payload) if event[0] in realms]
        queued = ingest_notifications(env, events) if events else {}
        return self._answer(200, {"received": len(events), "queued": sum(queued.values())})

    @staticmethod
    def _answer(status, payload):
        return request.make_response(json.dumps(payload), headers=[("Content-Type", "application/json")],
                                     status=status)
