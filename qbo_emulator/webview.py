"""A read-only web view of a company, served under ``/app`` only when the control API is on.

It answers the paths of QuickBooks Online's own web app, so that an "Open in QuickBooks"
link built for Intuit (``https://qbo.intuit.com/app/invoice?txnId=130``) opens the same
object on the emulator when its base is the emulator's URL:

* lists: ``/app/customers``, ``/app/vendors``, ``/app/items``, ``/app/invoices``,
  ``/app/payments``, ``/app/creditmemos``, ``/app/bills``, ``/app/timeactivities``...;
* one object: ``/app/invoice?txnId=``, ``/app/creditmemo?txnId=``, ``/app/recvpayment?txnId=``,
  ``/app/bill?txnId=``, ``/app/customerdetail?nameId=``, ``/app/vendordetail?nameId=`` and
  ``/app/<entity>?txnId=`` for any other transaction.

QuickBooks' links carry no company id (the signed-in session chooses the company).  Here the
company is ``?realmId=`` when given, else the one chosen last (a cookie), else the company
served with ``--realm``, else the only company, else the most recently changed company that
holds the object asked for.  Nothing here writes.
"""

import html
import json

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from . import entities, objects, realms

COOKIE = "qbo_emulator_realm"

# list path -> (entity, title)
LISTS = {
    "customers": ("Customer", "Customers"),
    "vendors": ("Vendor", "Vendors"),
    "employees": ("Employee", "Employees"),
    "items": ("Item", "Products and services"),
    "accounts": ("Account", "Chart of accounts"),
    "invoices": ("Invoice", "Invoices"),
    "payments": ("Payment", "Payments"),
    "creditmemos": ("CreditMemo", "Credit memos"),
    "bills": ("Bill", "Bills"),
    "billpayments": ("BillPayment", "Bill payments"),
    "vendorcredits": ("VendorCredit", "Vendor credits"),
    "expenses": ("Purchase", "Expenses"),
    "timeactivities": ("TimeActivity", "Time activities"),
    "estimates": ("Estimate", "Estimates"),
    "salesreceipts": ("SalesReceipt", "Sales receipts"),
    "refundreceipts": ("RefundReceipt", "Refund receipts"),
    "deposits": ("Deposit", "Deposits"),
    "transfers": ("Transfer", "Transfers"),
    "journalentries": ("JournalEntry", "Journal entries"),
    "purchaseorders": ("PurchaseOrder", "Purchase orders"),
    "attachments": ("Attachable", "Attachments"),
}
# detail path -> entity (QuickBooks' own page names first)
DETAILS = {
    "invoice": "Invoice", "creditmemo": "CreditMemo", "recvpayment": "Payment", "payment": "Payment",
    "bill": "Bill", "billpayment": "BillPayment", "vendorcredit": "VendorCredit", "expense": "Purchase",
    "purchase": "Purchase", "timeactivity": "TimeActivity", "customerdetail": "Customer",
    "vendordetail": "Vendor", "employeedetail": "Employee", "item": "Item", "account": "Account",
    "journal": "JournalEntry", "attachable": "Attachable",
}
_NAME_ALIASES = {"Customer": "customerdetail", "Vendor": "vendordetail", "Employee": "employeedetail"}


def _esc(value):
    return html.escape("" if value is None else str(value))


def _ref(value):
    if isinstance(value, dict):
        return value.get("name") or value.get("value") or ""
    return value or ""


def _money(value):
    if value in (None, ""):
        return ""
    try:
        return f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _line_item(line):
    detail = line.get("SalesItemLineDetail") or line.get("ItemBasedExpenseLineDetail") or {}
    return _ref(detail.get("ItemRef"))


def detail_path(entity):
    """The page that shows one ``entity`` object, and the parameter carrying its id."""
    if entity in _NAME_ALIASES:
        return _NAME_ALIASES[entity], "nameId"
    if entity == "Payment":
        return "recvpayment", "txnId"
    spec = entities.get(entity)
    param = "txnId" if spec is not None and spec.kind == "txn" else "nameId"
    return entity.lower(), param


