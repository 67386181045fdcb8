"""Deciding how to reply, without a bot: commands, person questions, clarify, no data."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.core.answers import Answerer
from bot.core.intents import (
    AnswerCounties,
    AnswerPerson,
    AskWhichCounty,
    AskWhichPerson,
    Cancel,
    Intent,
    NoData,
    ShowDirectory,
    ShowHelp,
    Thank,
    UnknownPerson,
    decide,
)
from bot.data.directory import DEFAULT_DATA_DIR, load_directory
from bot.render.summary import person_lead
from tests import factories

DEV_QUESTIONS = Path(__file__).parent / "dev_questions.jsonl"
PERSON_KINDS = (AnswerPerson, AskWhichPerson, UnknownPerson)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(factories.directory())


@pytest.mark.parametrize(
    ("question", "kind", "language"),
    [
        ("", ShowHelp, "sv"),
        ("hjälp", ShowHelp, "sv"),
        ("Help!", ShowHelp, "en"),
        ("lista", ShowDirectory, "sv"),
        ("all counties", ShowDirectory, "en"),
        ("avbryt", Cancel, "sv"),
        ("vem har Sörmland?", AnswerCounties, "sv"),
        ("who covers Gotland?", AnswerCounties, "en"),
        ("vad blir det för väder?", AnswerCounties, "sv"),  # an answer with no counties: the not-recognised card
        ("Östersjökusten", AskWhichCounty, "sv"),
        ("vilket län har Isabelle Canderskog?", AnswerPerson, "sv"),
        ("what does Isabelle cover?", AnswerPerson, "en"),
        ("Monika Kväl", AnswerPerson, "sv"),
        ("vilket län har Kalle Anka?", UnknownPerson, "sv"),
        ("vilket län har Gotland?", AnswerCounties, "sv"),  # the "name" is a place
    ],
)
def test_decide(answerer: Answerer, question: str, kind: type[Intent], language: str):
    intent = decide(question, answerer, factories.TODAY, "sv-SE")

    assert (type(intent), intent.language) == (kind, language)


@pytest.mark.parametrize(
    ("question", "locale", "language"),
    [
        ("tack", None, "sv"),
        ("Tack så mycket!", "en-US", "sv"),
        ("tusen tack", None, "sv"),
        ("thanks", None, "en"),
        ("Thank you!", "sv-SE", "en"),
        ("toppen", None, "sv"),
        ("ok", "sv-SE", "sv"),
        ("OK", "en-GB", "en"),  # neither language's word: the Teams locale decides
        ("👍", "en-GB", "en"),
    ],
)
def test_thanks_get_a_friendly_word_not_the_not_recognised_card(
    answerer: Answerer, question: str, locale: str | None, language: str
):
    intent = decide(question, answerer, factories.TODAY, locale)

    assert (type(intent), intent.language) == (Thank, language)


@pytest.mark.parametrize("question", ["tack för hjälpen med Sörmland, vem har Gotland?", "ok Gotland", "👍 Gotland"])
def test_a_question_that_also_thanks_is_still_a_question(answerer: Answerer, question: str):
    assert isinstance(decide(question, answerer, factories.TODAY, None), AnswerCounties)


def test_thanks_work_without_data():
    assert isinstance(decide("tack", None, factories.TODAY, None), Thank)


def test_no_data_still_helps_but_cannot_answer():
    assert isinstance(decide("hjälp", None, factories.TODAY, None), ShowHelp)
    assert isinstance(decide("vem har Sörmland?", None, factories.TODAY, None), NoData)
    assert decide("who covers Skåne?", None, factories.TODAY, None).language == "en"


def test_deputy_alone_gets_the_counties_they_stand_in_for(answerer: Answerer):
    intent = decide("Monika Kväl", answerer, factories.TODAY, None)

    assert isinstance(intent, AnswerPerson)
    assert person_lead(intent.person, intent.answer) == "Monika Kväl är ersättare för Södermanlands län."
    assert [item.county.code for item in intent.answer.counties] == ["04"]


def test_a_greeting_never_reaches_a_person(answerer: Answerer):
    assert isinstance(decide("tjena tjena", answerer, factories.TODAY, None), AnswerCounties)


# --- a person named inside an ordinary sentence --------------------------------------------------


@pytest.mark.parametrize(
    ("question", "name", "language"),
    [
        ("vem är Isabelle Canderskog?", "Isabelle Canderskog", "sv"),
        ("who is Isabelle Canderskog?", "Isabelle Canderskog", "en"),
        ("Who's Isak Berg?", "Isak Berg", "en"),
        ("kontakta Monika Kväl", "Monika Kväl", "sv"),
        ("Jag behöver prata med Isabelle Canderskog", "Isabelle Canderskog", "sv"),
        ("jag behöver prata med isabelle canderskog om ett projekt", "Isabelle Canderskog", "sv"),
        ("I need to talk to Isabelle Canderskog about a project", "Isabelle Canderskog", "en"),
        ("how do I contact Monika?", "Monika Kväl", "en"),
        ("har du numret till Isabelle Canderskog", "Isabelle Canderskog", "sv"),
        ("<p>Isabelle Canderskog</p>", "Isabelle Canderskog", "sv"),
        ("<div><p>vem är <b>Isabelle&nbsp;Canderskog</b>?</p></div>", "Isabelle Canderskog", "sv"),
        # no cue word: a full name in lower case counts when exact, a capitalised one despite a typo
        ("jag har en fråga till isabelle canderskog om ett projekt", "Isabelle Canderskog", "sv"),
        ("jag har en fråga till Isabele Canderskog om ett projekt", "Isabelle Canderskog", "sv"),
    ],
)
def test_a_person_named_in_a_sentence_gets_their_counties(answerer: Answerer, question: str, name: str, language: str):
    intent = decide(question, answerer, factories.TODAY, None)

    assert (type(intent), intent.language) == (AnswerPerson, language)
    assert isinstance(intent, AnswerPerson)
    assert [intent.person.officer.name] == [name]


@pytest.mark.parametrize(
    "question",
    [
        "vem har Sörmland?",
        "vem är vår ingång till Sörmland?",
        "who is our contact for Gotland?",
        "who is responsible for tourism?",
        "vem är ansvarig för turism?",
        "jag behöver prata med någon om Uppsala",
        "kontakta mig per telefon",
        "vad kostar det per person?",
        "prata med chefen",
        "Is there a dialogue in Stockholm next week?",
        "<p>vem har Gotland?</p>",
        "jag har en fråga till isabele canderskog om ett projekt",  # lower case and a typo: not sure enough
    ],
)
def test_ordinary_questions_never_reach_a_person(answerer: Answerer, question: str):
    intent = decide(question, answerer, factories.TODAY, None)

    assert isinstance(intent, AnswerCounties | AskWhichCounty)  # neither holds a person


def test_html_around_a_county_question_is_read_as_the_question(answerer: Answerer):
    intent = decide("<p>vem har <b>Gotland</b>?</p>", answerer, factories.TODAY, None)

    assert isinstance(intent, AnswerCounties)
    assert [item.county.code for item in intent.answer.counties] == ["09"]


def test_an_unknown_name_after_who_is_is_not_a_person_reply(answerer: Answerer):
    # Only "which county does X have?" is certainly about a person; "vem är X" may be anything.
    assert isinstance(decide("vem är Kalle Anka?", answerer, factories.TODAY, None), AnswerCounties)


@pytest.fixture(scope="module")
def shipped_answerer() -> Answerer:
    return Answerer(load_directory(DEFAULT_DATA_DIR))


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("vem är Isabelle Canderskog?", "Isabelle Canderskog är länsansvarig för Södermanlands län."),
        ("kontakta Sara Mattsson", "Sara Mattsson är länsansvarig för "),
        ("<p>Peter Axelsson</p>", "Peter Axelsson är länsansvarig för "),
        ("vilket län har Per?", "Per-Erik Jonsson är ersättare för Jämtlands län."),
        ("vilket län har Per-Erik?", "Per-Erik Jonsson är ersättare för Jämtlands län."),
        ("vem är Per Erik Jonsson?", "Per-Erik Jonsson är ersättare för Jämtlands län."),
        ("what does Erik Jonsson cover?", "Per-Erik Jonsson is the deputy for Jämtlands län."),
    ],
)
def test_shipped_data_person_questions(shipped_answerer: Answerer, question: str, lead: str):
    intent = decide(question, shipped_answerer, factories.TODAY, None)

    assert isinstance(intent, AnswerPerson)
    assert person_lead(intent.person, intent.answer).startswith(lead)


def test_shipped_data_dev_questions_never_reach_a_person(shipped_answerer: Answerer):
    questions = [json.loads(line)["q"] for line in DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    people = [(q, type(decide(q, shipped_answerer, factories.TODAY, None))) for q in questions]

    assert [(q, kind) for q, kind in people if kind in PERSON_KINDS] == []


def test_a_place_that_is_part_of_the_name_does_not_hide_the_person():
    visby = factories.Officer("Anna Visby", "Handläggare", "Enhet", "Visby", "anna.visby@tillvaxtverket.se", "")
    directory = factories.directory()
    contacts = {**directory.contacts, "09": factories.CountyContacts("09", (visby,), None, "https://x")}
    answerer = Answerer(dataclasses.replace(directory, contacts=contacts))

    assert isinstance(decide("vem är Anna Visby?", answerer, factories.TODAY, None), AnswerPerson)
    assert isinstance(decide("vem är Anna Visby i Uppsala?", answerer, factories.TODAY, None), AnswerCounties)
