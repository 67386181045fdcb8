"""Cards reach the Bot Connector intact on every path the SDK has, the proactive one included."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import SimpleNamespace

import pytest
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from app import ADAPTER_KEY, close_replies, create_app
from bot.render import cards
from bot.teams.replies import card_reply
from tests.conftest import StubConnector, test_settings

# Authentication off, as for the Emulator: the SDK sends no token to the loopback connector.
NO_AUTHENTICATION = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")


@asynccontextmanager
async def stock_adapter() -> AsyncIterator[CloudAdapter]:
    """Yield the adapter Microsoft's samples build: msrest's connector client, no shortcuts."""
    yield CloudAdapter(ConfigurationBotFrameworkAuthentication(NO_AUTHENTICATION))


@asynccontextmanager
async def app_adapter() -> AsyncIterator[CloudAdapter]:
    """Yield the adapter create_app builds (replies over bot.teams.connector), closing its session after."""
    app = create_app(test_settings())
    try:
        yield app[ADAPTER_KEY]
    finally:
        await close_replies(app)  # the app never started, so its clean-up hooks are not armed


def reference(service_url: str) -> ConversationReference:
    """Return what a notification keeps of a conversation to write to it later."""
    return ConversationReference(
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id="a:proactive-chat", conversation_type="personal", tenant_id="tenant"),
        bot=ChannelAccount(id="28:regiondorren", name="Regiondörren"),
        user=ChannelAccount(id="29:colleague", name="Kollega"),
    )


@pytest.mark.parametrize("adapter", [stock_adapter, app_adapter], ids=["stock SDK", "create_app"])
async def test_a_card_sent_proactively_reaches_the_connector_as_the_card(
    connector: StubConnector, adapter: Callable[[], AbstractAsyncContextManager[CloudAdapter]]
):
    card = cards.help_card("sv")

    async def send(turn_context: TurnContext) -> None:
        await turn_context.send_activity(card_reply([card]))

    async with adapter() as sdk_adapter:
        await sdk_adapter.continue_conversation(reference(connector.url), send, "")

    [sent] = connector.replies
    assert connector.paths[0].startswith("/v3/conversations/a:proactive-chat/activities")
    assert sent["attachments"] == [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]


def test_an_activity_with_cards_serialises_with_the_card_as_an_object():
    card = cards.help_card("en")

    body = json.loads(json.dumps(card_reply([card, cards.not_recognised_card("en")]).serialize()))

    assert [attachment["content"] for attachment in body["attachments"]] == [card, cards.not_recognised_card("en")]
