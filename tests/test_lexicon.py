"""The shipped lexicon (bot/data/lexicon.json) is what its builder makes from today's packages and data."""

from __future__ import annotations

import json

from bot.cli import lexicon as builder
from bot.data.directory import DEFAULT_DATA_DIR
from bot.data.geography import load_geography
from bot.data.lexicon import LEXICON_FILE, load_lexicon


def test_shipped_lexicon_is_what_the_builder_makes_from_the_shipped_data() -> None:
    shipped = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    rebuilt = json.loads(json.dumps(builder.build(load_geography(DEFAULT_DATA_DIR)), ensure_ascii=False))
    assert shipped == rebuilt, "bot/data/lexicon.json is stale: run `python -m bot lexicon` and commit it"


def test_lexicon_knows_nordic_given_names_and_places_abroad() -> None:
    lexicon = load_lexicon()
    assert {"ulrika", "bjorn", "asa", "tom"} <= lexicon.given_names
    assert lexicon.foreign_places["kristiansand"].country == "NO"
    assert lexicon.foreign_places["tornea"].country == "FI"  # Torneå, Tornio in Swedish
    assert lexicon.foreign_places["bodø"].country == "NO"


def test_lexicon_never_holds_a_swedish_place_or_a_grammar_word() -> None:
    lexicon = load_lexicon()
    assert "falkenberg" not in lexicon.given_names and "till" not in lexicon.given_names
    assert "kristianstad" not in lexicon.foreign_places and "boden" not in lexicon.foreign_places
