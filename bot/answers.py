"""Answer composition: from a question to the officers, dialogues and links to show.

Plain Python; the Teams adapter and the command line render what this returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.directory import Directory
from bot.geography import County
from bot.people import CountyContacts, Dialogue
from bot.recognition import Mention, Recogniser, Status

# How many past dialogues a county answer shows (newest first), per the Teams card design.
RECENT_DIALOGUES = 3


@dataclass(frozen=True, slots=True)
class CountyAnswer:
    """Everything shown for one county."""

    county: County
    contacts: CountyContacts
    recent: tuple[Dialogue, ...]  # up to RECENT_DIALOGUES, newest first
    upcoming: Dialogue | None  # the next one on or after today


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one question, before rendering."""

    status: Status
    language: str  # "sv" or "en"
    counties: tuple[CountyAnswer, ...]  # the answers, or the candidates when clarifying
    mentions: tuple[Mention, ...]  # what was recognised, to say "Eskilstuna ligger i ..."
    example_data: bool  # built from example data: say so in one short line


class Answerer:
    """Answer questions from one directory snapshot (build anew when data/ changes)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.recogniser = Recogniser(directory.geography)

    def answer(self, question: str, today: dt.date, locale: str | None = None) -> Answer:
        """Recognise the counties in `question` and compose the answer for them."""
        raise NotImplementedError
