"""A reply must reach Teams: however many counties a message names, every message the bot sends
stays under the size Teams accepts, measured the way Teams measures it (the JSON as it arrives,
in UTF-16), and every county asked about is answered with its officers.

Teams refuses a bot message over its limit (413 MessageSizeTooBig) and the user gets only the
neutral error; questions about many counties used to build one activity of 50-210 KB.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from app import create_app
from bot.core.answers import Answerer
from bot.data.directory import DEFAULT_DATA_DIR, Directory, load_directory
from bot.render.cards import chat_url, mail_url
from bot.runtime.live import LiveData
from bot.teams.replies import RECOMMENDED_ACTIVITY_UTF16_BYTES, activity_size, answer_replies
from tests import factories
from tests import teams_activities as teams
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES, schema_errors
from tests.conftest import RunningBot, ServeBot, StubConnector, test_settings

TODAY = dt.date(2026, 11, 26)
# Questions about 1, 3, 8 and 12 counties, and the counties each must answer.
QUESTIONS = {
    "one county": ("Vem har Sörmland?", ["Södermanlands län"]),
    "three counties (an area)": ("Vem har Småland?", ["Jönköpings län", "Kronobergs län", "Kalmar län"]),
    "eight towns": (
        "Vem har Eskilstuna, Visby, Uppsala, Linköping, Växjö, Kalmar, Malmö och Göteborg?",
        [
            "Uppsala län",
            "Södermanlands län",
            "Östergötlands län",
            "Kronobergs län",
            "Kalmar län",
            "Gotlands län",
            "Skåne län",
            "Västra Götalands län",
        ],
    ),
    "twelve towns": (
        "Vem har Eskilstuna, Visby, Uppsala, Linköping, Växjö, Kalmar, Malmö, Göteborg, Karlstad, "
        "Örebro, Västerås och Falun?",
        [
            "Uppsala län",
            "Södermanlands län",
            "Östergötlands län",
            "Kronobergs län",
            "Kalmar län",
            "Gotlands län",
            "Skåne län",
            "Västra Götalands län",
            "Värmlands län",
            "Örebro län",
            "Västmanlands län",
            "Dalarnas län",
        ],
    ),
}


def utf16_size(text: str) -> int:
    """Return the size of `text` in UTF-16, as Teams counts a message."""
    return len(text.encode("utf-16-le", "surrogatepass"))


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(DEFAULT_DATA_DIR)


@pytest.fixture
async def shipped_bot(serve_bot: ServeBot) -> RunningBot:
    """Run the real app (authentication off) on the shipped data."""
    store = LiveData(DEFAULT_DATA_DIR)
    assert store.load()
    bot = await serve_bot(create_app(test_settings(), store=store, clock=lambda: factories.TODAY))
    return bot


def _county_cards(cards: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {card["body"][0]["text"]: card for card in cards}


def _assert_officers_shown(directory: Directory, shown: dict[str, dict[str, Any]], expected: list[str]) -> None:
    """Assert every expected county has a card with each officer's name, chat and mail buttons."""
    for county in directory.geography.counties:
        if county.name not in expected:
            continue
        card = json.dumps(shown[county.name], ensure_ascii=False)
        for officer in directory.contacts[county.code].officers:
            assert officer.name in card
            assert chat_url(officer.sign_in) in card and mail_url(officer.email) in card


@pytest.mark.parametrize(("question", "expected"), QUESTIONS.values(), ids=QUESTIONS.keys())
async def test_every_message_to_shipped_data_questions_fits_in_teams_and_answers_every_county(
    shipped_bot: RunningBot, connector: StubConnector, shipped: Directory, question: str, expected: list[str]
):
    response = await shipped_bot.post(teams.personal_message(connector.url, question))

    assert response.status == 201
    assert connector.bodies
    for body in connector.bodies:
        assert utf16_size(body) < RECOMMENDED_ACTIVITY_UTF16_BYTES
    for card in connector.cards():
        assert utf16_size(json.dumps(card, ensure_ascii=False, separators=(",", ":"))) < TEAMS_CARD_LIMIT_BYTES
        assert schema_errors(card) == []
    shown = _county_cards(connector.cards())
    assert sorted(shown) == sorted(expected)
    assert len(connector.cards()) == len(expected)  # each county once
    _assert_officers_shown(shipped, shown, expected)


def test_shipped_data_reply_naming_every_county_fits_in_teams_messages_and_names_every_officer(shipped: Directory):
    """Regression (found on trust-http): 21 named counties made one carousel beyond Teams' limit."""
    question = ", ".join(county.name for county in shipped.geography.counties)
    answer = Answerer(shipped).answer(question, TODAY)
    assert len(answer.counties) == 21

    sent = answer_replies(answer)

    assert all(activity_size(reply) < RECOMMENDED_ACTIVITY_UTF16_BYTES for reply in sent)
    shown = _county_cards([attachment.content for reply in sent for attachment in reply.attachments])
    assert sorted(shown) == sorted(county.name for county in shipped.geography.counties)
    _assert_officers_shown(shipped, shown, list(shown))
    assert sent[0].text == f"Svaret om 21 län kommer i {len(sent)} meddelanden."


def test_shipped_data_reply_for_a_few_counties_keeps_every_full_card_in_one_message(shipped: Directory):
    answer = Answerer(shipped).answer("Sörmland, Uppsala och Kalmar", TODAY)

    [reply] = answer_replies(answer)

    assert len(reply.attachments) == len(answer.counties) == 3
    assert not reply.text
    assert all("Nästa regionala dialog" in json.dumps(a.content, ensure_ascii=False) for a in reply.attachments)


async def test_four_full_county_cards_that_fit_teams_limit_arrive_in_one_message(
    shipped_bot: RunningBot, connector: StubConnector
):
    # Packed to 40 KB, these four cards (about 39 KB together) used to arrive as two messages.
    response = await shipped_bot.post(teams.personal_message(connector.url, "Sörmland, Uppsala, Kalmar och Gotland"))

    assert response.status == 201
    [body] = connector.bodies
    assert utf16_size(body) < RECOMMENDED_ACTIVITY_UTF16_BYTES
    assert len(connector.cards()) == 4
    assert all("Nästa regionala dialog" in json.dumps(card, ensure_ascii=False) for card in connector.cards())


def test_shipped_data_answer_in_parts_has_one_line_summaries_naming_each_messages_counties(shipped: Directory):
    question = ", ".join(county.name for county in shipped.geography.counties)
    sent = answer_replies(Answerer(shipped).answer(question, TODAY))

    for reply in sent:
        names = [attachment.content["body"][0]["text"] for attachment in reply.attachments]
        assert "\n" not in reply.summary
        assert [part.split(":")[0] for part in reply.summary.split("; ")] == names
