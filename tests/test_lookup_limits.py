"""Look-up of people under hostile input: a long message costs what a short one costs."""

from __future__ import annotations

from bot.core import lookup
from bot.core.lookup import asked_name, find_people
from tests import factories


def test_a_long_run_of_punctuation_is_not_a_person_question():
    """Regression: TRAILING ran over the whole message and backtracked quadratically on "? ? ? ..."
    (20 kB took 5 s on the event loop). Longer than a question about a person, it is not read."""
    question = "vad har Isabelle Canderskog" + " ?" * 100_000 + " och sen"

    assert asked_name(question) is None
    assert asked_name("vad har Isabelle Canderskog ? ? ?") == "Isabelle Canderskog"


def test_a_name_longer_than_any_name_matches_nobody():
    contacts = factories.directory().contacts

    assert find_people("Isabelle Canderskog", contacts)
    assert find_people("Isabelle Canderskog " + "x" * lookup.MAX_NAME_CHARS, contacts) == ()
