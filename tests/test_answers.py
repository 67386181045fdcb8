"""Answer composition from a constructed Recognition, and the Answerer around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.core.answers import MAX_QUESTION_CHARS, Answerer, compose
from bot.core.intents import decide
from bot.core.recognition import Mention, Recognition, Status
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.logs import TurnRecord, end_turn, start_turn
from tests.conftest import TODAY


def recognition(status: Status, *codes: str) -> Recognition:
    mentions = tuple(Mention(code, code, "county", (code,)) for code in codes)
    return Recognition(status, codes, mentions)


def ids(dialogues) -> list[str]:
    return [dialogue.id for dialogue in dialogues]


@pytest.mark.parametrize(
    ("today", "recent", "upcoming"),
    [
        pytest.param(TODAY, ["d-04-4", "d-04-3", "d-04-2"], "d-04-5", id="today's-dialogue-is-upcoming"),
        pytest.param(TODAY + dt.timedelta(days=1), ["d-04-5", "d-04-4", "d-04-3"], "d-04-6", id="day-after"),
        pytest.param(dt.date(2027, 6, 1), ["d-04-6", "d-04-5", "d-04-4"], None, id="nothing-ahead"),
        pytest.param(dt.date(2026, 2, 1), ["d-04-1"], "d-04-2", id="one-behind"),
        pytest.param(dt.date(2025, 1, 1), [], "d-04-1", id="nothing-behind"),
    ],
)
def test_recent_are_the_last_three_newest_first_and_upcoming_is_the_next(
    directory: Directory, today: dt.date, recent: list[str], upcoming: str | None
) -> None:
    answer = compose(recognition(Status.ANSWER, "04"), directory, "sv", today)
    (county,) = answer.counties
    assert ids(county.recent) == recent
    assert (county.upcoming.id if county.upcoming else None) == upcoming


def test_answer_carries_officers_deputy_and_link(directory: Directory) -> None:
    answer = compose(recognition(Status.ANSWER, "04"), directory, "sv", TODAY)
    assert answer.status is Status.ANSWER
    county = answer.counties[0]
    assert county.county.name == "Södermanlands län"
    assert [o.email for o in county.contacts.officers] == ["isabelle.canderskog@tillvaxtverket.se"]
    assert county.contacts.deputy is not None
    assert county.contacts.sharepoint_url == STRATEGIC_SITE_URL


def test_vacant_county_still_gets_an_answer(directory: Directory) -> None:
    answer = compose(recognition(Status.ANSWER, "08"), directory, "sv", TODAY)
    (county,) = answer.counties
    assert answer.status is Status.ANSWER
    assert county.contacts.vacant and county.recent == () and county.upcoming is None


def test_several_counties_are_all_answered_in_order(directory: Directory) -> None:
    answer = compose(recognition(Status.ANSWER, "25", "04", "25"), directory, "en", TODAY)
    assert [c.county.code for c in answer.counties] == ["25", "04"]
    assert answer.language == "en"


def test_clarify_carries_the_candidates(directory: Directory) -> None:
    answer = compose(recognition(Status.CLARIFY, "04", "14"), directory, "sv", TODAY)
    assert answer.status is Status.CLARIFY
    assert [c.county.name for c in answer.counties] == ["Södermanlands län", "Västra Götalands län"]


def test_nothing_recognised_has_no_counties(directory: Directory) -> None:
    answer = compose(Recognition(Status.NONE, (), ()), directory, "sv", TODAY)
    assert answer.status is Status.NONE and answer.counties == ()


def test_unknown_county_code_is_dropped_not_raised(directory: Directory) -> None:
    assert [
        c.county.code for c in compose(recognition(Status.ANSWER, "03", "04"), directory, "sv", TODAY).counties
    ] == ["04"]
    assert compose(recognition(Status.ANSWER, "03"), directory, "sv", TODAY).status is Status.NONE


@pytest.mark.parametrize("flag", [True, False])
def test_example_data_flag_follows_the_directory(directory: Directory, flag: bool) -> None:
    answer = compose(recognition(Status.ANSWER, "04"), replace(directory, example_data=flag), "sv", TODAY)
    assert answer.example_data is flag


class RecordingRecogniser:
    """Stands in for the recogniser to see what the Answerer passes on."""

    def __init__(self, result: Recognition) -> None:
        self.result = result
        self.seen: list[str] = []

    def recognise(self, text: str) -> Recognition:
        self.seen.append(text)
        return self.result


def test_answerer_caps_a_huge_question_and_says_so(directory: Directory) -> None:
    fake = RecordingRecogniser(recognition(Status.ANSWER, "04"))
    answer = Answerer(directory, fake).answer("vem har Sörmland? " + "x" * 100_000, TODAY)
    assert len(fake.seen[0]) == MAX_QUESTION_CHARS
    assert answer.truncated and answer.counties[0].county.code == "04"


def test_answerer_does_not_recognise_a_blank_question(directory: Directory) -> None:
    fake = RecordingRecogniser(recognition(Status.ANSWER, "04"))
    answer = Answerer(directory, fake).answer("   ", TODAY)
    assert fake.seen == [] and answer.status is Status.NONE


@pytest.mark.parametrize(
    ("question", "locale", "language"),
    [
        ("vem har Sörmland?", None, "sv"),
        ("who covers Sörmland?", None, "en"),
        ("Sörmland", "en-GB", "en"),
        ("vem har Sörmland?", "en-US", "sv"),
    ],
)
def test_answerer_answers_in_the_language_of_the_question(
    directory: Directory, question: str, locale: str | None, language: str
) -> None:
    fake = RecordingRecogniser(recognition(Status.ANSWER, "04"))
    assert Answerer(directory, fake).answer(question, TODAY, locale).language == language


def test_answerer_with_the_real_recogniser_finds_a_municipality(directory: Directory) -> None:
    answer = Answerer(directory).answer("jag ska till Eskilstuna nästa vecka", TODAY)
    assert answer.status is Status.ANSWER
    assert [c.county.code for c in answer.counties] == ["04"]
    assert answer.counties[0].contacts.officers[0].name == "Isabelle Canderskog"


def test_a_question_longer_than_the_recogniser_reads_is_reported_as_cut(directory: Directory) -> None:
    """The answer must say it read only the start whenever the recogniser did not see a place."""
    question = "Hej! " + "bla " * 180 + "vem har Sörmland?"  # about 740 characters
    answer = Answerer(directory).answer(question, TODAY)
    assert answer.truncated


def test_deciding_writes_nothing_into_the_turn_being_logged(directory: Directory) -> None:
    record, token = start_turn()
    try:
        decide("vem har Sörmland?", Answerer(directory), TODAY, None)
        compose(recognition(Status.ANSWER, "04"), directory, "sv", TODAY)
    finally:
        end_turn(token)

    assert record == TurnRecord()  # the adapter notes what it replies with, not the core
