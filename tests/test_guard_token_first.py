"""The door with authentication on: a caller without a token, or with a forged one, costs the
server a header check or a JSON parse, never the body's deserialisation; and every caller is
held to a body that arrives in time and lists of a size Teams sends."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from botbuilder.schema import Activity
from botframework.connector.auth import ChannelValidation, MicrosoftAppCredentials

from app import create_app
from bot.logs import ThrottledLog
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.web import guard
from tests import factories
from tests import teams_activities as teams
from tests.conftest import RunningBot, StubConnector, start_bot
from tests.openid_stub import OpenIdStub, new_key

APP_ID = "6c1a5f0e-2d3b-4a7c-9e8f-1b2c3d4e5f60"
KEY = new_key()
# The finding: 18 000 membersAdded entries in 229 kB, a quarter second to deserialise.
FLOOD_MEMBERS = 18_000
# How long a test waits for an answer the server should give without waiting for the body.
ANSWER_WAIT_S = 5.0


@pytest.fixture
def openid() -> Iterator[OpenIdStub]:
    stub = OpenIdStub(KEY)
    stub.start()
    yield stub
    stub.stop()


@pytest.fixture
async def authed_bot(openid: OpenIdStub, loaded_store: LiveData, monkeypatch: pytest.MonkeyPatch) -> RunningBot:
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", openid.metadata_url)
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "outbound")
    settings = Settings.from_env(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "not-a-real-secret", "ALLOWED_TENANT_IDS": teams.TENANT_ID},
        env_file=None,
    )
    server, bot = await start_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    yield bot
    await bot.session.close()
    await server.close()


@pytest.fixture
def deserialised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count Activity deserialisations (the expensive step) while the test runs."""
    calls: list[int] = []
    original = Activity.deserialize

    def counting(self: Activity, data: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(data.get("membersAdded") or ()) if isinstance(data, dict) else 0)
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(Activity, "deserialize", counting)
    return calls


def _flood(service_url: str) -> bytes:
    """Return the finding's body: a members-added activity with FLOOD_MEMBERS short entries, compact."""
    activity = teams.user_added_to_team(service_url)
    activity["membersAdded"] = [{"id": "29"}] * FLOOD_MEMBERS
    return json.dumps(activity, separators=(",", ":")).encode()


async def _post_flood(bot: RunningBot, service_url: str, **headers: str) -> Any:
    return await bot.session.post(
        bot.url + "/api/messages", data=_flood(service_url), headers={"Content-Type": "application/json", **headers}
    )


