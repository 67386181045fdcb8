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


def test_shipped_word_levels_answer_as_wordfreq_does_for_the_words_questions_use() -> None:
    from wordfreq import zipf_frequency

    from bench.recognition import DEFAULT_QUESTIONS, load_questions, small_talk
    from bot.core.recognition import (
        COMMON_ZIPF_EN,
        COMMON_ZIPF_SV,
        ORDINARY_ZIPF_EN,
        ORDINARY_ZIPF_SV,
        fold,
    )

    lexicon = load_lexicon()
    texts = [question.text for question in load_questions(DEFAULT_QUESTIONS)] + small_talk()
    words = {word.casefold() for text in texts for word in text.split() if word.isalpha()}
    words |= {fold(word) for word in words}
    for word in sorted(words):
        sv, en = zipf_frequency(word, "sv"), zipf_frequency(word, "en")
        assert lexicon.is_ordinary(word) == (sv >= ORDINARY_ZIPF_SV or en >= ORDINARY_ZIPF_EN), word
        assert lexicon.is_common(word) == (sv >= COMMON_ZIPF_SV or en >= COMMON_ZIPF_EN), word


def test_rare_words_near_a_place_are_known_and_misspellings_are_not() -> None:
    lexicon = load_lexicon()
    assert lexicon.is_known("sjöbod")  # Zipf 1.8, one edit from Sjöbo
    assert not lexicon.is_known("eskilstna") and not lexicon.is_known("sörmladn")
