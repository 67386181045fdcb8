"""Deciding how to reply, without a bot: commands, person questions, clarify, no data."""

from __future__ import annotations

import pytest

from bot.answers import Answerer
from bot.intents import Kind, decide
from tests import factories


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(factories.directory())


@pytest.mark.parametrize(("question", "kind", "language"), [
    ("", Kind.HELP, "sv"),
    ("hjälp", Kind.HELP, "sv"),
    ("Help!", Kind.HELP, "en"),
    ("lista", Kind.LIST, "sv"),
    ("all counties", Kind.LIST, "en"),
    ("avbryt", Kind.CANCELLED, "sv"),
    ("vem har Sörmland?", Kind.ANSWER, "sv"),
    ("who covers Gotland?", Kind.ANSWER, "en"),
    ("vad blir det för väder?", Kind.ANSWER, "sv"),  # an answer with no counties: the not-recognised card
    ("Östersjökusten", Kind.CLARIFY, "sv"),
    ("vilket län har Isabelle Canderskog?", Kind.PERSON, "sv"),
    ("what does Isabelle cover?", Kind.PERSON, "en"),
    ("Monika Kväl", Kind.PERSON, "sv"),
    ("vilket län har Kalle Anka?", Kind.UNKNOWN_PERSON, "sv"),
    ("vilket län har Gotland?", Kind.ANSWER, "sv"),  # the "name" is a place
])
def test_decide(answerer: Answerer, question: str, kind: Kind, language: str):
    intent = decide(question, answerer, factories.TODAY, "sv-SE")

    assert (intent.kind, intent.language) == (kind, language)


@pytest.mark.parametrize(("question", "locale", "language"), [
    ("tack", None, "sv"),
    ("Tack så mycket!", "en-US", "sv"),
    ("tusen tack", None, "sv"),
    ("thanks", None, "en"),
    ("Thank you!", "sv-SE", "en"),
    ("toppen", None, "sv"),
    ("ok", "sv-SE", "sv"),
    ("OK", "en-GB", "en"),  # neither language's word: the Teams locale decides
    ("👍", "en-GB", "en"),
])
def test_thanks_get_a_friendly_word_not_the_not_recognised_card(answerer: Answerer, question: str,
                                                                  locale: str | None, language: str):
    intent = decide(question, answerer, factories.TODAY, locale)

    assert (intent.kind, intent.language) == (Kind.THANKS, language)


@pytest.mark.parametrize("question", ["tack för hjälpen med Sörmland, vem har Gotland?", "ok Gotland", "👍 Gotland"])
def test_a_question_that_also_thanks_is_still_a_question(answerer: Answerer, question: str):
    assert decide(question, answerer, factories.TODAY, None).kind is Kind.ANSWER


def test_thanks_work_without_data():
    assert decide("tack", None, factories.TODAY, None).kind is Kind.THANKS


def test_no_data_still_helps_but_cannot_answer():
    assert decide("hjälp", None, factories.TODAY, None).kind is Kind.HELP
    assert decide("vem har Sörmland?", None, factories.TODAY, None).kind is Kind.UNAVAILABLE
    assert decide("who covers Skåne?", None, factories.TODAY, None).language == "en"


def test_deputy_alone_gets_the_counties_they_stand_in_for(answerer: Answerer):
    intent = decide("Monika Kväl", answerer, factories.TODAY, None)

    assert intent.lead == "Monika Kväl är ersättare för Södermanlands län."
    assert [item.county.code for item in intent.answer.counties] == ["04"]


def test_a_greeting_never_reaches_a_person(answerer: Answerer):
    assert decide("tjena tjena", answerer, factories.TODAY, None).kind is Kind.ANSWER