async def _headers_only(url: str, headers: dict[str, str]) -> bytes:
    """Send a POST's headers promising a body that never comes; return what the server answers."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [
        "POST /api/messages HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        "Content-Length: 100",
    ]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    try:
        async with asyncio.timeout(ANSWER_WAIT_S):
            return await reader.read(4096)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic dXNlcjpwdw==", "Bearer", "Bearer not-a-jwt", "bearer a.b.c", "Bearer a.b.c extra"],
    ids=["none", "empty", "basic", "no-token", "not-a-jwt", "lower-case-scheme", "trailing-text"],
)
async def test_a_request_without_a_bearer_jwt_is_401_before_its_body_is_read(
    authed_bot: RunningBot, authorization: str | None
):
    headers = {} if authorization is None else {"Authorization": authorization}

    answer = await _headers_only(authed_bot.url, headers)

    assert answer.startswith(b"HTTP/1.1 401")


async def test_a_forged_token_is_401_before_its_body_is_read(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    forged = openid.token(audience=APP_ID, service_url=connector.url, key=new_key())

    answer = await _headers_only(authed_bot.url, {"Authorization": f"Bearer {forged}"})

    assert answer.startswith(b"HTTP/1.1 401")
    assert b"Connection: close" in answer  # not kept open to drain a body nobody will read


async def test_a_valid_token_for_another_service_url_is_refused_once_the_body_is_read(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector
):
    token = openid.token(audience=APP_ID, service_url="https://smba.trafficmanager.net/emea/")

    response = await authed_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 401
    assert connector.replies == []


async def test_a_forged_token_is_refused_without_deserialising_the_body(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, deserialised: list[int]
):
    forged = openid.token(audience=APP_ID, service_url=connector.url, key=new_key())

    response = await _post_flood(authed_bot, connector.url, Authorization=f"Bearer {forged}")

    assert response.status == 401
    assert deserialised == []
    assert connector.replies == []


async def test_a_valid_token_is_checked_alone_then_with_its_activity_and_the_question_answered(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, monkeypatch: pytest.MonkeyPatch
):
    validations: list[str] = []
    original = ChannelValidation.authenticate_channel_token

    async def counting(*args: Any, **kwargs: Any) -> Any:
        validations.append("token")
        return await original(*args, **kwargs)

    monkeypatch.setattr(ChannelValidation, "authenticate_channel_token", counting)
    token = openid.token(audience=APP_ID, service_url=connector.url)

    response = await authed_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status == 201
    assert validations == ["token", "token"]  # before the body, then with it; not a third time by the adapter
    assert connector.cards()[0]["body"][0]["text"] == "Gotlands län"


async def test_a_signed_activity_with_a_list_longer_than_teams_sends_is_400_undeserialised(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, deserialised: list[int]
):
    token = openid.token(audience=APP_ID, service_url=connector.url)

    response = await _post_flood(authed_bot, connector.url, Authorization=f"Bearer {token}")

    assert response.status == 400
    assert "more than" in (await response.json())["error"]
    assert deserialised == []


async def test_members_added_flood_is_400_without_authentication(
    running_bot: RunningBot, connector: StubConnector, deserialised: list[int]
):
    response = await _post_flood(running_bot, connector.url)

    assert response.status == 400
    assert (await response.json())["error"] == "the body is not an activity: a list holds more than 1000 items"
    assert deserialised == []


async def test_nesting_deeper_than_an_activity_needs_is_400(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message(connector.url, "hjälp")
    nested: dict[str, Any] = {}
    activity["channelData"]["deep"] = nested
    for _ in range(guard.MAX_NESTING):
        nested["x"] = {}
        nested = nested["x"]

    response = await running_bot.post(activity)

    assert response.status == 400
    assert "nests deeper" in (await response.json())["error"]
    assert connector.replies == []


async def test_a_team_of_ordinary_size_is_still_welcomed(running_bot: RunningBot, connector: StubConnector):
    activity = teams.bot_added_to_team(connector.url)
    activity["membersAdded"] += [{"id": f"29:{n:08d}"} for n in range(guard.MAX_LIST_ITEMS - 1)]

    response = await running_bot.post(activity)

    assert response.status == 201
    assert len(connector.replies) == 1


async def test_a_body_that_never_arrives_is_408_and_the_connection_closed(
    running_bot: RunningBot, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(guard, "BODY_READ_TIMEOUT_S", 0.2)

    answer = await _headers_only(running_bot.url, {})

    assert answer.startswith(b"HTTP/1.1 408")
    assert b"Connection: close" in answer


@pytest.mark.slow
async def test_beyond_the_cap_the_longest_held_body_gives_way_to_a_real_request(
    running_bot: RunningBot, connector: StubConnector, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    monkeypatch.setattr(guard, "MAX_BODIES_IN_FLIGHT", 2)
    monkeypatch.setattr(guard, "BODY_READ_TIMEOUT_S", 3.0)
    monkeypatch.setattr(guard, "_dropped_clients", ThrottledLog(logging.getLogger(guard.__name__)))
    caplog.set_level(logging.WARNING, logger="bot.web.guard")
    oldest = asyncio.create_task(_headers_only(running_bot.url, {}))
    await asyncio.sleep(0.3)
    newer = asyncio.create_task(_headers_only(running_bot.url, {}))
    await asyncio.sleep(0.3)  # both are reading their bodies now

    response = await running_bot.post(teams.personal_message(connector.url, "vem har Gotland?"))

    assert response.status == 201 and len(connector.replies) == 1
    assert (await oldest).startswith(b"HTTP/1.1 503")
    assert (await newer).startswith(b"HTTP/1.1 408")
    lines = [record.getMessage() for record in caplog.records if record.name == "bot.web.guard"]
    assert len(lines) == 2  # one line for each kind
    assert lines[0].startswith("2 request bodies were being read") and "no complete body" in lines[1]


def test_the_flood_body_is_the_size_the_finding_measured():
    assert 200_000 < len(_flood("https://smba.trafficmanager.net/emea/")) < guard.MAX_BODY_BYTES


async def test_a_connection_that_never_finishes_its_headers_is_closed(
    loaded_store: LiveData, monkeypatch: pytest.MonkeyPatch
):
    import app as app_module

    monkeypatch.setattr(app_module, "HEADER_TIMEOUT_S", 0.3)
    server, bot = await start_bot(create_app(Settings.from_env({}, env_file=None), store=loaded_store))
    try:
        host, port = bot.url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        async with asyncio.timeout(ANSWER_WAIT_S):
            assert await reader.read() == b""  # closed by the server
        writer.close()
    finally:
        await bot.session.close()
        await server.close()


async def test_a_forged_token_sent_again_is_refused_without_checking_its_signature_again(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, monkeypatch: pytest.MonkeyPatch
):
    validations: list[str] = []
    original = ChannelValidation.authenticate_channel_token

    async def counting(*args: Any, **kwargs: Any) -> Any:
        validations.append("token")
        return await original(*args, **kwargs)

    monkeypatch.setattr(ChannelValidation, "authenticate_channel_token", counting)
    forged = openid.token(audience=APP_ID, service_url=connector.url, key=new_key())
    valid = openid.token(audience=APP_ID, service_url=connector.url)

    answers = [await _headers_only(authed_bot.url, {"Authorization": f"Bearer {forged}"}) for _ in range(5)]
    checked_for_forged = len(validations)
    response = await authed_bot.post(
        teams.personal_message(connector.url, "vem har Gotland?"), headers={"Authorization": f"Bearer {valid}"}
    )

    assert all(answer.startswith(b"HTTP/1.1 401") for answer in answers)
    assert checked_for_forged == 1  # the signature was checked once; the next four were known refusals
    assert response.status == 201  # a refused token does not shut out a valid one


def test_a_refused_token_is_remembered_for_a_while_and_forgotten_after():
    now = [0.0]
    refused = guard.RefusedTokens(clock=lambda: now[0])

    refused.add("Bearer a.b.c")

    assert "Bearer a.b.c" in refused
    assert "Bearer a.b.d" not in refused
    now[0] += guard.REFUSAL_MEMORY_S + 1
    assert "Bearer a.b.c" not in refused


def test_the_remembered_refusals_are_bounded():
    refused = guard.RefusedTokens()

    for number in range(guard.MAX_REMEMBERED_REFUSALS + 10):
        refused.add(f"Bearer a.b.{number}")

    assert len(refused) == guard.MAX_REMEMBERED_REFUSALS
    assert "Bearer a.b.0" not in refused  # the oldest gave way
    assert f"Bearer a.b.{guard.MAX_REMEMBERED_REFUSALS + 9}" in refused


@pytest.mark.parametrize("sent", [0, 1000], ids=["no-body-yet", "part-of-the-body"])
async def test_a_forged_token_with_a_large_body_is_answered_and_closed_before_the_body_is_sent(
    authed_bot: RunningBot, openid: OpenIdStub, connector: StubConnector, sent: int
):
    forged = openid.token(audience=APP_ID, service_url=connector.url, key=new_key())
    body = _flood(connector.url)
    host, port = authed_bot.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (
        f"POST /api/messages HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nAuthorization: Bearer {forged}\r\n\r\n"
    )
    writer.write(head.encode() + body[:sent])  # the rest of the 217 kB is never sent
    await writer.drain()
    try:
        async with asyncio.timeout(ANSWER_WAIT_S):
            answer = await reader.read()  # to EOF: the server closed without waiting for the body
    finally:
        writer.close()

    assert answer.startswith(b"HTTP/1.1 401")
    assert answer.endswith(b'{"error": "missing or invalid Bot Framework token"}')
