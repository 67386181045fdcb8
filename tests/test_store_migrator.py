"""Schema migrations on both backends: numbered files applied once, in order, atomically, by racing workers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.store import Database, MigrationError, StoreError, migrate, open_database, schema_version
from bot.store.migrator import MIGRATIONS_DIR, migrations_for
from tests.databases import DatabaseTarget


def write(folder: Path, name: str, sql: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(sql, encoding="utf-8")


async def tables(database: Database) -> set[str]:
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if database.backend == "sqlite"
        else "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    )
    async with database.transaction(readonly=True) as transaction:
        return {str(row["name"]) for row in await transaction.fetchall(sql)}


async def test_the_shipped_migrations_are_applied_and_their_version_is_reported(database: Database) -> None:
    assert await schema_version(database) == len(migrations_for(database.backend)) >= 1
    assert "bot_state" in await tables(database)


async def test_migrating_again_changes_nothing(database: Database) -> None:
    version = await schema_version(database)
    assert await migrate(database) == version
    async with database.transaction(readonly=True) as transaction:
        rows = await transaction.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    assert [row["version"] for row in rows] == list(range(1, version + 1))


async def test_a_new_file_is_applied_on_the_next_start_only(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    for migration in migrations_for(database.backend):
        write(folder, migration.path.name, migration.sql)
    next_version = len(migrations_for(database.backend)) + 1
    write(folder, f"{next_version:04d}_example_notes.sql", "CREATE TABLE example_notes (id TEXT PRIMARY KEY);\n")
    assert await migrate(database, folder) == next_version
    assert await schema_version(database) == next_version
    assert "example_notes" in await tables(database)


def test_each_backend_takes_its_own_file_and_the_shared_ones(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    write(folder, "0001_first.sqlite.sql", "CREATE TABLE only_sqlite (id INTEGER PRIMARY KEY AUTOINCREMENT);")
    write(folder, "0001_first.postgresql.sql", "CREATE TABLE only_postgresql (id BIGSERIAL PRIMARY KEY);")
    write(
        folder, "0002_second.sql", "CREATE TABLE both_backends (id TEXT);\nCREATE INDEX both_id ON both_backends (id);"
    )
    assert [m.path.name for m in migrations_for("postgresql", folder)] == [
        "0001_first.postgresql.sql",
        "0002_second.sql",
    ]
    assert [m.path.name for m in migrations_for("sqlite", folder)] == ["0001_first.sqlite.sql", "0002_second.sql"]


async def test_a_failing_migration_leaves_the_schema_as_it_was_and_names_the_file(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "migrations"
    for migration in migrations_for(database.backend):
        write(folder, migration.path.name, migration.sql)
    version = len(migrations_for(database.backend))
    write(folder, f"{version + 1:04d}_good.sql", "CREATE TABLE good (id TEXT);")
    write(folder, f"{version + 2:04d}_broken.sql", "CREATE TABLE half (id TEXT);\nCREATE TABLE oops (;")
    with pytest.raises(MigrationError, match=f"{version + 2:04d}_broken.sql"):
        await migrate(database, folder)
    assert await schema_version(database) == version
    assert not {"good", "half"} & await tables(database)


async def test_workers_starting_together_apply_each_migration_once(database_target: DatabaseTarget) -> None:
    workers = [open_database(database_target.state_dir, database_target.url) for _ in range(4)]
    try:
        for worker in workers:
            await worker.open()
        versions = await asyncio.gather(*(migrate(worker) for worker in workers))
        async with workers[0].transaction(readonly=True) as transaction:
            rows = await transaction.fetchall("SELECT version FROM schema_migrations")
    finally:
        for worker in workers:
            await worker.close()
    assert len(set(versions)) == 1
    assert sorted(row["version"] for row in rows) == list(range(1, versions[0] + 1))


async def test_an_empty_database_has_version_zero(database_target: DatabaseTarget) -> None:
    fresh = open_database(database_target.state_dir, database_target.url)
    await fresh.open()
    try:
        assert await schema_version(fresh) == 0
    finally:
        await fresh.close()


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        (["0001_a.sql", "0003_c.sql"], "without gaps"),
        (["0001_a.sql", "0001_b.sql"], "two files"),
        (["0001_a.sql", "0001_a.sqlite.sql"], "also has a sqlite file"),
        (["1_a.sql"], "named like"),
    ],
)
def test_misnumbered_files_are_refused_with_the_file_named(tmp_path: Path, names: list[str], problem: str) -> None:
    for name in names:
        write(tmp_path, name, "SELECT 1;")
    with pytest.raises(MigrationError, match=problem):
        migrations_for("sqlite", tmp_path)


def test_the_shipped_migrations_are_numbered_for_both_backends() -> None:
    assert [m.version for m in migrations_for("sqlite", MIGRATIONS_DIR)] == [
        m.version for m in migrations_for("postgresql", MIGRATIONS_DIR)
    ]


def test_migration_error_is_a_store_error() -> None:
    assert issubclass(MigrationError, StoreError)
