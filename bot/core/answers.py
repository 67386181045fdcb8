"""Answer composition: from a question to the officers, dialogues and links to show.

Plain Python; the Teams adapter and the command line render what this returns.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.core.language import detect_language
from bot.core.names import place_names
from bot.core.recognition import MAX_QUESTION_CHARS, Mention, Recogniser, Recognition, Status
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.data.geography import County
from bot.data.lexicon import ForeignPlace
from bot.data.people import CountyContacts, Dialogue

if TYPE_CHECKING:
    from bot.core.posts import Post

logger = logging.getLogger(__name__)

# How many past dialogues a county answer shows (newest first), per the Teams card design.
RECENT_DIALOGUES = 3


@dataclass(frozen=True, slots=True)
class CountyAnswer:
    """Everything shown for one county."""

    county: County
    contacts: CountyContacts
    recent: tuple[Dialogue, ...]  # up to RECENT_DIALOGUES, newest first
    upcoming: Dialogue | None  # the next one on or after today
    updates: tuple[Post, ...] = ()  # the officers' latest published updates, newest first (bot.core.posts)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A place the question may mean, on evidence too weak to answer: "Menar du Sjöbo kommun i Skåne län?"."""

    mention: Mention
    county: County


@dataclass(frozen=True, slots=True)
class Answer:
    """The reply to one question, before rendering."""

    status: Status
    language: str  # "sv" or "en"
    counties: tuple[CountyAnswer, ...]  # the answers, or the candidates when clarifying
    mentions: tuple[Mention, ...]  # what was recognised, to say "Eskilstuna ligger i ..."
    example_data: bool  # built from example data: say so in one short line
    truncated: bool = False  # the question was longer than MAX_QUESTION_CHARS; only its start was read
    foreign: tuple[ForeignPlace, ...] = ()  # with no county: places named that lie abroad
    suggestion: Suggestion | None = None  # with no county: a place the question may mean


class Answerer:
    """Answer questions from one directory snapshot (build anew when data/ changes)."""

    def __init__(self, directory: Directory, recogniser: Recogniser | None = None) -> None:
        self.directory = directory
        self.names = place_names(directory.geography)  # built once; recognition, search and clarify share it
        self.recogniser = recogniser if recogniser is not None else Recogniser(directory.geography, names=self.names)

    def answer(self, question: str, today: dt.date, locale: str | None = None) -> Answer:
        """Recognise the counties in `question` and compose the answer for them."""
        truncated = len(question) > MAX_QUESTION_CHARS
        text = question[:MAX_QUESTION_CHARS]
        language = detect_language(text, locale)
        if not text.strip():
            return compose(Recognition(Status.NONE, (), ()), self.directory, language, today)
        answer = compose(self.recogniser.recognise(text), self.directory, language, today)
        if truncated:
            logger.info("Question of %d characters cut to %d", len(question), MAX_QUESTION_CHARS)
            return replace(answer, truncated=True)
        return answer


def compose(recognition: Recognition, directory: Directory, language: str, today: dt.date) -> Answer:
    """Build the answer for a recognition from one directory snapshot, as of `today`."""
    codes = () if recognition.status is Status.NONE else tuple(dict.fromkeys(recognition.counties))
    counties = tuple(answer for code in codes if (answer := county_answer(code, directory, today)) is not None)
    status = recognition.status if counties else Status.NONE
    return Answer(
        status=status,
        language=language,
        counties=counties,
        mentions=recognition.mentions,
        example_data=directory.example_data,
        foreign=recognition.foreign if not counties else (),
        suggestion=None if counties else _suggestion(recognition.suggestion, directory),
    )


def _suggestion(mention: Mention | None, directory: Directory) -> Suggestion | None:
    """The place to ask about, when it lies in exactly one county the directory knows."""
    if mention is None or len(mention.counties) != 1:
        return None
    county = directory.geography.by_code.get(mention.counties[0])
    return Suggestion(mention, county) if county is not None else None


def county_answer(code: str, directory: Directory, today: dt.date) -> CountyAnswer | None:
    """Return the officers, dialogues and link for one county (None for an unknown code)."""
    county = directory.geography.by_code.get(code)
    if county is None:
        logger.warning("Recognised county code %r is not in the directory", code)
        return None
    contacts = directory.contacts.get(code) or CountyContacts(code, (), None, STRATEGIC_SITE_URL)
    dialogues = directory.dialogues.get(code, ())
    past = [dialogue for dialogue in dialogues if dialogue.date < today]
    coming = [dialogue for dialogue in dialogues if dialogue.date >= today]
    recent = tuple(sorted(past, key=lambda d: d.date, reverse=True)[:RECENT_DIALOGUES])
    upcoming = min(coming, key=lambda d: d.date, default=None)
    return CountyAnswer(county=county, contacts=contacts, recent=recent, upcoming=upcoming)
