"""The data shipped in data/: valid, complete and honest about being example data."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.answers import Answerer
from bot.core.recognition import Status
from bot.data.directory import DEFAULT_DATA_DIR, Directory, check_data, load_directory

TODAY = dt.date(2026, 11, 26)
# Sweden has 21 counties (län); whatever people the directory lists, it covers all of them.
COUNTY_COUNT = 21


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(DEFAULT_DATA_DIR)


def test_shipped_data_is_valid() -> None:
    assert check_data(DEFAULT_DATA_DIR) == ()


def test_shipped_data_has_an_entry_for_each_of_the_21_counties(shipped: Directory) -> None:
    codes = [county.code for county in shipped.geography.counties]
    assert len(set(codes)) == COUNTY_COUNT
    assert sorted(shipped.contacts) == sorted(codes)


def test_shipped_data_every_county_has_an_officer_or_is_marked_vacant(shipped: Directory) -> None:
    for code, contacts in shipped.contacts.items():
        assert contacts.vacant or all(officer.name and officer.email for officer in contacts.officers), code
        assert contacts.sharepoint_url.startswith("https://"), code


def test_shipped_data_says_whether_it_is_example_data(shipped: Directory) -> None:
    assert isinstance(shipped.example_data, bool)


def test_shipped_data_people_have_agency_addresses(shipped: Directory) -> None:
    for contacts in shipped.contacts.values():
        for person in [*contacts.officers, *([contacts.deputy] if contacts.deputy else [])]:
            assert person.email.endswith("@tillvaxtverket.se"), person


def test_shipped_example_data_rings_nobody(shipped: Directory) -> None:
    if not shipped.example_data:
        pytest.skip("the shipped directory is the real one")
    people = [person for contacts in shipped.contacts.values() for person in contacts.officers]
    # PTS reserves 070-174 06 05..99 for fiction; only the officer the intranet article names
    # may carry her real number.
    real_numbers = [person for person in people if not person.phone.startswith("+46 70 174 06 ")]
    assert len(real_numbers) <= 1, real_numbers


def test_shipped_data_dialogues_belong_to_counties_oldest_first(shipped: Directory) -> None:
    for code, dialogues in shipped.dialogues.items():
        assert code in shipped.contacts
        assert [d.date for d in dialogues] == sorted(d.date for d in dialogues), code


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
    assert answer.counties[0].contacts == shipped.contacts[code]
