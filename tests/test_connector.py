"""The fast reply path: replies reach the Bot Connector with the bot's token when authentication
is on, none when it is off, one client per service URL, retries on throttling."""

from __future__ import annotations

import itertools

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import ConnectorFactory, MicrosoftAppCredentials

from bot.teams import connector as connector_module
from bot.teams.connector import ClientCache, ConnectorError, ReplySession


class _CredentialsWithLocalToken(MicrosoftAppCredentials):
    """The SDK's credentials, with the token from here instead of Azure AD (no internet in tests)."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "token-for-" + self.microsoft_app_id


class _SdkClient:
    def __init__(self, credentials: MicrosoftAppCredentials) -> None:
        self.config = type("Config", (), {"credentials": credentials})()
        self.conversations = type("Ops", (), {"get_conversation_members": lambda self, cid: f"sdk:{cid}"})()


class _Factory(ConnectorFactory):
    def __init__(self, app_id: str | None) -> None:
        self.app_id = app_id
        self.created = 0

    async def create(self, service_url: str, audience: str = None):  # noqa: RUF013
        self.created += 1
        return _SdkClient(
            _CredentialsWithLocalToken(self.app_id, "pw") if self.app_id else MicrosoftAppCredentials(None, None)
        )


@pytest.fixture
async def connector():
    calls: list[tuple[str, str, str | None, dict]] = []
    statuses = itertools.chain([], itertools.repeat(200))

    async def record(request: web.Request) -> web.Response:
        calls.append((request.method, request.raw_path, request.headers.get("Authorization"), await request.json()))
        status = next(state["statuses"])
        if status != 200:
            return web.json_response({"error": {"code": "x"}}, status=status, headers={"Retry-After": "0"})
        return web.json_response({"id": f"r{len(calls)}"})

    state = {"statuses": statuses}
    app = web.Application()
    app.router.add_route("*", "/v3/conversations/{cid}/activities", record)
    app.router.add_route("*", "/v3/conversations/{cid}/activities/{aid}", record)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    replies = ReplySession()
    await replies.open()
    yield str(server.make_url("/")), calls, state, replies
    await replies.close()
    await server.close()


def _message(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text)


async def test_reply_carries_the_bots_token_when_authentication_is_on(connector):
    url, calls, _, replies = connector
    client = await ClientCache(replies).get(url, None, _Factory("9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"))

    response = await client.conversations.reply_to_activity("19:abc@thread.tacv2;messageid=17", "17", _message("hej"))

    assert response.id == "r1"
    [(method, path, authorization, body)] = calls
    assert method == "POST"
    assert path == "/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D17/activities/17"
    assert authorization == "Bearer token-for-9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10"
    assert body["text"] == "hej" and body["type"] == "message"


async def test_reply_has_no_token_when_authentication_is_off(connector):
    url, calls, _, replies = connector
    client = await ClientCache(replies).get(url, None, _Factory(None))

    await client.conversations.send_to_conversation("a:1", _message("hej"))

    assert calls[0][1] == "/v3/conversations/a%3A1/activities"
    assert calls[0][2] is None


async def test_one_client_per_service_url_is_reused_across_turns(connector):
    url, _, _, replies = connector
    cache, factory = ClientCache(replies), _Factory(None)

    first = await cache.get(url, None, factory)
    second = await cache.get(url, None, factory)
    other = await cache.get(url + "other/", None, factory)

    assert first is second and other is not first
    assert factory.created == 2


async def test_throttled_reply_is_retried_then_delivered(connector):
    url, calls, state, replies = connector
    state["statuses"] = itertools.chain([429, 503], itertools.repeat(200))
    client = await ClientCache(replies).get(url, None, _Factory(None))

    response = await client.conversations.send_to_conversation("a:1", _message("hej"))

    assert response.id == "r3"
    assert len(calls) == 3


@pytest.mark.parametrize("status", [412, 429, 502, 504])
async def test_each_status_teams_says_to_retry_is_retried(connector, status):
    url, _calls, state, replies = connector
    state["statuses"] = itertools.chain([status], itertools.repeat(200))
    client = await ClientCache(replies).get(url, None, _Factory(None))

    response = await client.conversations.send_to_conversation("a:1", _message("hej"))

    assert response.id == "r2"


async def test_retries_back_off_exponentially_with_jitter(monkeypatch):
    waits = [connector_module._retry_after(None, attempt) for attempt in range(3) for _ in range(20)]

    for attempt in range(3):
        step = connector_module.BACKOFF_BASE_S * 2**attempt
        these = waits[attempt * 20 : attempt * 20 + 20]
        assert all(step <= wait <= min(2 * step, connector_module.MAX_RETRY_AFTER_S) for wait in these)
        assert len(set(these)) > 1  # jittered: twenty throttled replies do not return together
    assert connector_module._retry_after("60", 0) == connector_module.MAX_RETRY_AFTER_S


async def test_refused_reply_raises_naming_the_call_and_status(connector):
    url, _, state, replies = connector
    state["statuses"] = itertools.repeat(403)
    client = await ClientCache(replies).get(url, None, _Factory(None))

    with pytest.raises(ConnectorError, match=r"reply_to_activity at .* failed with HTTP 403"):
        await client.conversations.reply_to_activity("a:1", "5", _message("hej"))


async def test_other_operations_fall_through_to_the_sdk_client(connector):
    url, _, _, replies = connector
    client = await ClientCache(replies).get(url, None, _Factory(None))

    assert client.conversations.get_conversation_members("a:1") == "sdk:a:1"


def test_card_replies_serialise_exactly_as_msrest_would():
    from botbuilder.core import CardFactory, MessageFactory
    from botbuilder.schema import HeroCard

    from bot.render import cards
    from bot.teams.connector import serialize_activity

    reply = MessageFactory.carousel(
        [CardFactory.adaptive_card(cards.help_card("sv")), CardFactory.hero_card(HeroCard(title="Hero"))], text="lead"
    )
    reply.summary = "sammanfattning"

    assert serialize_activity(reply) == reply.serialize()
    assert reply.attachments[0].content == cards.help_card("sv")  # left as it was


def test_outgoing_card_is_shared_not_copied_and_serialises_as_a_plain_dict():
    import copy
    import json

    from bot.render import cards
    from bot.teams.connector import serialize_activity
    from bot.teams.replies import card_reply

    reply = card_reply([cards.help_card("en")])
    copied = copy.deepcopy(reply)

    assert copied is not reply and copied.attachments[0] is not reply.attachments[0]
    assert copied.attachments[0].content is reply.attachments[0].content
    body = serialize_activity(copied)
    assert json.loads(json.dumps(body))["attachments"][0]["content"] == cards.help_card("en")
