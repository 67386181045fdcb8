"""Conversation state shared through the store: a follow-up answered by another worker, a restart,
a database that goes away and comes back. The real app on real ports, on both backends."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import pytest

from app import create_app
from bot.core.messages import text
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.store import Database
from tests import factories
from tests import teams_activities as teams
from tests.conftest import RunningBot, StubConnector, start_bot
from tests.databases import DatabaseTarget, PostgresCluster

QUESTION = "vem har Östersjökusten?"  # four counties: the bot asks which one


@asynccontextmanager
async def worker(settings: Settings, store: LiveData) -> AsyncIterator[RunningBot]:
    """Run one app (one worker's worth) on its own port."""
    server, bot = await start_bot(create_app(settings, store=store, clock=lambda: factories.TODAY))
    try:
        yield bot
    finally:
        await bot.session.close()
        await server.close()


def reply_text(reply: dict) -> str:
    return json.dumps(reply, ensure_ascii=False)


async def state_rows(database: Database) -> int:
    async with database.transaction(readonly=True) as transaction:
        row = await transaction.fetchone("SELECT COUNT(*) AS n FROM bot_state")
    return int(row["n"]) if row else 0


async def test_a_follow_up_reaching_another_worker_is_answered_for_the_county_chosen(
    database_target: DatabaseTarget, database: Database, loaded_store: LiveData, connector: StubConnector
) -> None:
    settings = Settings.from_env(database_target.environ(), env_file=None)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(worker(settings, loaded_store))
        second = await stack.enter_async_context(worker(settings, loaded_store))
        await first.post(teams.personal_message(connector.url, QUESTION))
        assert "Uppsala län" in reply_text(connector.replies[-1])
        assert await state_rows(database) == 1

        await second.post(teams.personal_message(connector.url, "2"))

    assert len(connector.replies) == 2
    [card] = [a["content"] for a in connector.replies[-1]["attachments"]]
    assert "Uppsala län saknar länsansvarig just nu." in card["fallbackText"]
    assert await state_rows(database) == 0  # the dialog ended: nothing is left behind


async def test_a_dialog_survives_a_restart_of_every_worker(
    database_target: DatabaseTarget, loaded_store: LiveData, connector: StubConnector
) -> None:
    settings = Settings.from_env(database_target.environ(), env_file=None)
    async with worker(settings, loaded_store) as before:
        await before.post(teams.personal_message(connector.url, QUESTION))
    async with worker(settings, loaded_store) as after:
        await after.post(teams.personal_message(connector.url, "gotland"))
    assert "Gotlands län" in reply_text(connector.replies[-1])


async def test_a_plain_question_leaves_no_state(
    database_target: DatabaseTarget, database: Database, loaded_store: LiveData, connector: StubConnector
) -> None:
    settings = Settings.from_env(database_target.environ(), env_file=None)
    async with worker(settings, loaded_store) as bot:
        for _ in range(3):
            await bot.post(teams.personal_message(connector.url, "vem har Sörmland?"))
    assert len(connector.replies) == 3
    assert await state_rows(database) == 0


async def test_while_postgresql_is_down_turns_get_the_neutral_sentence_and_then_recover(
    postgres_cluster: PostgresCluster, loaded_store: LiveData, connector: StubConnector
) -> None:
    name = postgres_cluster.create_database()
    settings = Settings.from_env({"DATABASE_URL": postgres_cluster.url(name)}, env_file=None)
    try:
        async with worker(settings, loaded_store) as bot:
            await bot.post(teams.personal_message(connector.url, QUESTION))
            await asyncio.to_thread(postgres_cluster.stop)
            try:
                response = await bot.post(teams.personal_message(connector.url, "2"))
                assert response.status == 201
                assert connector.replies[-1]["text"] == text("error_neutral", "sv")
                assert (await bot.session.get(bot.url + "/healthz")).status == 503
            finally:
                await asyncio.to_thread(postgres_cluster.start)
            await bot.post(teams.personal_message(connector.url, "2"))  # the dialog outlived the outage
            assert "Uppsala län saknar länsansvarig just nu." in reply_text(connector.replies[-1])
            assert (await bot.session.get(bot.url + "/healthz")).status == 200
    finally:
        if not postgres_cluster.running():
            postgres_cluster.start()
        postgres_cluster.drop_database(name)


@pytest.mark.parametrize("greetings", [1])
async def test_the_welcome_is_remembered_across_workers(
    database_target: DatabaseTarget, loaded_store: LiveData, connector: StubConnector, greetings: int
) -> None:
    settings = Settings.from_env(database_target.environ(), env_file=None)
    async with worker(settings, loaded_store) as first, worker(settings, loaded_store) as second:
        await first.post(teams.bot_added_to_team(connector.url))
        await second.post(teams.bot_added_to_team(connector.url))  # Teams retries; another worker gets it
    assert len(connector.cards()) == greetings
