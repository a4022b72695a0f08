"""SQLite persistence for the emulator.

One database file holds every realm (company), the OAuth apps, grants and tokens, the
QuickBooks objects themselves and the idempotency cache.  State survives restarts.

Concurrency: the server is multi-threaded and several processes may share the file.
Every thread gets its own connection; writes run inside ``BEGIN IMMEDIATE`` (which also
serialises writers across processes) under a process-wide lock, so a read-check-write
sequence such as "is this SyncToken current? then bump it" is atomic.
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
CREATE TABLE IF NOT EXISTS apps (
    client_id TEXT PRIMARY KEY,
    client_secret TEXT NOT NULL,
    name TEXT NOT NULL,
    environment TEXT NOT NULL DEFAULT 'development',
    redirect_uris TEXT NOT NULL DEFAULT '["*"]'
);
CREATE TABLE IF NOT EXISTS realms (
    realm_id TEXT PRIMARY KEY,
    environment TEXT NOT NULL DEFAULT 'sandbox',
    fixture TEXT,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL,
    realm_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    created REAL NOT NULL,
    hard_expires REAL NOT NULL,
    revoked REAL,
    revoked_by TEXT
);
CREATE TABLE IF NOT EXISTS auth_codes (
    code TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    realm_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires REAL NOT NULL,
    used REAL,
    grant_id INTEGER
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    grant_id INTEGER NOT NULL,
    issued REAL NOT NULL,
    expires REAL NOT NULL,
    superseded REAL,
    revoked REAL
);
CREATE INDEX IF NOT EXISTS tokens_grant ON tokens (grant_id, kind);
CREATE TABLE IF NOT EXISTS objects (
    realm_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    id INTEGER NOT NULL,
    sync_token INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'live',
    name TEXT,
    doc_number TEXT,
    txn_date TEXT,
    ref_id TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (realm_id, entity, id)
);
CREATE INDEX IF NOT EXISTS objects_updated ON objects (realm_id, updated);
CREATE INDEX IF NOT EXISTS objects_name ON objects (realm_id, entity, name);
CREATE INDEX IF NOT EXISTS objects_doc_nocase ON objects (realm_id, entity, doc_number COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS objects_ref ON objects (realm_id, entity, ref_id);
CREATE INDEX IF NOT EXISTS objects_entity_updated ON objects (realm_id, entity, updated);
CREATE TABLE IF NOT EXISTS sequences (
    realm_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (realm_id, entity)
);
CREATE TABLE IF NOT EXISTS idempotency (
    realm_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    created REAL NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (realm_id, request_id)
);
CREATE TABLE IF NOT EXISTS webhook_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    realm_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    object_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    occurred REAL NOT NULL,
    event_id TEXT NOT NULL,
    delivered REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events (delivered, seq);
CREATE TABLE IF NOT EXISTS files (
    realm_id TEXT NOT NULL,
    attachable_id INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (realm_id, attachable_id)
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    events INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    realm_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (realm_id, name)
);
"""


class Store:
    def __init__(self, path):
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        with self._write_lock:
            # executescript() commits on its own, so it runs outside write().
            conn = self._connection()
            self._migrate(conn)
            conn.executescript(SCHEMA)
            self._migrate_data(conn)

    @staticmethod
    def _migrate(conn):
        """Bring a database written by an older emulator up to this schema."""
        columns = {row["name"] for row in conn.execute("PRAGMA table_info(objects)").fetchall()}
        if columns and "ref_id" not in columns:
            conn.execute("ALTER TABLE objects ADD COLUMN ref_id TEXT")
        conn.execute("DROP INDEX IF EXISTS objects_doc_number")
        grant_columns = {row["name"] for row in conn.execute("PRAGMA table_info(grants)").fetchall()}
        if grant_columns and "revoked_by" not in grant_columns:
            conn.execute("ALTER TABLE grants ADD COLUMN revoked_by TEXT")

    def _migrate_data(self, conn):
        """Part 1 stored objects without their Id and SyncToken inside the JSON."""
        with self.write() as db:
            if self.get_meta(db, "schema_version", 1) >= 2:
                return
            rows = db.execute("SELECT realm_id, entity, id, sync_token, data FROM objects").fetchall()
            for row in rows:
                data = json.loads(row["data"])
                data["Id"], data["SyncToken"] = str(row["id"]), str(row["sync_token"])
                db.execute("UPDATE objects SET data = ? WHERE realm_id = ? AND entity = ? AND id = ?",
                           (json.dumps(data), row["realm_id"], row["entity"], row["id"]))
            self.set_meta(db, "schema_version", 2)

    # -- connections -------------------------------------------------------------------

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            self._local.depth = 0
        return conn

    @contextlib.contextmanager
    def read(self):
        """A consistent snapshot for reads (nested inside ``write`` it reuses that transaction)."""
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
            if not getattr(self._local, "writing", False):
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

    # -- small helpers shared by every module -------------------------------------------

    @staticmethod
    def get_meta(db, key, default=None):
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    @staticmethod
    def set_meta(db, key, value):
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    @staticmethod
    def bump(db, realm_id, name, amount=1):
        db.execute(
            "INSERT INTO counters (realm_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (realm_id, name) DO UPDATE SET value = value + excluded.value",
            (realm_id or "", name, amount),
        )

    @staticmethod
    def counters(db, realm_id=None):
        if realm_id is None:
            rows = db.execute(
                "SELECT name, SUM(value) AS value FROM counters GROUP BY name"
            ).fetchall()
        else:
            rows = db.execute(
                "SELECT name, value FROM counters WHERE realm_id = ?", (realm_id,)
            ).fetchall()
        return {row["name"]: row["value"] for row in rows}

    @staticmethod
    def next_id(db, realm_id, entity, start=1):
        row = db.execute(
            "INSERT INTO sequences (realm_id, entity, value) VALUES (?, ?, ?) "
            "ON CONFLICT (realm_id, entity) DO UPDATE SET value = value + 1 RETURNING value",
            (realm_id, entity, start),
        ).fetchone()
        return row["value"]
