"""The interface every backend implements: a `Database` that hands out transactions.

SQL is written once, with `:name` parameters, in the dialect both SQLite (3.35+) and PostgreSQL
understand (`INSERT ... ON CONFLICT ... DO UPDATE`, `RETURNING`, `CREATE TABLE IF NOT EXISTS`).
Portable column types: TEXT, INTEGER/BIGINT, DOUBLE PRECISION; booleans as INTEGER 0/1 and times
as BIGINT milliseconds since the epoch (`to_millis`, `from_millis`), because the two drivers
return different Python types for BOOLEAN and TIMESTAMP columns and these come back the same.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from functools import lru_cache
from typing import ClassVar

Value = str | int | float | bytes | None
Row = dict[str, Value]
Params = Mapping[str, Value]
Clock = Callable[[], dt.datetime]  # returns an aware datetime; tests pass a fixed or stepping one

# A `:name` parameter, not a PostgreSQL `::type` cast; quoted text is matched first and kept.
_PARAMETER = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|(?<![:\w]):([A-Za-z_]\w*)|%""")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class StoreError(Exception):
    """A query could not be carried out; the transaction it ran in is rolled back."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or used right now (down, locked too long, disk full); retry later."""


class DuplicateKey(StoreError):
    """An insert or update would have broken a primary-key or unique constraint."""


def utc_now() -> dt.datetime:
    """Return the current time in UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


def to_millis(moment: dt.datetime) -> int:
    """Return an aware datetime as milliseconds since the epoch, the store's time column format."""
    if moment.tzinfo is None:
        raise ValueError("the store keeps times with a time zone; got a naive datetime")
    return (moment - _EPOCH) // dt.timedelta(milliseconds=1)


def from_millis(millis: int) -> dt.datetime:
    """Return milliseconds since the epoch as an aware UTC datetime."""
    return _EPOCH + dt.timedelta(milliseconds=millis)


@lru_cache(maxsize=512)
def parameter_names(sql: str) -> tuple[str, ...]:
    """Return the `:name` parameters of `sql`, in order, each once."""
    names = (match.group(1) for match in _PARAMETER.finditer(sql) if match.group(1))
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """Rewrite `:name` parameters as psycopg's `%(name)s` (and double a literal `%`)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return f"%({match.group(1)})s"
        return match.group(0).replace("%", "%%")

    return _PARAMETER.sub(replace, sql)


def check_params(sql: str, params: Params) -> None:
    """Raise StoreError naming the parameters `sql` uses that `params` lacks (both drivers differ here)."""
    missing = [name for name in parameter_names(sql) if name not in params]
    if missing:
        raise StoreError(f"no value for parameter(s) {', '.join(':' + name for name in missing)}")


class Transaction(ABC):
    """One transaction: statements run in order and are committed together, or not at all.

    A statement that fails raises StoreError and spoils the transaction (as PostgreSQL does):
    later statements in it raise StoreError too, and leaving the `async with` rolls it back.
    """

    @abstractmethod
    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement; return the number of rows it changed (-1 when the driver cannot tell)."""

    @abstractmethod
    async def fetchone(self, sql: str, params: Params | None = None) -> Row | None:
        """Run a query; return its first row as a dict (column name -> value), or None."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Run a query; return all its rows as dicts."""

    @abstractmethod
    async def execute_script(self, sql: str) -> None:
        """Run several `;`-separated statements without parameters (migrations)."""


class Database(ABC):
    """A connection (or pool) to one database, shared by every turn of a process."""

    backend: ClassVar[str]  # "sqlite" or "postgresql", for /healthz and backend-specific migrations

    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock

    @abstractmethod
    async def open(self) -> None:
        """Connect (SQLite: create the file and its folder); raise StoreUnavailable when it cannot."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection; the Database cannot be used afterwards."""

    @abstractmethod
    def transaction(self, *, readonly: bool = False) -> AbstractAsyncContextManager[Transaction]:
        """Return `async with db.transaction() as tx:`; commits on normal exit, rolls back on an exception.

        `readonly=True` for transactions that only read: on SQLite they do not take the write
        lock, so readers in other workers are not held up.
        """

    async def fetchall(self, sql: str, params: Params | None = None) -> list[Row]:
        """Run one read-only query on its own and return its rows (one round trip where it can)."""
        async with self.transaction(readonly=True) as transaction:
            return await transaction.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params | None = None) -> Row | None:
        """Run one read-only query on its own and return its first row, or None."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Params | None = None) -> int:
        """Run one statement in a transaction of its own; return the rows it changed.

        The shortcuts matter under load: every await inside a transaction waits for a busy event
        loop while holding the connection (SQLite's one, or one of the pool's), so a statement
        on its own holds it for one hop instead of three.
        """
        async with self.transaction() as transaction:
            return await transaction.execute(sql, params)

    @property
    @abstractmethod
    def location(self) -> str:
        """Say where the data is, without secrets (a file path, or host:port/dbname)."""

    def now_millis(self) -> int:
        """Return the clock's current time as milliseconds since the epoch."""
        return to_millis(self.clock())
