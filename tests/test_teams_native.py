"""What real Teams does that a plain stub would not show, through the real server and the stub
connector: throttled replies retried as Teams' rate-limit page says, channel conversations,
cards that refresh, the search extension's previews. docs/teams.md cites the documentation."""

from __future__ import annotations

import pytest

from bot.teams import connector as connector_module
from tests import teams_activities as teams
from tests.conftest import RunningBot, StubConnector


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
