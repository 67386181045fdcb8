"""The data shipped in data/: valid, complete and honest about being example data."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.answers import Answerer
from bot.core.recognition import Status
from bot.data.directory import DEFAULT_DATA_DIR, Directory, check_data, load_directory

TODAY = dt.date(2026, 11, 26)
ALL_COUNTIES = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"]


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(DEFAULT_DATA_DIR)


def test_shipped_data_is_valid() -> None:
    assert check_data(DEFAULT_DATA_DIR) == ()


def test_shipped_data_lists_every_county_and_says_it_is_example_data(shipped: Directory) -> None:
    assert sorted(shipped.contacts) == ALL_COUNTIES
    assert shipped.example_data is True


def test_shipped_data_sormland_is_isabelle_canderskog(shipped: Directory) -> None:
    (officer,) = shipped.contacts["04"].officers
    assert officer.name == "Isabelle Canderskog"
    assert officer.unit == "Regional tillväxt mellersta Sverige"
    assert officer.email == "isabelle.canderskog@tillvaxtverket.se"


def test_shipped_data_example_people_have_agency_addresses_and_fiction_numbers(shipped: Directory) -> None:
    for code, contacts in shipped.contacts.items():
        people = [*contacts.officers, *([contacts.deputy] if contacts.deputy else [])]
        for person in people:
            assert person.email.endswith("@tillvaxtverket.se"), person
            if code != "04":
                # PTS reserves 070-174 06 05..99 for fiction: example data never rings anyone.
                assert person.phone.startswith("+46 70 174 06 "), person


def test_shipped_data_has_past_and_upcoming_dialogues_for_most_counties(shipped: Directory) -> None:
    both = [
        code
        for code, dialogues in shipped.dialogues.items()
        if any(d.date < TODAY for d in dialogues) and any(d.date >= TODAY for d in dialogues)
    ]
    assert len(both) >= 18


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("vem har Sörmland?", "04"),
        ("who covers Gothenburg?", "14"),
        ("jag ska till Eskilstuna nästa vecka", "04"),
        ("vem är vår ingång till Norrbotten?", "25"),
    ],
)
def test_shipped_data_answers_real_questions(shipped: Directory, question: str, code: str) -> None:
    answer = Answerer(shipped).answer(question, TODAY)
    assert answer.status is Status.ANSWER
    assert [county.county.code for county in answer.counties] == [code]
    assert answer.counties[0].contacts.officers
