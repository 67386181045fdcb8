"""Databases for tests, on every backend, real servers only (imported by tests/conftest.py).

How to use them:

    async def test_a_post_survives(database: Database) -> None:
        # runs twice, ids [sqlite] and [postgresql]: an opened, migrated, otherwise empty database
        async with database.transaction() as transaction:
            await transaction.execute("INSERT INTO ...", {...})

- `database`: the shipped migrations applied; SQLite in tmp_path, or a fresh database in the
  session's throwaway PostgreSQL cluster (dropped after the test). Its clock is `store_clock`.
- `store_clock`: a settable clock (`store_clock.advance(hours=25)`) the database reads.
- `database_target`: where `database` lives, to open a second `Database` on the same data
  (`await database_target.open()`, as a second worker would) or to build app settings
  (`database_target.environ()` gives STATE_DIR or DATABASE_URL).
- `postgres_cluster`: the session's server, for tests that `stop()` and `start()` it.

PostgreSQL is Debian's `postgresql` package: `initdb` and `pg_ctl` (run as the `postgres` user
when the tests run as root, which they refuse to run as) make a cluster in a temporary folder
on a free 127.0.0.1 port. Without the package the PostgreSQL half skips with the reason, and
fails under CI=true (.ci/run installs it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.store import Database, migrate, open_database

# Where Debian's postgresql package puts its programs (one folder per major version).
DEBIAN_POSTGRES_BINARIES = "/usr/lib/postgresql/*/bin"
# Test clusters survive no power cut: without fsync, CREATE DATABASE and commits are fast, and a
# commit is still in the WAL (in the OS's cache) when a test stops the server with -m immediate.
SERVER_OPTIONS = "-c fsync=off -c full_page_writes=off -c max_connections=200"
START_TIMEOUT_SECONDS = 60
SUPERUSER = "postgres"
# 2026-11-26 09:00 in Stockholm: the day the fixture data is written around (tests/conftest.py).
CLOCK_START = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


class StoreClock:
    """A clock for the store that stands still until a test moves it."""

    def __init__(self, start: dt.datetime = CLOCK_START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by `timedelta(**delta)`."""
        self.now += dt.timedelta(**delta)


def postgres_bin_dir() -> Path | None:
    """Return the folder with initdb and pg_ctl (the newest Debian version), or None."""
    folders = sorted(glob.glob(DEBIAN_POSTGRES_BINARIES), key=lambda p: int(Path(p).parent.name or 0))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """A throwaway PostgreSQL server in a temporary folder, on 127.0.0.1."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="regiondorren-pg-"))
        self.data_dir = self.root / "data"
        self.log_file = self.root / "server.log"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.root, user=SUPERUSER)
        self._names = itertools.count(1)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS, check=False)
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args[:1])} failed: {result.stderr.strip()}\n{log}")

    def init(self) -> None:
        """Create the cluster: trust authentication, reachable only on loopback."""
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        """Start the server (again) on the cluster's port and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {SERVER_OPTIONS}"
        self._run("pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-o", options)

    def stop(self) -> None:
        """Stop the server at once, dropping every connection (as a crash or failover would)."""
        self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w")

    def running(self) -> bool:
        """Say whether the server is up (pg_ctl status)."""
        command = [str(self.bin_dir / "pg_ctl"), "status", "-D", str(self.data_dir)]
        if self._as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        return subprocess.run(command, capture_output=True, timeout=START_TIMEOUT_SECONDS, check=False).returncode == 0

    def remove(self) -> None:
        """Stop the server if it runs and delete the cluster's folder."""
        with contextlib.suppress(RuntimeError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """Return the DATABASE_URL of one database of this cluster."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """Create an empty database with a new name; return its name."""
        name = f"test_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still connected."""
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as connection:
            connection.execute(statement.encode())


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start a throwaway PostgreSQL cluster for the session; skip (fail under CI=true) without one."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql): initdb and pg_ctl not found"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.init()
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        cluster.remove()
        raise
    yield cluster
    cluster.remove()


@dataclass
class DatabaseTarget:
    """Where a test's database lives: a SQLite folder, or a PostgreSQL URL."""

    backend: str
    state_dir: Path
    url: str = ""

    def environ(self) -> dict[str, str]:
        """Return the settings variables that point the bot at this database."""
        return {"STATE_DIR": str(self.state_dir), **({"DATABASE_URL": self.url} if self.url else {})}

    async def open(self, clock: StoreClock | None = None) -> Database:
        """Open (and migrate) another Database on the same data, as a second worker would."""
        database = open_database(self.state_dir, self.url, clock or StoreClock())
        await database.open()
        try:
            await migrate(database)
        except BaseException:
            await database.close()
            raise
        return database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseTarget]:
    """Return a fresh, empty place for a database on each backend."""
    state_dir = tmp_path_factory.mktemp("state")
    if request.param == "sqlite":
        yield DatabaseTarget("sqlite", state_dir)
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = cluster.create_database()
    yield DatabaseTarget("postgresql", state_dir, cluster.url(name))
    if not cluster.running():
        cluster.start()  # a test that stopped the server and failed before starting it again
    cluster.drop_database(name)


@pytest.fixture
def store_clock() -> StoreClock:
    """Return the settable clock the `database` fixture reads."""
    return StoreClock()


@pytest.fixture
async def database(database_target: DatabaseTarget, store_clock: StoreClock) -> AsyncIterator[Database]:
    """Return an opened, migrated Database on each backend (see the module docstring)."""
    opened = await database_target.open(store_clock)
    yield opened
    await opened.close()
