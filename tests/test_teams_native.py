"""What real Teams does that a plain stub would not show, through the real server and the stub
connector: throttled replies retried as Teams' rate-limit page says, channel conversations,
cards that refresh, the search extension's previews. docs/teams.md cites the documentation."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from app import create_app
from bot.runtime.live import LiveData
from bot.teams import connector as connector_module
from tests import factories
from tests import teams_activities as teams
from tests.card_schema import card_buttons, schema_errors
from tests.conftest import RunningBot, StubConnector, start_bot, test_settings


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


@pytest.mark.parametrize("channel_type", ["standard", "shared"])
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


ENTRA_ID = "5f2c8a10-3b4d-4e6f-9a1b-2c3d4e5f6a70"


@pytest.fixture
async def bot_with_identities() -> RunningBot:
    """Run the real app on the test directory with Isabelle's Teams identity filled in."""
    directory = factories.directory()
    contacts = directory.contacts["04"]
    isabelle = dataclasses.replace(contacts.officers[0], upn="ic01@tillvaxtverket.se", entra_id=ENTRA_ID)
    changed = {**directory.contacts, "04": dataclasses.replace(contacts, officers=(isabelle,))}
    store = LiveData(Path("/nonexistent"))  # installed below; never reloaded
    store.install(dataclasses.replace(directory, contacts=changed))
    server, bot = await start_bot(create_app(test_settings(), store=store, clock=lambda: factories.TODAY))
    yield bot
    await bot.session.close()
    await server.close()


async def test_officer_with_entra_id_is_shown_with_teams_people_component_and_upn_chat(
    bot_with_identities: RunningBot, connector: StubConnector
) -> None:
    await bot_with_identities.post(teams.personal_message(connector.url, "Vem har Sörmland?"))

    [card] = connector.cards()
    wire = json.dumps(card, ensure_ascii=False)
    [persona] = [item for block in card["body"] for item in block.get("items", ()) if item["type"] == "Component"]
    assert persona["name"] == "graph.microsoft.com/user"
    assert persona["properties"] == {
        "id": ENTRA_ID,
        "displayName": "Isabelle Canderskog",
        "userPrincipalName": "ic01@tillvaxtverket.se",
    }
    assert persona["fallback"]["inlines"][0]["text"] == "Isabelle Canderskog"  # what other hosts show
    assert "https://teams.microsoft.com/l/chat/0/0?users=ic01@tillvaxtverket.se" in wire
    assert "mailto:" not in wire
    assert "https://outlook.office.com/mail/deeplink/compose?to=isabelle.canderskog@tillvaxtverket.se" in wire
    assert "isabelle.canderskog@tillvaxtverket.se" in wire.split("outlook.office.com")[0]  # copyable text first
    assert schema_errors(card) == []


async def test_officer_without_entra_id_gets_the_plain_name(running_bot: RunningBot, connector: StubConnector) -> None:
    await running_bot.post(teams.personal_message(connector.url, "Vem har Sörmland?"))

    [card] = connector.cards()
    assert '"Component"' not in json.dumps(card)
    assert "users=isabelle.canderskog@tillvaxtverket.se" in json.dumps(card, ensure_ascii=False)


def card_refresh(activity: dict, card: dict, trigger: str = "automatic") -> dict:
    """Return the adaptiveCard/action invoke Teams posts to refresh `card` (Universal Actions)."""
    return {
        **activity,
        "type": "invoke",
        "name": "adaptiveCard/action",
        "id": f"f:{activity['id']}9",
        "text": None,
        "value": {"action": {**card["refresh"]["action"], "id": "refresh"}, "trigger": trigger},
    }


