"""Property tests on the shipped data/: sentences built from everyday Swedish words around a
word that is also a town ("grums", "sandviken", "mora") get a county only when they ask about it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wordfreq import top_n_list, zipf_frequency

from bot.core.recognition import (
    ASK_WORDS,
    DESTINATIONS,
    PLACE_NOUNS_AFTER,
    PLACE_QUESTION_WORDS,
    VISIT_WORDS,
    Recogniser,
)
from bot.data.directory import DEFAULT_DATA_DIR
from bot.data.geography import Municipality, load_geography

GEOGRAPHY = load_geography(DEFAULT_DATA_DIR)
RECOGNISER = Recogniser(GEOGRAPHY)
# Everyday Swedish: the commonest words, less those that make a sentence ask about a place.
EVIDENCE = ASK_WORDS | VISIT_WORDS | DESTINATIONS | PLACE_NOUNS_AFTER | PLACE_QUESTION_WORDS
# A word this common is one everybody writes (wordfreq's Zipf scale; "kaffe" 4.6, "grums" 3.3).
DICTIONARY_ZIPF = 2.5


def _everyday_words() -> list[str]:
    words = [word for word in top_n_list("sv", 3000) if word.isalpha() and word not in EVIDENCE]
    return [word for word in words if not RECOGNISER.recognise(word).counties]


def _towns_that_are_words() -> list[tuple[str, str]]:
    """(lower-case name, county) of one-word municipalities and towns that are dictionary words too;
    not those that also name a province or county ("härjedalen"), which are never everyday words."""
    regions = {name.casefold() for area in GEOGRAPHY.areas for name in (area.name, *area.aliases)}
    regions |= {name.casefold() for county in GEOGRAPHY.counties for name in (county.name, *county.short_names)}
    towns: list[tuple[str, str]] = []
    for municipality in GEOGRAPHY.municipalities:
        for name in (municipality.name, *municipality.places):
            lower = name.casefold()
            if lower in regions or " " in name or "-" in name:
                continue
            if zipf_frequency(lower, "sv") >= DICTIONARY_ZIPF:
                towns.append((lower, municipality.county))
    return sorted(set(towns))


WORDS = _everyday_words()
TOWNS = _towns_that_are_words()
PLAIN_MUNICIPALITIES: list[Municipality] = [m for m in GEOGRAPHY.municipalities if " " not in m.name]


def test_the_word_lists_are_big_enough_to_mean_something() -> None:
    assert len(WORDS) > 2000
    assert len(TOWNS) > 50
    assert ("grums", "17") in TOWNS and ("sandviken", "21") in TOWNS


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    after=st.lists(st.sampled_from(WORDS), max_size=6),
    town=st.sampled_from(TOWNS),
    end=st.sampled_from(["", ".", "!", " :)"]),
)
def test_shipped_data_small_talk_around_a_lower_case_town_gets_no_county(
    before: list[str], after: list[str], town: tuple[str, str], end: str
) -> None:
    sentence = " ".join([*before, town[0], *after]) + end
    assert RECOGNISER.recognise(sentence).counties == (), sentence


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(WORDS), max_size=4),
    municipality=st.sampled_from(PLAIN_MUNICIPALITIES),
    form=st.sampled_from(["vem har {name} kommun?", "Vem har {Name}?", "who covers {Name}?", "{name} kommun"]),
)
def test_shipped_data_a_question_about_a_town_gets_its_county(
    before: list[str], municipality: Municipality, form: str
) -> None:
    question = " ".join(before) + ". " + form.format(name=municipality.name.casefold(), Name=municipality.name)
    assert municipality.county in RECOGNISER.recognise(question).counties, question


@pytest.mark.parametrize("town", ["grums", "sandviken", "mora", "lund"])
def test_shipped_data_the_same_town_asked_about_gets_its_county(town: str) -> None:
    assert RECOGNISER.recognise(f"vem har {town} kommun?").counties
