"""The PostgreSQL backend: psycopg 3 with its connection pool, for several workers and instances.

Each worker process keeps a small pool. A connection that has been idle for a while, or was
last used before another connection broke, is checked when it is taken from the pool, so after
the server restarts the next turn gets a fresh connection instead of a dead one; busy
connections are not checked, because under a burst every round trip waits for a saturated
event loop. A server that is down makes the turn fail after
DOWN_TIMEOUT_SECONDS once it is known to be down (StoreUnavailable), rather than hang.
Read-only transactions send no BEGIN and COMMIT: each of their statements sees the latest
committed data, which is all a single SELECT needs, at a third of the round trips.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

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
    to_pyformat,
    utc_now,
)

logger = logging.getLogger(__name__)

# Connections per worker process, opened at start and kept (a fixed pool: no connection churn,
# and memory is spent once, not as load grows). A turn holds one for a round trip or three;
# Azure Database for PostgreSQL's smallest tiers allow about 50 in all, shared by every worker
# of every instance (two instances of two workers: 20).
POOL_MIN_SIZE = 5
POOL_MAX_SIZE = 5
# How long a turn waits for a connection while all are busy: under a burst that saturates the
# worker's CPU, holding times stretch with the event loop, and Teams waits 15 s for the reply.
POOL_TIMEOUT_SECONDS = 10.0
# How long a turn waits while the server is known to be down (the last attempt to reach it
# failed): the neutral error sentence comes at once instead of after POOL_TIMEOUT_SECONDS.
DOWN_TIMEOUT_SECONDS = 1.0
# How long one connection attempt may take (libpq's connect_timeout, whole seconds).
CONNECT_TIMEOUT_SECONDS = 3
# A connection idle longer than this is checked (one round trip) before a turn gets it: long
# enough that a busy worker never pays it, short enough that a restarted server is noticed.
IDLE_CHECK_SECONDS = 2.0
# How long the pool keeps retrying one failed connection (with backoff) before it gives up and
# lets the next turn start afresh. The default (5 minutes) lets the backoff grow so long that a
# server back after a minute's outage is not used for another minute; two seconds keep the
# bot at most that far behind the server.
RECONNECT_SECONDS = 2.0


def _translate(error: psycopg.Error) -> StoreError:
    """Return the store's exception for a psycopg one."""
    if isinstance(error, pg_errors.UniqueViolation):
        return DuplicateKey(f"PostgreSQL: {error}")
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreUnavailable(f"PostgreSQL: {error}")
    return StoreError(f"PostgreSQL: {error}")


