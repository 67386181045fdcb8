"""What a turn decided, for its log line: the status and county codes of the intent replied with.

The core returns its decision and logs nothing about turns; the adapter (the handler, the clarify
dialog, the search) notes here what it is about to show, and the turn log middleware writes it.
"""

from __future__ import annotations

from typing import assert_never

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
from bot.core.recognition import Status
from bot.logs import note_answer


def note_intent(intent: Intent) -> None:
    """Note the status and counties of `intent` in the current turn's log record."""
    match intent:
        case AnswerCounties(answer=answer) | AskWhichCounty(answer=answer) | AnswerPerson(answer=answer):
            note_answer(answer.status, tuple(item.county.code for item in answer.counties))
        case AskWhichPerson() | UnknownPerson():
            note_answer(Status.NONE, ())  # asked about a person: no county was matched
        case ShowHelp() | Thank() | NoData() | ShowDirectory() | Cancel():
            pass  # commands match no county
        case _:
            assert_never(intent)


def note_search(codes: tuple[str, ...]) -> None:
    """Note the counties of the search results shown (not the text typed)."""
    note_answer(Status.ANSWER if codes else Status.NONE, codes)
