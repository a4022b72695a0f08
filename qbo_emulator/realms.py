"""Companies (realms) and developer apps: creating, seeding and resetting them."""

import json
import pathlib

from . import objects

FIXTURES = pathlib.Path(__file__).parent / "fixtures"

DEFAULT_CLIENT_ID = "ABemulatorClientId0000000000000000000000000000000"
DEFAULT_CLIENT_SECRET = "emulatorClientSecret000000000000000000000"  # noqa: S105 - public demo key


def load_fixture(name_or_path):
    """A fixture by short name (``us``) or by path to a JSON file."""
    path = pathlib.Path(name_or_path)
    if not path.suffix:
        path = FIXTURES / f"{name_or_path}.json"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in FIXTURES.glob("*.json")))
        raise ValueError(f"unknown fixture {name_or_path!r} (available: {available})")
    return json.loads(path.read_text(encoding="utf-8"))


def fixture_names():
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


def realm_exists(db, realm_id):
    return db.execute("SELECT 1 FROM realms WHERE realm_id = ?", (realm_id,)).fetchone() is not None


def list_realms(db):
    rows = db.execute("SELECT * FROM realms ORDER BY created, realm_id").fetchall()
    result = []
    for row in rows:
        info = objects.get(db, row["realm_id"], "CompanyInfo", 1) or {}
        result.append({
            "realm_id": row["realm_id"],
            "environment": row["environment"],
            "fixture": row["fixture"],
            "company_name": info.get("CompanyName", ""),
            "country": info.get("Country", ""),
        })
    return result


def seed_realm(db, store, fixture, now, realm_id=None, company_name=None, emulator=None):
    """Create a company from a fixture (a dict, a short name or a path).  Objects with an
    ``Id`` keep it, so that references inside the fixture hold; objects without one (the
    fixture's sample transactions) are created through the API's own rules when an
    emulator is given, so their totals, taxes and balances are QuickBooks' own."""
    data = fixture if isinstance(fixture, dict) else load_fixture(fixture)
    realm_id = str(realm_id or data["realm_id"])
    if realm_exists(db, realm_id):
        raise ValueError(f"realm {realm_id} already exists")
    db.execute(
        "INSERT INTO realms (realm_id, environment, fixture, created) VALUES (?, ?, ?, ?)",
        (realm_id, data.get("environment", "sandbox"),
         data.get("name") or (fixture if isinstance(fixture, str) else None), now),
    )
    by_entity = {}
    for entity, records in data.get("objects", {}).items():
        by_entity[entity] = []
        for record in records:
            record = dict(record)
            if entity == "CompanyInfo" and company_name:
                record["CompanyName"] = company_name
                record["LegalName"] = company_name
            by_entity[entity].append(record)
    load_objects(db, store, realm_id, by_entity, now, emulator)
    return realm_id


def load_objects(db, store, realm_id, data, now, emulator=None):
    """Store fixture objects: with an ``Id`` as given; without one through the API's rules.
    A fixture transaction names another by ``"$<Entity>:<DocNumber>"`` (its Id is only known
    once it is created)."""
    ctx = None
    created = {}
    for entity, records in data.items():
        for record in records:
            if record.get("Id"):
                insert_fixture_object(db, store, realm_id, entity, record, now)
            elif emulator is not None:
                from . import entities, operations  # noqa: PLC0415 - entities import realms indirectly
                from .context import Ctx  # noqa: PLC0415

                ctx = ctx or Ctx(emulator, db, realm_id, now=now)
                obj = operations.create(ctx, entities.get(entity), _resolve(record, created))
                if obj.get("DocNumber"):
                    created[f"${entity}:{obj['DocNumber']}"] = obj["Id"]


def top_up(db, store, realm_id, fixture, now, emulator=None):
    """Add to an existing company the fixture's entities it has none of."""
    data = load_fixture(fixture)
    missing = {}
    for entity, records in data.get("objects", {}).items():
        present = db.execute("SELECT 1 FROM objects WHERE realm_id = ? AND entity = ? LIMIT 1",
                             (realm_id, entity)).fetchone()
        if present is None:
            missing[entity] = records
    load_objects(db, store, realm_id, missing, now, emulator)
    return sorted(missing)


def _resolve(value, created):
    if isinstance(value, dict):
        return {k: _resolve(v, created) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, created) for v in value]
    if isinstance(value, str) and value.startswith("$") and value in created:
        return created[value]
    return value


def insert_fixture_object(db, store, realm_id, entity, record, now):
    """Store a fixture object under its own Id and move the entity's id sequence past it."""
    record = dict(record)
    object_id = int(record["Id"])
    if entity in objects.NAME_FIELDS:
        record.setdefault("Active", True)
    objects.insert(db, store, realm_id, entity, record, now, object_id=object_id)
    if entity == "RecurringTransaction":
        from .entities.recurring import normalize  # noqa: PLC0415 - entities import realms indirectly

        normalize(db, realm_id, object_id)
    db.execute(
        "INSERT INTO sequences (realm_id, entity, value) VALUES (?, ?, ?) "
        "ON CONFLICT (realm_id, entity) DO UPDATE SET value = MAX(value, excluded.value)",
        (realm_id, objects.sequence_of(entity), object_id),
    )


def delete_realm(db, realm_id, now, keep_grants=False):
    for table in ("objects", "sequences", "idempotency", "counters", "webhook_events"):
        db.execute(f"DELETE FROM {table} WHERE realm_id = ?", (realm_id,))  # noqa: S608
    if not keep_grants:
        db.execute("UPDATE grants SET revoked = ? WHERE realm_id = ? AND revoked IS NULL", (now, realm_id))
    db.execute("DELETE FROM realms WHERE realm_id = ?", (realm_id,))


def ensure_app(db, client_id, client_secret, name="Emulator demo app", environment="development",
               redirect_uris=("*",)):
    db.execute(
        "INSERT INTO apps (client_id, client_secret, name, environment, redirect_uris) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (client_id) DO UPDATE SET client_secret = excluded.client_secret,"
        " name = excluded.name, environment = excluded.environment, redirect_uris = excluded.redirect_uris",
        (client_id, client_secret, name, environment, json.dumps(list(redirect_uris))),
    )


def get_app(db, client_id):
    row = db.execute("SELECT * FROM apps WHERE client_id = ?", (client_id,)).fetchone()
    if row is None:
        return None
    app = dict(row)
    app["redirect_uris"] = json.loads(app["redirect_uris"])
    return app


def redirect_allowed(app, redirect_uri):
    return "*" in app["redirect_uris"] or redirect_uri in app["redirect_uris"]


def app_matches_realm(app, realm_environment):
    """Development keys reach sandbox companies only; production keys, real companies only."""
    expected = "sandbox" if app["environment"] == "development" else "production"
    return realm_environment == expected
