"""Word knowledge the recogniser needs beside the place data, derived at build time from
maintained packages into one small shipped file (bot/data/lexicon.json):

- given names (Nordic and English), so "Ulrika Falkenberg" reads as a person, not Halland;
- foreign places one or two edits from a Swedish name, so "Kristiansand" is never Kristianstad.

`python -m bot lexicon` rebuilds the file (the builder and its packages live in bot/cli/lexicon.py);
a test rebuilds it and fails when the shipped one is stale. Reading it costs a few milliseconds
and no large package at run time.
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


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read the shipped lexicon (once per path; it never changes while the bot runs)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    foreign = {spelling: ForeignPlace(name, country) for spelling, (name, country) in raw["foreign_places"].items()}
    return Lexicon(frozenset(raw["given_names"]), MappingProxyType(foreign))
