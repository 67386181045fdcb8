"""The recogniser's mechanics on a small fixture geography (tests/fixtures/recognition)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.recognition import MAX_QUESTION_CHARS, Recogniser, Status
from bot.data.geography import load_geography

FIXTURES = Path(__file__).parent / "fixtures" / "recognition"


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser(load_geography(FIXTURES))


def codes(recogniser: Recogniser, question: str) -> tuple[str, tuple[str, ...]]:
    result = recogniser.recognise(question)
    return result.status.value, result.counties


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Södermanlands län?", ("04",)),
        ("vem har sörmland", ("04",)),
        ("SÖRMLAND?", ("04",)),
        ("Sörmlands kontaktperson?", ("04",)),  # genitive
        ("Vem kan sörmländska företag?", ("04",)),  # adjective
        ("Sörmlänningarna undrar", ("04",)),  # demonym, definite plural
        ("Hallänningar söker stöd", ("13",)),
        ("Vem har västgötska kommuner?", ("14",)),
        ("Västgötarna undrar", ("14",)),  # "västgöte" → "västgötar", "västgötarna"
        ("Regionförbundet Sörmland vill ha kontakt", ("04",)),
        ("Who covers Sodermanland County?", ("04",)),
        ("Who covers Gothenburg?", ("14",)),
        ("Vem har Eskilstuna?", ("04",)),
        ("Vem har Torshälla?", ("04",)),  # a town named instead of its municipality
    ],
)
def test_names_in_every_form_find_their_county(
    recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert codes(recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Sormland?", ("04",)),
        ("Goteborg?", ("14",)),
        ("Vem har Vastra Gotaland?", ("14",)),
    ],
)
def test_missing_diacritics_still_match(recogniser: Recogniser, question: str, expected: tuple[str, ...]) -> None:
    assert codes(recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Sörmladn?", ("04",)),  # swapped letters count as one edit
        ("Vem har Eskilstnua?", ("04",)),
        ("Vem har Halmstd?", ("13",)),  # one letter missing
        ("Vem har Västra Götland?", ("14",)),  # a typo inside a two-word name
        ("Vem har Eskilstuans företag?", ("04",)),  # typo plus genitive
    ],
)
def test_typos_within_one_or_two_edits_match(recogniser: Recogniser, question: str, expected: tuple[str, ...]) -> None:
    assert codes(recogniser, question) == ("answer", expected)


@pytest.mark.parametrize(
    "question",
    [
        "Hallå, är det någon där?",  # an ordinary word two edits from Halland
        "Hallå!",
        "Kan du skicka listan?",
        "Vem har Hxlmsxad?",  # three edits: too far
        "Vem har Vrbrg?",  # two edits from Varberg, but a five-letter word may have only one
    ],
)
def test_ordinary_words_and_distant_typos_match_nothing(recogniser: Recogniser, question: str) -> None:
    assert codes(recogniser, question) == ("none", ())


@pytest.mark.parametrize(
    "question",
    [
        "Jag vill vara med på mötet",
        "Vara eller inte vara",
        "Räknas köp av mark som stödberättigande kostnad?",
        "Mark ringde i morse",  # a capital at the start of a sentence says nothing
        "Markera gärna i kalendern",
        "Jag pratade med Mark i går",
    ],
)
def test_municipality_names_used_as_ordinary_words_do_not_match(recogniser: Recogniser, question: str) -> None:
    assert codes(recogniser, question) == ("none", ())


@pytest.mark.parametrize(
    "question",
    [
        "Jag ska på möte i Vara nästa vecka",
        "Vara kommun hörde av sig",
        "vara kommun?",
        "Vi har ett företag i Marks kommun",
        "Vara?",  # the whole question is the name
        "Vem har Borås och Vara?",  # listed beside another place
        "Mark och Borås, vem har dem?",
    ],
)
def test_municipality_names_that_are_words_match_when_the_sentence_means_the_place(
    recogniser: Recogniser, question: str
) -> None:
    assert codes(recogniser, question) == ("answer", ("14",))


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har D-län?", ("04",)),
        ("vem har d-län", ("04",)),
        ("Vem har län N?", ("13",)),
        ("O-länet, vem?", ("14",)),
        ("Vem har O län?", ("14",)),
        ("Länskod 13?", ("13",)),
    ],
)
def test_letter_codes_count_only_in_county_form(
    recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert codes(recogniser, question) == ("answer", expected)


@pytest.mark.parametrize("question", ["D är en bokstav", "Plan D", "Vi tar O och N", "I länet finns fyra kommuner"])
def test_bare_letters_are_not_county_codes(recogniser: Recogniser, question: str) -> None:
    assert codes(recogniser, question) == ("none", ())


def test_acronyms_match_only_as_written(recogniser: Recogniser) -> None:
    assert codes(recogniser, "VG har en fråga") == ("answer", ("14",))
    assert codes(recogniser, "vg har en fråga") == ("none", ())


def test_several_counties_in_one_question_are_all_answered(recogniser: Recogniser) -> None:
    assert codes(recogniser, "Vem har Eskilstuna, Halmstad och Göteborg?") == ("answer", ("04", "13", "14"))


def test_a_county_named_twice_is_answered_once(recogniser: Recogniser) -> None:
    assert codes(recogniser, "Varberg i Halland") == ("answer", ("13",))


def test_an_area_is_answered_with_all_its_counties(recogniser: Recogniser) -> None:
    assert codes(recogniser, "Vem har programområdet Västsverige?") == ("answer", ("13", "14"))


def test_an_area_narrowed_by_a_place_in_it_gives_way_to_the_place(recogniser: Recogniser) -> None:
    assert codes(recogniser, "Vem har Varberg i Västsverige?") == ("answer", ("13",))


def test_a_name_shared_by_places_in_different_counties_asks_which(recogniser: Recogniser) -> None:
    result = recogniser.recognise("Vem har Björkäng?")
    assert result.status is Status.CLARIFY
    assert result.counties == ("13", "14")


def test_mentions_say_what_was_recognised(recogniser: Recogniser) -> None:
    mention = recogniser.recognise("Jag ska till Torshälla").mentions[0]
    assert (mention.surface, mention.name, mention.kind, mention.counties) == (
        "Torshälla",
        "Torshälla (Eskilstuna)",
        "place",
        ("04",),
    )


@pytest.mark.parametrize("question", ["", "   ", "\n\n", "😀🎉", "?!", "12345", "\u202e\u200b\x00"])
def test_empty_or_wordless_questions_match_nothing(recogniser: Recogniser, question: str) -> None:
    assert codes(recogniser, question) == ("none", ())


def test_only_the_start_of_a_huge_message_is_read(recogniser: Recogniser) -> None:
    huge = "Vem har Sörmland? " + "bla " * 25_000 + " och Halland"
    assert len(huge) > 100_000
    assert codes(recogniser, huge) == ("answer", ("04",))
    assert MAX_QUESTION_CHARS < 2_000


@pytest.mark.parametrize("question", ["Sörm\u200bland?", "Sörm\u00adland?", "\u202eSörmland\u202c?", "Sörmland\x00?"])
def test_invisible_characters_do_not_split_names(recogniser: Recogniser, question: str) -> None:
    assert codes(recogniser, question) == ("answer", ("04",))


def test_decomposed_unicode_matches_like_composed(recogniser: Recogniser) -> None:
    decomposed = "So\u0308rmland"  # ö as o + combining diaeresis, as some keyboards send it
    assert codes(recogniser, decomposed) == ("answer", ("04",))


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Who covers Goeteborg?", ("14",)),  # ö written oe
        ("Vem har Nykoeping?", ("04",)),
    ],
)
def test_keyboards_without_swedish_letters_are_understood(
    recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert codes(recogniser, question) == ("answer", expected)


def test_a_lower_case_ordinary_word_is_a_place_when_the_question_asks_for_its_county(recogniser: Recogniser) -> None:
    assert codes(recogniser, "ska till vara på torsdag, vem har länet där?") == ("answer", ("14",))
    assert codes(recogniser, "ska till vara på torsdag, vem följer med?") == ("none", ())


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Vem har Västra Götaland och Sörmland?", ("14", "04")),
        ("Sörmland, Halland och Göteborg", ("04", "13", "14")),
        ("Halland eller Sörmland?", ("13", "04")),
    ],
)
def test_several_counties_come_in_the_order_the_question_names_them(
    recogniser: Recogniser, question: str, expected: tuple[str, ...]
) -> None:
    assert codes(recogniser, question) == ("answer", expected)