def _page(title, body, realm=None, companies=()):
    nav = ""
    if realm:
        links = " · ".join(f"<a href='/app/{path}?realmId={_esc(realm['realm_id'])}'>{_esc(label)}</a>"
                           for path, (_entity, label) in LISTS.items())
        choose = "".join(
            f"<option value='{_esc(c['realm_id'])}'{' selected' if c['realm_id'] == realm['realm_id'] else ''}>"
            f"{_esc(c['company_name'])} ({_esc(c['realm_id'])})</option>" for c in companies)
        nav = (f"<header><strong>{_esc(realm['company_name'])}</strong> <small>company ID "
               f"{_esc(realm['realm_id'])} · {_esc(realm['environment'])}</small>"
               f"<form method='get' action='/app' style='display:inline;margin-left:16px'>"
               f"<select name='realmId' onchange='this.form.submit()'>{choose}</select></form>"
               f"<nav>{links}</nav></header>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_esc(title)} - QuickBooks Online emulator</title><style>"
        "body{font-family:system-ui,sans-serif;margin:0;color:#393a3d;background:#f4f5f8}"
        "header{background:#2ca01c;color:#fff;padding:12px 24px}header a{color:#fff}"
        "header nav{margin-top:6px;font-size:14px}main{padding:16px 24px}"
        "table{border-collapse:collapse;background:#fff;width:100%}"
        "th,td{border-bottom:1px solid #ddd;padding:6px 10px;text-align:left}td.num,th.num{text-align:right}"
        "pre{background:#fff;padding:12px;overflow:auto;border:1px solid #ddd}"
        ".note{color:#6b6c72;font-size:13px}</style></head><body>"
        f"{nav}<main><h1>{_esc(title)}</h1>{body}"
        "<p class='note'>QuickBooks Online emulator: a read-only view of what the API stored.</p>"
        "</main></body></html>"
    )


def _html(text, status=200, realm_id=None):
    response = Response(text, status=status, content_type="text/html; charset=utf-8")
    if realm_id:
        response.set_cookie(COOKIE, realm_id, httponly=True, samesite="Lax")
    return response


def _company(db, realm_id):
    return next((c for c in realms.list_realms(db) if c["realm_id"] == realm_id), None)


def _resolve_realm(emulator, db, request, entity=None, object_id=None):
    companies = realms.list_realms(db)
    known = {c["realm_id"] for c in companies}
    for candidate in (request.args.get("realmId"), request.cookies.get(COOKIE), emulator.default_realm):
        if candidate and candidate in known:
            if entity is None or request.args.get("realmId") == candidate or \
                    objects.get(db, candidate, entity, object_id) is not None:
                return candidate
    if len(companies) == 1:
        return companies[0]["realm_id"]
    if entity is not None:
        row = db.execute(
            "SELECT realm_id FROM objects WHERE entity = ? AND id = ? AND status != 'deleted'"
            " ORDER BY updated DESC LIMIT 1", (entity, _int(object_id))).fetchone()
        if row is not None:
            return row["realm_id"]
    return companies[0]["realm_id"] if companies else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def dispatch(emulator, request, page):
    if not emulator.control_enabled:
        raise NotFound()
    page = (page or "").strip("/").lower()
    with emulator.store.read() as db:
        if page in ("", "homepage", "dashboard"):
            return _home(emulator, db, request)
        if page in LISTS:
            return _list(emulator, db, request, *LISTS[page])
        entity = DETAILS.get(page) or (entities.get(page).name if entities.get(page) else None)
        if entity is None:
            return _html(_page("Not found", f"<p>The emulator has no page <code>/app/{_esc(page)}</code>.</p>"),
                         status=404)
        object_id = request.args.get("txnId") or request.args.get("nameId") or request.args.get("id")
        if not object_id:
            plural = next((path for path, (name, _label) in LISTS.items() if name == entity), None)
            if plural:
                return _list(emulator, db, request, *LISTS[plural])
            return _html(_page("Not found", "<p>Which one? Add <code>?txnId=</code> or <code>?nameId=</code>.</p>"),
                         status=404)
        return _detail(emulator, db, request, entity, object_id)


