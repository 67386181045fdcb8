"""Which language Regiondörren answers in."""

from __future__ import annotations

import pytest

from bot.core.language import detect_language, locale_language


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("vem har Sörmland?", None, "sv"),
        ("vem är vår ingång till Sörmland?", None, "sv"),
        ("jag ska till Eskilstuna nästa vecka", None, "sv"),
        ("who covers Gothenburg?", None, "en"),
        ("Who is responsible for Östersund?", None, "en"),  # å/ä/ö in a place name is not Swedish
        ("I am going to Eskilstuna next week", None, "en"),
        ("Sörmland", None, "sv"),  # nothing to go on: Swedish
        ("Sörmland", "en-US", "en"),  # nothing to go on, English Teams: English
        ("Sörmland", "sv-SE", "sv"),
        ("vem har Sörmland?", "en-US", "sv"),  # clearly Swedish beats the locale
        ("", None, "sv"),
        ("", "EN-gb", "en"),
        ("!!! ???", None, "sv"),
        ("who " * 50_000, None, "en"),  # a huge message is judged by its start
    ],
)
def test_detect_language(text: str, locale: str | None, expected: str) -> None:
    assert detect_language(text, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "en"),
        ("EN-gb", "en"),
        (" en", "en"),
        ("sv-SE", "sv"),
        ("fi-FI", "sv"),
        ("", "sv"),
        (None, "sv"),
        (42, "sv"),
    ],
)
def test_the_client_language_is_one_rule_for_welcomes_searches_and_refusals(locale: object, expected: str) -> None:
    assert locale_language(locale) == expected
