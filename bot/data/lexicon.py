"""Word knowledge the recogniser needs beside the place data, derived at build time from
maintained packages into one small shipped file (bot/data/lexicon.json):

- given names (Nordic and English), so "Ulrika Falkenberg" reads as a person, not Halland;
- foreign places one or two edits from a Swedish name, so "Kristiansand" is never Kristianstad;
- the everyday Swedish and English words (wordfreq), so "hallå" is never Halland: every word
  above the recogniser's thresholds, and the rarer words it can mistake for a place name.

`python -m bot lexicon` rebuilds the file (the builder and its packages live in bot/cli/lexicon.py);
a test rebuilds it and fails when the shipped one is stale. Reading it costs about 30 ms and a
few megabytes; wordfreq's own lists cost 70 MB and a third of a second.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.json"


@dataclass(frozen=True, slots=True)
class ForeignPlace:
    """A place outside Sweden, as the gazetteer names it."""

    name: str  # "Kristiansand"
    country: str  # ISO 3166 code: "NO"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Given names and foreign places, both casefolded without diacritics."""

    given_names: frozenset[str]
    foreign_places: Mapping[str, ForeignPlace]  # folded spelling ("bodo", "tornea") → place
    # Three disjoint levels, each word in its highest (one copy of each word, no union tables):
    common_words: frozenset[str] = frozenset()  # everyday words: "hallå", "listan"
    ordinary_words: frozenset[str] = frozenset()  # ordinary but not everyday: "upsala"
    rare_words: frozenset[str] = frozenset()  # known but rare, kept only near a place name: "sjöbod"

    def is_common(self, word: str) -> bool:
        """Whether `word` is everyday Swedish or English."""
        return word in self.common_words

    def is_ordinary(self, word: str) -> bool:
        """Whether `word` is ordinary Swedish or English (everyday words included)."""
        return word in self.ordinary_words or word in self.common_words

    def is_known(self, word: str) -> bool:
        """Whether a dictionary knows `word` at all (asked only about words near a place name)."""
        return word in self.rare_words or word in self.ordinary_words or word in self.common_words


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the shipped lexicon (once per path; it never changes while the bot runs)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    foreign = {spelling: ForeignPlace(name, country) for spelling, (name, country) in raw["foreign_places"].items()}
    levels = (frozenset(raw[key].split("\n")) for key in ("common_words", "ordinary_words", "rare_words"))
    return Lexicon(frozenset(raw["given_names"]), MappingProxyType(foreign), *levels)
