"""Reading the reply to "which county?" without a bot."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.intents import decide
from bot.core.names import place_names
from dialogs.clarify import Choice, read_choice, read_reply
from tests import factories

UPPSALA, GOTLAND = factories.COUNTIES[1], factories.COUNTIES[3]
NAMES = place_names(factories.geography())


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(factories.directory())


@pytest.mark.parametrize(
    ("reply", "choice", "county"),
    [
        ("1", Choice.COUNTY, "03"),
        (" 2 ", Choice.COUNTY, "09"),
        ("3", Choice.UNCLEAR, None),  # no third candidate
        ("Gotland", Choice.COUNTY, "09"),
        ("gotlands län", Choice.COUNTY, "09"),
        ("Uppsala County", Choice.COUNTY, "03"),
        ("C", Choice.COUNTY, "03"),
        ("jag menar Visby", Choice.COUNTY, "09"),
        ("avbryt", Choice.CANCEL, None),
        ("Cancel", Choice.CANCEL, None),
        ("vem har Sörmland?", Choice.NEW_QUESTION, None),
        ("hjälp", Choice.NEW_QUESTION, None),
        ("vilket län har Isabelle Canderskog?", Choice.NEW_QUESTION, None),
        ("Ekeby", Choice.UNCLEAR, None),  # the same two again
        ("den blå", Choice.UNCLEAR, None),
    ],
)
def test_read_reply(answerer: Answerer, reply: str, choice: Choice, county: str | None):
    reading = read_reply(reply, (UPPSALA, GOTLAND), NAMES, decide(reply, answerer, factories.TODAY, None))

    assert (reading.choice, reading.county) == (choice, county)


def test_new_question_reading_carries_the_decision_so_the_bot_need_not_decide_again(answerer: Answerer):
    intent = decide("vem har Sörmland?", answerer, factories.TODAY, None)

    reading = read_reply("vem har Sörmland?", (UPPSALA, GOTLAND), NAMES, intent)

    assert reading.choice is Choice.NEW_QUESTION and reading.intent is intent


@pytest.mark.parametrize("reply", ["2", "Gotland", "gotlands län", "C"])
def test_number_or_name_is_read_without_recognition(reply: str):
    reading = read_choice(reply, (UPPSALA, GOTLAND), NAMES)

    assert reading is not None and reading.choice is Choice.COUNTY and reading.intent is None


def test_anything_else_is_left_to_recognition():
    assert read_choice("vem har Sörmland?", (UPPSALA, GOTLAND), NAMES) is None
