"""Rows of a company file: every list element and transaction, with the columns queries need.

``data`` holds the object as its ``*Ret`` (element name -> value, nested dicts for aggregates,
lists for repeated elements, values as QuickBooks writes them); keys starting with ``_`` are the
stand-in's bookkeeping and never leave it.

Identifiers look like QuickBooks' own (consolibyte#92): a ListID is a hexadecimal counter shared by
every list of the file, a dash and the Unix time of creation (``80000003-1446676743``); TxnIDs and
TxnLineIDs share another counter (``1B-1446676743``); an EditSequence is the Unix time of the last
edit, and always moves forward.
"""

import json

# Which uniqueness space each kind of object lives in.  Names are unique, case-insensitively,
# across the Customer:Job, Vendor, Employee and Other Names lists (Intuit in-product help,
# "you can have 'John Smith' and 'John Q Smith' ... but not 'John Smith' twice"), and across every
# type of item (an ItemRef names any item).
SPACES = {
    "Customer": "name", "Vendor": "name", "Employee": "name", "OtherName": "name",
    "ItemService": "item", "ItemNonInventory": "item", "ItemSalesTax": "item", "ItemOtherCharge": "item",
    "ItemDiscount": "item", "ItemSubtotal": "item",
    "Account": "account", "Class": "class", "StandardTerms": "terms", "DateDrivenTerms": "terms",
    "SalesTaxCode": "salestaxcode", "PaymentMethod": "paymentmethod",
    "Invoice": "txn", "CreditMemo": "txn", "ReceivePayment": "txn",
}
TXN_KINDS = ("Invoice", "CreditMemo", "ReceivePayment")
ITEM_KINDS = tuple(k for k, v in SPACES.items() if v == "item")


def new_list_id(store, db, company, now):
    n = store.next_value(db, company, "list_id", start=0x80000001)
    return f"{n:X}-{int(now)}"


def new_txn_id(store, db, company, now):
    n = store.next_value(db, company, "txn_id", start=0x10)
    return f"{n:X}-{int(now)}"


def next_edit_sequence(now, previous=None):
    value = int(now)
    if previous is not None:
        try:
            value = max(value, int(previous) + 1)
        except ValueError:
            pass
    return str(value)


def _row_to_object(row):
    obj = json.loads(row["data"])
    obj["_kind"] = row["kind"]
    obj["_status"] = row["status"]
    obj["_modified"] = row["modified"]
    return obj


def get(db, company, kind, object_id, include_deleted=False):
    if isinstance(kind, (tuple, list)):
        marks = ",".join("?" * len(kind))
        row = db.execute(f"SELECT * FROM objects WHERE company = ? AND kind IN ({marks}) AND id = ?",  # noqa: S608
                         (company, *kind, object_id)).fetchone()
    else:
        row = db.execute("SELECT * FROM objects WHERE company = ? AND kind = ? AND id = ?",
                         (company, kind, object_id)).fetchone()
    if row is None or (row["status"] == "deleted" and not include_deleted):
        return None
    return _row_to_object(row)


def get_many(db, company, keys):
    """Live objects for [(kind, id)], in that order (those gone since are skipped)."""
    found = {}
    by_kind = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in db.execute(f"SELECT * FROM objects WHERE company = ? AND kind = ? AND id IN ({marks}) "  # noqa: S608
                                  "AND status != 'deleted'", (company, kind, *chunk)):
                found[(row["kind"], row["id"])] = _row_to_object(row)
    return [found[key] for key in keys if key in found]


def by_name(db, company, kinds, full_name):
    """A list element by its FullName (case-insensitive), any of ``kinds``."""
    marks = ",".join("?" * len(kinds))
    row = db.execute(
        f"SELECT * FROM objects WHERE company = ? AND kind IN ({marks}) AND name_key = ? AND status = 'live'",  # noqa: S608
        (company, *kinds, full_name.lower()),
    ).fetchone()
    return _row_to_object(row) if row else None


def name_taken(db, company, space, full_name, except_id=None):
    """The element that already holds this name in its uniqueness space, if any."""
    row = db.execute("SELECT kind, id FROM objects WHERE company = ? AND space = ? AND name_key = ? "
                     "AND status = 'live' AND id != ?",
                     (company, space, full_name.lower(), except_id or "")).fetchone()
    return row


def save(store, db, company, kind, obj, now, *, key_fields):
    """Insert or replace ``obj`` (its ListID/TxnID is the key).  ``key_fields`` carries the indexed
    columns: name_key, parent_id, ref_number, customer_id, active, txn_date, open_cents."""
    object_id = obj.get("ListID") or obj.get("TxnID")
    data = json.dumps({k: v for k, v in obj.items() if not k.startswith("_") or k in _KEEP}, separators=(",", ":"))
    existing = db.execute("SELECT seq, created, status FROM objects WHERE company = ? AND kind = ? AND id = ?",
                          (company, kind, object_id)).fetchone()
    fields = {"name_key": None, "parent_id": None, "ref_number": None, "customer_id": None, "active": 1,
              "txn_date": None, "open_cents": 0, "status": "live", **key_fields}
    if existing is None:
        seq = store.next_value(db, company, f"seq:{kind}")
        db.execute(
            "INSERT INTO objects (company, kind, id, space, seq, name_key, parent_id, ref_number, customer_id, "
            "active, status, created, modified, txn_date, open_cents, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (company, kind, object_id, SPACES[kind], seq, fields["name_key"], fields["parent_id"],
             fields["ref_number"], fields["customer_id"], int(bool(fields["active"])), fields["status"], now, now,
             fields["txn_date"], fields["open_cents"], data),
        )
    else:
        db.execute(
            "UPDATE objects SET name_key = ?, parent_id = ?, ref_number = ?, customer_id = ?, active = ?, "
            "status = ?, modified = ?, txn_date = ?, open_cents = ?, data = ? "
            "WHERE company = ? AND kind = ? AND id = ?",
            (fields["name_key"], fields["parent_id"], fields["ref_number"], fields["customer_id"],
             int(bool(fields["active"])), fields["status"], now, fields["txn_date"], fields["open_cents"], data,
             company, kind, object_id),
        )
    return obj


# Bookkeeping kept with the object (postings for account balances, tax details).
_KEEP = {"_postings", "_tax_cents", "_voided"}


def rows(db, company, kinds, where="", params=(), order="seq"):
    marks = ",".join("?" * len(kinds))
    sql = f"SELECT * FROM objects WHERE company = ? AND kind IN ({marks})"  # noqa: S608
    if where:
        sql += f" AND {where}"
    sql += f" ORDER BY {order}"
    return [_row_to_object(row) for row in db.execute(sql, (company, *kinds, *params)).fetchall()]


def delete_row(db, company, kind, object_id, now):
    db.execute("UPDATE objects SET status = 'deleted', modified = ? WHERE company = ? AND kind = ? AND id = ?",
               (now, company, kind, object_id))
