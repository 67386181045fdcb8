"""Invokes the bot does not handle, or handles but receives malformed, get a clean 4xx or the
documented invoke response: never a 500, never a stack trace, never a reply in the chat."""

from __future__ import annotations

from typing import Any

import pytest

from tests import teams_activities as teams
from tests.conftest import RunningBot, StubConnector


def _invoke(service_url: str, name: str, value: Any) -> dict[str, Any]:
    activity = teams.personal_message(service_url, "")
    del activity["text"]
    activity.update(type="invoke", name=name)
    if value is not ...:
        activity["value"] = value
    return activity


@pytest.mark.parametrize(
    "name, value",
    [
        ("adaptiveCard/action", {}),
        ("adaptiveCard/action", ...),
        ("adaptiveCard/action", None),
        ("adaptiveCard/action", "text"),
        ("adaptiveCard/action", {"action": {"type": "Action.Submit"}}),
        ("adaptiveCard/action", {"action": {"type": "Action.Execute", "verb": "nothing"}}),
        ("adaptiveCard/action", {"action": {"type": "Action.Execute"}, "trigger": "automatic"}),
        ("composeExtension/query", ...),
        ("composeExtension/queryLink", {}),
        ("composeExtension/submitAction", {}),
        ("composeExtension/fetchTask", None),
        ("composeExtension/selectItem", "x"),
        ("task/fetch", None),
        ("task/submit", {}),
        ("signin/verifyState", {}),
        ("signin/tokenExchange", None),
        ("fileConsent/invoke", {}),
        ("actionableMessage/executeAction", {}),
        ("config/fetch", None),
        ("tab/fetch", {}),
        ("healthCheck", None),
        ("application/search", {}),
    ],
)
async def test_an_invoke_never_gets_a_500(running_bot: RunningBot, connector: StubConnector, name: str, value: Any):
    response = await running_bot.post(_invoke(connector.url, name, value))

    assert response.status < 500 or response.status == 501, await response.text()
    assert "Traceback" not in await response.text()
    assert connector.replies == []


async def test_a_card_action_without_a_value_gets_the_documented_error_response(
    running_bot: RunningBot, connector: StubConnector
):
    response = await running_bot.post(_invoke(connector.url, "adaptiveCard/action", {}))

    assert response.status == 400
    assert await response.json() == {
        "statusCode": 400,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": "Missing action property"},
    }
