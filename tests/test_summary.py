"""The plain-text answer (command line, card fallback) and the JSON record."""

from __future__ import annotations

import json

import pytest

from bot.core.answers import Answerer, compose
from bot.core.names import AREA_KINDS, AREA_MENTION_KINDS, MentionKind
from bot.core.recognition import Mention, Recognition, Status
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.data.geography import AreaKind
from bot.data.lexicon import ForeignPlace
from bot.render import cards
from bot.render.summary import answer_record, mention_lines, not_recognised_lines, render_text
from tests.conftest import TODAY


def rendered(
    directory: Directory,
    status: Status,
    codes: tuple[str, ...],
    language: str = "sv",
    mentions: tuple[Mention, ...] = (),
) -> str:
    return render_text(compose(Recognition(status, codes, mentions), directory, language, TODAY))


def test_answer_shows_officer_contact_dialogues_and_link(directory: Directory) -> None:
    out = rendered(directory, Status.ANSWER, ("04",))
    assert "Södermanlands län" in out
    assert "Länsansvarig: Isabelle Canderskog, Länsansvarig handläggare, Regional tillväxt mellersta Sverige" in out
    assert "isabelle.canderskog@tillvaxtverket.se" in out and "+46 16 15 19 00" in out
    assert "Ersättare: Erik Lind" in out
    assert out.index("25 november 2026: Dialog 4") < out.index("10 september 2026: Dialog 3")
    assert "Nästa regionala dialog:\n  26 november 2026: Dialog 5 \u2013 Idag. (https://example.org/d5)" in out
    assert f"Strategiskt regionarbete på SharePoint: {STRATEGIC_SITE_URL}" in out


def test_example_data_is_said_once(directory: Directory) -> None:
    out = rendered(directory, Status.ANSWER, ("04", "25"))
    assert out.count("exempeldata") == 1


def test_vacant_county_says_so_and_points_to_sharepoint(directory: Directory) -> None:
    out = rendered(directory, Status.ANSWER, ("08",), "en")
    assert "Kalmar län has no county officer at the moment" in out
    assert f"Strategic regional work on SharePoint: {STRATEGIC_SITE_URL}" in out
    assert "No upcoming regional dialogue is scheduled yet" in out


def test_clarify_asks_which_and_lists_the_candidates(directory: Directory) -> None:
    out = rendered(directory, Status.CLARIFY, ("04", "14"))
    assert "Vilket menar du: Södermanlands län eller Västra Götalands län?" in out
    assert "isabelle" not in out  # a question back, not an answer for both


def test_nothing_found_says_what_to_try(directory: Directory) -> None:
    out = rendered(directory, Status.NONE, (), "en")
    assert out.startswith("I could not find a county in your question.") and "for example" in out


def test_place_and_area_mentions_are_explained(directory: Directory) -> None:
    mentions = (
        Mention("eskilstuna", "Eskilstuna", MentionKind.MUNICIPALITY, ("04",)),
        Mention("Lappland", "Lappland", MentionKind.PROVINCES, ("25",)),
    )
    out = rendered(directory, Status.ANSWER, ("04", "25"), mentions=mentions)
    assert out.startswith("Eskilstuna ligger i Södermanlands län.\nLappland ligger i Norrbottens län.")


def test_user_text_is_never_echoed(directory: Directory) -> None:
    question = "vem har **Eskilstuna** [klicka](https://evil.example) <b>x</b>?"
    out = render_text(Answerer(directory).answer(question, TODAY))
    assert "Södermanlands län" in out
    for fragment in ("**", "klicka", "evil.example", "<b>"):
        assert fragment not in out


@pytest.mark.parametrize("codes", [("04",), ("08",), ("04", "14")])
def test_json_record_has_the_documented_shape(directory: Directory, codes: tuple[str, ...]) -> None:
    record = answer_record(compose(Recognition(Status.ANSWER, codes, ()), directory, "sv", TODAY))
    json.dumps(record)  # serialisable as is
    assert record["status"] == "answer" and record["example_data"] is True
    assert [county["code"] for county in record["counties"]] == list(codes)
    for county in record["counties"]:
        assert {
            "code",
            "name",
            "officers",
            "vacant",
            "sharepoint_url",
            "recent_dialogues",
            "upcoming_dialogue",
            "deputy",
        } <= set(county)
        assert all({"name", "email"} <= set(officer) for officer in county["officers"])
        assert county["vacant"] == (county["officers"] == [])


def test_area_narrowed_by_the_answer_is_not_listed_partially(directory: Directory) -> None:
    mentions = (
        Mention("Norrland", "Norrland", MentionKind.REGIONS, ("24", "25")),
        Mention("Lappland", "Lappland", MentionKind.PROVINCES, ("25",)),
    )
    out = rendered(directory, Status.ANSWER, ("25",), mentions=mentions)
    assert "Norrland" not in out
    assert out.startswith("Lappland ligger i Norrbottens län.")


