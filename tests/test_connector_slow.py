"""A slow, failing or redirecting Bot Connector, against the real app: a turn ends inside its
budget, the error sentence is not sent to a connector that just failed, the failure is logged
once with the activity id and the incoming request is answered 502; one slow service URL does
not hold up replies to another; redirects are not followed and userinfo is never sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import MicrosoftAppCredentials

from app import create_app
from bot.runtime.live import LiveData
from bot.teams import connector as connector_module
from bot.teams.connector import ClientCache, ReplySession
from tests import factories
from tests import teams_activities as teams
from tests.conftest import RunningBot, start_bot, test_settings

# Long enough that a test would see it (a connector that never answers in practice).
NEVER_S = 60.0
# How long a test waits for something that must happen without waiting for the slow connector.
WAIT_S = 10.0


@dataclass
class SlowConnector:
    """A Bot Connector on loopback: /slow/ never answers, /fast/ answers at once, /moved/ redirects."""

    url: str = ""
    calls: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Authorization)
    slow_waiting: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((request.path, request.headers.get("Authorization")))
        if request.path.startswith("/slow/"):
            self.slow_waiting += 1
            await asyncio.sleep(NEVER_S)
        if request.path.startswith("/moved/"):
            raise web.HTTPTemporaryRedirect(self.url + "elsewhere" + request.path)
        return web.json_response({"id": f"reply-{len(self.calls)}"})


@pytest.fixture
async def slow() -> AsyncIterator[SlowConnector]:
    stub = SlowConnector()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    stub.url = str(server.make_url("/"))
    yield stub
    await server.close()


@pytest.fixture
async def bot(loaded_store: LiveData) -> AsyncIterator[RunningBot]:
    server, running = await start_bot(create_app(test_settings(), store=loaded_store, clock=lambda: factories.TODAY))
    yield running
    await running.session.close()
    await server.close()


async def test_a_connector_that_never_answers_ends_the_turn_once_with_502(
    bot: RunningBot, slow: SlowConnector, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(connector_module, "TURN_BUDGET_S", 0.5)
    activity = teams.personal_message(slow.url + "slow/", "vem har Gotland?")

    async with asyncio.timeout(WAIT_S):
        response = await bot.post(activity)

    assert response.status == 502
    assert (await response.json()) == {"error": "the reply could not be delivered to the Bot Connector"}
    assert len(slow.calls) == 1  # the answer; no second try with the error sentence
    failures = [record for record in caplog.records if record.levelno >= logging.WARNING]
    [line] = [record for record in failures if "could not deliver" in record.getMessage()]
    assert activity["id"] in line.getMessage() and line.exc_info is None
    assert not [record for record in failures if record.exc_info]


async def test_a_refusing_connector_is_logged_once_and_gets_no_error_sentence(
    bot: RunningBot, slow: SlowConnector, caplog: pytest.LogCaptureFixture
):
    activity = teams.personal_message(slow.url + "moved/", "vem har Gotland?")

    response = await bot.post(activity)

    assert response.status == 502
    [(path, _)] = slow.calls  # the redirect's target got nothing
    assert path.startswith("/moved/")
    failures = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(failures) == 1 and "HTTP 307" in failures[0].getMessage()


async def test_userinfo_in_the_service_url_is_never_sent(bot: RunningBot, slow: SlowConnector):
    service_url = slow.url.replace("http://", "http://user:secret@") + "fast/"

    response = await bot.post(teams.personal_message(service_url, "vem har Gotland?"))

    assert response.status == 201
    assert [auth for _, auth in slow.calls] == [None]


async def test_replies_piling_up_at_one_service_url_do_not_hold_up_another(slow: SlowConnector):
    replies = ReplySession()
    await replies.open()
    cache, factory = ClientCache(replies), _Factory()
    slow_client = await cache.get(slow.url + "slow/", None, factory)
    fast_client = await cache.get(slow.url + "fast/", None, factory)
    message = Activity(type=ActivityTypes.message, text="hej")
    stuck = [
        asyncio.create_task(slow_client.conversations.send_to_conversation(f"a:{n}", message))
        for n in range(connector_module.CONNECTIONS_PER_SERVICE_URL + 50)  # past aiohttp's shared pool of 100
    ]
    try:
        async with asyncio.timeout(WAIT_S):
            while slow.slow_waiting < connector_module.CONNECTIONS_PER_SERVICE_URL:
                await asyncio.sleep(0.05)
            response = await fast_client.conversations.send_to_conversation("a:fast", message)
        assert response.id is not None
        assert not any(task.done() for task in stuck)
    finally:
        for task in stuck:
            task.cancel()
        await asyncio.gather(*stuck, return_exceptions=True)
        await replies.close()


class _SdkClient:
    def __init__(self) -> None:
        self.config = type("Config", (), {"credentials": MicrosoftAppCredentials(None, None)})()
        self.conversations = object()


class _Factory:
    async def create(self, service_url: str, audience: str | None = None) -> _SdkClient:
        return _SdkClient()
