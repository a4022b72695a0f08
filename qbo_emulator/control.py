"""The control API under ``/_emulator/``: off unless the server starts with ``--control``.

It lets tests, demos and benchmarks do what a person would do in Intuit's developer portal
or in the QuickBooks UI (create a sandbox company, register an app, disconnect an app,
let time pass) and read the emulator's own counters.
"""

import json

from werkzeug.wrappers import Response

from . import entities, faults, oauth, objects, operations, realms
from .context import Ctx
from .entities.company import deep_merge
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
                    realm_id=body.get("realm_id"), company_name=body.get("company_name"), emulator=emulator,
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

    if route == ("POST", "realms") and len(parts) == 3 and parts[2] == "objects":
        return _add_objects(emulator, parts[1], _body(request))

    if route == ("POST", "realms") and len(parts) == 3 and parts[2] == "reset":
        body = _body(request)
        with store.write() as db:
            row = db.execute("SELECT fixture FROM realms WHERE realm_id = ?", (parts[1],)).fetchone()
            if row is None:
                return _ok({"error": f"unknown realm {parts[1]!r}"}, status=404)
            fixture = body.get("fixture") or row["fixture"] or "us"
            realms.delete_realm(db, parts[1], now, keep_grants=True)
            realms.seed_realm(db, store, fixture, now, realm_id=parts[1], company_name=body.get("company_name"),
                              emulator=emulator)
        return _ok({"realm_id": parts[1], "fixture": fixture})

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
                oauth.revoke_grant(db, grant_id, now, by="company")
        return _ok({"revoked_connections": len(grant_ids)})

    if route == ("GET", "oauth"):
        return _ok({"refresh_token_rotation": dict(emulator.refresh_rotation)})

    if route == ("POST", "oauth"):
        # {"refresh_token_rotation": {"mode": "window"|"always", "window": seconds}}
        body = _body(request).get("refresh_token_rotation") or {}
        try:
            return _ok({"refresh_token_rotation": emulator.configure_refresh_rotation(**body)})
        except (TypeError, ValueError) as exc:
            return _ok({"error": str(exc)}, status=400)

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

    if route == ("GET", "objects"):
        return _objects(emulator, request)

    if route == ("GET", "count"):
        return _count(emulator, request)

    if route == ("POST", "preferences"):
        return _preferences(emulator, _body(request))

    if route == ("GET", "limits"):
        return _ok(emulator.limits.snapshot())

    if route == ("POST", "limits"):
        try:
            return _ok(emulator.limits.configure(**_body(request)))
        except (TypeError, ValueError) as exc:
            return _ok({"error": str(exc)}, status=400)

    if route == ("GET", "webhooks"):
        return _ok(emulator.webhooks.describe())

    if route == ("POST", "webhooks"):
        try:
            return _ok(emulator.webhooks.configure(**_body(request)))
        except (TypeError, ValueError) as exc:
            return _ok({"error": str(exc)}, status=400)

    if route == ("DELETE", "webhooks"):
        emulator.webhooks.reset()
        return _ok(emulator.webhooks.describe())

    if route == ("GET", "faults"):
        return _ok({"faults": emulator.faults.list()})

    if route == ("POST", "faults"):
        body = _body(request)
        try:
            rule = emulator.faults.add(
                fault=body.get("fault"), count=body.get("count", 1), realm_id=body.get("realm_id"),
                match=body.get("match"), delay=body.get("delay"), fmt=body.get("format"),
                rate=body.get("rate"),
            )
        except (TypeError, ValueError) as exc:
            return _ok({"error": str(exc)}, status=400)
        return _ok(rule, status=201)

    if route == ("DELETE", "faults"):
        return _ok({"cleared": emulator.faults.clear(request.args.get("realm_id"))})

    raise faults.not_found(request.path)


def _realm_or_404(db, realm_id):
    if not realms.realm_exists(db, str(realm_id or "")):
        return _ok({"error": f"unknown realm {realm_id!r}"}, status=404)
    return None


def _add_objects(emulator, realm_id, body):
    """Add objects to an existing company: ``{"objects": {"Customer": [...]}}`` or
    ``{"fixture": "name or path"}``.  Objects with an ``Id`` are stored as given (fixture
    data, references must hold); objects without one are created through the API's own
    rules (defaults, names in references, balances), all in one transaction."""
    store = emulator.store
    data = body.get("objects")
    if data is None and body.get("fixture"):
        try:
            data = realms.load_fixture(body["fixture"]).get("objects", {})
        except ValueError as exc:
            return _ok({"error": str(exc)}, status=400)
    if not isinstance(data, dict):
        return _ok({"error": "objects must map entity names to lists of objects"}, status=400)
    created = {}
    try:
        with store.write() as db:
            missing = _realm_or_404(db, realm_id)
            if missing:
                return missing
            _insert_all(emulator, db, realm_id, data, created)
    except _ControlError as exc:
        return _ok(exc.payload, status=400)
    emulator.webhooks.wake()
    return _ok({"realm_id": realm_id, "created": {k: len(v) for k, v in created.items()}, "ids": created},
               status=201)


