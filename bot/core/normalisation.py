"""How the bot compares what people write with names and commands: case, å/ä/ö, punctuation.

One named function per step, so that commands, recognition, search, person look-up and the
clarify dialog treat "SÖRMLAND!", "sörmland" and "sormland" the same way wherever they meet.
Plain Python (stdlib only).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Everything but letters and digits separates words ("Upplands-Väsby!" is "upplands väsby").
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
# Recognition folds every word of every question; most are the same few thousand words.
FOLD_CACHE_SIZE = 65536


def fold_case(text: str) -> str:
    """Return `text` in one Unicode form and case-folded: "SÖRMLAND" → "sörmland".

    NFKC first, so a ligature or a full-width letter pasted from a PDF reads as the plain one,
    and å written as a plus a combining ring is the same å as the precomposed letter.
    """
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def fold_diacritics(text: str) -> str:
    """Return `text` without diacritics: "luleå" → "lulea", "Jämtland" → "Jamtland"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_punctuation(text: str) -> str:
    """Return the words of `text` separated by single spaces: "Hjälp!" → "Hjälp", "a - b" → "a b"."""
    return NOT_LETTER_OR_DIGIT.sub(" ", text).strip()


def comparable(text: str) -> str:
    """Return `text` case-folded, without punctuation, one space between words: "Hjälp mig!" → "hjälp mig"."""
    return strip_punctuation(fold_case(text))


def folded(text: str) -> str:
    """Return `text` as `comparable` does and without diacritics: "Luleå, Norrbotten" → "lulea norrbotten"."""
    return fold_diacritics(comparable(text))
