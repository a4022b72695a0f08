"""``requestid``: QuickBooks' idempotency key on writes.

"If the service receives another request with the same requestid, instead of performing
the operation again or returning an error, the service sends the same response as it did
for the original request." (https://blogs.intuit.com/2015/04/06/15346/)  The id is unique
per company and at most 50 characters (36 on a batch request).

Only answers that completed the write (HTTP 200) are kept: a request that failed wrote
nothing, so sending it again must try again rather than replay the failure (the point of
retrying after a 5xx or a throttle).  The record is written in the same transaction as the
write itself, so a response lost after the commit (a dropped connection) is still found.
"""

from . import faults

MAX_LENGTH = 50
MAX_BATCH_LENGTH = 36


def request_id(request, batch=False):
    value = request.args.get("requestid")
    if value is None or value == "":
        return None
    limit = MAX_BATCH_LENGTH if batch else MAX_LENGTH
    if len(value) > limit:
        raise faults.string_too_long("requestid", limit, len(value))
    return value


def lookup(db, realm_id, key):
    row = db.execute(
        "SELECT status, content_type, body FROM idempotency WHERE realm_id = ? AND request_id = ?",
        (realm_id, key),
    ).fetchone()
    return (row["status"], row["content_type"], row["body"]) if row else None


def remember(db, realm_id, key, now, status, content_type, body):
    db.execute(
        "INSERT OR REPLACE INTO idempotency (realm_id, request_id, created, status, content_type, body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (realm_id, key, now, status, content_type, body),
    )
