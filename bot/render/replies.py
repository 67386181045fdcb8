"""The one intent dispatch: what the reply to each kind of intent shows, whoever sends it.

`reply_for` matches every intent exhaustively (ending in `typing.assert_never`), so a new intent
fails the type check until it has a reply here. It returns one of three shapes, which the Teams
adapter turns into activities and the command line into text; neither of them looks at intents.
Pure functions; no botbuilder, no aiohttp.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from bot.core.answers import Answer
from bot.core.commands import Command
from bot.core.intents import (
    AnswerCounties,
    AnswerPerson,
    AskWhichCounty,
    AskWhichPerson,
    Cancel,
    Intent,
    NoData,
    ShowDirectory,
    ShowHelp,
    Thank,
    UnknownPerson,
)
from bot.core.messages import text
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.render import cards
from bot.render.summary import help_text, list_text, person_lead, render_text, which_person_text


@dataclass(frozen=True, slots=True)
class PlainText:
    """A sentence and nothing else."""

    text: str


@dataclass(frozen=True, slots=True)
class Cards:
    """Adaptive Cards, and the same content as plain text for where cards cannot show."""

    cards: tuple[dict[str, object], ...]
    text: str


@dataclass(frozen=True, slots=True)
class CountyCards:
    """An answer's county cards (split over messages as they fit), under an optional lead sentence."""

    answer: Answer
    lead: str | None = None
    mention: str | None = None  # see reply_for

    @property
    def text(self) -> str:
        """Return the answer as plain text, the lead first."""
        answer = render_text(self.answer)
        return f"{self.lead}\n\n{answer}" if self.lead else answer


Reply = PlainText | Cards | CountyCards


def reply_for(intent: Intent, mention: str | None = None) -> Reply:
    """Return the reply to `intent`, in the intent's language.

    `mention` is the bot's name where typed replies must @mention it (Teams channels and group
    chats): the cards' typing hints then say so.
    """
    language = intent.language
    match intent:
        case ShowHelp():
            return Cards((cards.help_card(language, mention),), help_text(language))
        case Thank():
            return PlainText(text("thanks", language))
        case NoData():
            return PlainText(text("data_unavailable", language, url=STRATEGIC_SITE_URL))
        case ShowDirectory(command=command, directory=directory):
            return directory_view(command, directory, language, mention)
        case Cancel():
            return PlainText(text("cancelled", language))
        case AnswerCounties(answer=answer):
            return CountyCards(answer, mention=mention)
        case AskWhichCounty(answer=answer):
            candidates = [item.county for item in answer.counties]
            return Cards((cards.clarify_card(candidates, language, mention),), render_text(answer))
        case AnswerPerson(answer=answer, person=person):
            return CountyCards(answer, person_lead(person, answer), mention)
        case AskWhichPerson(people=people):
            officers = [match.officer for match in people]
            card = cards.person_clarify_card(officers, language, mention)
            return Cards((card,), which_person_text(officers, language))
        case UnknownPerson():
            return PlainText(text("person_unknown", language))
        case _:
            assert_never(intent)


def directory_view(command: Command, directory: Directory, language: str, mention: str | None = None) -> Cards:
    """Return what a command that shows the directory shows: a card, and the same as text.

    A new command (see docs/architecture.md) gets its case here; the type check fails until it has one.
    """
    match command:
        case Command.LIST:
            return Cards((cards.list_card(directory, language, mention),), list_text(directory, language))
        case Command.HELP | Command.THANKS | Command.CANCEL:
            raise ValueError(f"{command} is answered in conversation, not with a view of the directory")
        case _:
            assert_never(command)
