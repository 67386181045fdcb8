"""What the bot should do with one message: the decision, apart from rendering and sending.

Plain Python (no botbuilder, no aiohttp): the Teams handler asks `decide` and renders what it
returns, so every routing rule (commands, person questions, clarify) is testable without a bot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.core.answers import Answer, Answerer, compose
from bot.core.commands import Command, parse_command
from bot.core.language import detect_language
from bot.core.lookup import MIN_BARE_NAME_SCORE, NamedPerson, PersonMatch, asked_name, find_people, mentioned_person
from bot.core.markup import plain_text
from bot.core.messages import join_words, text
from bot.core.recognition import Recognition, Status
from bot.data.directory import Directory


class Kind(StrEnum):
    """The kinds of reply."""

    HELP = "help"
    LIST = "list"
    CANCELLED = "cancelled"
    THANKS = "thanks"  # "tack", "thanks", "ok": a friendly word back
    UNAVAILABLE = "unavailable"  # no data could be loaded
    ANSWER = "answer"  # county cards (answer.counties may be empty: nothing recognised)
    CLARIFY = "clarify"  # ask which of answer.counties
    PERSON = "person"  # one officer: a lead sentence and their counties' cards
    WHICH_PERSON = "which_person"  # several officers fit the name
    UNKNOWN_PERSON = "unknown_person"


@dataclass(frozen=True, slots=True)
class Intent:
    """One decision: the kind of reply, its language and what it shows."""

    kind: Kind
    language: str
    answer: Answer | None = None
    people: tuple[PersonMatch, ...] = ()
    lead: str | None = None  # a sentence above the cards ("Isabelle Canderskog är länsansvarig för ...")
    directory: Directory | None = None  # for the list of all counties


def decide(question: str, answerer: Answerer | None, today: dt.date, locale: str | None) -> Intent:
    """Decide how to reply to `question` (already stripped of the @mention)."""
    question = plain_text(question)
    command = parse_command(question)
    language = (command and command.language) or detect_language(question, locale)
    if not question or (command and command.command is Command.HELP):
        return Intent(Kind.HELP, language)
    if command and command.command is Command.THANKS:
        return Intent(Kind.THANKS, language)
    if answerer is None:
        return Intent(Kind.UNAVAILABLE, language)
    if command is not None:
        if command.command is Command.LIST:
            return Intent(Kind.LIST, language, directory=answerer.directory)
        return Intent(Kind.CANCELLED, language)
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
        return Intent(Kind.CLARIFY, answer.language, answer)
    return Intent(Kind.ANSWER, answer.language, answer)


def _names_only_the_person(answer: Answer, named: NamedPerson) -> bool:
    """Say whether every place recognised is a word of the person's name ("Isak Berg": not Berg)."""
    span = set(named.span.casefold().split())
    return all(set(mention.surface.casefold().split()) <= span for mention in answer.mentions)


def person_intent(people: tuple[PersonMatch, ...], answerer: Answerer, today: dt.date, language: str) -> Intent:
    """Answer a question about a person: their counties, a question back, or "not found"."""
    if not people:
        return Intent(Kind.UNKNOWN_PERSON, language)
    if len(people) > 1:
        return Intent(Kind.WHICH_PERSON, language, people=people)
    [match] = people
    answer = answer_for_counties(answerer, match.counties + match.deputy_for, today, language)
    return Intent(Kind.PERSON, language, answer, people, person_lead(match, answerer, language))


def answer_for_counties(answerer: Answerer, codes: tuple[str, ...], today: dt.date, language: str) -> Answer:
    """Return the core's answer for exactly these counties (a chosen candidate, a person's counties)."""
    return compose(Recognition(Status.ANSWER, codes, ()), answerer.directory, language, today)


def person_lead(match: PersonMatch, answerer: Answerer, language: str) -> str:
    """Say what a person covers: "Isabelle Canderskog är länsansvarig för Södermanlands län."."""
    geography = answerer.directory.geography
    sentences = []
    if match.counties:
        names = join_words([geography.county(code).name for code in match.counties], language, "and")
        sentences.append(text("person_counties", language, name=match.officer.name, counties=names))
    if match.deputy_for:
        names = join_words([geography.county(code).name for code in match.deputy_for], language, "and")
        sentences.append(text("person_deputy", language, name=match.officer.name, counties=names))
    return " ".join(sentences)
