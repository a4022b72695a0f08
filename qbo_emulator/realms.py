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


def seed_realm(db, store, fixture, now, realm_id=None, company_name=None):
    """Create a company from a fixture (a dict, a short name or a path).  Objects keep the
    ids the fixture gives them so that references inside the fixture hold."""
    data = fixture if isinstance(fixture, dict) else load_fixture(fixture)
    realm_id = str(realm_id or data["realm_id"])
    if realm_exists(db, realm_id):
        raise ValueError(f"realm {realm_id} already exists")
    db.execute(
        "INSERT INTO realms (realm_id, environment, fixture, created) VALUES (?, ?, ?, ?)",
        (realm_id, data.get("environment", "sandbox"),
         data.get("name") or (fixture if isinstance(fixture, str) else None), now),
    )
    for entity, records in data.get("objects", {}).items():
        highest = 0
        for record in records:
            record = dict(record)
            if entity == "CompanyInfo" and company_name:
                record["CompanyName"] = company_name
                record["LegalName"] = company_name
            object_id = int(record["Id"])
            highest = max(highest, object_id)
            objects.create(db, store, realm_id, entity, record, now, object_id=object_id)
        if highest:
            db.execute(
                "INSERT INTO sequences (realm_id, entity, value) VALUES (?, ?, ?) "
                "ON CONFLICT (realm_id, entity) DO UPDATE SET value = MAX(value, excluded.value)",
                (realm_id, entity, highest),
            )
    return realm_id


def delete_realm(db, realm_id, now):
    for table in ("objects", "sequences", "idempotency", "counters"):
        db.execute(f"DELETE FROM {table} WHERE realm_id = ?", (realm_id,))  # noqa: S608
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
