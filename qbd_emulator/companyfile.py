"""QuickBooks Desktop with its company files, as an application reaches it through the request
processor (QBXMLRP2): ``begin_session`` / ``process_request`` / ``end_session``.

* ``begin_session(path)`` opens a session on a company file: ``""`` means the file open in
  QuickBooks (0x80040416 when none is), another file than the open one is 0x8004040A, an unknown
  path 0x80040403.  Faults can make it fail as QuickBooks does when it cannot start (0x80040408),
  shows a modal dialog (0x80040414, "busy") or when the user denied the application (0x80040420).
* ``process_request(ticket, qbxml)`` runs a message set (``processor.py``) and returns QuickBooks'
  response text, or raises ``QBError`` (an HRESULT and its message) when there is no response.
* State lives in SQLite (``store.py``); sessions and their iterators live in this object, as they
  live in the QuickBooks process.

Faults (``faults.add``; the control API's ``/_qbd/faults``) are rows of the database, so a company
file opened by another process (a Web Connector that opens it itself) sees them too.
"""

import copy
import json
import pathlib
import threading
import time
import uuid

from . import lists, objects, processor, qbxml, status, txns
from .clock import Clock
from .context import Ctx
from .faults import Faults
from .host import supported_versions
from .status import MachineDown, QBError
from .store import Store

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
DEFAULT_FIXTURE = "service"


def load_fixture(name_or_path):
    path = pathlib.Path(name_or_path)
    if not path.suffix:
        path = FIXTURES / f"{name_or_path}.json"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in FIXTURES.glob("*.json")))
        raise ValueError(f"unknown fixture {name_or_path!r} (available: {available})")
    return json.loads(path.read_text(encoding="utf-8"))


def fixture_names():
    return sorted(p.stem for p in FIXTURES.glob("*.json"))


def same_path(a, b):
    """Windows paths: case-insensitive, either slash."""
    return (a or "").replace("/", "\\").strip().lower() == (b or "").replace("/", "\\").strip().lower()


class Session:
    def __init__(self, company, app_name, app_id, read_only):
        self.ticket = "{" + str(uuid.uuid4()).upper() + "}"
        self.company = company
        self.app_name = app_name
        self.app_id = app_id
        self.read_only = read_only
        self.iterators = {}
        self.dead = False
        self.opened = time.time()


