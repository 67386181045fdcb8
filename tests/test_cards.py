"""Cards: every kind validates against Adaptive Card 1.5, stays under 28 KB and shows what a
colleague needs (officer, buttons, dialogues, SharePoint), with data text escaped."""

from __future__ import annotations

import dataclasses
import json
from types import MappingProxyType

import pytest

from bot.core.names import MentionKind
from bot.core.recognition import Mention
from bot.core.voice import parse_voice
from bot.data.directory import DEFAULT_DATA_DIR, STRATEGIC_SITE_URL, Directory
from bot.data.geography import load_geography
from bot.data.people import CountyContacts, Officer
from bot.render import cards
from tests import factories
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES, card_buttons, schema_errors


def _texts(card: dict) -> list[str]:
    """Return every TextBlock's and RichTextBlock's text in reading order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            if node.get("type") == "RichTextBlock":
                found.append("".join(run["text"] for run in node["inlines"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return found


def _actions(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for key, value in node.items():
                if key != "refresh":  # Teams runs it, nobody presses it
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def _full_directory_from_shipped_counties() -> Directory:
    """All 21 shipped counties, each with two long-named officers and a deputy (worst case for size)."""
    geography = load_geography(DEFAULT_DATA_DIR)
    officer = Officer(
        "Anna-Karin Lindqvist Östergren",
        "Senior handläggare",
        "Regional tillväxt norra Sverige",
        "Östersund",
        "anna-karin.lindqvist.ostergren@tillvaxtverket.se",
        "+46 8 681 91 00",
    )
    contacts = {
        c.code: CountyContacts(c.code, (officer, officer), officer, STRATEGIC_SITE_URL) for c in geography.counties
    }
    return Directory(
        geography,
        MappingProxyType(contacts),
        MappingProxyType({c.code: () for c in geography.counties}),
        True,
        "shipped",
        factories.directory().loaded_at,
    )


def _every_card() -> dict[str, dict]:
    sormland = Mention("Eskilstuna", "Eskilstuna", MentionKind.MUNICIPALITY, ("04",))
    return {
        "county": cards.county_card(factories.county_answer("04"), factories.answer("04", mentions=(sormland,))),
        "county_en": cards.county_card(factories.county_answer("04"), factories.answer("04", language="en")),
        "vacant_with_deputy": cards.county_card(factories.county_answer("03"), factories.answer("03")),
        "two_officers_escaped": cards.county_card(factories.county_answer("09"), factories.answer("09")),
        "example_data": cards.county_card(factories.county_answer("01"), factories.answer("01", example_data=True)),
        "compact": cards.compact_county_card(factories.county_answer("09"), factories.answer("09")),
        "compact_vacant_en": cards.compact_county_card(
            factories.county_answer("03"), factories.answer("03", language="en")
        ),
        "clarify": cards.clarify_card(factories.COUNTIES[1:3], "sv"),
        "clarify_en": cards.clarify_card(factories.COUNTIES, "en"),
        "person_clarify": cards.person_clarify_card((factories.ISABELLE, factories.ISAK), "sv"),
        "help_sv": cards.help_card("sv"),
        "help_en": cards.help_card("en"),
        "list_small": cards.list_card(factories.directory(), "sv"),
        "list_all_21_shipped_counties": cards.list_card(_full_directory_from_shipped_counties(), "en"),
        "not_recognised_sv": cards.not_recognised_card("sv"),
        "not_recognised_en": cards.not_recognised_card("en"),
    }


@pytest.mark.parametrize("kind", sorted(_every_card()))
def test_every_card_kind_is_valid_adaptive_card_1_5_under_28_kb(kind: str):
    card = _every_card()[kind]

    assert schema_errors(card) == []
    assert card["version"] == "1.5"
    assert cards.json_size(card) < TEAMS_CARD_LIMIT_BYTES
    assert card["fallbackText"].strip()


def test_schema_check_catches_an_invalid_card():
    card = cards.help_card("sv")
    card["body"].append({"type": "TextBlock", "text": "x", "colour": "Good"})

    assert schema_errors(card)


def test_county_card_shows_officer_with_chat_and_mail_buttons():
    card = cards.county_card(factories.county_answer("04"), factories.answer("04"))

    texts = _texts(card)
    assert texts[:2] == ["Södermanlands län", "Region Sörmland"]
    assert "Isabelle Canderskog" in texts
    assert "Enhet: Regional tillväxt mellersta Sverige" in texts
    assert "Kontor: Eskilstuna" in texts
    assert "E-post: isabelle.canderskog@tillvaxtverket.se" in texts
    assert "Telefon: +46 8 681 91 00" in texts
    urls: dict[str, str] = {}
    for action in _actions(card):
        urls.setdefault(action["title"], action.get("url", ""))  # the officer's come before the deputy's
    assert (
        urls["Chatta i Teams"] == "https://teams.microsoft.com/l/chat/0/0?users=isabelle.canderskog@tillvaxtverket.se"
    )
    assert urls["Mejla"] == "https://outlook.office.com/mail/deeplink/compose?to=isabelle.canderskog@tillvaxtverket.se"
    assert urls["Strategiskt regionarbete på SharePoint"] == STRATEGIC_SITE_URL + "/sormland"


def test_county_card_shows_deputy_with_own_buttons():
    card = cards.county_card(factories.county_answer("04"), factories.answer("04"))

    texts = _texts(card)
    assert texts[texts.index("Ersättare") + 1] == "Monika Kväl"
    chats = [a["url"] for a in _actions(card) if a.get("title") == "Chatta i Teams"]
    assert chats[-1].endswith("users=monika.kval@tillvaxtverket.se")


def test_county_card_lists_next_dialogue_then_three_most_recent_newest_first():
    card = cards.county_card(factories.county_answer("04"), factories.answer("04"))

    dialogue_titles = [t for t in _texts(card) if "Regional dialog" in t]
    assert dialogue_titles == [
        "3 februari 2027 · Regional dialog våren 2027",
        "15 september 2026 · Regional dialog hösten 2026",
        "20 april 2026 · Regional dialog våren 2026",
        "2 oktober 2025 · Regional dialog hösten 2025",
    ]
    links = [a["url"] for a in _actions(card) if a.get("title") == "Läs mer"]
    assert links == ["https://example.se/d5", "https://example.se/d4", "https://example.se/d3"]


def test_county_card_in_english_uses_english_labels_and_dates():
    card = cards.county_card(factories.county_answer("04"), factories.answer("04", language="en"))

    texts = _texts(card)
    assert "Next regional dialogue" in texts
    assert "3 February 2027 · Regional dialog våren 2027" in texts
    titles = [a["title"] for a in _actions(card)]
    assert "Chat in Teams" in titles and "Strategic regional work on SharePoint" in titles


def test_vacant_county_says_so_and_shows_the_deputy():
    card = cards.county_card(factories.county_answer("03"), factories.answer("03"))

    texts = _texts(card)
    assert "Uppsala län saknar länsansvarig just nu. Hör av dig till ersättaren nedan under tiden." in texts
    assert "Per Persson" in texts
    assert "Uppsala län saknar länsansvarig just nu." in card["fallbackText"]


def test_example_data_is_flagged_on_the_card():
    card = cards.county_card(factories.county_answer("01"), factories.answer("01", example_data=True))

    assert any(t.startswith("Obs: exempeldata") for t in _texts(card))


def test_place_mention_explains_why_this_county():
    eskilstuna = Mention("eskilstuna", "Eskilstuna", MentionKind.MUNICIPALITY, ("04",))
    card = cards.county_card(factories.county_answer("04"), factories.answer("04", mentions=(eskilstuna,)))

    assert "Eskilstuna ligger i Södermanlands län." in _texts(card)


def test_markdown_in_data_is_shown_literally_as_plain_text_runs():
    card = cards.county_card(factories.county_answer("09"), factories.answer("09"))

    title = next(t for t in _texts(card) if "besöksnäring" in t)
    assert title == "10 januari 2027 · Dialog om *besöksnäring* [läs](javascript:x)"
    assert "Turism_och_hamn" in _texts(card)
    text_blocks = json.dumps([b for b in card["body"] if b["type"] == "TextBlock"], ensure_ascii=False)
    assert "besöksnäring" not in text_blocks and "Turism" not in text_blocks  # only TextRuns carry data text


def test_fallback_text_summarises_the_answer_in_plain_text():
    card = cards.county_card(factories.county_answer("04"), factories.answer("04"))

    assert card["fallbackText"].startswith("Södermanlands län\nLänsansvarig: Isabelle Canderskog, Handläggare")
    assert "isabelle.canderskog@tillvaxtverket.se" in card["fallbackText"]
    assert "\\" not in card["fallbackText"]


def test_clarify_card_has_one_button_per_candidate_plus_cancel_and_numbers():
    card = cards.clarify_card(factories.COUNTIES[1:3], "sv")

    buttons = [(a["title"], a["data"]["question"]) for a in card_buttons(card)]
    assert buttons == [
        ("1. Uppsala län", "Uppsala län"),
        ("2. Södermanlands län", "Södermanlands län"),
        ("Avbryt", "avbryt"),
    ]
    # messageBack: the chat shows the county's name as the user's message, the bot gets it as text.
    assert card_buttons(card)[0]["data"]["msteams"] == {
        "type": "messageBack",
        "displayText": "Uppsala län",
        "text": "Uppsala län",
        "value": {"question": "Uppsala län"},
    }
    assert _texts(card)[0] == "Din fråga passar flera län. Vilket menar du?"
    assert [block["type"] for block in card["body"]] == [
        "TextBlock",
        "ActionSet",
        "ActionSet",
        "ActionSet",
        "TextBlock",
    ]
    assert "@" not in _texts(card)[-1]  # a 1:1 chat reads every message: no mention needed
    assert card["fallbackText"].startswith(
        "Din fråga passar flera län. Vilket menar du: Uppsala län eller Södermanlands län?"
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda mention: cards.clarify_card(factories.COUNTIES[1:3], "sv", mention),
        lambda mention: cards.person_clarify_card((factories.ISABELLE, factories.ISAK), "sv", mention),
        lambda mention: cards.help_card("sv", mention),
        lambda mention: cards.list_card(factories.directory(), "sv", mention),
        lambda mention: cards.not_recognised_card("sv", mention),
    ],
    ids=["clarify", "person_clarify", "help", "list", "not_recognised"],
)
def test_group_conversation_hints_say_to_mention_the_bot_by_name(build):
    card = build("Regiondörren")

    assert "@Regiondörren" in _texts(card)[-1]
    assert schema_errors(card) == []


def test_help_card_offers_three_example_questions_in_the_users_language():
    sv = [a["data"]["question"] for a in card_buttons(cards.help_card("sv"))]
    en = [a["data"]["question"] for a in card_buttons(cards.help_card("en"))]

    assert len(sv) == len(en) == 3
    assert sv[0] == "Vem är vår ingång till Sörmland?"
    assert en[0] == "Who covers Gothenburg?"


def test_list_card_has_every_county_with_its_officers():
    card = cards.list_card(factories.directory(), "sv")

    assert _texts(card)[1:5] == [
        "Stockholms län: Per Persson",
        "Uppsala län: vakant",
        "Södermanlands län: Isabelle Canderskog",
        "Gotlands län: Isak Berg, Per Persson",
    ]


def test_list_card_with_the_21_shipped_counties_lists_them_all():
    card = cards.list_card(_full_directory_from_shipped_counties(), "sv")

    lines = [t for t in _texts(card) if t.endswith("Anna-Karin Lindqvist Östergren, Anna-Karin Lindqvist Östergren")]
    assert len(lines) == 21
    assert _texts(card)[0] == "Alla 21 län"


def test_not_recognised_card_offers_the_list_and_never_echoes_the_question():
    card = cards.not_recognised_card("sv")

    assert [a["data"]["question"] for a in card_buttons(card)] == ["lista", "hjälp"]
    assert card["fallbackText"].startswith("Jag hittade inget län i din fråga.")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Anna Andersson", "Anna Andersson"),
        ("Västra Götalands län", "Västra Götalands län"),
        ("[klicka](https://evil.example)", "\\[klicka\\](https://evil.example)"),
        ("**fet** _kursiv_", "\\*\\*fet\\*\\* \\_kursiv\\_"),
        ("1. inte en lista", "1\\. inte en lista"),
        ("- inte en punkt", "\\- inte en punkt"),
        ("", ""),
    ],
)
def test_escape_markdown(raw: str, shown: str):
    assert cards.escape_markdown(raw) == shown


def test_cards_are_json_serialisable_without_ascii_escapes_blowing_up_size():
    card = cards.list_card(_full_directory_from_shipped_counties(), "sv")

    assert json.loads(json.dumps(card)) == card


def test_cut_short_question_is_noted_on_the_first_card():
    answer = dataclasses.replace(factories.answer("04", "09"), truncated=True)

    first, second = cards.answer_cards(answer)

    assert "Din fråga var mycket lång, så jag läste bara början." in _texts(first)[2]
    assert not any("mycket lång" in t for t in _texts(second))
    assert schema_errors(first) == []


def test_many_counties_get_compact_cards_with_every_officer_and_a_button_for_the_full_card(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(cards, "MAX_FULL_CARDS", 3)  # the fixture data has four counties
    answer = factories.answer("01", "03", "04", "09")

    compact = cards.answer_cards(answer)

    assert [card["body"][0]["text"] for card in compact] == [item.county.name for item in answer.counties]
    gotland = compact[3]
    links = [button.get("url") for button in card_buttons(gotland)]
    for officer in (factories.ISAK, factories.PER):
        assert cards.chat_url(officer.sign_in) in links and cards.mail_url(officer.email) in links
    more = card_buttons(gotland)[-1]
    assert more["title"] == "Dialoger och mer om Gotlands län"
    assert more["data"]["question"] == "Vem har Gotlands län?"
    assert not any("regionala dialog" in line for line in _texts(gotland))
    assert "Nästa regionala dialog" not in gotland["fallbackText"]
    assert gotland["fallbackText"].startswith("Gotlands län\nLänsansvarig: Isak Berg")


def test_four_counties_still_get_full_cards():
    full = cards.answer_cards(factories.answer("01", "03", "04", "09"))

    assert all("Nästa regionala dialog" in _texts(card) for card in full)


@pytest.mark.parametrize(
    ("lang", "mention", "commands"),
    [
        ("sv", None, ["följ Sörmland", "inlägg Sörmland", "vad följer jag?"]),
        ("en", None, ["follow Skåne", "posts for Skåne", "what do I follow?"]),
        ("sv", "Regiondörren", ["@Regiondörren följ Sörmland", "@Regiondörren inlägg Sörmland"]),
    ],
)
def test_help_card_tells_how_to_follow_a_county_and_read_its_posts(lang: str, mention: str | None, commands: list[str]):
    shown = " ".join(_texts(cards.help_card(lang, mention)))

    for command in commands:
        assert f"\u201d{command}\u201d" in shown or f"\u201c{command}\u201d" in shown
        assert parse_voice(command.removeprefix("@Regiondörren ")) is not None  # what it shows works
