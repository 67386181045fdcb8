"""Which language to answer in: Swedish by default, English when the question is English.

Counts common function words of each language. Place names say nothing about the language
("who covers Östersund?" is English), so only everyday words count, and the letters å, ä, ö do not.
"""

from __future__ import annotations

import re

from bot.core.messages import ENGLISH, SWEDISH
from bot.core.normalisation import fold_case

# Everyday Swedish words a question about a county is likely to contain. None of them is also an
# English word (so no "men", "under", "person", "region"), so one hit is real evidence.
SWEDISH_WORDS = frozenset(
    """
    vem vilka vilken vilket vad var vart hur när varför är har hade finns ska skall kan kommer
    vill i och eller för på till från med hos om av mot inför efter inte också bara jag vi du ni
    mig oss vår vårt våra min mitt mina er ert era någon något några den det ett en länet län
    länsansvarig länsansvariga ansvarig ansvarar kontakt kontaktperson ingång handläggare
    handlägger dialog dialoger regionala nästa vecka veckan möte mötet resa åker hej tack snälla
    hjälp hjälpa
    """.split()
)

# Everyday English words of the same kind; none of them is a Swedish word.
ENGLISH_WORDS = frozenset(
    """
    who whom whose which what where when how why is are was were does do did will would could
    should can the and or but for from with about into of at to in on our my your their me us am
    there someone anyone contact responsible covers cover covering handles handle officer county
    counties next week meeting going travel trip visit dialogue dialogues hi hello hey thanks
    thank please help
    """.split()
)

WORD = re.compile(r"[^\W\d_]+")
# The question's opening is enough to tell the language; a 100 kB message costs no more.
SCAN_CHARS = 500


def detect_language(text: str, locale: str | None = None) -> str:
    """Return "en" for an English question (or an en-* locale and no clear Swedish), else "sv"."""
    swedish, english = _scores(text[:SCAN_CHARS])
    if english > swedish:
        return ENGLISH
    if swedish > english:
        return SWEDISH
    return locale_language(locale)


def locale_language(locale: object) -> str:
    """Return the language of a Teams client: "en" for an en-* locale, else "sv" (the agency's own).

    The one rule for whoever has no words to go by (a welcome, a search box, a refusal); `locale`
    is whatever the activity carried, so anything but a string counts as no locale.
    """
    if isinstance(locale, str) and locale.strip().lower().startswith("en"):
        return ENGLISH
    return SWEDISH


def _scores(text: str) -> tuple[int, int]:
    swedish = english = 0
    for word in WORD.findall(text):
        if word == "I":  # the English pronoun; Swedish "i" (in) is written in lower case
            english += 1
            continue
        lower = fold_case(word)
        swedish += lower in SWEDISH_WORDS
        english += lower in ENGLISH_WORDS
    return swedish, english
