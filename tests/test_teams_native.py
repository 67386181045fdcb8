"""What real Teams does that a plain stub would not show, through the real server and the stub
connector: throttled replies retried as Teams' rate-limit page says, channel conversations,
cards that refresh, the search extension's previews. docs/teams.md cites the documentation."""

from __future__ import annotations

import pytest

from bot.teams import connector as connector_module
from tests import teams_activities as teams
from tests.card_schema import card_buttons, schema_errors
from tests.conftest import RunningBot, StubConnector


def _texts(card: dict) -> list[str]:
    return [block["text"] for block in card["body"] if block.get("type") == "TextBlock"]


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connector_module, "BACKOFF_BASE_S", 0.01)


async def test_reply_throttled_with_412_then_429_still_arrives(
    running_bot: RunningBot, connector: StubConnector, quick_backoff: None
) -> None:
    connector.refusals = [412, 429]

    response = await running_bot.post(teams.personal_message(connector.url, "Vem har Sörmland?"))

    assert response.status == 201
    assert connector.refused == [412, 429]
    assert [card["body"][0]["text"] for card in connector.cards()] == ["Södermanlands län"]


@pytest.mark.parametrize("channel_type", ["standard", "shared", "private"])
async def test_bot_answers_in_every_channel_type_the_manifest_declares(
    running_bot: RunningBot, connector: StubConnector, channel_type: str
) -> None:
    activity = teams.channel_message(connector.url, "Vem har Sörmland?", channel_type=channel_type)

    response = await running_bot.post(activity)

    assert response.status == 201
    assert [card["body"][0]["text"] for card in connector.cards()] == ["Södermanlands län"]
    assert connector.paths == [f"/v3/conversations/{activity['conversation']['id']}/activities/{activity['id']}"]


@pytest.mark.parametrize("conversation_type", ["channel", "groupChat"])
async def test_clarify_in_a_group_conversation_says_to_mention_the_bot_and_a_button_answers(
    running_bot: RunningBot, connector: StubConnector, conversation_type: str
) -> None:
    asked = teams.channel_message(connector.url, "vem har Östersjökusten?")
    asked["conversation"]["conversationType"] = conversation_type

    await running_bot.post(asked)
    [clarify] = connector.cards()
    pressed = next(button["data"] for button in card_buttons(clarify) if button["title"] == "4. Gotlands län")
    await running_bot.post(teams.message_back(asked, pressed))

    assert "@Regiondörren 1" in _texts(clarify)[-1]
    assert schema_errors(clarify) == []
    assert pressed["msteams"]["displayText"] == "Gotlands län"  # what everyone in the channel sees
    assert connector.cards()[-1]["body"][0]["text"] == "Gotlands län"


async def test_typed_number_with_the_mention_answers_clarify_in_a_channel(
    running_bot: RunningBot, connector: StubConnector
) -> None:
    asked = teams.channel_message(connector.url, "vem har Östersjökusten?")
    await running_bot.post(asked)
    reply = teams.channel_message(connector.url, "4")
    reply["conversation"] = asked["conversation"]  # typed in the thread the bot answered in
    await running_bot.post(reply)

    assert connector.cards()[-1]["body"][0]["text"] == "Gotlands län"


async def test_help_in_a_channel_tells_how_to_ask_with_the_mention(
    running_bot: RunningBot, connector: StubConnector
) -> None:
    await running_bot.post(teams.channel_message(connector.url, "hjälp"))
    await running_bot.post(teams.personal_message(connector.url, "hjälp"))

    in_channel, in_chat = connector.cards()
    assert "@Regiondörren lista" in " ".join(_texts(in_channel))
    assert "@" not in " ".join(_texts(in_chat))
