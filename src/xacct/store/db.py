"""The SQLite store: connection, named migrations, and the append-only event log.

Events are the truth; the `executions` row of each run is a summary kept current in the same
transaction as the event that changes it, so lists are cheap and a run killed with `kill -9`
leaves every event it had written. Writers serialize on one lock; readers use WAL snapshots.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_events",
        """
        CREATE TABLE executions (
            execution_id TEXT PRIMARY KEY,
            parent_id TEXT,
            document_name TEXT NOT NULL,
            account TEXT,
            region TEXT,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            runner_pid INTEGER,
            runner_host TEXT
        );
        CREATE INDEX executions_parent ON executions (parent_id);
        CREATE TABLE events (
            execution_id TEXT NOT NULL REFERENCES executions (execution_id),
            seq INTEGER NOT NULL,
            at TEXT NOT NULL,
            type TEXT NOT NULL,
            step TEXT,
            data TEXT NOT NULL,
            PRIMARY KEY (execution_id, seq)
        );
        CREATE TABLE signals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            execution_id TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            at TEXT NOT NULL,
            consumed INTEGER NOT NULL DEFAULT 0
        );
        """,
    ),
]


OPEN_PATIENCE = 30.0  # seconds, as long as the busy timeout of every later write


def default_path() -> Path:
    """`$XACCT_STORE`, else the user's data directory (XDG), else ~/.local/share/xacct."""
    if os.environ.get("XACCT_STORE"):
        return Path(os.environ["XACCT_STORE"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "xacct" / "executions.db"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path else default_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._closed = False
        self.listeners: list = []  # called with (execution_id, kind, step, data) after each event
        self._seq: dict[str, int] = {}  # next event number of the executions this process writes
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=OPEN_PATIENCE,
                                   isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._while_busy(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._while_busy(self._migrate)

    def _while_busy(self, step: Callable[[], Any], patience: float = OPEN_PATIENCE) -> None:
        """Run one opening step, again while another process holds the file.

        Switching a new file to WAL needs the file to itself, and SQLite answers that switch (and
        the first read of a WAL file another process is still setting up) with "database is
        locked" at once rather than through the busy timeout; so processes that open a new store
        together wait here for each other, up to `patience` seconds."""
        deadline = time.monotonic() + patience
        pause = 0.005
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    def _migrate(self) -> None:
        """Apply pending migrations. Everything happens under the write lock, so two processes
        opening a new store at once do not both create its tables."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
                done = {row[0] for row in self._db.execute("SELECT name FROM migrations")}
                for name, sql in MIGRATIONS:
                    if name in done:
                        continue
                    for statement in filter(str.strip, sql.split(";")):
                        self._db.execute(statement)
                    self._db.execute("INSERT INTO migrations VALUES (?, ?)", (name, now()))
                self._db.execute("COMMIT")
            except Exception:
                self._db.execute("ROLLBACK")
                raise

    def transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db)
            except Exception:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    # -- executions and events ------------------------------------------------------------
    def create_execution(self, execution_id: str, *, document_name: str, parent_id: str | None,
                         account: str | None, region: str | None, data: dict) -> None:
        def work(db):
            at = now()
            db.execute(
                "INSERT INTO executions VALUES (?, ?, ?, ?, ?, 'Pending', ?, NULL, ?, ?)",
                (execution_id, parent_id, document_name, account, region, at, os.getpid(), os.uname().nodename),
            )
            db.execute("INSERT INTO events VALUES (?, 1, ?, 'ExecutionStarted', NULL, ?)",
                       (execution_id, at, json.dumps(data, default=str)))
            self._seq[execution_id] = 2

        self.transaction(work)

    def append(self, execution_id: str, kind: str, step: str | None = None, data: dict | None = None,
               *, status: str | None = None, ended: bool = False) -> None:
        """Record one event; `status` (and `ended`) update the summary in the same transaction."""

        def work(db):
            at = now()
            seq = self._seq.get(execution_id)
            if seq is None:
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE execution_id = ?",
                                 (execution_id,)).fetchone()[0]
            self._seq[execution_id] = seq + 1
            db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                       (execution_id, seq, at, kind, step, json.dumps(data or {}, default=str)))
            if status:
                db.execute("UPDATE executions SET status = ?, ended_at = ? WHERE execution_id = ?",
                           (status, at if ended else None, execution_id))

        self.transaction(work)
        for listener in self.listeners:
            listener(execution_id, kind, step, data or {})

    def _read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        """One query, under the lock: the connection is shared by this process's threads (a run's
        watchdog, background executions), and closing it while another thread reads would crash
        the process."""
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            return self._db.execute(sql, args).fetchall()

    def events(self, execution_id: str) -> list[dict]:
        rows = self._read(
            "SELECT seq, at, type, step, data FROM events WHERE execution_id = ? ORDER BY seq", (execution_id,))
        return [{"seq": r["seq"], "at": r["at"], "type": r["type"], "step": r["step"], "data": json.loads(r["data"])}
                for r in rows]

    def execution(self, execution_id: str) -> sqlite3.Row | None:
        rows = self._read("SELECT * FROM executions WHERE execution_id = ?", (execution_id,))
        return rows[0] if rows else None

    def find_execution(self, prefix: str) -> sqlite3.Row | None:
        """By full ID, or by an unambiguous prefix of one."""
        exact = self.execution(prefix)
        if exact is not None:
            return exact
        rows = self._read("SELECT * FROM executions WHERE execution_id LIKE ? LIMIT 2",
                          (prefix.replace("%", "") + "%",))
        return rows[0] if len(rows) == 1 else None

    def executions(self, *, parent_id: str | None = None, top_level: bool = False, status: str | None = None,
                   limit: int = 50) -> list[sqlite3.Row]:
        where, args = [], []
        if parent_id is not None:
            where.append("parent_id = ?")
            args.append(parent_id)
        elif top_level:
            where.append("parent_id IS NULL")
        if status:
            where.append("status = ?")
            args.append(status)
        sql = "SELECT * FROM executions" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY started_at DESC LIMIT ?"
        return self._read(sql, (*args, limit))

    # -- signals: how other processes reach a running execution ----------------------------
    def send_signal(self, execution_id: str, kind: str, payload: dict) -> None:
        self.transaction(lambda db: db.execute(
            "INSERT INTO signals (execution_id, type, payload, at) VALUES (?, ?, ?, ?)",
            (execution_id, kind, json.dumps(payload), now())))

    def take_signals(self, execution_id: str, kinds: Iterable[str]) -> list[dict]:
        kinds = list(kinds)
        marks = ",".join("?" * len(kinds))
        if self._closed:  # a run still polling after its store was closed (a test's teardown)
            return []
        waiting = self._read(  # a plain read first: polling must not start a write transaction
            f"SELECT 1 FROM signals WHERE execution_id = ? AND consumed = 0 AND type IN ({marks}) LIMIT 1",
            (execution_id, *kinds))
        if not waiting:
            return []

        def work(db):
            rows = db.execute(
                f"SELECT id, type, payload, at FROM signals WHERE execution_id = ? AND consumed = 0 "
                f"AND type IN ({marks}) ORDER BY id", (execution_id, *kinds)).fetchall()
            db.executemany("UPDATE signals SET consumed = 1 WHERE id = ?", [(r["id"],) for r in rows])
            return [{"type": r["type"], "at": r["at"], **json.loads(r["payload"])} for r in rows]

        return self.transaction(work)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()
