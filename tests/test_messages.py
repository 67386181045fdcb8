"""User-facing texts: both languages for every message, with the same placeholders."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from bot.core.messages import LANGUAGES, MESSAGES, format_date, join_words, text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    message = MESSAGES[key]
    assert set(message) == set(LANGUAGES)
    assert all(message[language].strip() for language in LANGUAGES)
    assert placeholders(message["sv"]) == placeholders(message["en"])


def test_messages_are_plain_text_not_markdown() -> None:
    for message in MESSAGES.values():
        for template in message.values():
            assert not any(mark in template for mark in ("**", "](", "__", "`")), template


def test_text_picks_the_language_and_fills_values() -> None:
    assert text("vacant", "en", county="Kalmar län").startswith("Kalmar län has no county officer")
    assert text("vacant", "sv", county="Kalmar län").startswith("Kalmar län saknar länsansvarig")
    assert text("chat_button", "sv") == "Chatta i Teams"
    assert text("chat_button", "en") == "Chat in Teams"


@pytest.mark.parametrize(("language", "expected"), [("sv", "3 december 2026"), ("en", "3 December 2026")])
def test_format_date(language: str, expected: str) -> None:
    assert format_date(dt.date(2026, 12, 3), language) == expected


@pytest.mark.parametrize(
    ("items", "language", "expected"),
    [
        ([], "sv", ""),
        (["A"], "sv", "A"),
        (["A", "B"], "sv", "A eller B"),
        (["A", "B", "C"], "en", "A, B or C"),
    ],
)
def test_join_words(items: list[str], language: str, expected: str) -> None:
    assert join_words(items, language) == expected


def test_help_names_the_dialogues_in_the_definite_form() -> None:
    from bot.core.messages import text

    assert "de senaste och nästa regionala dialogerna" in text("help", "sv")
