"""The one-time import from QuickBooks Desktop, in two steps.

1. **Read** (during a Web Connector session: QuickBooks Desktop cannot be called otherwise): its
   customers (with their jobs, inactive ones included) and items with iterators, 1,000 a page,
   and the vendors' names (one name space with the customers').  Each page is converted to the
   shape the import-first planner reads (mapping/qbxml/inbound.py) and kept with the job, as a
   JSON attachment: the *snapshot*.  Nothing is written to Odoo's records.
2. **Preview, then apply** (Import from QuickBooks, in Odoo, any time after the read): the same
   planner as QuickBooks Online's (sync/record_import.py) reads the snapshot instead of the API:
   what would be linked, created, skipped or needs a decision under the match strategy, and the
   Odoo records whose name QuickBooks Desktop already holds (a differentiator, or listed).
   Applying links and creates from that snapshot; reading again refreshes it.

It is offered until ongoing sync has sent something (models/quickbooks_connection_desktop.py)."""

import json

from lxml import etree

from odoo import fields

from ..mapping.qbxml.common import request, sub
from ..mapping.qbxml.inbound import customer_obj, item_obj, name_of

ENTITY = "DesktopImport"
PAGE = 1000
LISTS = {"Customer": "CustomerQuery", "Item": "ItemQuery", "Vendor": "VendorQuery"}
SNAPSHOT_NAME = "quickbooks-desktop-lists.json"


def queries(job, iterators, request_prefix):
    """The next page of each list still to read: ``[(list, element)]``."""
    state = iterators.get(str(job.id), {})
    out = []
    for name, query in LISTS.items():
        status = state.get(name)
        if status == "done":
            continue
        element = request(query, f"{request_prefix}-{name}")
        if status:
            element.set("iterator", "Continue")
            element.set("iteratorID", status)
        else:
            element.set("iterator", "Start")
        sub(element, "MaxReturned", str(PAGE))
        if name in ("Customer", "Vendor", "Item"):
            sub(element, "ActiveStatus", "All")
        if name == "Vendor":
            sub(element, "IncludeRetElement", "ListID")
            sub(element, "IncludeRetElement", "Name")
        out.append((name, element))
    return out


def page_rets(rs):
    return [child for child in rs if isinstance(child.tag, str) and child.tag.endswith("Ret")]


def convert(name, rets):
    """A page of a list as snapshot rows."""
    if name == "Customer":
        return [customer_obj(ret) for ret in rets]
    if name == "Item":
        return [item_obj(ret) for ret in rets]
    return [name_of(ret) for ret in rets]


def _attachment(job):
    return job.env["ir.attachment"].sudo().search([
        ("res_model", "=", "quickbooks.sync.job"), ("res_id", "=", job.id), ("name", "=", SNAPSHOT_NAME)], limit=1)


def empty_snapshot():
    return {"Customer": [], "Item": [], "names": {"Vendor": []}}


def add_pages(job, pages):
    """Append converted pages ``[(list, rows)]`` to the job's snapshot."""
    attachment = _attachment(job)
    snapshot = json.loads(attachment.raw) if attachment else empty_snapshot()
    for name, rows in pages:
        if name in ("Customer", "Item"):
            snapshot[name].extend(rows)
        else:
            snapshot["names"].setdefault(name, []).extend(rows)
    raw = json.dumps(snapshot).encode()
    if attachment:
        attachment.raw = raw
    else:
        job.env["ir.attachment"].sudo().create({
            "name": SNAPSHOT_NAME, "raw": raw, "mimetype": "application/json",
            "res_model": "quickbooks.sync.job", "res_id": job.id,
        })
    return snapshot


def latest_snapshot(connection):
    """``(job, snapshot)`` of the last complete read of this company file, or ``(None, None)``."""
    job = connection.env["quickbooks.sync.job"].sudo().search([
        ("connection_id", "=", connection.id), ("qbo_entity", "=", ENTITY), ("state", "=", "done"),
        ("realm_id", "=", connection.realm_id)], order="done_at desc, id desc", limit=1)
    attachment = _attachment(job) if job else None
    if not attachment:
        return None, None
    return job, json.loads(attachment.raw)


def finish(job, snapshot, problems):
    counts = {"customers": len(snapshot["Customer"]), "items": len(snapshot["Item"]),
              "names": sum(len(names) for names in snapshot["names"].values())}
    text = job.env._(
        "Read %(customers)s customers and jobs, %(items)s items and %(names)s vendor names from QuickBooks Desktop. "
        "Open QuickBooks > Configuration > Import from QuickBooks to preview what would be linked, created and "
        "skipped, then import.", **counts)
    if problems:
        text += "\n" + "\n".join(problems)
    job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False, "fault_message": text,
               "summary": counts})


def describe(rs):
    return etree.tostring(rs, encoding="unicode")[:2000]
