"""Storage of QuickBooks objects (Customer, Invoice, CompanyInfo, ...) for one realm.

Each object is kept as the exact JSON QuickBooks would return (``Id`` and ``SyncToken`` as
strings, ``MetaData``, ``domain``, ``sparse``), so that a query page can be answered by
joining stored texts without decoding them.  A few columns are copied out of the JSON so
that the query engine, uniqueness checks and balance updates find rows through an index:

* ``name``: the unique name (DisplayName or Name), lower-cased;
* ``doc_number``, ``txn_date``;
* ``ref_id``: the customer or vendor a transaction belongs to;
* ``active``; ``status`` (``live``, ``voided`` or ``deleted``: deleted transactions stay
  in the table so that change data capture can report them);
* ``created`` and ``updated``: epoch seconds, rounded to the millisecond so that they equal
  the ``MetaData`` times clients see (and filter on).
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
    "CompanyCurrency": "Code",
    "CustomerType": "Name",
    "Budget": "Name",
}

# The reference that says whose transaction this is (indexed as ``ref_id``).
OWNER_REFS = {
    "Invoice": "CustomerRef",
    "CreditMemo": "CustomerRef",
    "Payment": "CustomerRef",
    "Bill": "VendorRef",
    "BillPayment": "VendorRef",
    "VendorCredit": "VendorRef",
    "Purchase": "EntityRef",
    "TimeActivity": "CustomerRef",
    "SalesReceipt": "CustomerRef",
    "RefundReceipt": "CustomerRef",
    "Estimate": "CustomerRef",
    "PurchaseOrder": "VendorRef",
    "CreditCardPayment": "VendorRef",
}


# QuickBooks numbers customers, vendors and employees from one sequence (they are all
# "Names": a 2500 fault says "Names element id 58"), and all transactions from another.
SEQUENCE_GROUPS = {
    "Customer": "Names", "Vendor": "Names", "Employee": "Names",
    "Invoice": "Transactions", "CreditMemo": "Transactions", "Payment": "Transactions", "Bill": "Transactions",
    "BillPayment": "Transactions", "VendorCredit": "Transactions", "Purchase": "Transactions",
    "TimeActivity": "Transactions", "SalesReceipt": "Transactions", "RefundReceipt": "Transactions",
    "Estimate": "Transactions", "Deposit": "Transactions", "Transfer": "Transactions", "JournalEntry": "Transactions",
    "PurchaseOrder": "Transactions", "CreditCardPayment": "Transactions",
}


def sequence_of(entity):
    return SEQUENCE_GROUPS.get(entity, entity)


def dumps(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _row_to_object(row):
    return json.loads(row["data"])


def _columns(entity, data):
    name_field = NAME_FIELDS.get(entity)
    name = data.get(name_field) if name_field else None
    owner = data.get(OWNER_REFS.get(entity, ""))
    active = data.get("Active", True)
    return {
        "name": name.lower() if isinstance(name, str) else None,
        "doc_number": data.get("DocNumber") or None,
        "txn_date": data.get("TxnDate") or None,
        "ref_id": str(owner["value"]) if isinstance(owner, dict) and owner.get("value") is not None else None,
        "active": 0 if active is False else 1,
    }


def insert(db, store, realm_id, entity, data, now, object_id=None):
    """Insert a new object; returns it as QuickBooks would (Id, SyncToken "0", MetaData)."""
    if object_id is None:
        object_id = store.next_id(db, realm_id, sequence_of(entity))
    data = dict(data)
    data["Id"] = str(object_id)
    data["SyncToken"] = "0"
    data.setdefault("domain", "QBO")
    data["sparse"] = False
    stamp = iso_time(now)
    data["MetaData"] = {"CreateTime": stamp, "LastUpdatedTime": stamp}
    cols = _columns(entity, data)
    db.execute(
        "INSERT INTO objects (realm_id, entity, id, sync_token, active, status, name, doc_number,"
        " txn_date, ref_id, created, updated, data) VALUES (?, ?, ?, 0, ?, 'live', ?, ?, ?, ?, ?, ?, ?)",
        (realm_id, entity, int(object_id), cols["active"], cols["name"], cols["doc_number"],
         cols["txn_date"], cols["ref_id"], now, now, dumps(data)),
    )
    return data


def get(db, realm_id, entity, object_id, include_deleted=False):
    """The object, or None.  Deleted objects are only returned when asked for."""
    row = get_row(db, realm_id, entity, object_id)
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


def save(db, realm_id, entity, data, now, bump_token=True, status=None):
    """Write a changed object back.  A change bumps the SyncToken and LastUpdatedTime, as
    QuickBooks does; ``bump_token=False`` is for figures QuickBooks keeps current without
    an edit (a customer's Balance when one of its invoices changes)."""
    object_id = int(data["Id"])
    row = get_row(db, realm_id, entity, object_id)
    if row is None:
        raise KeyError(f"{entity} {object_id} does not exist")
    data = dict(data)
    meta = dict(data.get("MetaData") or {})
    meta["CreateTime"] = iso_time(row["created"])
    updated = row["updated"]
    if bump_token:
        sync_token = row["sync_token"] + 1
        updated = now
        meta["LastUpdatedTime"] = iso_time(now)
    else:
        sync_token = row["sync_token"]
        meta.setdefault("LastUpdatedTime", iso_time(updated))
    data["Id"] = str(object_id)
    data["SyncToken"] = str(sync_token)
    data["MetaData"] = meta
    data["sparse"] = False
    data.setdefault("domain", "QBO")
    cols = _columns(entity, data)
    db.execute(
        "UPDATE objects SET sync_token = ?, active = ?, status = ?, name = ?, doc_number = ?, txn_date = ?,"
        " ref_id = ?, updated = ?, data = ? WHERE realm_id = ? AND entity = ? AND id = ?",
        (sync_token, cols["active"], status or row["status"], cols["name"], cols["doc_number"],
         cols["txn_date"], cols["ref_id"], updated, dumps(data), realm_id, entity, object_id),
    )
    return data


def mark_deleted(db, realm_id, entity, object_id, now):
    """Deleted transactions keep their row (CDC reports them) but never come back on a read."""
    db.execute(
        "UPDATE objects SET status = 'deleted', updated = ? WHERE realm_id = ? AND entity = ? AND id = ?",
        (now, realm_id, entity, int(object_id)),
    )


def all_of(db, realm_id, entity):
    rows = db.execute(
        "SELECT data FROM objects WHERE realm_id = ? AND entity = ? AND status != 'deleted' ORDER BY id",
        (realm_id, entity),
    ).fetchall()
    return [_row_to_object(row) for row in rows]


def owned_by(db, realm_id, entity, owner_id):
    """Live transactions of ``entity`` whose customer or vendor is ``owner_id``."""
    rows = db.execute(
        "SELECT data FROM objects WHERE realm_id = ? AND entity = ? AND ref_id = ? AND status != 'deleted'",
        (realm_id, entity, str(owner_id)),
    ).fetchall()
    return [_row_to_object(row) for row in rows]


def find_by_name(db, realm_id, entities, name):
    """``(entity, object)`` of live objects of the given entities whose unique name equals
    ``name`` (case-insensitive, as QuickBooks compares display names)."""
    marks = ",".join("?" for _ in entities)
    rows = db.execute(
        f"SELECT entity, data FROM objects WHERE realm_id = ? AND entity IN ({marks}) AND name = ?"  # noqa: S608
        " AND status != 'deleted'",
        (realm_id, *entities, name.lower()),
    ).fetchall()
    return [(row["entity"], _row_to_object(row)) for row in rows]


def find_by_doc_number(db, realm_id, entities, doc_number):
    marks = ",".join("?" for _ in entities)
    rows = db.execute(
        f"SELECT entity, id FROM objects WHERE realm_id = ? AND entity IN ({marks})"  # noqa: S608
        " AND doc_number = ? COLLATE NOCASE AND status != 'deleted' ORDER BY id",
        (realm_id, *entities, doc_number),
    ).fetchall()
    return [(row["entity"], row["id"]) for row in rows]
