"""Choosing the backend: PostgreSQL when a DATABASE_URL is given, otherwise the SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot.store.database import Clock, Database, utc_now

# The SQLite file's name inside STATE_DIR.
SQLITE_FILE_NAME = "regiondorren.sqlite3"
# The URL schemes libpq accepts for PostgreSQL.
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_database(state_dir: Path, database_url: str = "", clock: Clock = utc_now) -> Database:
    """Return the Database the settings ask for, not yet opened (call `await db.open()`)."""
    if database_url:
        if not database_url.startswith(POSTGRES_SCHEMES):
            raise ValueError("DATABASE_URL must start with postgresql://")
        from bot.store.postgres import PostgresDatabase  # psycopg is loaded only when PostgreSQL is used

        return PostgresDatabase(database_url, clock)
    from bot.store.sqlite import SqliteDatabase

    return SqliteDatabase(state_dir / SQLITE_FILE_NAME, clock)
