"""/healthz reports the database: its backend and schema version, and 503 with the reason while it is down."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from app import create_app
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.store.migrator import migrations_for
from tests import factories
from tests.conftest import RunningBot, start_bot
from tests.databases import DatabaseTarget, PostgresCluster, _free_port


@asynccontextmanager
async def run(settings: Settings, loaded_store: LiveData) -> AsyncIterator[RunningBot]:
    app = create_app(settings, store=loaded_store, clock=lambda: factories.TODAY)
    server, bot = await start_bot(app)
    try:
        yield bot
    finally:
        await bot.session.close()
        await server.close()


async def health(bot: RunningBot) -> tuple[int, dict[str, Any]]:
    response = await bot.session.get(bot.url + "/healthz")
    return response.status, await response.json()


async def wait_for(bot: RunningBot, predicate: Callable[[int, dict[str, Any]], bool], seconds: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        status, body = await health(bot)
        if predicate(status, body):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"/healthz never got there: {status} {body}")


@pytest.fixture
async def bot_on(database_target: DatabaseTarget, loaded_store: LiveData) -> AsyncIterator[RunningBot]:
    settings = Settings.from_env(database_target.environ(), env_file=None)
    async with run(settings, loaded_store) as bot:
        yield bot


async def test_healthz_names_the_backend_and_the_schema_version(
    bot_on: RunningBot, database_target: DatabaseTarget
) -> None:
    status, body = await health(bot_on)
    latest = len(migrations_for(database_target.backend))
    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == {
        "status": "ok",
        "backend": database_target.backend,
        "schema_version": latest,
        "expected_schema_version": latest,
        "location": body["database"]["location"],
        "error": None,
    }
    assert "@" not in body["database"]["location"]  # no user name (or password) from DATABASE_URL


async def test_a_server_that_is_not_there_at_start_up_gives_503_with_the_reason_and_directory_answers_go_on(
    loaded_store: LiveData,
) -> None:
    url = f"postgresql://regiondorren:hemligt@127.0.0.1:{_free_port()}/regiondorren"
    async with run(Settings.from_env({"DATABASE_URL": url}, env_file=None), loaded_store) as bot:
        status, body = await health(bot)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["database"]["status"] == "unavailable"
        assert "127.0.0.1" in body["database"]["error"]
        assert "hemligt" not in str(body)


async def test_stopping_postgresql_gives_503_and_starting_it_again_recovers_by_itself(
    postgres_cluster: PostgresCluster, loaded_store: LiveData
) -> None:
    name = postgres_cluster.create_database()
    settings = Settings.from_env({"DATABASE_URL": postgres_cluster.url(name)}, env_file=None)
    try:
        async with run(settings, loaded_store) as bot:
            assert (await health(bot))[0] == 200
            await asyncio.to_thread(postgres_cluster.stop)
            try:
                await wait_for(bot, lambda status, body: status == 503 and body["database"]["error"])
            finally:
                await asyncio.to_thread(postgres_cluster.start)
            await wait_for(bot, lambda status, body: status == 200 and body["database"]["schema_version"] >= 1)
    finally:
        postgres_cluster.drop_database(name)


async def test_a_worker_that_started_while_postgresql_was_down_migrates_when_it_comes_back(
    postgres_cluster: PostgresCluster, loaded_store: LiveData
) -> None:
    name = postgres_cluster.create_database()
    settings = Settings.from_env({"DATABASE_URL": postgres_cluster.url(name)}, env_file=None)
    await asyncio.to_thread(postgres_cluster.stop)
    try:
        async with run(settings, loaded_store) as bot:
            status, body = await health(bot)
            assert status == 503 and body["database"]["schema_version"] is None
            await asyncio.to_thread(postgres_cluster.start)
            await wait_for(bot, lambda status, body: status == 200)
            assert body["database"]["error"]  # the 503 said why
    finally:
        if not postgres_cluster.running():
            postgres_cluster.start()
        postgres_cluster.drop_database(name)


async def test_a_database_behind_the_release_is_503_with_the_command_to_run(
    bot_on: RunningBot, database_target: DatabaseTarget
) -> None:
    other = await database_target.open()
    try:
        async with other.transaction() as transaction:
            # The newest migration unapplied, however many the release ships.
            await transaction.execute(
                "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)"
            )
    finally:
        await other.close()
    status, body = await health(bot_on)
    assert status == 503
    assert "python -m bot migrate" in body["database"]["error"]
