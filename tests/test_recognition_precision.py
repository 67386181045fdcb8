"""Never a wrong officer, on the shipped data/: ordinary words that are places, surnames that are
places, places abroad near Swedish names, "not" and corrections, and old English names."""

from __future__ import annotations

import pytest

from bench.recognition import negatives, small_talk
from bot.core.recognition import Recogniser, Status
from bot.data.directory import DEFAULT_DATA_DIR
from bot.data.geography import load_geography


@pytest.fixture(scope="module")
def shipped_recogniser() -> Recogniser:
    return Recogniser(load_geography(DEFAULT_DATA_DIR))


def recognised(recogniser: Recogniser, question: str) -> tuple[str, tuple[str, ...]]:
    result = recogniser.recognise(question)
    return result.status.value, result.counties


@pytest.mark.parametrize(
    "message",
    [
        "mycket grums i kaffet",
        "Det var mycket grums i kaffet i morse",
        "vi hyr en sjöbod i sommar",
        "vi badade i sandviken",
        "vi badade i sandviken i helgen, så skönt",
        "hon bor i en sjöbod vid vattnet",
    ],
)
def test_shipped_data_lower_case_words_that_are_towns_in_small_talk_get_no_county(
    shipped_recogniser: Recogniser, message: str
) -> None:
    assert recognised(shipped_recogniser, message) == ("none", ())


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("jag ska till eskilstuna", ("04",)),  # a destination
        ("möte i sandviken imorgon", ("21",)),  # a meeting there
        ("vem har grums?", ("17",)),  # a question to the bot
        ("grums kommun", ("17",)),
        ("sandviken?", ("21",)),  # the whole message is the name
        ("gävle och uppsala?", ("21", "03")),  # a list of towns and nothing else, in the order named
        ("Vi badade i Sandviken", ("21",)),  # capitalised, it is the town
    ],
)
def test_shipped_data_lower_case_towns_count_when_the_sentence_means_the_place(
    shipped_recogniser: Recogniser, question: str, codes: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", codes)


def test_shipped_data_a_dictionary_word_near_a_town_is_asked_about_not_answered(
    shipped_recogniser: Recogniser,
) -> None:
    result = shipped_recogniser.recognise("vem har sjöbod?")
    assert (result.status, result.counties) == (Status.NONE, ())
    assert result.suggestion is not None and result.suggestion.name == "Sjöbo"
    assert result.suggestion.counties == ("12",)


def test_shipped_data_small_talk_with_a_dictionary_word_near_a_town_suggests_nothing(
    shipped_recogniser: Recogniser,
) -> None:
    assert shipped_recogniser.recognise("vi hyr en sjöbod i sommar").suggestion is None


@pytest.mark.parametrize(
    "message",
    [
        "Ulrika Falkenberg har skickat underlaget",
        "Björn Ronneby och Ulf Mölndal var på konferensen",
        "Det var Cecilia Grums som skrev det",
        "Tom Kalmarsson joined the team",
        "Jenny Mora Nilsson har fått nytt nummer",
        "Ask Maria Sala about the budget",
    ],
)
def test_shipped_data_a_place_after_a_given_name_is_a_surname(shipped_recogniser: Recogniser, message: str) -> None:
    assert recognised(shipped_recogniser, message) == ("none", ())


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Vem har Falkenberg?", ("13",)),
        ("Anna, vem har Falkenberg?", ("13",)),  # the comma parts the name from the place
        ("Till Malmö imorgon, vem har det?", ("12",)),  # a preposition is no given name
        ("Ulrika ska till Falkenberg", ("13",)),
        ("Anna Falkenberg kommun", ("13",)),  # "kommun" makes it the place
    ],
)
def test_shipped_data_places_near_names_still_count_when_they_are_places(
    shipped_recogniser: Recogniser, question: str, codes: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", codes)


@pytest.mark.parametrize(
    ("question", "place", "country"),
    [
        ("Vem har Kristiansand?", "Kristiansand", "NO"),
        ("Kristiansund", "Kristiansund", "NO"),
        ("jag ska till Bodø", "Bodø", "NO"),
        ("Vem har Bodo?", "Bodø", "NO"),
        ("möte i Torneå", "Tornio", "FI"),
        ("Who covers Stralsund?", "Stralsund", "DE"),
    ],
)
def test_shipped_data_places_abroad_are_said_to_be_abroad_not_typo_matched(
    shipped_recogniser: Recogniser, question: str, place: str, country: str
) -> None:
    result = shipped_recogniser.recognise(question)
    assert (result.status, result.counties) == (Status.NONE, ())
    assert [(found.name, found.country) for found in result.foreign] == [(place, country)]


def test_shipped_data_a_swedish_place_beside_one_abroad_is_answered(shipped_recogniser: Recogniser) -> None:
    result = shipped_recogniser.recognise("Kristianstad eller Kristiansand?")
    assert (result.status, result.counties, result.foreign) == (Status.ANSWER, ("12",), ())
    assert recognised(shipped_recogniser, "Vem har Kristianstad?") == ("answer", ("12",))


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("inte Skåne utan Blekinge", ("10",)),
        ("Vem har Blekinge, inte Skåne?", ("10",)),
        ("jag menade Norrbotten, inte Västerbotten", ("25",)),
        ("not Skåne but Blekinge", ("10",)),
        ("inte i Malmö utan i Kalmar", ("08",)),
        ("Vem har Skåne? Förlåt, jag menade Blekinge", ("10",)),
        ("Har inte Skåne en ny handläggare?", ("12",)),  # the only place: "inte" is not about it
        ("Vem har Skåne och Blekinge?", ("12", "10")),  # both, in the order named
    ],
)
def test_shipped_data_negation_and_correction_answer_the_county_meant(
    shipped_recogniser: Recogniser, question: str, codes: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", codes)


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Who covers West Bothnia?", ("24",)),
        ("Who covers North Bothnia?", ("25",)),
        ("East Gothland", ("05",)),
        ("Who covers Sudermannia?", ("04",)),
        ("Jemtland", ("23",)),
        ("Who covers Westmannia?", ("19",)),
        ("Angermannia?", ("22",)),
        ("Who covers Helsingia?", ("21",)),
        ("Nericia", ("18",)),
    ],
)
def test_shipped_data_historical_english_names_find_their_county(
    shipped_recogniser: Recogniser, question: str, codes: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", codes)


def test_shipped_data_no_small_talk_message_gets_a_county(shipped_recogniser: Recogniser) -> None:
    messages = small_talk()
    assert len(messages) >= 300
    assert negatives(shipped_recogniser, messages) == []
