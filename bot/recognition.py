"""County recognition: which county (län) a free-text question is about.

Plain Python (stdlib, rapidfuzz, wordfreq); no botbuilder, no aiohttp.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.geography import Geography


class Status(StrEnum):
    """What the bot can do with a question."""

    ANSWER = "answer"  # one or more counties, answer them all
    CLARIFY = "clarify"  # several candidates, ask which one
    NONE = "none"  # no county recognised


@dataclass(frozen=True, slots=True)
class Mention:
    """One place the question names, and the counties it stands for."""

    surface: str  # as written: "Eskilstuna", "sörmländska", "D-län"
    name: str  # canonical: "Eskilstuna", "Södermanlands län"
    kind: str  # "county", "municipality", "place", "province", "programme_area", "region", "letter_code"
    counties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recognition:
    """The outcome: status, the counties (answers or candidates) and what was matched."""

    status: Status
    counties: tuple[str, ...]
    mentions: tuple[Mention, ...]


NOTHING = Recognition(Status.NONE, (), ())


class Recogniser:
    """Recognise counties in questions; build once per data version, then call often."""

    def __init__(self, geography: Geography) -> None:
        self._geography = geography

    def recognise(self, text: str) -> Recognition:
        """Return which counties `text` is about."""
        raise NotImplementedError
