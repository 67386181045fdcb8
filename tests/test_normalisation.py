"""Comparing what people write: case, å/ä/ö and punctuation, the same way everywhere."""

from __future__ import annotations

import pytest

from bot.core.commands import Command, parse_command
from bot.core.normalisation import comparable, fold_case, fold_diacritics, folded, strip_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SÖRMLAND", "sörmland"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ågot", "ågot"),  # å as a + combining ring is the precomposed å
        ("ﬁka", "fika"),  # a ligature pasted from a PDF
    ],
)
def test_fold_case(text: str, expected: str) -> None:
    assert fold_case(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("luleå", "lulea"), ("Jämtland", "Jamtland"), ("Örebro", "Orebro")])
def test_fold_diacritics(text: str, expected: str) -> None:
    assert fold_diacritics(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("Hjälp!", "Hjälp"), ("  a - b  ", "a b"), ("Malmö_Lund", "Malmö Lund"), ("?!", "")]
)
def test_strip_punctuation(text: str, expected: str) -> None:
    assert strip_punctuation(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Upplands-Väsby", "upplands vasby"),
        ("LULEÅ", "lulea"),
        ("  Åre\u00a0 ", "are"),
        ("Malmö_Lund", "malmo lund"),
    ],
)
def test_folded_drops_case_diacritics_and_punctuation(text: str, expected: str) -> None:
    assert folded(text) == expected


def test_comparable_keeps_diacritics():
    assert comparable(" Hjälp  MIG! ") == "hjälp mig"


@pytest.mark.parametrize("text", ["Hjälp!", "HJÄLP", "hja\u0308lp", "  hjälp  ", "hjälp_"])
def test_commands_are_read_through_the_same_rules(text: str) -> None:
    parsed = parse_command(text)

    assert parsed is not None and parsed.command is Command.HELP