def _home(emulator, db, request):
    realm_id = _resolve_realm(emulator, db, request)
    companies = realms.list_realms(db)
    realm = _company(db, realm_id) if realm_id else None
    if realm is None:
        return _html(_page("QuickBooks Online emulator", "<p>No company yet.</p>"))
    counts = dict(db.execute(
        "SELECT entity, COUNT(*) FROM objects WHERE realm_id = ? AND status != 'deleted' GROUP BY entity",
        (realm_id,)).fetchall())
    rows = "".join(
        f"<tr><td><a href='/app/{path}?realmId={_esc(realm_id)}'>{_esc(label)}</a></td>"
        f"<td class='num'>{counts.get(entity, 0)}</td></tr>"
        for path, (entity, label) in LISTS.items())
    body = f"<table><tr><th>List</th><th class='num'>Count</th></tr>{rows}</table>"
    return _html(_page(realm["company_name"], body, realm, companies), realm_id=realm_id)


def _columns(entity):
    """(heading, function of the object, numeric?) for a list of ``entity``."""
    spec = entities.get(entity)
    if spec is not None and spec.kind == "txn":
        owner = objects.OWNER_REFS.get(entity)
        columns = [("No.", lambda o: o.get("DocNumber", ""), False), ("Date", lambda o: o.get("TxnDate", ""), False)]
        if owner:
            columns.append((owner.replace("Ref", ""), lambda o: _ref(o.get(owner)), False))
        if entity == "TimeActivity":
            columns += [("Employee", lambda o: _ref(o.get("EmployeeRef") or o.get("VendorRef")), False),
                        ("Hours", lambda o: f"{o.get('Hours', 0)}:{int(o.get('Minutes', 0) or 0):02d}", True),
                        ("Billable", lambda o: o.get("BillableStatus", ""), False)]
        elif entity in ("Transfer", "CreditCardPayment"):
            columns.append(("Amount", lambda o: _money(o.get("Amount")), True))
        else:
            columns.append(("Total", lambda o: _money(o.get("TotalAmt")), True))
            if entity in ("Invoice", "Bill", "VendorCredit"):
                columns.append(("Balance", lambda o: _money(o.get("Balance")), True))
            if entity == "CreditMemo":
                columns.append(("Remaining credit", lambda o: _money(o.get("RemainingCredit")), True))
            if entity == "Payment":
                columns.append(("Unapplied", lambda o: _money(o.get("UnappliedAmt")), True))
            if entity in ("Estimate", "PurchaseOrder"):
                columns.append(("Status", lambda o: o.get("TxnStatus") or o.get("POStatus") or "", False))
        return columns
    if entity == "Attachable":
        return [("File", lambda o: o.get("FileName") or "", False), ("Type", lambda o: o.get("ContentType", ""), False),
                ("Size", lambda o: o.get("Size", ""), True), ("Note", lambda o: o.get("Note", ""), False)]
    name_field = objects.NAME_FIELDS.get(entity, "Name")
    columns = [("Name", lambda o: o.get(name_field, ""), False)]
    if entity in ("Customer", "Vendor"):
        columns += [("Company", lambda o: o.get("CompanyName", ""), False),
                    ("Email", lambda o: (o.get("PrimaryEmailAddr") or {}).get("Address", ""), False),
                    ("Balance", lambda o: _money(o.get("Balance")), True)]
    elif entity == "Item":
        columns += [("Type", lambda o: o.get("Type", ""), False), ("SKU", lambda o: o.get("Sku", ""), False),
                    ("Price", lambda o: _money(o.get("UnitPrice")), True)]
    elif entity == "Account":
        columns += [("Type", lambda o: o.get("AccountType", ""), False),
                    ("Balance", lambda o: _money(o.get("CurrentBalance")), True)]
    columns.append(("Active", lambda o: "yes" if o.get("Active", True) else "no", False))
    return columns