def _insert_all(emulator, db, realm_id, data, created):
    store = emulator.store
    ctx = Ctx(emulator, db, realm_id)
    for name, records in data.items():
        spec = entities.get(name)
        if spec is None:
            raise _ControlError({"error": f"unknown entity {name!r}"}, 0, name)
        ids = []
        for record in records:
            if record.get("Id"):
                realms.insert_fixture_object(db, store, realm_id, spec.name, record, ctx.now)
                ids.append(str(record["Id"]))
            else:
                try:
                    ids.append(operations.create(ctx, spec, record)["Id"])
                except faults.QBOFault as fault:
                    raise _ControlError(fault.to_json(), len(ids), spec.name) from fault
        created[spec.name] = ids
    emulator.webhooks.record(db, realm_id, ctx.events, ctx.now)


class _ControlError(Exception):
    def __init__(self, fault, index, entity):
        super().__init__(f"{entity} #{index}: {fault}")
        self.payload = {"error": f"{entity} #{index} refused", "fault": fault}


def _objects(emulator, request):
    realm_id = request.args.get("realm_id", "")
    spec = entities.get(request.args.get("entity", ""))
    if spec is None:
        return _ok({"error": "entity is required (e.g. entity=Invoice)"}, status=400)
    include_deleted = request.args.get("include_deleted") in ("1", "true", "yes")
    with emulator.store.read() as db:
        missing = _realm_or_404(db, realm_id)
        if missing:
            return missing
        query = "SELECT status, data FROM objects WHERE realm_id = ? AND entity = ?"
        if not include_deleted:
            query += " AND status != 'deleted'"
        rows = db.execute(query + " ORDER BY id", (realm_id, spec.name)).fetchall()
    result = []
    for row in rows:
        obj = json.loads(row["data"])
        obj["_emulator"] = {"status": row["status"]}
        result.append(obj)
    return _ok({"realm_id": realm_id, "entity": spec.name, "count": len(result), "objects": result})


def _count(emulator, request):
    """How many live objects carry a DocNumber or a name: proves a retry made no duplicate."""
    realm_id = request.args.get("realm_id", "")
    spec = entities.get(request.args.get("entity", ""))
    if spec is None:
        return _ok({"error": "entity is required (e.g. entity=Invoice)"}, status=400)
    include_deleted = request.args.get("include_deleted") in ("1", "true", "yes")
    live = "" if include_deleted else " AND status != 'deleted'"
    with emulator.store.read() as db:
        missing = _realm_or_404(db, realm_id)
        if missing:
            return missing
        if "doc_number" in request.args:
            rows = db.execute(
                "SELECT id FROM objects WHERE realm_id = ? AND entity = ? AND doc_number = ?" + live,  # noqa: S608
                (realm_id, spec.name, request.args["doc_number"]),
            ).fetchall()
        elif "display_name" in request.args or "name" in request.args:
            name = request.args.get("display_name", request.args.get("name", ""))
            rows = db.execute(
                "SELECT id FROM objects WHERE realm_id = ? AND entity = ? AND name = ?" + live,  # noqa: S608
                (realm_id, spec.name, name.lower()),
            ).fetchall()
        else:
            rows = db.execute("SELECT id FROM objects WHERE realm_id = ? AND entity = ?" + live,  # noqa: S608
                              (realm_id, spec.name)).fetchall()
    ids = [str(row["id"]) for row in rows]
    return _ok({"realm_id": realm_id, "entity": spec.name, "count": len(ids), "ids": ids})


def _preferences(emulator, body):
    """What a user changes in QuickBooks' settings, including what the API cannot change
    (close the books, turn multicurrency on): a deep-merge patch of Preferences."""
    realm_id = str(body.get("realm_id", ""))
    patch = body.get("patch")
    if not isinstance(patch, dict):
        return _ok({"error": "patch must be an object, e.g. {\"AccountingInfoPrefs\": {\"BookCloseDate\": "
                             "\"2025-12-31\"}}"}, status=400)
    with emulator.store.write() as db:
        missing = _realm_or_404(db, realm_id)
        if missing:
            return missing
        now = round(emulator.clock.now(), 3)
        current = objects.get(db, realm_id, "Preferences", 1) or {"Id": "1"}
        merged = deep_merge(current, patch)
        saved = objects.save(db, realm_id, "Preferences", merged, now)
    return _ok({"realm_id": realm_id, "Preferences": saved})
