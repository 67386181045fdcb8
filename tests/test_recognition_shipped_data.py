"""Recognition on the shipped data/: the phenomena colleagues' questions show, and the dev set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.recognition import accuracy_by_kind, load_questions, ours
from bot.core.recognition import Recogniser
from bot.data.directory import DEFAULT_DATA_DIR
from bot.data.geography import load_geography

DEV_QUESTIONS = Path(__file__).parent / "dev_questions.jsonl"
# The floor; the aim is 99 %, and a larger held-out set judges it.
MIN_DEV_ACCURACY = 0.95


@pytest.fixture(scope="module")
def shipped_recogniser() -> Recogniser:
    return Recogniser(load_geography(DEFAULT_DATA_DIR))


def recognised(recogniser: Recogniser, question: str) -> tuple[str, tuple[str, ...]]:
    result = recogniser.recognise(question)
    return result.status.value, result.counties


def test_dev_questions_with_shipped_data_reach_the_floor(shipped_recogniser: Recogniser) -> None:
    scores = accuracy_by_kind(load_questions(DEV_QUESTIONS), ours(shipped_recogniser))
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    assert total >= 80
    assert right / total >= MIN_DEV_ACCURACY, scores


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Jamtland?", ("23",)),
        ("Orebro?", ("18",)),
        ("Sormland", ("04",)),
        ("Vem har Lulea?", ("25",)),
        ("Who covers Vasteras?", ("19",)),
    ],
)
def test_shipped_data_matches_names_typed_without_diacritics(
    shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Småland?", ("06", "07", "08")),
        ("Vem har Lappland?", ("24", "25")),
        ("Vem har Uppland?", ("01", "03")),
        ("Vem har Dalsland?", ("14",)),
        ("Vem har Bohuslän?", ("14",)),
        ("Vem har Medelpad?", ("22",)),
        ("Vem har Öland?", ("08",)),
        ("Vem har Härjedalen?", ("23",)),
        ("Vem har programområdet Västsverige?", ("13", "14")),
        ("Vem har Övre Norrland?", ("24", "25")),
    ],
)
def test_shipped_provinces_and_programme_areas_give_their_counties(
    shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Norrland?", ("21", "22", "23", "24", "25")),
        ("Vem har Mälardalen?", ("01", "03", "04", "18", "19")),
        ("Vem har programområdet Östra Mellansverige?", ("03", "04", "05", "18", "19")),
    ],
)
def test_shipped_wide_areas_ask_which_county(
    shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("clarify", expected)


@pytest.mark.parametrize(
    "question",
    [
        "Jag vill vara med",
        "Vi ska bestiga ett berg",
        "Köp av mark",
        "Jag kilar iväg på lunch",
        "Ska vi ta en ale?",
        "Vem tog bilden på klippan?",
        "Hur många salar finns det?",
        "Boden är full av gamla möbler",
        "Lund och skog",
        "Vi har en skara frivilliga",
        "Nora är sjuk i dag",
        "Mora ringde",
        "Eda och Kalle kommer också",
        "Are you there?",
        "I kinda need help",
        "Det finns inget Salem här",
        "Hallå?",
        "Hej hej",
        "Tack!",
        "hjälp",
    ],
)
def test_shipped_ordinary_words_are_not_places(shipped_recogniser: Recogniser, question: str) -> None:
    assert recognised(shipped_recogniser, question) == ("none", ())


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Jag ska på möte i Vara nästa vecka", ("14",)),
        ("Mark kommun vill söka stöd", ("14",)),
        ("Vem har Berg i Jämtland?", ("23",)),
        ("Vem har Berg kommun?", ("23",)),
        ("Ska till Boden på torsdag", ("25",)),
        ("Kil kommun?", ("17",)),
        ("Vem har Ale?", ("14",)),
        ("Eda kommun vid norska gränsen", ("17",)),
        ("Vi ska till Nora", ("18",)),
        ("Möte i Sala i morgon", ("19",)),
        ("Lunds universitet vill samarbeta", ("12",)),
        ("Vem har Mora?", ("20",)),
        ("Klippan kommun", ("12",)),
        ("Vem har Skara och Vara?", ("14",)),
        ("Who covers Are?", ("23",)),
    ],
)
def test_shipped_place_names_that_are_words_match_when_meant(
    shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har D-län?", ("04",)),
        ("BD-län?", ("25",)),
        ("Vem har län O?", ("14",)),
        ("AC-län", ("24",)),
        ("Vem har AB län?", ("01",)),
        ("I-län", ("09",)),
    ],
)
def test_shipped_letter_codes(shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Who covers Gothenburg?", ("14",)),
        ("Who handles Scania?", ("12",)),
        ("Who's responsible for Dalecarlia?", ("20",)),
        ("Who covers Stockholm County?", ("01",)),
    ],
)
def test_shipped_english_names(shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Region Sörmland", ("04",)),
        ("Regionförbundet Sörmland", ("04",)),
        ("VGR har en fråga", ("14",)),
        ("Västra Götalandsregionen", ("14",)),
        ("Region Jämtland Härjedalen", ("23",)),
    ],
)
def test_shipped_regional_bodies_and_former_names(
    shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Visby?", ("09",)),
        ("Huskvarna?", ("06",)),
        ("Vem har Kiruna och Abisko?", ("25",)),
        ("Sörmlandsexpert sökes", ("04",)),
        ("Göteborgsföretag", ("14",)),
    ],
)
def test_shipped_towns_and_compounds(shipped_recogniser: Recogniser, question: str, expected: tuple[str, ...]) -> None:
    assert recognised(shipped_recogniser, question) == ("answer", expected)


def test_every_shipped_municipality_is_recognised_by_its_name(shipped_recogniser: Recogniser) -> None:
    geography = load_geography(DEFAULT_DATA_DIR)
    missed = [
        m.name
        for m in geography.municipalities
        if recognised(shipped_recogniser, f"{m.name} kommun") != ("answer", (m.county,))
    ]
    assert missed == []


def test_every_shipped_county_is_recognised_by_its_names(shipped_recogniser: Recogniser) -> None:
    geography = load_geography(DEFAULT_DATA_DIR)
    missed = [
        (county.code, name)
        for county in geography.counties
        for name in (county.name, *county.short_names, county.region)
        if recognised(shipped_recogniser, f"Vem har {name}?") != ("answer", (county.code,))
    ]
    assert missed == []
