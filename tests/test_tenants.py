"""The tenant boundary: the pure rule, and the real server refusing other tenants' messages,
invokes and conversation updates without giving away directory data."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from bot.core.messages import text
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.teams import tenants as tenants_module
from bot.teams.tenants import TenantPolicy, tenant_from_channel_data
from tests import factories
from tests import teams_activities as teams
from tests.conftest import RunningBot, ServeBot, StubConnector
from tests.test_boundaries import FORBIDDEN, imported_modules

OTHER_TENANT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
QUESTION = "vem har Sörmland?"


def test_policy_lets_in_only_the_listed_tenants_in_any_case():
    policy = TenantPolicy.of([teams.TENANT_ID.upper(), " "])

    assert policy.allows(teams.TENANT_ID)
    assert policy.allows(f" {teams.TENANT_ID.upper()} ")
    assert not policy.allows(OTHER_TENANT)
    assert not policy.allows(None)
    assert not policy.allows("")


def test_empty_policy_lets_every_tenant_in():
    policy = TenantPolicy.of([])

    assert policy.open
    assert policy.allows(OTHER_TENANT) and policy.allows(None)


@pytest.mark.parametrize(
    "channel_data, tenant",
    [
        ({"tenant": {"id": teams.TENANT_ID}}, teams.TENANT_ID),
        ({"tenant": {"id": "  "}}, None),
        ({"tenant": {"id": 7}}, None),
        ({"tenant": teams.TENANT_ID}, None),
        ({"tenant": None}, None),
        ({}, None),
        ("tenant", None),
        (None, None),
        ([{"tenant": {"id": teams.TENANT_ID}}], None),
    ],
)
def test_tenant_is_read_only_from_channel_data_tenant_id(channel_data: Any, tenant: str | None):
    assert tenant_from_channel_data(channel_data) == tenant


def _from(tenant: str | None, activity: dict[str, Any]) -> dict[str, Any]:
    """Move `activity` to another tenant, everywhere Teams names it."""
    if tenant is None:
        del activity["channelData"]["tenant"]
        activity["conversation"].pop("tenantId", None)
        return activity
    activity["channelData"]["tenant"] = {"id": tenant}
    activity["conversation"]["tenantId"] = tenant
    return activity


def _invoke(service_url: str, name: str, value: dict[str, Any], *, locale: str = "sv-SE") -> dict[str, Any]:
    """Return an invoke as Teams posts it (a messaging-extension search, a card action ...)."""
    activity = teams.personal_message(service_url, "", locale=locale)
    del activity["text"], activity["textFormat"]
    activity.update(type="invoke", name=name, value=value)
    return activity


def _search(service_url: str, query: str, *, locale: str = "sv-SE") -> dict[str, Any]:
    return _invoke(
        service_url,
        "composeExtension/query",
        {
            "commandId": "searchQuery",
            "parameters": [{"name": "searchQuery", "value": query}],
            "queryOptions": {"skip": 0, "count": 25},
        },
        locale=locale,
    )


@pytest.fixture
async def gated_bot(loaded_store: LiveData, serve_bot: ServeBot) -> RunningBot:
    """Run the real app (authentication off) letting in only the Teams fixtures' tenant."""
    settings = Settings.from_env({"ALLOWED_TENANT_IDS": teams.TENANT_ID}, env_file=None)
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    return bot


async def test_own_tenant_gets_the_answer(gated_bot: RunningBot, connector: StubConnector):
    response = await gated_bot.post(teams.personal_message(connector.url, QUESTION))

    assert response.status == 201
    assert any("Canderskog" in str(card) for card in connector.cards())


@pytest.mark.parametrize("locale, language", [("sv-SE", "sv"), ("en-GB", "en")])
async def test_other_tenant_gets_only_a_short_refusal_and_is_logged_without_the_text(
    gated_bot: RunningBot, connector: StubConnector, caplog: pytest.LogCaptureFixture, locale: str, language: str
):
    with caplog.at_level(logging.INFO):
        response = await gated_bot.post(
            _from(OTHER_TENANT, teams.personal_message(connector.url, QUESTION, locale=locale))
        )

    assert response.status == 201
    [reply] = connector.replies
    assert reply["text"] == text("tenant_refused", language)
    assert not reply.get("attachments")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert OTHER_TENANT in logged
    assert "Sörmland" not in logged


async def test_activity_naming_no_tenant_is_refused(gated_bot: RunningBot, connector: StubConnector):
    await gated_bot.post(_from(None, teams.personal_message(connector.url, QUESTION)))

    [reply] = connector.replies
    assert reply["text"] == text("tenant_refused", "sv")


async def test_blank_tenant_is_no_tenant_to_the_gate_and_to_the_turn_log(
    gated_bot: RunningBot, running_bot: RunningBot, connector: StubConnector, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO):
        await gated_bot.post(_from("  ", teams.personal_message(connector.url, QUESTION)))  # refused before the log
        await running_bot.post(_from("  ", teams.personal_message(connector.url, QUESTION)))  # no allow list: logged

    refusal, answer = connector.replies
    assert refusal["text"] == text("tenant_refused", "sv") and answer.get("attachments")
    [refused] = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    [turn] = [record for record in caplog.records if record.name == "regiondorren.turn"]
    assert refused.endswith("from tenant (none): not in ALLOWED_TENANT_IDS")
    assert turn.tenant_id is None  # one rule for both: a blank id names no tenant


