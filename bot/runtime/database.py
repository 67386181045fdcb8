"""The store being served: the opened database, its migrations at start-up, and what /healthz says about it.

The counterpart of `LiveData` for the durable store. A database that cannot be reached at
start-up is no reason to stop serving directory answers: the worker starts, /healthz says 503
with the reason, and opening and migrating are retried in the background until they succeed.
A migration that fails on its own SQL is a bug in the release and stops the start-up instead.
May import `bot.store`; plain Python and asyncio.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.store import MIGRATIONS_DIR, Database, StoreUnavailable, migrate, schema_version
from bot.store.migrator import migrations_for

logger = logging.getLogger(__name__)

# How often a worker that could not reach the database at start-up tries again.
RETRY_SECONDS = 2.0
# How often expired rows are purged. Each worker purges (the work is idempotent and batched); the
# jitter spreads workers that started together.
HOUSEKEEPING_SECONDS = 600.0
HOUSEKEEPING_JITTER = 0.2
# /healthz answers within this even when the database hangs (load balancers probe with ~5 s timeouts).
HEALTH_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    """What /healthz reports about the store."""

    ok: bool
    backend: str
    location: str
    schema_version: int | None  # None when the database could not be asked
    expected_version: int  # the newest migration this release ships
    error: str | None

    def as_dict(self, details: bool = True) -> dict[str, object]:
        """Return the /healthz entry; without `details`, no file path, host or driver message."""
        body: dict[str, object] = {
            "status": "ok" if self.ok else "unavailable",
            "backend": self.backend,
            "schema_version": self.schema_version,
        }
        if not details:
            return {**body, "error": None if self.ok else "the database cannot be used; see the logs"}
        return {
            **body,
            "location": self.location,
            "expected_schema_version": self.expected_version,
            "error": self.error,
        }


class LiveDatabase:
    """Open and migrate the database, retrying while it is unreachable; report its health."""

    def __init__(self, database: Database, migrations_dir: Path = MIGRATIONS_DIR) -> None:
        self.database = database
        self._migrations_dir = migrations_dir
        self._expected = len(migrations_for(database.backend, migrations_dir))
        self._ready = asyncio.Event()
        self._error: str | None = None
        self._retry: asyncio.Task[None] | None = None
        self._chores: list[tuple[str, Callable[[], Awaitable[int]], float]] = []
        self._chore_tasks: list[asyncio.Task[None]] = []

    @property
    def ready(self) -> bool:
        """Say whether the database was opened and migrated."""
        return self._ready.is_set()

    def add_chore(self, name: str, chore: Callable[[], Awaitable[int]], every: float = HOUSEKEEPING_SECONDS) -> None:
        """Run `chore` (returning how many rows it handled) every `every` seconds once the database is ready."""
        self._chores.append((name, chore, every))

    async def start(self) -> None:
        """Open and migrate now; if the database is unreachable, keep trying in the background."""
        self._chore_tasks = [
            asyncio.create_task(self._repeat(name, chore, every), name=f"database-{name}")
            for name, chore, every in self._chores
        ]
        if await self._open_and_migrate():
            return
        self._retry = asyncio.create_task(self._keep_trying(), name="database-retry")

    async def _repeat(self, name: str, chore: Callable[[], Awaitable[int]], every: float) -> None:
        await self._ready.wait()
        while True:
            try:
                handled = await chore()
            except StoreUnavailable as error:
                logger.warning("%s skipped: %s", name, error)
            else:
                if handled:
                    logger.info("%s: %d row(s)", name, handled)
            await asyncio.sleep(every * random.uniform(1 - HOUSEKEEPING_JITTER, 1 + HOUSEKEEPING_JITTER))

    async def wait_ready(self) -> None:
        """Wait until the database has been opened and migrated (tests, the command line)."""
        await self._ready.wait()

    async def stop(self) -> None:
        """Stop retrying and the chores, and close the database."""
        for task in [*self._chore_tasks, *([self._retry] if self._retry else [])]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.database.close()

    async def _open_and_migrate(self) -> bool:
        try:
            await self.database.open()
            version = await migrate(self.database, self._migrations_dir)
        except StoreUnavailable as error:
            if self._error != str(error):
                logger.warning("the %s database cannot be used yet: %s", self.database.backend, error)
            self._error = str(error)
            return False
        self._error = None
        self._ready.set()
        logger.info("%s database ready (schema version %d)", self.database.backend, version)
        return True

    async def _keep_trying(self) -> None:
        while not await self._open_and_migrate():
            await asyncio.sleep(RETRY_SECONDS)

    async def health(self) -> DatabaseHealth:
        """Ask the database for its schema version; unavailable if it does not answer in time."""
        version: int | None = None
        error = self._error
        if self.ready:
            try:
                version = await asyncio.wait_for(schema_version(self.database), HEALTH_TIMEOUT_SECONDS)
            except StoreUnavailable as failure:
                error = str(failure)
            except TimeoutError:
                error = f"the database did not answer within {HEALTH_TIMEOUT_SECONDS:.0f} s"
            if version is not None and version < self._expected:
                error = (
                    f"the schema is at version {version} but this release needs {self._expected} "
                    "(restart, or run python -m bot migrate)"
                )
        elif error is None:
            error = "the database is being opened"
        return DatabaseHealth(
            ok=error is None,
            backend=self.database.backend,
            location=self.database.location,
            schema_version=version,
            expected_version=self._expected,
            error=error,
        )
