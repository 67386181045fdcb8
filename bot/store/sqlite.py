"""The SQLite backend: one file under STATE_DIR, shared by every worker process on the host.

The standard library's sqlite3 on one dedicated thread per process (rather than aiosqlite, which
is the same idea in a dependency): the event loop never waits for a lock, and this module decides
exactly when a transaction begins. WAL mode lets readers in other workers go on while one writes;
write transactions begin IMMEDIATE so that two workers queue for the write lock (waiting up to
the busy timeout) instead of failing on a lock upgrade halfway through.

A single query outside a transaction (`fetchall`, `fetchone`: every turn's state read) runs on
the event loop itself, on a second, read-only connection that never waits: in WAL mode a read
takes no lock a writer holds, and such a read costs a few microseconds, where the hop to the
thread and back costs about 100 µs of CPU. Should SQLite ever answer "busy" (no WAL on this file
system, a recovery after a crash), the query goes to the thread instead and waits there.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from bot.store.database import (
    Clock,
    Database,
    DuplicateKey,
    Params,
    Row,
    StoreError,
    StoreUnavailable,
    Transaction,
    check_params,
    utc_now,
)

logger = logging.getLogger(__name__)

# How long a writer waits for another process's write lock before the turn fails: well under
# the 15 s Teams waits for a reply, far above the milliseconds a state write holds it.
BUSY_TIMEOUT_MS = 5000
# Result codes (the low byte of sqlite_errorcode) that mean "not now", not "wrong query":
# BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB.
UNAVAILABLE_CODES = frozenset({5, 6, 8, 10, 11, 13, 14, 15, 26})
# BUSY and LOCKED: the read-only connection on the event loop leaves such a query to the thread.
WAIT_CODES = frozenset({5, 6})
# SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (extended result codes).
DUPLICATE_CODES = frozenset({1555, 2067})
T = TypeVar("T")


def _translate(error: sqlite3.Error) -> StoreError:
    """Return the store's exception for a sqlite3 one (the message keeps SQLite's own words)."""
    code = getattr(error, "sqlite_errorcode", None) or 0
    if code in DUPLICATE_CODES:
        return DuplicateKey(f"SQLite: {error}")
    if code & 0xFF in UNAVAILABLE_CODES:
        return StoreUnavailable(f"SQLite: {error}")
    return StoreError(f"SQLite: {error}")


class SqliteDatabase(Database):
    """A SQLite file opened in WAL mode, used from one thread of this process."""

    backend = "sqlite"

    def __init__(self, path: Path, clock: Clock = utc_now, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        super().__init__(clock)
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._connection: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None  # single queries, on the event loop
        self._thread: ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()  # one transaction at a time on the one connection

    @property
    def location(self) -> str:
        """Return the database file's path."""
        return str(self.path)

    async def open(self) -> None:
        """Create the folder and file if needed and connect in WAL mode."""
        if self._connection is not None:
            return
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        try:
            self._connection, self._reader = await self._run(self._connect_both)
        except StoreError:
            self._thread.shutdown(wait=False)
            self._thread = None
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"cannot create the folder {self.path.parent}: {error.strerror}") from error
        # isolation_level=None: no implicit transactions; this module issues BEGIN and COMMIT itself.
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            # NORMAL is durable across a crash of the process in WAL mode (only a power cut may
            # lose the last commits) and saves an fsync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            connection.close()
            raise
        if mode.lower() != "wal":
            logger.warning("SQLite at %s is in %s mode, not WAL: workers will wait for each other", self.path, mode)
        return connection

    def _connect_both(self) -> tuple[sqlite3.Connection, sqlite3.Connection]:
        connection = self._connect()  # first: creates the file and puts it in WAL mode
        try:
            return connection, self._connect_reader()
        except sqlite3.Error:
            connection.close()
            raise

    def _connect_reader(self) -> sqlite3.Connection:
        """Open the read-only connection single queries use on the event loop: it never waits."""
        reader = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        reader.row_factory = sqlite3.Row
        try:
            reader.execute("PRAGMA busy_timeout = 0")
            reader.execute("PRAGMA query_only = ON")
        except sqlite3.Error:
            reader.close()
            raise
        return reader

    async def close(self) -> None:
        """Close the connections and stop the thread."""
        connection, thread, reader = self._connection, self._thread, self._reader
        self._connection, self._thread, self._reader = None, None, None
        if reader is not None:
            reader.close()
        if connection is not None and thread is not None:
            async with self._lock:
                await asyncio.get_running_loop().run_in_executor(thread, connection.close)
        if thread is not None:
            thread.shutdown(wait=True)

    async def _run(self, function: Callable[[], T]) -> T:
        """Run `function` on the connection's thread, translating sqlite3's exceptions."""
        if self._thread is None:
            raise StoreUnavailable("the SQLite database is not open")

        def call() -> T:
            try:
                return function()
            except sqlite3.Error as error:
                raise _translate(error) from error

        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    @asynccontextmanager
    async def transaction(self, *, readonly: bool = False) -> AsyncIterator[Transaction]:
        """Begin (IMMEDIATE unless read-only), yield, then commit or roll back."""
        async with self._lock:
            connection = self._require_connection()
            await self._run(lambda: self._begin(connection, readonly))
            transaction = SqliteTransaction(self, connection)
            try:
                yield transaction
            except BaseException:
                # Shielded: a cancelled turn must not leave the connection inside its transaction.
                await asyncio.shield(self._run(lambda: _rollback(connection)))
                raise
            if transaction.failed:
                await asyncio.shield(self._run(lambda: _rollback(connection)))
                raise StoreError("the transaction was rolled back: a statement in it failed")
            await asyncio.shield(self._run(lambda: _commit(connection)))

    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Run one query on its own (a SELECT is its own snapshot): here on the event loop, or on
        the connection's thread in a single hop when SQLite would make it wait."""
        values = params or {}
        check_params(sql, values)
        rows = self._read_without_waiting(sql, values)
        if rows is not None:
            return rows
        async with self._lock:
            connection = self._require_connection()

            def fetch() -> list[Row]:
                _rollback(connection)  # a transaction left open by a cancelled statement
                return [dict(row) for row in connection.execute(sql, values).fetchall()]

            return await self._run(fetch)

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement in its own IMMEDIATE transaction, in a single hop to the thread."""
        values = params or {}
        check_params(sql, values)
        async with self._lock:
            connection = self._require_connection()

            def write() -> int:
                self._begin(connection, readonly=False)
                try:
                    changed = connection.execute(sql, values).rowcount
                except sqlite3.Error:
                    _rollback(connection)
                    raise
                _commit(connection)
                return int(changed)

            return await asyncio.shield(self._run(write))

    def _read_without_waiting(self, sql: str, values: Params) -> list[Row] | None:
        """Return the query's rows from the read-only connection, or None when it would have to wait."""
        reader = self._reader
        if reader is None:
            return None
        try:
            return [dict(row) for row in reader.execute(sql, values).fetchall()]
        except sqlite3.Error as error:
            if (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF in WAIT_CODES:
                return None
            raise _translate(error) from error

    def _require_connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreUnavailable("the SQLite database is not open")
        return self._connection

    @staticmethod
    def _begin(connection: sqlite3.Connection, readonly: bool) -> None:
        if connection.in_transaction:  # left behind by a statement that was still running when cancelled
            connection.execute("ROLLBACK")
        connection.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        connection.execute("ROLLBACK")


def _commit(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("COMMIT")
    except sqlite3.Error:
        _rollback(connection)
        raise


class SqliteTransaction(Transaction):
    """Statements of one SQLite transaction, each run on the connection's thread."""

    def __init__(self, database: SqliteDatabase, connection: sqlite3.Connection) -> None:
        self._database = database
        self._connection = connection
        self.failed = False

    async def _statement(self, function: Callable[[], T]) -> T:
        if self.failed:
            raise StoreError("an earlier statement of this transaction failed; it will be rolled back")
        try:
            return await self._database._run(function)
        except BaseException:
            self.failed = True
            raise

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement; return the rows it changed."""
        values = params or {}
        check_params(sql, values)
        return await self._statement(lambda: self._connection.execute(sql, values).rowcount)

    async def fetchone(self, sql: str, params: Params | None = None) -> Row | None:
        """Return the first row of a query, or None."""
        values = params or {}
        check_params(sql, values)

        def fetch() -> Row | None:
            row = self._connection.execute(sql, values).fetchone()
            return dict(row) if row is not None else None

        return await self._statement(fetch)

    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Return every row of a query."""
        values = params or {}
        check_params(sql, values)
        return await self._statement(lambda: [dict(row) for row in self._connection.execute(sql, values).fetchall()])

    async def execute_script(self, sql: str) -> None:
        """Run each statement of a script inside this transaction (executescript would commit first)."""
        statements = split_statements(sql)

        def run_all() -> None:
            for statement in statements:
                self._connection.execute(statement)

        await self._statement(run_all)


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements, keeping triggers' inner `;` where they belong."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and _has_code(pending):
        raise StoreError(f"the script ends in an unfinished statement: {pending.strip()[:60]!r}")
    return statements


def _has_code(text: str) -> bool:
    """Say whether `text` holds anything but `--` comments and blank lines."""
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())
