"""Reverse look-up: a person's name in a question gives the counties they cover."""

from __future__ import annotations

import pytest

from bot.core.lookup import MIN_BARE_NAME_SCORE, asked_name, find_people
from tests import factories


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("vilket län har Isabelle Canderskog?", "Isabelle Canderskog"),
        ("Vilka län har Per Persson", "Per Persson"),
        ("vilket län ansvarar Isabelle för?", "Isabelle"),
        ("vad har Isak Berg för län?", "Isak Berg"),
        ("What does Isabelle cover?", "Isabelle"),
        ("which counties does Per Persson cover", "Per Persson"),
        ("what county is Isak responsible for?", "Isak"),
        ("vem har Sörmland?", None),
        ("who covers Gothenburg?", None),
        ("", None),
    ],
)
def test_asked_name(question: str, name: str | None):
    assert asked_name(question) == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Isabelle Canderskog", ["Isabelle Canderskog"]),
        ("isabelle canderskog", ["Isabelle Canderskog"]),  # case does not matter
        ("Isabelle Kanderskog", ["Isabelle Canderskog"]),  # one typo
        ("Canderskog", ["Isabelle Canderskog"]),
        ("Isabelle", ["Isabelle Canderskog"]),
        ("Monika Kvål", ["Monika Kväl"]),
        ("Gotland", []),
        ("", []),
    ],
)
def test_find_people(name: str, expected: list[str]):
    assert [m.officer.name for m in find_people(name, factories.CONTACTS)] == expected


def test_officer_and_deputy_roles_are_told_apart():
    [per] = find_people("Per Persson", factories.CONTACTS)

    assert per.counties == ("01", "09")
    assert per.deputy_for == ("03",)


def test_several_people_who_fit_equally_are_all_returned_for_a_clarification():
    contacts = dict(factories.CONTACTS)
    other = factories.ISABELLE.__class__(
        "Isabelle Ek", "Handläggare", "Enhet", "Luleå", "isabelle.ek@tillvaxtverket.se", ""
    )
    contacts["01"] = factories.CONTACTS["01"].__class__("01", (other,), None, "https://x")

    matches = find_people("Isabelle", contacts)

    assert [m.officer.name for m in matches] == ["Isabelle Canderskog", "Isabelle Ek"]


def test_a_greeting_is_no_name():
    assert find_people("Hej", factories.CONTACTS, min_score=MIN_BARE_NAME_SCORE) == ()


def test_long_text_is_no_person_question_and_costs_nothing():
    assert asked_name("vilket län har " + "x" * 100_000) is None
    assert find_people("Isabelle " * 12_000, factories.CONTACTS) == ()
