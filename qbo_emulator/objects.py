"""Storage of QuickBooks objects (Customer, Invoice, CompanyInfo, ...) for one realm.

Each object is kept as the JSON QuickBooks would return, plus a few columns that the
query engine and uniqueness checks need to find it quickly.  ``Id`` and ``SyncToken`` are
strings on the wire, as in QuickBooks, and integers in the table.
"""

import json

from .clock import iso_time

# Columns copied out of the JSON so that look-ups by name or number use an index.
NAME_FIELDS = {
    "Customer": "DisplayName",
    "Vendor": "DisplayName",
    "Employee": "DisplayName",
    "Item": "Name",
    "Account": "Name",
    "Class": "Name",
    "Department": "Name",
    "Term": "Name",
    "PaymentMethod": "Name",
    "TaxCode": "Name",
    "TaxRate": "Name",
    "TaxAgency": "DisplayName",
}


def _row_to_object(row):
    data = json.loads(row["data"])
    data["Id"] = str(row["id"])
    data["SyncToken"] = str(row["sync_token"])
    return data


def _columns(entity, data):
    name_field = NAME_FIELDS.get(entity)
    name = data.get(name_field) if name_field else None
    active = data.get("Active", True)
    return {
        "name": name.lower() if isinstance(name, str) else None,
        "doc_number": data.get("DocNumber"),
        "txn_date": data.get("TxnDate"),
        "active": 0 if active is False else 1,
    }


def create(db, store, realm_id, entity, data, now, object_id=None):
    """Insert a new object; returns it as QuickBooks would (Id, SyncToken "0", MetaData)."""
    if object_id is None:
        object_id = store.next_id(db, realm_id, entity)
    data = dict(data)
    data.pop("Id", None)
    data.pop("SyncToken", None)
    data.setdefault("domain", "QBO")
    data.setdefault("sparse", False)
    stamp = iso_time(now)
    data["MetaData"] = {"CreateTime": stamp, "LastUpdatedTime": stamp}
    cols = _columns(entity, data)
    db.execute(
        "INSERT INTO objects (realm_id, entity, id, sync_token, active, status, name, doc_number,"
        " txn_date, created, updated, data) VALUES (?, ?, ?, 0, ?, 'live', ?, ?, ?, ?, ?, ?)",
        (realm_id, entity, int(object_id), cols["active"], cols["name"], cols["doc_number"],
         cols["txn_date"], now, now, json.dumps(data)),
    )
    data["Id"] = str(object_id)
    data["SyncToken"] = "0"
    return data


def get(db, realm_id, entity, object_id, include_deleted=False):
    """The object, or None.  Deleted objects are only returned when asked for (CDC)."""
    try:
        key = int(object_id)
    except (TypeError, ValueError):
        return None
    row = db.execute(
        "SELECT * FROM objects WHERE realm_id = ? AND entity = ? AND id = ?",
        (realm_id, entity, key),
    ).fetchone()
    if row is None or (row["status"] == "deleted" and not include_deleted):
        return None
    return _row_to_object(row)


def get_row(db, realm_id, entity, object_id):
    try:
        key = int(object_id)
    except (TypeError, ValueError):
        return None
    return db.execute(
        "SELECT * FROM objects WHERE realm_id = ? AND entity = ? AND id = ?",
        (realm_id, entity, key),
    ).fetchone()


def save(db, realm_id, entity, data, now, bump_token=True):
    """Write a changed object back; the SyncToken goes up by one, as in QuickBooks."""
    object_id = int(data["Id"])
    row = get_row(db, realm_id, entity, object_id)
    if row is None:
        raise KeyError(f"{entity} {object_id} does not exist")
    sync_token = row["sync_token"] + (1 if bump_token else 0)
    data = dict(data)
    data.pop("Id", None)
    data.pop("SyncToken", None)
    meta = dict(data.get("MetaData") or {})
    meta.setdefault("CreateTime", iso_time(row["created"]))
    meta["LastUpdatedTime"] = iso_time(now)
    data["MetaData"] = meta
    cols = _columns(entity, data)
    db.execute(
        "UPDATE objects SET sync_token = ?, active = ?, name = ?, doc_number = ?, txn_date = ?,"
        " updated = ?, data = ? WHERE realm_id = ? AND entity = ? AND id = ?",
        (sync_token, cols["active"], cols["name"], cols["doc_number"], cols["txn_date"], now,
         json.dumps(data), realm_id, entity, object_id),
    )
    data["Id"] = str(object_id)
    data["SyncToken"] = str(sync_token)
    return data


def mark_deleted(db, realm_id, entity, object_id, now):
    db.execute(
        "UPDATE objects SET status = 'deleted', updated = ? WHERE realm_id = ? AND entity = ? AND id = ?",
        (now, realm_id, entity, int(object_id)),
    )


def all_of(db, realm_id, entity):
    rows = db.execute(
        "SELECT * FROM objects WHERE realm_id = ? AND entity = ? AND status != 'deleted' ORDER BY id",
        (realm_id, entity),
    ).fetchall()
    return [_row_to_object(row) for row in rows]


def find_by_name(db, realm_id, entities, name):
    """Live objects of the given entities whose unique name equals ``name`` (case-insensitive,
    as QuickBooks compares display names)."""
    marks = ",".join("?" for _ in entities)
    rows = db.execute(
        f"SELECT * FROM objects WHERE realm_id = ? AND entity IN ({marks}) AND name = ?"  # noqa: S608
        " AND status != 'deleted'",
        (realm_id, *entities, name.lower()),
    ).fetchall()
    return [_row_to_object(row) for row in rows]