def _list(emulator, db, request, entity, title):
    realm_id = _resolve_realm(emulator, db, request)
    realm = _company(db, realm_id) if realm_id else None
    if realm is None:
        return _html(_page(title, "<p>No company yet.</p>"), status=404)
    rows = db.execute("SELECT status, data FROM objects WHERE realm_id = ? AND entity = ? AND status != 'deleted'"
                      " ORDER BY id DESC LIMIT 1000", (realm_id, entity)).fetchall()
    columns = _columns(entity)
    page, param = detail_path(entity)
    head = "".join(f"<th{' class=num' if num else ''}>{_esc(h)}</th>" for h, _f, num in columns)
    body_rows = []
    totals = {}
    for row in rows:
        obj = json.loads(row["data"])
        cells = "".join(f"<td{' class=num' if num else ''}>{_esc(f(obj))}</td>" for _h, f, num in columns)
        status = "voided" if row["status"] == "voided" else ""
        body_rows.append(f"<tr><td><a href='/app/{page}?{param}={_esc(obj['Id'])}&realmId={_esc(realm_id)}'>"
                         f"{_esc(obj['Id'])}</a></td>{cells}<td>{status}</td></tr>")
        for key in ("TotalAmt", "Balance"):
            if isinstance(obj.get(key), (int, float)):
                totals[key] = totals.get(key, 0) + obj[key]
    summary = "".join(f"<p>{'Total' if key == 'TotalAmt' else 'Open balance'}: <strong>{_money(value)}</strong></p>"
                      for key, value in totals.items())
    table = (f"<p>{len(rows)} {_esc(title.lower())}</p>{summary}<table><tr><th>Id</th>{head}<th></th></tr>"
             f"{''.join(body_rows)}</table>")
    return _html(_page(title, table, realm, realms.list_realms(db)), realm_id=realm_id)


def _detail(emulator, db, request, entity, object_id):
    realm_id = _resolve_realm(emulator, db, request, entity, object_id)
    realm = _company(db, realm_id) if realm_id else None
    obj = objects.get(db, realm_id, entity, object_id) if realm else None
    if obj is None:
        return _html(_page(f"{entity} {object_id}", f"<p>No {_esc(entity)} with id {_esc(object_id)} in this "
                                                     f"company.</p>", realm, realms.list_realms(db)), status=404)
    status = db.execute("SELECT status FROM objects WHERE realm_id = ? AND entity = ? AND id = ?",
                        (realm_id, entity, _int(object_id))).fetchone()["status"]
    facts = [(heading, f(obj)) for heading, f, _num in _columns(entity)]
    if status != "live":
        facts.append(("Status", status))
    facts_html = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in facts)
    lines = ""
    if isinstance(obj.get("Line"), list):
        items = "".join(
            f"<tr><td>{_esc(line.get('DetailType', ''))}</td><td>{_esc(line.get('Description', ''))}</td>"
            f"<td>{_esc(_line_item(line))}</td><td class='num'>{_money(line.get('Amount'))}</td></tr>"
            for line in obj["Line"])
        lines = ("<h2>Lines</h2><table><tr><th>Type</th><th>Description</th><th>Item</th>"
                 f"<th class='num'>Amount</th></tr>{items}</table>")
    raw = json.dumps(obj, indent=2, sort_keys=True)
    body = f"<table>{facts_html}</table>{lines}<h2>Raw JSON</h2><pre>{_esc(raw)}</pre>"
    title = f"{entity} {obj.get('DocNumber') or obj.get(objects.NAME_FIELDS.get(entity, 'Name')) or object_id}"
    return _html(_page(title, body, realm, realms.list_realms(db)), realm_id=realm_id)
