"""Look-up of people under hostile input: a long message costs what a short one costs."""

from __future__ import annotations

from bot import lookup
from bot.lookup import asked_name, find_people
from tests import factories


def test_person_question_reads_only_the_start_of_a_long_message():
    """Regression: TRAILING ran over the whole message and backtracked quadratically on "? ? ? ..."
    (20 kB took 5 s on the event loop); only the start of a message can be a person question."""
    question = "vad har Isabelle Canderskog" + " ?" * 3000 + " och sen"

    assert asked_name(question) == "Isabelle Canderskog"
    assert asked_name(question) == asked_name(question[:lookup.MAX_PERSON_QUESTION_CHARS])


def test_a_name_longer_than_any_name_matches_nobody():
    contacts = factories.directory().contacts

    assert find_people("Isabelle Canderskog", contacts)
    assert find_people("Isabelle Canderskog " + "x" * lookup.MAX_NAME_CHARS, contacts) == ()
