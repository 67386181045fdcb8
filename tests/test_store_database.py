"""The store's one interface, on both backends: transactions, parameters, errors, several workers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.store import Database, DuplicateKey, StoreError, from_millis, to_millis
from bot.store.database import parameter_names, to_pyformat
from bot.store.sqlite import SqliteDatabase
from tests.databases import DatabaseTarget, StoreClock

CREATE_NOTES = "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, size INTEGER, written_at BIGINT)"


async def create_notes(database: Database) -> None:
    async with database.transaction() as transaction:
        await transaction.execute(CREATE_NOTES)


async def note_ids(database: Database) -> list[str]:
    async with database.transaction(readonly=True) as transaction:
        rows = await transaction.fetchall("SELECT id FROM notes ORDER BY id")
    return [str(row["id"]) for row in rows]


async def test_what_a_transaction_writes_is_read_back_with_column_names(database: Database) -> None:
    await create_notes(database)
    async with database.transaction() as transaction:
        changed = await transaction.execute(
            "INSERT INTO notes (id, body, size, written_at) VALUES (:id, :body, :size, :at)",
            {"id": "a", "body": "Sörmland: 50 % mer, 'citat' :inte en parameter", "size": 3, "at": 1_700_000_000_000},
        )
    async with database.transaction(readonly=True) as transaction:
        row = await transaction.fetchone("SELECT id, body, size, written_at FROM notes WHERE id = :id", {"id": "a"})
        missing = await transaction.fetchone("SELECT id FROM notes WHERE id = :id", {"id": "b"})
    assert changed == 1
    assert row == {
        "id": "a",
        "body": "Sörmland: 50 % mer, 'citat' :inte en parameter",
        "size": 3,
        "written_at": 1_700_000_000_000,
    }
    assert missing is None


async def test_an_exception_inside_the_transaction_rolls_everything_back(database: Database) -> None:
    await create_notes(database)
    with pytest.raises(LookupError):
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('a', 'x')")
            raise LookupError("the caller changed its mind")
    assert await note_ids(database) == []


async def test_a_duplicate_key_is_its_own_error_and_spoils_the_transaction(database: Database) -> None:
    await create_notes(database)
    async with database.transaction() as transaction:
        await transaction.execute("INSERT INTO notes (id, body) VALUES ('a', 'first')")
    with pytest.raises(DuplicateKey):
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('b', 'x')")
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('a', 'again')")
    assert await note_ids(database) == ["a"]


async def test_a_statement_after_a_failed_one_is_refused_and_nothing_is_committed(database: Database) -> None:
    await create_notes(database)
    with pytest.raises(StoreError):
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('a', 'x')")
            with pytest.raises(StoreError):
                await transaction.execute("INSERT INTO no_such_table (id) VALUES ('a')")
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('b', 'x')")
    assert await note_ids(database) == []


async def test_a_swallowed_failure_still_rolls_the_transaction_back(database: Database) -> None:
    await create_notes(database)
    with pytest.raises(StoreError, match="rolled back"):
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('a', 'x')")
            with contextlib.suppress(StoreError):
                await transaction.execute("SELECT * FROM no_such_table")
    assert await note_ids(database) == []


async def test_a_missing_parameter_is_named(database: Database) -> None:
    await create_notes(database)
    with pytest.raises(StoreError, match=":body"):
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES (:id, :body)", {"id": "a"})


async def test_upsert_and_returning_work_the_same_on_both_backends(database: Database) -> None:
    await create_notes(database)
    upsert = (
        "INSERT INTO notes (id, body, size) VALUES (:id, :body, 1) "
        "ON CONFLICT (id) DO UPDATE SET body = excluded.body, size = notes.size + 1 RETURNING size"
    )
    sizes = []
    for body in ("one", "two", "three"):
        async with database.transaction() as transaction:
            row = await transaction.fetchone(upsert, {"id": "a", "body": body})
            sizes.append(row["size"] if row else None)
    assert sizes == [1, 2, 3]


async def test_a_second_worker_sees_what_the_first_committed(
    database: Database, database_target: DatabaseTarget
) -> None:
    await create_notes(database)
    other = await database_target.open()
    try:
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('from-first', 'x')")
        assert await note_ids(other) == ["from-first"]
    finally:
        await other.close()


async def test_concurrent_writers_in_two_workers_lose_no_update(
    database: Database, database_target: DatabaseTarget
) -> None:
    await create_notes(database)
    async with database.transaction() as transaction:
        await transaction.execute("INSERT INTO notes (id, body, size) VALUES ('counter', 'x', 0)")
    other = await database_target.open()

    async def bump(worker: Database) -> None:
        async with worker.transaction() as transaction:
            await transaction.execute("UPDATE notes SET size = size + 1 WHERE id = 'counter'")

    try:
        await asyncio.gather(*(bump(worker) for _ in range(20) for worker in (database, other)))
    finally:
        await other.close()
    async with database.transaction(readonly=True) as transaction:
        row = await transaction.fetchone("SELECT size FROM notes WHERE id = 'counter'")
    assert row == {"size": 40}


async def test_a_cancelled_turn_leaves_the_connection_usable(database: Database) -> None:
    await create_notes(database)

    async def slow_write() -> None:
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('cancelled', 'x')")
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_write())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with database.transaction() as transaction:
        await transaction.execute("INSERT INTO notes (id, body) VALUES ('next', 'x')")
    assert await note_ids(database) == ["next"]


async def test_the_clock_is_the_one_injected(database: Database, store_clock: StoreClock) -> None:
    before = database.now_millis()
    store_clock.advance(hours=24)
    assert database.now_millis() - before == 24 * 3600 * 1000


def test_times_go_to_milliseconds_and_back_in_utc() -> None:
    moment = dt.datetime(2026, 11, 26, 9, 30, 15, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert from_millis(to_millis(moment)) == moment
    assert from_millis(to_millis(moment)).tzinfo == dt.UTC
    with pytest.raises(ValueError, match="time zone"):
        to_millis(dt.datetime(2026, 11, 26, 9, 30))


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a, :b, :a", "SELECT %(a)s, %(b)s, %(a)s"),
        ("SELECT x::text FROM t WHERE y = :y", "SELECT x::text FROM t WHERE y = %(y)s"),
        ("SELECT '50 % :not' || :yes", "SELECT '50 %% :not' || %(yes)s"),
        ("SELECT 'it''s :quoted', \"col:umn\" FROM t WHERE a LIKE 'a%'", None),
    ],
)
def test_named_parameters_become_psycopg_placeholders_outside_quotes(sql: str, expected: str | None) -> None:
    if expected is None:
        assert parameter_names(sql) == ()
        assert to_pyformat(sql) == sql.replace("%", "%%")
    else:
        assert to_pyformat(sql) == expected


async def test_a_single_query_sees_what_was_committed_while_another_worker_writes(
    database: Database, database_target: DatabaseTarget
) -> None:
    await create_notes(database)
    await database.execute("INSERT INTO notes (id, body) VALUES ('committed', 'x')")
    other = await database_target.open()
    try:
        async with other.transaction() as transaction:
            await transaction.execute("INSERT INTO notes (id, body) VALUES ('uncommitted', 'x')")
            during = await database.fetchall("SELECT id FROM notes ORDER BY id")
        after = await database.fetchall("SELECT id FROM notes ORDER BY id")
    finally:
        await other.close()
    assert [row["id"] for row in during] == ["committed"]
    assert [row["id"] for row in after] == ["committed", "uncommitted"]


async def test_a_sqlite_query_that_would_wait_for_a_lock_waits_on_the_thread_instead(tmp_path: Path) -> None:
    database = SqliteDatabase(tmp_path / "store.sqlite3", busy_timeout_ms=10_000)
    await database.open()
    # In WAL mode a read never meets a lock, so the "busy" the event-loop reader can meet (no WAL
    # on the file system, a recovery after a crash) is made here with a rollback-journal file held
    # exclusively by another connection, read by the reader the event loop uses.
    locked = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("CREATE TABLE notes (id TEXT)")
    holder.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(locked, isolation_level=None, check_same_thread=False)
    reader.execute("PRAGMA busy_timeout = 0")
    assert database._reader is not None
    database._reader.close()
    database._reader = reader
    try:
        await create_notes(database)
        await database.execute("INSERT INTO notes (id, body) VALUES ('a', 'x')")
        assert await database.fetchone("SELECT id FROM notes") == {"id": "a"}
    finally:
        holder.close()
        await database.close()
