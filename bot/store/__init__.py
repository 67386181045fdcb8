"""The durable store: one async interface to SQL, with SQLite (default) and PostgreSQL backends.

What people write from Teams and the bot's conversation state live here. `open_database()` picks
the backend (a file under STATE_DIR, or DATABASE_URL), `migrate()` brings the schema up to date
from the numbered files in migrations/, and every query runs inside `Database.transaction()`,
written once with `:name` parameters for both backends. Repository modules for feature tables
sit beside these (one module per table group).

May import nothing else from the project and no Bot Framework or web server: plain Python,
asyncio and the database drivers, so the core can stay pure and the Teams adapter (`bot.teams`),
the web host (`bot.web`), `bot.runtime`, the command line (`bot.cli`) and `dialogs` may all use it.
"""

from bot.store.database import (
    Clock,
    Database,
    DuplicateKey,
    Row,
    StoreError,
    StoreUnavailable,
    Transaction,
    Value,
    from_millis,
    to_millis,
    utc_now,
)
from bot.store.migrator import MIGRATIONS_DIR, MigrationError, migrate, schema_version
from bot.store.opening import open_database

__all__ = [
    "MIGRATIONS_DIR",
    "Clock",
    "Database",
    "DuplicateKey",
    "MigrationError",
    "Row",
    "StoreError",
    "StoreUnavailable",
    "Transaction",
    "Value",
    "from_millis",
    "migrate",
    "open_database",
    "schema_version",
    "to_millis",
    "utc_now",
]
