"""Schema migrations: the numbered SQL files in bot/store/migrations/, applied in order, once.

`0001_conversation_state.sql` runs on both backends; when the two need different SQL, a version
has one file per backend instead (`0002_posts.sqlite.sql` and `0002_posts.postgresql.sql`).
Every pending migration is applied in one transaction, under a lock (SQLite's write lock, a
PostgreSQL advisory lock), so workers that start together apply each file exactly once, and a
migration that fails leaves the schema as it was. Applied versions are recorded in
`schema_migrations`; a file is never edited once merged: a change is a new number.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.store.database import Database, StoreError, StoreUnavailable, Transaction

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# "0001_conversation_state.sql", or "0002_posts.postgresql.sql" for one backend only.
FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)(?:\.(?P<backend>sqlite|postgresql))?\.sql$")
# Any fixed number: PostgreSQL advisory locks are named by a 64-bit integer ("RD" + "migr").
ADVISORY_LOCK_KEY = 0x5244_6D69_6772
CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)
"""


class MigrationError(StoreError):
    """The migration files are not in order, or one of them failed; says which."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change for one backend."""

    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        """Return the file's SQL."""
        return self.path.read_text(encoding="utf-8")


def migrations_for(backend: str, directory: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    """Return the migrations for `backend` in version order; raise MigrationError for gaps or clashes."""
    found: dict[int, Migration] = {}
    shared: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: a migration file is named like 0001_what_it_does.sql")
        version, file_backend = int(match["version"]), match["backend"]
        target = shared if file_backend is None else found if file_backend == backend else None
        if target is None:
            continue
        if version in target:
            raise MigrationError(f"{path.name}: version {version:04d} has two files")
        target[version] = Migration(version, match["name"], path)
    for version, migration in shared.items():
        if version in found:
            raise MigrationError(f"{migration.path.name}: version {version:04d} also has a {backend} file")
        found[version] = migration
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3 ... without gaps (found {versions})")
    return tuple(found[version] for version in versions)


async def schema_version(database: Database) -> int:
    """Return the highest applied migration (0 for an empty database)."""
    async with database.transaction(readonly=True) as transaction:
        if not await _has_migrations_table(transaction, database.backend):
            return 0
        row = await transaction.fetchone("SELECT MAX(version) AS version FROM schema_migrations")
    return int(row["version"] or 0) if row else 0


async def migrate(database: Database, directory: Path = MIGRATIONS_DIR) -> int:
    """Apply every pending migration; return the schema version now in force."""
    migrations = migrations_for(database.backend, directory)
    async with database.transaction() as transaction:
        if database.backend == "postgresql":
            await transaction.execute("SELECT pg_advisory_xact_lock(:key)", {"key": ADVISORY_LOCK_KEY})
        await transaction.execute(CREATE_TABLE)
        row = await transaction.fetchone("SELECT MAX(version) AS version FROM schema_migrations")
        current = int(row["version"] or 0) if row else 0
        for migration in migrations[current:]:
            await _apply(transaction, migration, database.now_millis())
    latest = max(current, len(migrations))
    if current > len(migrations):
        logger.warning("the database's schema (version %d) is newer than this release knows (%d)", current, latest)
    elif current < latest:
        logger.info("schema migrated from version %d to %d", current, latest)
    return latest


async def _apply(transaction: Transaction, migration: Migration, now_millis: int) -> None:
    try:
        await transaction.execute_script(migration.sql)
    except StoreUnavailable:
        raise  # not the file's fault: the database went away; the next start-up tries again
    except StoreError as error:
        raise MigrationError(f"{migration.path.name} failed: {error}") from error
    await transaction.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :applied_at)",
        {"version": migration.version, "name": migration.name, "applied_at": now_millis},
    )
    logger.info("applied migration %s", migration.path.name)


async def _has_migrations_table(transaction: Transaction, backend: str) -> bool:
    if backend == "postgresql":
        row = await transaction.fetchone("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
    else:
        row = await transaction.fetchone(
            "SELECT COUNT(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
    return bool(row and row["present"])