class CompanyFile:
    """QuickBooks Desktop and its company files, kept in the SQLite file ``db_path``."""

    def __init__(self, db_path, *, clock=None, seed=True, fixture=DEFAULT_FIXTURE, sleep=time.sleep):
        self.store = Store(db_path)
        self.clock = clock or Clock()
        self.faults = Faults(self.store)
        self.sessions = {}
        self._lock = threading.Lock()
        self._sleep = sleep
        if seed:
            with self.store.write() as db:
                if db.execute("SELECT 1 FROM companies LIMIT 1").fetchone() is None:
                    path = self._seed(db, fixture)
                    self.store.set_meta(db, "open_company", path)

    # -- the request processor --------------------------------------------------------------------

    def begin_session(self, company_file="", app_name="", app_id="", read_only=False):
        """A ticket for a session on ``company_file`` ("" = the file open in QuickBooks)."""
        error = None
        with self.store.write() as db:  # committed even when the session is refused (faults are used up)
            fault = self.faults.take(db, "open", company=company_file or self.open_company(), app=app_name)
            open_company = self.store.get_meta(db, "open_company")
            path = None
            if fault is not None:
                error = {"not_running": status.COULD_NOT_START, "busy": status.MODAL_DIALOG,
                         "access_denied": status.ACCESS_DENIED}[fault["kind"]]
                self._log(db, company_file, f"BeginSession failed (injected fault {fault['kind']}): {error[1]}")
            elif not company_file:
                if not open_company:
                    error = status.NO_FILE_OPEN
                path = open_company
            else:
                path = self._company_path(db, company_file)
                if path is None:
                    self._log(db, company_file, f"BeginSession: no company file at {company_file}")
                    error = status.CANNOT_OPEN_FILE
                elif open_company and not same_path(open_company, path):
                    error = status.OTHER_FILE_OPEN
            if error is None:
                self.store.bump(db, path, "sessions")
                info = json.loads(db.execute("SELECT info FROM companies WHERE path = ?", (path,)).fetchone()["info"])
        if error is not None:
            raise status.qb_error(error)
        session = Session(path, app_name, app_id, read_only)
        session.versions = list(supported_versions(info))
        session.country = info.get("host", {}).get("Country", "US")
        with self._lock:
            self.sessions[session.ticket] = session
        return session

    def process_request(self, ticket, request, internal=False):
        """The response text for a qbXML message set, or QBError; MachineDown when a fault
        simulates the machine going down after QuickBooks committed.  ``internal``: the Web
        Connector's own queries (host, company, preferences), which message-set faults skip."""
        session = self._session(ticket)
        if session.dead:
            raise status.qb_error(status.DISCONNECTED)
        with self.store.read() as db:
            info = json.loads(db.execute("SELECT info FROM companies WHERE path = ?",
                                         (session.company,)).fetchone()["info"])
        try:
            message_set = qbxml.read_message_set(request, supported_versions(info))
            requests = processor.check(message_set)
        except QBError as error:
            with self.store.write() as db:
                self.store.bump(db, session.company, "parse_errors")
                self._log(db, session.company, f"ProcessRequest: {error.message} {error.detail}")
            raise
        names = [r.name for r in requests]
        fault = None
        if not internal:
            with self.store.write() as db:
                fault = self.faults.take(db, "process", company=session.company, app=session.app_name,
                                         requests=names)

        def status_faults(name):
            with self.store.write() as db:
                rule = self.faults.take(db, "status", company=session.company, app=session.app_name, requests=[name])
            return rule

        use_status_faults = not internal and self.faults.has_status_rules()
        response = processor.run(self, session, requests, message_set.on_error,
                                 status_faults if use_status_faults else None)
        if fault is not None:
            kind = fault["kind"]
            if kind == "slow":
                self._sleep(fault["delay"])
            elif kind == "response_lost":
                session.dead = True
                raise status.qb_error(status.SERVER_DIED, "injected fault: response lost after commit")
            elif kind == "crash":
                session.dead = True
                raise MachineDown("injected fault: the machine went down after QuickBooks committed")
        return response

    def end_session(self, ticket):
        with self._lock:
            self.sessions.pop(ticket, None)

    def _session(self, ticket):
        with self._lock:
            session = self.sessions.get(ticket)
        if session is None:
            raise status.qb_error(status.INVALID_TICKET)
        return session

    def process(self, request, company_file="", app_name="qbd_emulator"):
        """One message set in a session of its own (the SDK test tool's way)."""
        session = self.begin_session(company_file, app_name)
        try:
            return self.process_request(session.ticket, request)
        finally:
            self.end_session(session.ticket)

    # -- company files ---------------------------------------------------------------------------

    def _company_path(self, db, path):
        for row in db.execute("SELECT path FROM companies").fetchall():
            if same_path(row["path"], path):
                return row["path"]
        return None

    def open_company(self):
        with self.store.read() as db:
            return self.store.get_meta(db, "open_company")

    def set_open_company(self, path):
        """What the user has open in QuickBooks (None: QuickBooks runs with no file open)."""
        with self.store.write() as db:
            if path is not None:
                found = self._company_path(db, path)
                if found is None:
                    raise ValueError(f"no company file {path!r}")
                path = found
            self.store.set_meta(db, "open_company", path)
        return path

    def companies(self):
        with self.store.read() as db:
            rows = db.execute("SELECT path, fixture, created, info FROM companies ORDER BY created, path").fetchall()
            open_company = self.store.get_meta(db, "open_company")
        result = []
        for row in rows:
            info = json.loads(row["info"])
            result.append({"path": row["path"], "fixture": row["fixture"],
                           "company_name": info.get("company", {}).get("CompanyName", ""),
                           "open": same_path(row["path"], open_company)})
        return result

    def create_company(self, fixture=DEFAULT_FIXTURE, path=None, company_name=None, open_it=False):
        with self.store.write() as db:
            path = self._seed(db, fixture, path, company_name)
            if open_it:
                self.store.set_meta(db, "open_company", path)
        return path

    def reset_company(self, path, fixture=None):
        with self.store.write() as db:
            found = self._company_path(db, path)
            if found is None:
                raise ValueError(f"no company file {path!r}")
            row = db.execute("SELECT fixture, info FROM companies WHERE path = ?", (found,)).fetchone()
            name = json.loads(row["info"]).get("company", {}).get("CompanyName")
            self._delete(db, found)
            self._seed(db, fixture or row["fixture"] or DEFAULT_FIXTURE, found, name)
        with self._lock:
            for ticket in [t for t, s in self.sessions.items() if same_path(s.company, found)]:
                self.sessions[ticket].iterators.clear()
        return found

    def delete_company(self, path):
        with self.store.write() as db:
            found = self._company_path(db, path)
            if found is None:
                return False
            self._delete(db, found)
            if same_path(self.store.get_meta(db, "open_company"), found):
                self.store.set_meta(db, "open_company", None)
        return True

    def reset(self):
        """Everything back to a fresh install: the default company file, open."""
        with self.store.write() as db:
            for table in ("objects", "sequences", "counters", "companies", "faults", "sdklog"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            path = self._seed(db, DEFAULT_FIXTURE)
            self.store.set_meta(db, "open_company", path)
        with self._lock:
            self.sessions.clear()
        self.clock.set_offset(0)
        return path

    @staticmethod
    def _delete(db, path):
        for table in ("objects", "sequences", "counters", "faults", "sdklog"):
            db.execute(f"DELETE FROM {table} WHERE company = ?", (path,))  # noqa: S608
        db.execute("DELETE FROM companies WHERE path = ?", (path,))

    def _seed(self, db, fixture, path=None, company_name=None):
        data = fixture if isinstance(fixture, dict) else load_fixture(fixture)
        path = path or data["path"]
        if self._company_path(db, path) is not None:
            raise ValueError(f"a company file already exists at {path!r}")
        info = {key: copy.deepcopy(data[key]) for key in ("timezone", "host", "company", "preferences") if key in data}
        if company_name:
            info.setdefault("company", {})["CompanyName"] = company_name
        info["data_ext"] = []
        db.execute("INSERT INTO companies (path, fixture, created, info) VALUES (?, ?, ?, ?)",
                   (path, data.get("name") or (fixture if isinstance(fixture, str) else None), self.clock.now(),
                    json.dumps(info)))
        ctx = Ctx(self, db, path)
        for kind, records in data.get("lists", {}).items():
            for record in records:
                _seed_list(ctx, kind, copy.deepcopy(record))
        self._resolve_preferences(ctx)
        self._add(ctx, data.get("objects", {}))
        return path

    @staticmethod
    def _resolve_preferences(ctx):
        """Fixture preferences name their lists by FullName; QuickBooks returns both ids."""
        prefs = ctx.info.get("preferences", {}).get("SalesTaxPreferences")
        if prefs:
            for key in ("DefaultItemSalesTaxRef", "DefaultTaxableSalesTaxCodeRef", "DefaultNonTaxableSalesTaxCodeRef"):
                if key in prefs:
                    kinds = ("ItemSalesTax",) if key.startswith("DefaultItem") else ("SalesTaxCode",)
                    target = ctx.lookup(prefs[key], kinds)
                    if target is not None:
                        prefs[key] = {"ListID": target["ListID"], "FullName": target["Name"]}
            ctx.db.execute("UPDATE companies SET info = ? WHERE path = ?", (json.dumps(ctx.info), ctx.company))

    # -- control: objects and counts --------------------------------------------------------------------

    def add_objects(self, path, data):
        """Add objects the way the requests do (``{"Customer": [{...CustomerAdd...}], ...}``), all or
        nothing; returns {kind: [ids]}.  Raises ValueError with QuickBooks' status on a refusal."""
        with self.store.write() as db:
            found = self._company_path(db, path)
            if found is None:
                raise ValueError(f"no company file {path!r}")
            return self._add(Ctx(self, db, found), data)

    def _add(self, ctx, data):
        created = {}
        refs = {}
        for kind, records in data.items():
            ids = []
            for index, record in enumerate(records):
                record = _resolve_placeholders(copy.deepcopy(record), refs)
                warnings = []
                try:
                    if kind in lists.LISTS:
                        obj = lists.add(ctx, kind, qbxml.latin1(record), warnings)
                    elif kind in ("Invoice", "CreditMemo"):
                        obj = txns.add_sales_form(ctx, kind, qbxml.latin1(record), warnings)
                    elif kind == "ReceivePayment":
                        obj = txns.add_payment(ctx, qbxml.latin1(record), warnings)
                    elif kind in SEED_ONLY:
                        obj = _seed_list(ctx, kind, record)
                    else:
                        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(ADDABLE)})")
                except status.StatusError as error:
                    raise ValueError(f"{kind} #{index} refused: {error.code} {error.message}") from error
                object_id = obj.get("ListID") or obj.get("TxnID")
                ids.append(object_id)
                if obj.get("RefNumber"):
                    refs[f"${kind}:{obj['RefNumber']}"] = object_id
            created[kind] = ids
        return created

    def objects(self, path, kind, include_deleted=False):
        with self.store.read() as db:
            found = self._company_path(db, path)
            if found is None:
                raise ValueError(f"no company file {path!r}")
            ctx = Ctx(self, db, found)
            where = "" if include_deleted else "status != 'deleted'"
            rows = objects.rows(db, found, (kind,), where, order="seq")
            balances = None
            if kind == "Customer":
                from .queries import customer_balances  # noqa: PLC0415

                balances = customer_balances(ctx)
        result = []
        for row in rows:
            obj = {k: v for k, v in row.items() if not k.startswith("_")}
            if balances is not None:
                own, total = balances.get(row["ListID"], (0, 0))
                obj["Balance"] = qbxml.fmt_amount(qbxml.from_cents(own))
                obj["TotalBalance"] = qbxml.fmt_amount(qbxml.from_cents(total))
            obj["_emulator"] = {"status": row["_status"], "modified": row["_modified"]}
            result.append(obj)
        return result

    def count(self, path, kind, ref_number=None, name=None, include_deleted=False):
        """How many objects of a kind carry a RefNumber (case-insensitive, as InvoiceQuery's) or a
        (full) name: proves that a retry made no duplicate."""
        with self.store.read() as db:
            found = self._company_path(db, path)
            if found is None:
                raise ValueError(f"no company file {path!r}")
            sql = "SELECT id FROM objects WHERE company = ? AND kind = ?"
            params = [found, kind]
            if not include_deleted:
                sql += " AND status != 'deleted'"
            if ref_number is not None:
                sql += " AND ref_number = ? COLLATE NOCASE"
                params.append(ref_number)
            if name is not None:
                sql += " AND name_key = ?"
                params.append(name.lower())
            ids = [row["id"] for row in db.execute(sql + " ORDER BY seq", params).fetchall()]
        return {"company": found, "kind": kind, "count": len(ids), "ids": ids}

    def stats(self, path=None):
        with self.store.read() as db:
            return self.store.counters(db, path)

    def sdklog(self, path=None, limit=200):
        with self.store.read() as db:
            if path:
                rows = db.execute("SELECT at, text FROM sdklog WHERE company = ? ORDER BY id DESC LIMIT ?",
                                  (path, limit)).fetchall()
            else:
                rows = db.execute("SELECT at, text FROM sdklog ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [{"at": row["at"], "text": row["text"]} for row in reversed(rows)]

    def _log(self, db, company, text):
        """qbsdklog.txt: where QuickBooks says why it refused a request set."""
        db.execute("INSERT INTO sdklog (company, at, text) VALUES (?, ?, ?)", (company or "", self.clock.now(), text))

    def session_list(self):
        with self._lock:
            return [{"ticket": s.ticket, "company": s.company, "app_name": s.app_name, "dead": s.dead,
                     "iterators": len(s.iterators)} for s in self.sessions.values()]


# Lists the fixtures fill in but requests cannot add in this stand-in (no AccountAdd & co).
SEED_ONLY = ("Account", "StandardTerms", "DateDrivenTerms", "Class", "SalesTaxCode", "ItemSalesTax",
             "PaymentMethod", "Employee", "OtherName")
ADDABLE = (*lists.LISTS, "Invoice", "CreditMemo", "ReceivePayment", *SEED_ONLY)
NESTED = ("Account", "Class")
BOOLS = ("IsActive", "IsTaxable", "IsSalesTaxAgency")


def _seed_list(ctx, kind, record):
    """A list element from a fixture: ids, names and hierarchy as QuickBooks keeps them."""
    if kind in lists.LISTS:
        return lists.add(ctx, kind, record, [])
    from .rets import ORDER  # noqa: PLC0415

    name = record["Name"]
    parent = None
    if "ParentRef" in record:
        parent = ctx.lookup(record.pop("ParentRef"), (kind,))
        if parent is None:
            raise ValueError(f"{kind} {name!r}: unknown parent")
    full_name = f"{parent['FullName']}:{name}" if parent else name
    if objects.name_taken(ctx.db, ctx.company, objects.SPACES[kind], full_name):
        raise status.name_in_use(full_name)
    obj = {"ListID": ctx.list_id(), "TimeCreated": ctx.stamp(), "TimeModified": ctx.stamp(),
           "EditSequence": objects.next_edit_sequence(ctx.now), "Name": name}
    if kind in NESTED:
        obj["FullName"] = full_name
    obj["IsActive"] = record.pop("IsActive", True)
    if kind in NESTED:
        if parent is not None:
            obj["ParentRef"] = {"ListID": parent["ListID"], "FullName": parent["FullName"]}
        obj["Sublevel"] = parent.get("Sublevel", 0) + 1 if parent else 0
    for key in ("TaxVendorRef",):
        if key in record:
            record[key], _ = ctx.resolve(key, record[key], kind)
    obj.update({k: v for k, v in record.items() if k != "Name"})
    ordered = {key: obj[key] for key in ORDER.get(f"{kind}Ret", tuple(obj)) if key in obj}
    ordered.update({k: v for k, v in obj.items() if k not in ordered})
    objects.save(ctx.store, ctx.db, ctx.company, kind, ordered, ctx.now,
                 key_fields={"name_key": full_name.lower(),
                             "parent_id": (ordered.get("ParentRef") or {}).get("ListID"),
                             "active": ordered["IsActive"]})
    ctx.forget()
    return ordered


def _resolve_placeholders(value, refs):
    """Fixture transactions name earlier ones as ``"$Invoice:1001"`` (their TxnID is only known once
    they exist)."""
    if isinstance(value, dict):
        return {k: _resolve_placeholders(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_placeholders(v, refs) for v in value]
    if isinstance(value, str) and value.startswith("$") and value in refs:
        return refs[value]
    return value
