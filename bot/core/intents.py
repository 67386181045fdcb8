"""What the bot should do with one message: the decision, apart from rendering and sending.

Plain Python (no botbuilder, no aiohttp): the Teams handler asks `decide` and renders what it
returns, so every routing rule (commands, person questions, clarify) is testable without a bot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.answers import Answer, Answerer, compose
from bot.core.commands import Command, parse_command
from bot.core.language import detect_language
from bot.core.lookup import MIN_BARE_NAME_SCORE, NamedPerson, PersonMatch, asked_name, find_people, mentioned_person
from bot.core.markup import plain_text
from bot.core.normalisation import fold_case
from bot.core.recognition import Recognition, Status
from bot.data.directory import Directory


@dataclass(frozen=True, slots=True)
class ShowHelp:
    """Say what the bot does ("hjälp", a greeting, an empty message)."""

    language: str


@dataclass(frozen=True, slots=True)
class Thank:
    """Say "you're welcome" to "tack", "thanks", "ok" or a thumbs-up."""

    language: str


@dataclass(frozen=True, slots=True)
class NoData:
    """Say that no data could be loaded, and where to look meanwhile."""

    language: str


@dataclass(frozen=True, slots=True)
class ShowDirectory:
    """Show a view of the whole directory that a command asks for ("lista": every county and its officers)."""

    language: str
    command: Command  # which view: every command but help, thanks and cancel is one
    directory: Directory


@dataclass(frozen=True, slots=True)
class Cancel:
    """Confirm that nothing is going on any more ("avbryt")."""

    language: str


@dataclass(frozen=True, slots=True)
class AnswerCounties:
    """Show the answer's counties (none: the question named no county)."""

    language: str
    answer: Answer


@dataclass(frozen=True, slots=True)
class AskWhichCounty:
    """Ask which of the answer's counties (the candidates, at least two) the user means."""

    language: str
    answer: Answer


@dataclass(frozen=True, slots=True)
class AnswerPerson:
    """Show one officer's counties, under a sentence saying what the officer covers."""

    language: str
    answer: Answer  # the person's counties, then those they are deputy for
    person: PersonMatch


@dataclass(frozen=True, slots=True)
class AskWhichPerson:
    """Ask which of several officers who fit the name the user means."""

    language: str
    people: tuple[PersonMatch, ...]


@dataclass(frozen=True, slots=True)
class UnknownPerson:
    """Say that no officer has the name asked about."""

    language: str


# Every decision `decide` can make. Whoever renders one matches on it exhaustively and ends with
# `typing.assert_never`, so a new kind that a renderer forgets fails the type check.
Intent = (
    ShowHelp
    | Thank
    | NoData
    | ShowDirectory
    | Cancel
    | AnswerCounties
    | AskWhichCounty
    | AnswerPerson
    | AskWhichPerson
    | UnknownPerson
)


def decide(question: str, answerer: Answerer | None, today: dt.date, locale: str | None) -> Intent:
    """Decide how to reply to `question` (already stripped of the @mention)."""
    question = plain_text(question)
    command = parse_command(question)
    language = (command and command.language) or detect_language(question, locale)
    if not question:
        return ShowHelp(language)
    if command is not None:
        return command_intent(command.command, language, answerer)
    if answerer is None:
        return NoData(language)
    name = asked_name(question)
    people = find_people(name, answerer.directory.contacts) if name else ()
    answer = answerer.answer(question, today, locale)
    if name and (people or not answer.counties):
        return person_intent(people, answerer, today, answer.language)
    named = mentioned_person(question, answerer.directory.contacts)
    if named and (not answer.counties or _names_only_the_person(answer, named)):
        return person_intent(named.people, answerer, today, answer.language)
    if not answer.counties:
        bare = find_people(question, answerer.directory.contacts, min_score=MIN_BARE_NAME_SCORE)
        if bare:
            return person_intent(bare, answerer, today, answer.language)
    if answer.status is Status.CLARIFY and len(answer.counties) > 1:
        return AskWhichCounty(answer.language, answer)
    return AnswerCounties(answer.language, answer)


def command_intent(command: Command, language: str, answerer: Answerer | None) -> Intent:
    """Return what a command asks for; help and thanks need no data, the others do.

    Every command but the three conversational ones shows a view of the directory, so a new
    command needs no case here: bot.render.replies.directory_view says what it shows.
    """
    match command:
        case Command.HELP:
            return ShowHelp(language)
        case Command.THANKS:
            return Thank(language)
        case _ if answerer is None:
            return NoData(language)
        case Command.CANCEL:
            return Cancel(language)
        case _:
            return ShowDirectory(language, command, answerer.directory)


def _names_only_the_person(answer: Answer, named: NamedPerson) -> bool:
    """Say whether every place recognised is a word of the person's name ("Isak Berg": not Berg)."""
    span = set(fold_case(named.span).split())
    return all(set(fold_case(mention.surface).split()) <= span for mention in answer.mentions)


def person_intent(people: tuple[PersonMatch, ...], answerer: Answerer, today: dt.date, language: str) -> Intent:
    """Answer a question about a person: their counties, a question back, or "not found"."""
    if not people:
        return UnknownPerson(language)
    if len(people) > 1:
        return AskWhichPerson(language, people)
    [match] = people
    answer = answer_for_counties(answerer, match.counties + match.deputy_for, today, language)
    return AnswerPerson(language, answer, match)


def answer_for_counties(answerer: Answerer, codes: tuple[str, ...], today: dt.date, language: str) -> Answer:
    """Return the core's answer for exactly these counties (a chosen candidate, a person's counties)."""
    return compose(Recognition(Status.ANSWER, codes, ()), answerer.directory, language, today)
