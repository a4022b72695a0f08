"""Running a parsed query against the objects table, as fast as the query allows.

Conditions and sort keys on indexed columns (Id, Active, the unique name, DocNumber,
TxnDate, the customer or vendor reference, ``MetaData.CreateTime`` and
``MetaData.LastUpdatedTime``) become SQL; when every condition and sort key does, a page is
one ``LIMIT``/``OFFSET`` query whose stored JSON texts are joined into the answer without
being decoded.  Anything else (``Balance > 100``, ``ORDERBY TotalAmt``) is filtered and
sorted in Python after the SQL part has narrowed the rows.  Both paths give the same
answers (the fidelity suite checks it).

QuickBooks' rules (https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries):
a page holds ``MAXRESULTS`` rows (100 unless asked, 1000 at most) from ``STARTPOSITION``
(1-based); name lists hide inactive rows unless the query filters on ``Active``; deleted
transactions never appear.
"""

import json

from . import entities, objects
from . import query as qbo_query
from .clock import parse_iso


def _column(entity, field):
    name = field.lower()
    if name == "id":
        return "id", "int"
    if name == "active":
        return "active", "bool"
    if name == "metadata.lastupdatedtime":
        return "updated", "time"
    if name == "metadata.createtime":
        return "created", "time"
    name_field = objects.NAME_FIELDS.get(entity)
    if name_field and name == name_field.lower():
        return "name", "lower"
    if name == "docnumber":
        return "doc_number", "nocase"
    if name == "txndate":
        return "txn_date", "date"
    owner = objects.OWNER_REFS.get(entity)
    if owner and name == owner.lower():
        return "ref_id", "text"
    return None


def _literal(kind, value):
    """The SQL value of a query literal for a column kind; None when it cannot be pushed."""
    if kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if kind == "bool":
        if isinstance(value, bool):
            return int(value)
        if str(value).lower() in ("true", "false"):
            return int(str(value).lower() == "true")
        return None
    if kind == "time":
        try:
            return round(parse_iso(str(value)), 3)
        except ValueError:
            return None
    if kind == "date":
        text = str(value)
        return text if len(text) == 10 else None
    if kind == "lower":
        return str(value).lower()
    return str(value)


_OPS = {"=": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


def _condition_sql(entity, condition):
    """``(sql, params)`` for a condition, or None when it must run in Python."""
    mapped = _column(entity, condition.field)
    if mapped is None:
        return None
    column, kind = mapped
    collate = " COLLATE NOCASE" if kind == "nocase" else ""
    if condition.op == "like":
        if kind not in ("lower", "nocase"):
            return None
        pattern = condition.value.lower().replace("\\", "\\\\").replace("_", "\\_")
        return f"{column} LIKE ? ESCAPE '\\'", [pattern]
    if condition.op == "in":
        values = [_literal(kind, v) for v in condition.value]
        if any(v is None for v in values):
            return None
        marks = ",".join("?" for _ in values)
        return f"{column}{collate} IN ({marks})", values
    if kind in ("bool", "text") and condition.op not in ("=", "!="):
        return None
    value = _literal(kind, condition.value)
    if value is None:
        return None
    op = _OPS[condition.op]
    if op == "!=":
        return f"({column} IS NULL OR {column}{collate} != ?)", [value]
    return f"{column}{collate} {op} ?", [value]


def _order_sql(entity, order):
    parts = []
    for field, direction in order:
        mapped = _column(entity, field)
        if mapped is None or mapped[1] == "bool":
            return None
        column, kind = mapped
        collate = " COLLATE NOCASE" if kind == "nocase" else ""
        parts.append(f"{column}{collate} {'DESC' if direction == 'desc' else 'ASC'}")
    parts.append("id ASC")
    return ", ".join(parts)


def execute(db, realm_id, parsed):
    """Returns ``(entity, total)`` for COUNT(*), else ``(entity, rows)`` where rows are JSON
    texts (fast path) or decoded objects (projection or Python path)."""
    spec = entities.get(parsed.entity)
    entity = spec.name
    conditions = list(parsed.conditions)
    if entity in entities.NAME_LISTS and not any(c.field.lower() == "active" for c in conditions):
        conditions.append(qbo_query.Condition("Active", "=", True))
    where = ["realm_id = ?", "entity = ?", "status != 'deleted'"]
    params = [realm_id, entity]
    leftover = []
    for condition in conditions:
        pushed = _condition_sql(entity, condition)
        if pushed is None:
            leftover.append(condition)
        else:
            where.append(pushed[0])
            params.extend(pushed[1])
    order_sql = _order_sql(entity, parsed.order)
    where_sql = " AND ".join(where)
    if not leftover:
        if parsed.count:
            total = db.execute(f"SELECT COUNT(*) FROM objects WHERE {where_sql}", params).fetchone()[0]  # noqa: S608
            return entity, total
        if order_sql is not None:
            rows = db.execute(
                f"SELECT data FROM objects WHERE {where_sql} ORDER BY {order_sql} LIMIT ? OFFSET ?",  # noqa: S608
                [*params, parsed.max_results, parsed.start_position - 1],
            ).fetchall()
            return entity, [row["data"] for row in rows]
    rows = db.execute(f"SELECT data FROM objects WHERE {where_sql} ORDER BY id", params).fetchall()  # noqa: S608
    found = [objects._row_to_object(row) for row in rows]
    found = [obj for obj in found if all(qbo_query.matches(obj, c) for c in leftover)]
    if parsed.count:
        return entity, len(found)
    for field, direction in reversed(parsed.order):
        found.sort(key=qbo_query.sort_key_for(field), reverse=direction == "desc")
    start = parsed.start_position - 1
    return entity, found[start:start + parsed.max_results]


def project(rows, fields):
    """``SELECT Id, DisplayName FROM ...``: only the named fields (and the ones QuickBooks
    always returns)."""
    keep = {f.lower() for f in fields} | {"id", "synctoken", "metadata", "domain", "sparse"}
    result = []
    for row in rows:
        obj = json.loads(row) if isinstance(row, str) else row
        result.append({k: v for k, v in obj.items() if k.lower() in keep})
    return result