async def test_county_card_refresh_shows_todays_officer_end_to_end(
    loaded_store: LiveData, connector: StubConnector
) -> None:
    server, bot = await start_bot(create_app(test_settings(), store=loaded_store, clock=lambda: factories.TODAY))
    try:
        asked = teams.channel_message(connector.url, "Vem har Eskilstuna?")
        await bot.post(asked)
        [old] = connector.cards()
        directory = loaded_store.current.directory
        contacts = directory.contacts["04"]
        successor = dataclasses.replace(contacts.officers[0], name="Sara Nyberg", email="sara.nyberg@tillvaxtverket.se")
        loaded_store.install(
            dataclasses.replace(
                directory, contacts={**directory.contacts, "04": dataclasses.replace(contacts, officers=(successor,))}
            )
        )

        response = await bot.post(card_refresh(asked, old))
        body = await response.json()
    finally:
        await bot.session.close()
        await server.close()

    assert "Isabelle Canderskog" in json.dumps(old, ensure_ascii=False)
    assert old["refresh"]["action"]["verb"] == "refreshCounty" and "userIds" not in old["refresh"]
    assert response.status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    fresh = json.dumps(body["value"], ensure_ascii=False)
    assert "Sara Nyberg" in fresh and "Isabelle Canderskog" not in fresh
    assert "Eskilstuna ligger i Södermanlands län." in fresh  # still says why
    assert body["value"]["refresh"] == old["refresh"]  # and keeps refreshing
    assert schema_errors(body["value"]) == []
    assert connector.replies[1:] == []  # the fresh card travels in the invoke response only


@pytest.mark.parametrize(
    "action",
    [
        {"type": "Action.Execute", "verb": "somethingElse", "data": {"county": "04", "matched": "Sörmland"}},
        {"type": "Action.Execute", "verb": "refreshCounty", "data": {"county": "99", "matched": "Atlantis"}},
        {"type": "Action.Execute", "verb": "refreshCounty", "data": "04"},
    ],
)
async def test_a_refresh_for_nothing_known_is_an_error_response_not_a_500(
    running_bot: RunningBot, connector: StubConnector, action: dict
) -> None:
    asked = teams.personal_message(connector.url, "x")
    invoke = {**asked, "type": "invoke", "name": "adaptiveCard/action", "value": {"action": action}}

    response = await running_bot.post(invoke)

    assert response.status == 200  # the invoke itself worked; the card response carries the error
    body = await response.json()
    assert body["statusCode"] in (400, 404) and body["type"] == "application/vnd.microsoft.error"
    assert connector.replies == []


PUBLIC_URL = "https://regiondorren.example.se"


@pytest.fixture
async def public_bot(loaded_store: LiveData) -> RunningBot:
    """Run the real app as deployed behind its public https address (authentication still off)."""
    settings = dataclasses.replace(test_settings(), public_url=PUBLIC_URL)
    server, bot = await start_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    yield bot
    await bot.session.close()
    await server.close()


def _images(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Image":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def test_county_card_has_a_map_from_the_bots_own_https_address_that_the_bot_serves(
    public_bot: RunningBot, connector: StubConnector
) -> None:
    await public_bot.post(teams.personal_message(connector.url, "Vem har Sörmland?"))

    [card] = connector.cards()
    [image] = _images(card)
    assert image["url"] == f"{PUBLIC_URL}/maps/04.png"
    assert image["altText"] == "Karta över Sverige där Södermanlands län är markerat."
    assert "CC BY 4.0" in json.dumps(card)
    assert schema_errors(card) == []
    served = await public_bot.session.get(public_bot.url + "/maps/04.png")
    assert served.status == 200 and served.content_type == "image/png"
    assert len(await served.read()) < 10 * 1024
    missing = await public_bot.session.get(public_bot.url + "/maps/99.png")
    assert missing.status == 404


async def test_clarify_card_numbers_the_candidates_on_its_map(public_bot: RunningBot, connector: StubConnector) -> None:
    await public_bot.post(teams.channel_message(connector.url, "vem har Östersjökusten?"))

    [clarify] = connector.cards()
    [image] = _images(clarify)
    assert image["url"] == f"{PUBLIC_URL}/maps/01-03-04-09.png"
    assert image["altText"] == (
        "Karta över Sverige med länen numrerade: 1 Stockholms län, 2 Uppsala län, 3 Södermanlands län, 4 Gotlands län."
    )
    served = await public_bot.session.get(public_bot.url + "/maps/01-03-04-09.png")
    assert served.status == 200


async def test_without_a_public_address_cards_have_no_map_when_authentication_is_on() -> None:
    settings = dataclasses.replace(test_settings(), app_id="9a1c5e0b-2b7a-4c3e-9d55-0d3f7a1c2b10")

    assert settings.maps_url == ""  # Teams fetches card images from a public https address only
