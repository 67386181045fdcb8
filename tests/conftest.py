"""Shared fixtures: the tiny valid data folder in tests/fixtures/data (and copies to break), a
stub Bot Connector that records replies, the real app on a real port, and databases on every
backend (tests/databases.py: `database`, `database_target`, `store_clock`, `postgres_cluster`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app import create_app
from bot.data.directory import Directory, load_directory
from bot.runtime.live import LiveData
from bot.settings import Settings
from tests import factories
from tests.databases import database, database_target, postgres_cluster, store_clock  # noqa: F401 (fixtures)

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
# The day the fixture dialogues are written around: d-04-4 was yesterday, d-04-5 is today.
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def isolated_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own empty STATE_DIR, so no test sees another's (or a developer's) var/.

    Settings built in the test default to it, and so do servers the test starts as subprocesses.
    """
    state_dir = tmp_path_factory.mktemp("var")
    monkeypatch.setattr("bot.settings.DEFAULT_STATE_DIR", state_dir)
    monkeypatch.setenv("STATE_DIR", str(state_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return state_dir


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return a writable copy of the fixture data folder (named data/, as editors know it)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def directory() -> Directory:
    """Return the fixture directory, loaded once."""
    return load_directory(FIXTURE_DATA)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger (and the loggers configure_logging quietens) back as they were."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in ("msrest", "urllib3", "requests_oauthlib", "oauthlib")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


@dataclass
class StubConnector:
    """The Bot Connector's reply API on 127.0.0.1, recording what the bot sends."""

    url: str = ""
    replies: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # each reply exactly as it arrived
    paths: list[str] = field(default_factory=list)
    auth_headers: list[str | None] = field(default_factory=list)
    # Statuses to answer, one per request, before replies are accepted again (throttling tests).
    refusals: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    # The member look-up (TeamsInfo.get_member): user id -> the TeamsChannelAccount JSON to answer.
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Scripted refusals per conversation id: statuses answered in turn (then 201); a 429 carries
    # Retry-After: 1. A conversation in `gone` answers 403 to every send.
    scripted: dict[str, list[int]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    refused_sends: list[tuple[str, int]] = field(default_factory=list)  # (conversation, status) answered
    # Once this many replies are recorded, later sends hang unanswered (and unrecorded) until
    # `release` is set: a connector gone slow just as the bot is killed.
    hang_after: int | None = None
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def cards(self) -> list[dict[str, Any]]:
        """Return every Adaptive Card in every recorded reply, in order."""
        return [
            attachment["content"]
            for reply in self.replies
            for attachment in reply.get("attachments") or ()
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


def _connector_app(stub: StubConnector) -> web.Application:
    ids = itertools.count(1)

    async def record(request: web.Request) -> web.Response:
        if stub.refusals:
            stub.refused.append(stub.refusals.pop(0))
            return web.json_response({"error": {"code": "Throttled"}}, status=stub.refused[-1])
        conversation = request.match_info["conversation_id"]
        script = stub.scripted.get(conversation)
        status = 403 if conversation in stub.gone else script.pop(0) if script else 0
        if status:
            stub.refused_sends.append((conversation, status))
            headers = {"Retry-After": "1"} if status == 429 else {}
            return web.json_response({"error": {"code": "Refused"}}, status=status, headers=headers)
        if stub.hang_after is not None and len(stub.replies) >= stub.hang_after:
            await stub.release.wait()
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        stub.bodies.append(await request.text())
        stub.replies.append(json.loads(stub.bodies[-1]))
        stub.paths.append(request.path)
        stub.auth_headers.append(request.headers.get("Authorization"))
        return web.json_response({"id": f"reply-{next(ids)}"})

    async def member(request: web.Request) -> web.Response:
        found = stub.members.get(request.match_info["member_id"])
        if found is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(found)

    app = web.Application()
    app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", member)
    app.router.add_post("/v3/conversations/{conversation_id}/activities", record)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", record)
    return app


@pytest.fixture
async def connector() -> StubConnector:
    """Start a stub Bot Connector on a free loopback port."""
    stub = StubConnector()
    server = TestServer(_connector_app(stub), host="127.0.0.1")
    await server.start_server()
    stub.url = str(server.make_url("/"))
    yield stub
    await server.close()


def test_settings(data_dir: Path | None = None) -> Settings:
    """Return settings with authentication off, as for the Emulator."""
    return Settings.from_env({"DATA_DIR": str(data_dir)} if data_dir else {}, env_file=None)


test_settings.__test__ = False  # a helper, not a test


@pytest.fixture
def loaded_store() -> LiveData:
    """Return a store serving the small test directory."""
    store = LiveData(Path("/nonexistent"))
    store.install(factories.directory())
    return store


@dataclass
class RunningBot:
    """The real app on a real port, and a client session to post to it."""

    url: str
    session: aiohttp.ClientSession
    app: web.Application

    async def post(self, activity: dict[str, Any], **kwargs: Any) -> aiohttp.ClientResponse:
        """POST an activity to /api/messages as the Bot Connector would."""
        return await self.session.post(self.url + "/api/messages", json=activity, **kwargs)


ServeBot = Callable[[web.Application], Awaitable[RunningBot]]


async def start_bot(app: web.Application) -> tuple[TestServer, RunningBot]:
    """Start `app` on a free loopback port; tests use the serve_bot fixture, which also stops it."""
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    session = aiohttp.ClientSession()
    return server, RunningBot(str(server.make_url("")).rstrip("/"), session, app)


@pytest.fixture
async def serve_bot() -> AsyncIterator[ServeBot]:
    """Return `serve(app)`, which runs the real app on a free loopback port for the rest of the test.

    Everything it started is stopped after the test, passed or failed: a test needs no
    try/finally of its own.
    """
    started: list[tuple[TestServer, RunningBot]] = []

    async def serve(app: web.Application) -> RunningBot:
        server, bot = await start_bot(app)
        started.append((server, bot))
        return bot

    yield serve
    for server, bot in reversed(started):
        await bot.session.close()
        await server.close()


@pytest.fixture
async def running_bot(loaded_store: LiveData, serve_bot: ServeBot) -> RunningBot:
    """Run the real app (authentication off) with the test directory."""
    return await serve_bot(create_app(test_settings(), store=loaded_store, clock=lambda: factories.TODAY))