def test_mention_kinds_are_an_enum_whose_json_is_the_old_strings(directory: Directory) -> None:
    answer = Answerer(directory).answer("Eskilstuna och Norrbotten", TODAY)

    assert {mention.kind for mention in answer.mentions} == {MentionKind.MUNICIPALITY, MentionKind.COUNTY}
    kinds = sorted(mention["kind"] for mention in json.loads(json.dumps(answer_record(answer)))["mentions"])
    assert kinds == ["county", "municipality"]


def test_every_kind_of_area_in_the_data_is_a_kind_of_mention_the_answer_explains() -> None:
    # Kinds are enums from the data on: a kind nobody maps is a KeyError at start-up, not a silent line less.
    assert set(AREA_MENTION_KINDS) == set(AreaKind)
    assert set(AREA_MENTION_KINDS.values()) == AREA_KINDS


AREA_AND_PLACE = (
    Mention("Östra", "Östra Sverige", MentionKind.REGIONS, ("04", "08")),
    Mention("Kiruna", "Kiruna", MentionKind.MUNICIPALITY, ("25",)),
    Mention("Ekeby", "Ekeby (Eskilstuna) / Ekeby (Göteborg)", MentionKind.AMBIGUOUS, ("04", "14")),
)


def test_cards_and_text_say_why_with_the_same_rule(directory: Directory) -> None:
    answer = compose(Recognition(Status.ANSWER, ("04", "08", "14", "25"), AREA_AND_PLACE), directory, "sv", TODAY)

    text_lines = render_text(answer).split("\n\n")[0].split("\n")
    card_lines = {item.county.code: mention_lines(answer, item.county.code) for item in answer.counties}

    assert text_lines == [
        "Östra Sverige omfattar Södermanlands län och Kalmar län.",
        "Kiruna ligger i Norrbottens län.",
    ]
    assert card_lines == {"04": (text_lines[0],), "08": (text_lines[0],), "14": (), "25": (text_lines[1],)}
    for item in answer.counties:
        shown = [
            run["text"]
            for block in cards.county_card(item, answer)["body"]
            if block["type"] == "RichTextBlock"
            for run in block["inlines"]
        ]
        assert all(line in shown for line in card_lines[item.county.code])
        assert not any("Ekeby" in line for line in shown)  # an ambiguous name gets no line, on cards either


def test_text_lists_the_next_dialogue_before_the_recent_ones_as_the_card_does(directory: Directory) -> None:
    answer = compose(Recognition(Status.ANSWER, ("04",), ()), directory, "sv", TODAY)
    out = render_text(answer)
    card = json.dumps(cards.county_card(answer.counties[0], answer), ensure_ascii=False)

    assert out.index("Nästa regionala dialog") < out.index("Senaste regionala dialoger")
    assert card.index("Nästa regionala dialog") < card.index("Senaste regionala dialoger")


def test_a_place_abroad_is_said_to_be_abroad_by_its_gazetteer_name(directory: Directory) -> None:
    recognition = Recognition(Status.NONE, (), (), foreign=(ForeignPlace("Kristiansand", "NO"),))
    answer = compose(recognition, directory, "sv", TODAY)
    assert render_text(answer).startswith("Kristiansand ligger inte i Sverige")
    card = cards.not_recognised_card("en", lines=not_recognised_lines(compose(recognition, directory, "en", TODAY)))
    assert card["fallbackText"].startswith("Kristiansand is not in Sweden")


def test_weak_evidence_asks_whether_the_place_is_meant(directory: Directory) -> None:
    mention = Mention("eskilstna", "Eskilstuna", MentionKind.MUNICIPALITY, ("04",))
    recognition = Recognition(Status.NONE, (), (), suggestion=mention)
    out = render_text(compose(recognition, directory, "sv", TODAY))
    assert out == (
        "Menar du Eskilstuna kommun i Södermanlands län? "
        "Skriv i så fall \u201dEskilstuna\u201d så visar jag länsansvarig."
    )
    assert "eskilstna" not in out  # the user's own words are never shown
    english = render_text(compose(recognition, directory, "en", TODAY))
    assert english.startswith("Do you mean Eskilstuna Municipality in Södermanlands län?")


def test_an_answer_with_counties_says_nothing_of_abroad_or_suggestions(directory: Directory) -> None:
    mention = Mention("eskilstna", "Eskilstuna", MentionKind.MUNICIPALITY, ("04",))
    recognition = Recognition(Status.ANSWER, ("04",), (), (ForeignPlace("Bodø", "NO"),), mention)
    answer = compose(recognition, directory, "sv", TODAY)
    assert (answer.foreign, answer.suggestion) == ((), None)
