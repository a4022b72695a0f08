"""SQLite persistence: the company files, their lists and transactions, fault rules and counters.

One database file holds every company file (keyed by its path, ``C:\\...\\Bayside.qbw``).  State
survives restarts, and several processes may open the same database: the company file process and
a Web Connector that opens the file itself share it, as QuickBooks' multi-user mode does.

Every thread gets its own connection; writes run inside ``BEGIN IMMEDIATE`` (which serialises
writers across processes) under a process-wide lock, so "is this EditSequence current? then change
it" is atomic.  A qbXML message set runs in one write transaction.
"""

import contextlib
import json
import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS companies (
    path TEXT PRIMARY KEY,
    fixture TEXT,
    created REAL NOT NULL,
    info TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS objects (
    company TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    space TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name_key TEXT,
    parent_id TEXT,
    ref_number TEXT,
    customer_id TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'live',
    created REAL NOT NULL,
    modified REAL NOT NULL,
    txn_date TEXT,
    open_cents INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    PRIMARY KEY (company, kind, id)
);
CREATE INDEX IF NOT EXISTS objects_space_name ON objects (company, space, name_key);
CREATE INDEX IF NOT EXISTS objects_kind_seq ON objects (company, kind, seq);
CREATE INDEX IF NOT EXISTS objects_kind_name ON objects (company, kind, name_key);
CREATE INDEX IF NOT EXISTS objects_kind_modified ON objects (company, kind, modified);
CREATE INDEX IF NOT EXISTS objects_kind_ref ON objects (company, kind, ref_number COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS objects_customer ON objects (company, customer_id);
CREATE INDEX IF NOT EXISTS objects_parent ON objects (company, kind, parent_id);
CREATE TABLE IF NOT EXISTS sequences (
    company TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (company, name)
);
CREATE TABLE IF NOT EXISTS counters (
    company TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (company, name)
);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company TEXT,
    kind TEXT NOT NULL,
    match TEXT NOT NULL,
    remaining INTEGER NOT NULL,
    delay REAL NOT NULL,
    fired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sdklog (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company TEXT,
    at REAL NOT NULL,
    text TEXT NOT NULL
);
"""


class Store:
    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        with self._write_lock:
            conn = self._connection()
            conn.executescript(SCHEMA)

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            self._local.depth = 0
            self._local.writing = False
        return conn

    @contextlib.contextmanager
    def read(self):
        """A consistent snapshot (nested inside ``write`` it joins that transaction)."""
        conn = self._connection()
        if self._local.depth:
            yield conn
            return
        conn.execute("BEGIN")
        self._local.depth += 1
        try:
            yield conn
        finally:
            self._local.depth -= 1
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self):
        """An exclusive write transaction; nested calls join the outer one."""
        conn = self._connection()
        if self._local.depth:
            if not self._local.writing:
                raise RuntimeError("cannot upgrade a read transaction to a write transaction")
            yield conn
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.depth += 1
            self._local.writing = True
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.depth -= 1
                self._local.writing = False

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def get_meta(db, key, default=None):
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    @staticmethod
    def set_meta(db, key, value):
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))

    @staticmethod
    def bump(db, company, name, amount=1):
        db.execute("INSERT INTO counters (company, name, value) VALUES (?, ?, ?) "
                   "ON CONFLICT (company, name) DO UPDATE SET value = value + excluded.value",
                   (company or "", name, amount))

    @staticmethod
    def counters(db, company=None):
        if company is None:
            rows = db.execute("SELECT name, SUM(value) AS value FROM counters GROUP BY name").fetchall()
        else:
            rows = db.execute("SELECT name, value FROM counters WHERE company = ?", (company,)).fetchall()
        return {row["name"]: row["value"] for row in rows}

    @staticmethod
    def next_value(db, company, name, start=1):
        row = db.execute(
            "INSERT INTO sequences (company, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (company, name) DO UPDATE SET value = value + 1 RETURNING value",
            (company, name, start),
        ).fetchone()
        return row["value"]

    @staticmethod
    def raise_sequence(db, company, name, at_least):
        db.execute("INSERT INTO sequences (company, name, value) VALUES (?, ?, ?) "
                   "ON CONFLICT (company, name) DO UPDATE SET value = MAX(value, excluded.value)",
                   (company, name, at_least))
