"""Webhook notifications: CloudEvents and legacy payloads, intuit-signature, retries."""

import base64
import hashlib
import hmac
import json
import time

import requests
from quickbooks import QuickBooks

WEBHOOKS_DOC = "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks"
VERIFIER = "emulator-verifier-token-0123456789"


def configure(emulator, receiver, **extra):
    return emulator.control("POST", "webhooks", enabled=True, url=receiver.url, verifier_token=VERIFIER,
                            window=0.05, **extra)


def collect(receiver, count, extract, timeout=10):
    """Deliveries until they hold ``count`` events (changes may arrive in one or more posts)."""
    deadline = time.monotonic() + timeout
    while True:
        deliveries = receiver.wait_for(1, timeout=timeout)
        events = [event for delivery in deliveries for event in extract(delivery)]
        if len(events) >= count or time.monotonic() > deadline:
            return deliveries, events
        time.sleep(0.05)


def cloudevents(delivery):
    return json.loads(delivery["body"])


def legacy_entities(delivery):
    return [entity for notification in json.loads(delivery["body"])["eventNotifications"]
            for entity in notification["dataChangeEvent"]["entities"]]


def test_cloudevents_delivery_signed_with_the_verifier_token(company, emulator, webhook_receiver):
    """Changes are announced as CloudEvents (``qbo.<entity>.<operation>.v1``), signed with
    ``intuit-signature`` = Base64(HMAC-SHA256(verifier token, raw body)); python-quickbooks'
    ``validate_webhook_signature`` accepts it.
    https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification
    https://blogs.intuit.com/2025/11/12/upcoming-change-to-webhooks-payload-structure
    """
    configure(emulator, webhook_receiver)
    created = company.create("Customer", {"DisplayName": "Hooked Customer"})
    company.post("customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "changed"})
    deliveries, events = collect(webhook_receiver, 2, cloudevents)
    first = deliveries[0]
    signature = first["headers"]["intuit-signature"]
    expected = base64.b64encode(hmac.new(VERIFIER.encode(), first["body"], hashlib.sha256).digest()).decode()
    assert signature == expected
    qb = QuickBooks(minorversion=75, verifier_token=VERIFIER)
    assert qb.validate_webhook_signature(first["body"].decode("utf-8"), signature)
    assert not qb.validate_webhook_signature(first["body"].decode("utf-8"), signature, "another-token")
    assert [(e["type"], e["intuitentityid"], e["intuitaccountid"]) for e in events] == [
        ("qbo.customer.created.v1", created["Id"], company.realm),
        ("qbo.customer.updated.v1", created["Id"], company.realm),
    ]
    assert events[0]["specversion"] == "1.0" and events[0]["data"] == {}
    assert events[0]["time"].endswith("Z") and events[0]["id"] != events[1]["id"]


def test_legacy_event_notifications_format(company, emulator, webhook_receiver):
    """The legacy payload groups entities per realm under ``eventNotifications``.
    https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks
    """
    configure(emulator, webhook_receiver, format="legacy")
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [
        {"Amount": 12, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]})
    company.post("invoice", {"Id": invoice["Id"], "SyncToken": "0"}, operation="delete")
    deliveries, changes = collect(webhook_receiver, 2, legacy_entities)
    notification = json.loads(deliveries[0]["body"])["eventNotifications"][0]
    assert notification["realmId"] == company.realm
    assert [(c["name"], c["id"], c["operation"]) for c in changes] == [
        ("Invoice", invoice["Id"], "Create"), ("Invoice", invoice["Id"], "Delete")]
    assert changes[0]["lastUpdated"].endswith("Z")


def test_failed_delivery_is_retried_on_intuits_schedule(company, emulator, webhook_receiver):
    """Unanswered (non-2xx) notifications are sent again after 10 s, 20 s, 30 s ... (scaled
    down here by 100), later events waiting behind them.
    https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/best-practices
    """
    webhook_receiver.answers = [500, 503]
    configure(emulator, webhook_receiver, retry_scale=0.01)
    company.create("Class", {"Name": "Retried Class"})
    deliveries = webhook_receiver.wait_for(3)
    assert [d["status"] for d in deliveries[:3]] == [500, 503, 200]
    assert deliveries[0]["body"] == deliveries[1]["body"] == deliveries[2]["body"]
    first_gap = deliveries[1]["at"] - deliveries[0]["at"]
    second_gap = deliveries[2]["at"] - deliveries[1]["at"]
    assert 0.08 <= first_gap < 1.0, first_gap   # 10 s x 0.01
    assert 0.18 <= second_gap < 1.5, second_gap  # 20 s x 0.01
    # The receiver answers before the emulator records the answer: give it a moment.
    deadline = time.monotonic() + 5
    state = emulator.control("GET", "webhooks")
    while [d["status"] for d in state["deliveries"]][-1:] != [200] and time.monotonic() < deadline:
        time.sleep(0.05)
        state = emulator.control("GET", "webhooks")
    assert state["pending_events"] == 0
    assert [d["status"] for d in state["deliveries"]][-3:] == [500, 503, 200]


def test_deliveries_never_block_the_api(company, emulator):
    """An endpoint that does not answer does not slow API calls (deliveries run in the
    background; Intuit gives the endpoint 3 seconds).
    https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/best-practices
    """
    emulator.control("POST", "webhooks", enabled=True, url="http://10.255.255.1:9/unreachable",
                     verifier_token=VERIFIER, window=0)
    try:
        started = time.monotonic()
        for n in range(5):
            company.create("Class", {"Name": f"Unblocked {n}"})
        assert time.monotonic() - started < 2
    finally:
        emulator.control("DELETE", "webhooks")


def test_webhook_configuration_is_checked(emulator):
    """Enabling webhooks needs an endpoint URL and a verifier token, as in the developer portal.
    https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks
    """
    answer = requests.post(f"{emulator.url}/_emulator/webhooks", json={"enabled": True}, timeout=5)
    assert answer.status_code == 400
