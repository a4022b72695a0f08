"""The control API under ``/_emulator/``: off unless the server starts with ``--control``.

It lets tests, demos and benchmarks do what a person would do in Intuit's developer portal
or in the QuickBooks UI (create a sandbox company, register an app, disconnect an app,
let time pass) and read the emulator's own counters.
"""

import json

from werkzeug.wrappers import Response

from . import faults, oauth, realms
from .realms import DEFAULT_CLIENT_ID


def _body(request):
    text = request.get_data(as_text=True)
    if not text:
        return {}
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise faults.validation("2000", "Invalid JSON", str(exc)) from exc
    if not isinstance(payload, dict):
        raise faults.validation("2000", "Invalid JSON", "expected a JSON object")
    return payload


def _ok(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json")


def dispatch(emulator, request, path):
    if not emulator.control_enabled:
        raise faults.not_found(request.path)
    parts = [part for part in path.split("/") if part]
    route = (request.method, parts[0] if parts else "")
    now = emulator.clock.now()
    store = emulator.store

    if route == ("GET", "health"):
        return _ok({"ok": True})

    if route == ("GET", "realms"):
        with store.read() as db:
            return _ok({"realms": realms.list_realms(db)})

    if route == ("POST", "realms") and len(parts) == 1:
        body = _body(request)
        with store.write() as db:
            try:
                realm_id = realms.seed_realm(
                    db, store, body.get("fixture", "us"), now,
                    realm_id=body.get("realm_id"), company_name=body.get("company_name"),
                )
            except ValueError as exc:
                return _ok({"error": str(exc)}, status=400)
        return _ok({"realm_id": realm_id}, status=201)

    if route == ("POST", "realms") and len(parts) == 2:
        # Change a company's environment, e.g. to see what development keys meet on a
        # production company (403, code 3100).
        body = _body(request)
        environment = body.get("environment")
        if environment not in ("sandbox", "production"):
            return _ok({"error": "environment must be 'sandbox' or 'production'"}, status=400)
        with store.write() as db:
            if not realms.realm_exists(db, parts[1]):
                return _ok({"error": f"unknown realm {parts[1]!r}"}, status=404)
            db.execute("UPDATE realms SET environment = ? WHERE realm_id = ?", (environment, parts[1]))
        return _ok({"realm_id": parts[1], "environment": environment})

    if route == ("DELETE", "realms") and len(parts) == 2:
        with store.write() as db:
            realms.delete_realm(db, parts[1], now)
        return _ok({"deleted": parts[1]})

    if route == ("POST", "apps"):
        body = _body(request)
        if not body.get("client_id") or not body.get("client_secret"):
            return _ok({"error": "client_id and client_secret are required"}, status=400)
        with store.write() as db:
            realms.ensure_app(
                db, body["client_id"], body["client_secret"], body.get("name", "Test app"),
                body.get("environment", "development"), body.get("redirect_uris", ["*"]),
            )
        return _ok({"client_id": body["client_id"]}, status=201)

    if route == ("POST", "tokens"):
        body = _body(request)
        realm_id = str(body.get("realm_id", ""))
        with store.write() as db:
            if not realms.realm_exists(db, realm_id):
                return _ok({"error": f"unknown realm {realm_id!r}"}, status=400)
            grant_id = oauth.create_grant(
                db, body.get("client_id", DEFAULT_CLIENT_ID), realm_id,
                body.get("scope", oauth.SCOPE_ACCOUNTING), now,
            )
            tokens = oauth.issue_tokens(db, grant_id, now, body.get("access_ttl", emulator.access_token_ttl))
        return _ok(dict(tokens, realm_id=realm_id), status=201)

    if route == ("POST", "connections") and parts[1:] == ["revoke"]:
        # What a user does under Settings > Apps in QuickBooks: disconnect an app.
        body = _body(request)
        with store.write() as db:
            query = "SELECT id FROM grants WHERE realm_id = ? AND revoked IS NULL"
            params = [str(body.get("realm_id", ""))]
            if body.get("client_id"):
                query += " AND client_id = ?"
                params.append(body["client_id"])
            grant_ids = [row["id"] for row in db.execute(query, params).fetchall()]
            for grant_id in grant_ids:
                oauth.revoke_grant(db, grant_id, now)
        return _ok({"revoked_connections": len(grant_ids)})

    if route == ("GET", "clock"):
        return _ok({"offset": emulator.clock.offset, "now": now})

    if route == ("POST", "clock"):
        body = _body(request)
        if "offset" in body:
            offset = emulator.clock.set_offset(body["offset"])
        else:
            offset = emulator.clock.advance(body.get("advance", 0))
        return _ok({"offset": offset, "now": emulator.clock.now()})

    if route == ("GET", "stats"):
        realm_id = request.args.get("realm_id")
        with store.read() as db:
            return _ok({"realm_id": realm_id, "counters": store.counters(db, realm_id)})

    if route == ("POST", "reset"):
        emulator.reset()
        return _ok({"reset": True})

    raise faults.not_found(request.path)