async def test_conversation_tenant_id_alone_does_not_let_a_stranger_in(gated_bot: RunningBot, connector: StubConnector):
    """conversation.tenantId is not where Teams vouches for the tenant; channelData.tenant.id is."""
    activity = _from(OTHER_TENANT, teams.personal_message(connector.url, QUESTION))
    activity["conversation"]["tenantId"] = teams.TENANT_ID

    await gated_bot.post(activity)

    [reply] = connector.replies
    assert reply["text"] == text("tenant_refused", "sv")


async def test_card_button_from_other_tenant_is_refused(gated_bot: RunningBot, connector: StubConnector):
    await gated_bot.post(_from(OTHER_TENANT, teams.card_submit(connector.url, {"question": QUESTION})))

    [reply] = connector.replies
    assert reply["text"] == text("tenant_refused", "sv")


async def test_bot_added_to_a_foreign_team_sends_no_welcome(gated_bot: RunningBot, connector: StubConnector):
    response = await gated_bot.post(_from(OTHER_TENANT, teams.bot_added_to_team(connector.url)))

    assert response.status == 201
    assert connector.replies == []


async def test_foreign_team_does_not_use_up_the_welcome_of_the_conversation(
    gated_bot: RunningBot, connector: StubConnector
):
    """A refused turn never touches conversation state: the real add still greets."""
    await gated_bot.post(_from(OTHER_TENANT, teams.bot_added_to_team(connector.url)))
    await gated_bot.post(teams.bot_added_to_team(connector.url))

    [card] = connector.cards()
    assert card["body"][0]["text"] == "Regiondörren"


@pytest.mark.parametrize("locale, language", [("sv-SE", "sv"), ("en-US", "en")])
async def test_messaging_extension_search_from_other_tenant_returns_the_refusal_not_data(
    gated_bot: RunningBot, connector: StubConnector, locale: str, language: str
):
    response = await gated_bot.post(_from(OTHER_TENANT, _search(connector.url, "Sörmland", locale=locale)))

    assert response.status == 200
    body = await response.json()
    assert body == {"composeExtension": {"type": "message", "text": text("tenant_refused", language)}}
    assert connector.replies == []


@pytest.mark.parametrize(
    "name, value, status, expected",
    [
        ("composeExtension/selectItem", {"code": "04"}, 200, {"composeExtension"}),
        ("task/fetch", {"data": {"code": "04"}}, 200, {"task"}),
        (
            "adaptiveCard/action",
            {"action": {"type": "Action.Execute", "verb": "county", "data": {"code": "04"}}},
            200,
            {"statusCode", "type", "value"},
        ),
        ("holographic/beamMeUp", {}, 403, {"error"}),
        ("", {"question": QUESTION}, 403, {"error"}),
    ],
)
async def test_other_invokes_from_other_tenant_carry_no_data(
    gated_bot: RunningBot, connector: StubConnector, name: str, value: dict[str, Any], status: int, expected: set[str]
):
    activity = _from(OTHER_TENANT, _invoke(connector.url, name, value))

    response = await gated_bot.post(activity)

    assert response.status == status
    body = await response.json()
    assert set(body) == expected
    assert "Canderskog" not in str(body) and "Södermanland" not in str(body)
    assert connector.replies == []


async def test_without_an_allow_list_and_authentication_off_every_tenant_is_answered(
    running_bot: RunningBot, connector: StubConnector
):
    """Local development: the Emulator and test tenants get real answers."""
    await running_bot.post(_from(OTHER_TENANT, teams.personal_message(connector.url, QUESTION)))
    await running_bot.post(_from(None, teams.personal_message(connector.url, QUESTION)))

    assert len(connector.replies) == 2
    assert all("Canderskog" in str(reply) for reply in connector.replies)


def test_tenant_rule_is_core_code_without_botbuilder_or_aiohttp():
    imported = imported_modules(Path(tenants_module.__file__))

    assert not [name for name in imported if name.split(".")[0] in FORBIDDEN]


async def test_a_strangers_strings_cannot_forge_log_lines(
    gated_bot: RunningBot, connector: StubConnector, caplog: pytest.LogCaptureFixture
):
    activity = _from("x\nINFO regiondorren: all good", teams.personal_message(connector.url, QUESTION))
    activity["type"] = "message\nWARNING forged"

    with caplog.at_level(logging.INFO):
        response = await gated_bot.post(activity)

    assert response.status == 201
    refusals = [record.getMessage() for record in caplog.records if "refused" in record.getMessage()]
    assert refusals and all("\n" not in message for message in refusals)


async def test_own_tenant_search_with_markup_in_the_query_gets_results_without_it(
    gated_bot: RunningBot, connector: StubConnector
):
    """The same invoke the gate refuses for strangers answers colleagues, and never echoes the query."""
    response = await gated_bot.post(_search(connector.url, "[Sörmland](http://evil.example) <script>"))

    assert response.status == 200
    body = str(await response.json())
    assert "evil.example" not in body and "<script" not in body
    assert "Södermanlands län" in body and "Canderskog" in body