def describe(url: str) -> str:
    """Return host:port/dbname of a connection URL, never its user or password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql (unreadable DATABASE_URL)"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database."""

    backend = "postgresql"

    def __init__(
        self,
        url: str,
        clock: Clock = utc_now,
        *,
        min_size: int = POOL_MIN_SIZE,
        max_size: int = POOL_MAX_SIZE,
        timeout: float = POOL_TIMEOUT_SECONDS,
    ) -> None:
        super().__init__(clock)
        self._url = url
        self._timeout = timeout
        self._server_down = False  # the last attempt to reach the server failed
        self._last_used: weakref.WeakKeyDictionary[object, float] = weakref.WeakKeyDictionary()
        self._broken_at = 0.0  # when a connection last failed under a statement
        self._pool = AsyncConnectionPool(
            url,
            open=False,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            check=self._check_if_idle,
            reconnect_timeout=RECONNECT_SECONDS,
            # autocommit: transactions begin only where transaction() says, never implicitly.
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            name="regiondorren",
        )

    async def _check_if_idle(self, connection: psycopg.AsyncConnection[Row]) -> None:
        """Check a connection idle for IDLE_CHECK_SECONDS, or last used before another one broke.

        The pool drops a connection whose check raises and hands out the next.
        """
        last_used = self._last_used.get(connection, 0.0)
        if time.monotonic() - last_used > IDLE_CHECK_SECONDS or last_used <= self._broken_at:
            await AsyncConnectionPool.check_connection(connection)

    @property
    def location(self) -> str:
        """Return host:port/dbname."""
        return describe(self._url)

    async def open(self) -> None:
        """Start the pool; connections are made in the background (a server that is down is no error yet)."""
        await self._pool.open(wait=False)

    async def close(self) -> None:
        """Close the pool and its connections."""
        await self._pool.close()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Row]]:
        """Take a connection from the pool; translate its errors; remember when it was last used."""
        connection = await self._getconn()
        try:
            yield connection
            self._last_used[connection] = time.monotonic()
        except psycopg.Error as error:
            if isinstance(error, psycopg.OperationalError):
                self._broken_at = time.monotonic()  # its siblings may have died with the same server
            raise _translate(error) from error
        finally:
            await self._pool.putconn(connection)  # the pool drops it if it broke

    async def _getconn(self) -> psycopg.AsyncConnection[Row]:
        """Wait for a connection: briefly while the server is known to be down, else as long as a busy pool needs."""
        if not self._known_down():
            return await self._wait_for_connection(self._timeout)
        try:
            return await self._wait_for_connection(DOWN_TIMEOUT_SECONDS)
        except StoreUnavailable:
            if self._known_down():
                raise
        return await self._wait_for_connection(self._timeout)  # the server is back; the pool is catching up

    def _known_down(self) -> bool:
        return self._server_down

    async def _wait_for_connection(self, timeout: float) -> psycopg.AsyncConnection[Row]:
        try:
            connection = await self._pool.getconn(timeout=timeout)
        except PoolTimeout as error:
            raise StoreUnavailable(f"PostgreSQL: {await self._why_no_connection()}") from error
        except psycopg.Error as error:
            raise _translate(error) from error
        self._server_down = False
        return connection

    @asynccontextmanager
    async def transaction(self, *, readonly: bool = False) -> AsyncIterator[Transaction]:
        """Take a connection, begin (unless read-only), yield, commit or roll back, give it back."""
        async with self._connection() as connection:
            transaction = PostgresTransaction(connection)
            if readonly:
                yield transaction
                return
            async with connection.transaction():
                yield transaction
                if transaction.failed:
                    raise StoreError("the transaction was rolled back: a statement in it failed")

    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Run one query on a pooled connection: one round trip."""
        values = params or {}
        check_params(sql, values)
        async with self._connection() as connection:
            cursor = await connection.execute(to_pyformat(sql), values)
            return await cursor.fetchall()

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement on its own (autocommit makes it a transaction): one round trip."""
        values = params or {}
        check_params(sql, values)
        async with self._connection() as connection:
            return (await connection.execute(to_pyformat(sql), values)).rowcount

    async def _why_no_connection(self) -> str:
        """Say why the pool had no connection to give: the server's own words, or that all were busy."""
        try:
            connection = await psycopg.AsyncConnection.connect(self._url, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        except psycopg.Error as error:
            self._server_down = True
            return str(error).strip().splitlines()[0]
        await connection.close()
        self._server_down = False
        return f"all {self._pool.max_size} connections of this worker were busy for {self._timeout:.0f} s"


class PostgresTransaction(Transaction):
    """Statements of one PostgreSQL transaction on one pooled connection."""

    def __init__(self, connection: psycopg.AsyncConnection[Row]) -> None:
        self._connection = connection
        self.failed = False

    async def _cursor(self, sql: str, params: Params | None) -> psycopg.AsyncCursor[Row]:
        if self.failed:
            raise StoreError("an earlier statement of this transaction failed; it will be rolled back")
        values = params or {}
        check_params(sql, values)
        try:
            return await self._connection.execute(to_pyformat(sql), values)
        except psycopg.Error as error:
            self.failed = True
            raise _translate(error) from error
        except BaseException:
            self.failed = True
            raise

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement; return the rows it changed."""
        return (await self._cursor(sql, params)).rowcount

    async def fetchone(self, sql: str, params: Params | None = None) -> Row | None:
        """Return the first row of a query, or None."""
        cursor = await self._cursor(sql, params)
        return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Return every row of a query."""
        cursor = await self._cursor(sql, params)
        return await cursor.fetchall()

    async def execute_script(self, sql: str) -> None:
        """Run a script of several statements (allowed by PostgreSQL without parameters)."""
        if self.failed:
            raise StoreError("an earlier statement of this transaction failed; it will be rolled back")
        try:
            await self._connection.execute(sql)
        except psycopg.Error as error:
            self.failed = True
            raise _translate(error) from error
