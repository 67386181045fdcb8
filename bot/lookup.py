"""Reverse look-up: which counties does a named officer cover? ("vilket län har Isabelle
Canderskog?", "what does Isabelle cover?"). Plain Python (stdlib, rapidfuzz); no botbuilder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.people import CountyContacts, Officer

# Questions that ask about a person; the name is the group "name". Swedish first, then English.
PERSON_QUESTIONS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^vilk(?:et|a) (?:län|regioner?) (?:har|täcker|ansvarar) (?P<name>.+?)(?: för)?$",
    r"^vilk(?:et|a) län är (?P<name>.+?) (?:länsansvarig|ansvarig|ersättare) för$",
    r"^vad (?:har|täcker|ansvarar) (?P<name>.+?)(?: för (?:län|region(?:er)?)?)?$",
    r"^var (?:är|jobbar) (?P<name>.+?) länsansvarig$",
    r"^what (?:counties|county|regions?) (?:does|is) (?P<name>.+?) (?:cover|have|responsible for|in charge of)$",
    r"^which (?:counties|county|regions?) (?:does|is) (?P<name>.+?) (?:cover|have|responsible for|in charge of)$",
    r"^what does (?P<name>.+?) cover$",
    r"^where (?:does|is) (?P<name>.+?) (?:cover|county officer|work)$",
))
# Trailing punctuation and polite words that are not part of a name.
TRAILING = re.compile(r"[\s?!.,;:]+$")
# Full names: one typo in a 19-letter name scores ~95; two in a short name drop below 85.
MIN_NAME_SCORE = 85.0
# A question that is only a name must match more closely: "Hej" must never reach "Per".
MIN_BARE_NAME_SCORE = 90.0
# A question about a person is one short sentence, and a name a few words; longer text is
# something else, and is not worth comparing with every officer's name.
MAX_PERSON_QUESTION_CHARS = 200
MAX_NAME_CHARS = 80
# People within this many points of the best match are all offered in a clarification.
TIE_MARGIN = 5.0


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """One officer who fits the name, and what they cover."""

    officer: Officer
    counties: tuple[str, ...]  # county codes where they are a county officer
    deputy_for: tuple[str, ...]  # county codes where they are the deputy
    score: float


def asked_name(question: str) -> str | None:
    """Return the name in a question about a person, or None when it asks no such thing."""
    if len(question) > MAX_PERSON_QUESTION_CHARS:
        return None
    text = TRAILING.sub("", " ".join(question.split()))
    for pattern in PERSON_QUESTIONS:
        match = pattern.match(text)
        if match:
            return match.group("name").strip() or None
    return None


def find_people(name: str, contacts: Mapping[str, CountyContacts], min_score: float = MIN_NAME_SCORE
                ) -> tuple[PersonMatch, ...]:
    """Return the officers `name` fits best: one when clear, several when they tie, none when none fit."""
    people = _people(contacts)
    if not name.strip() or len(name) > MAX_NAME_CHARS or not people:
        return ()
    keys: list[str] = []
    owners: list[str] = []
    for email, (officer, _, _) in people.items():
        for key in _name_keys(officer.name, name):
            keys.append(key)
            owners.append(email)
    results = process.extract(name, keys, scorer=fuzz.ratio, processor=utils.default_process,
                              score_cutoff=min_score, limit=None)
    best: dict[str, float] = {}
    for _, score, index in results:
        best[owners[index]] = max(score, best.get(owners[index], 0.0))
    if not best:
        return ()
    top = max(best.values())
    chosen = sorted((email for email, score in best.items() if score >= top - TIE_MARGIN),
                    key=lambda email: (-best[email], people[email][0].name))
    return tuple(PersonMatch(people[e][0], people[e][1], people[e][2], best[e]) for e in chosen)


def _name_keys(full_name: str, query: str) -> list[str]:
    """Return what a query may be compared with: the full name, and single names for one-word queries."""
    if len(query.split()) > 1:
        return [full_name]
    return [full_name, *full_name.split()]


def _people(contacts: Mapping[str, CountyContacts]) -> dict[str, tuple[Officer, tuple[str, ...], tuple[str, ...]]]:
    """Index officers and deputies by e-mail, with the counties they cover in each role."""
    roles: dict[str, tuple[Officer, list[str], list[str]]] = {}
    for code in sorted(contacts):
        county = contacts[code]
        for officer in county.officers:
            roles.setdefault(officer.email.lower(), (officer, [], []))[1].append(code)
        if county.deputy is not None:
            roles.setdefault(county.deputy.email.lower(), (county.deputy, [], []))[2].append(code)
    return {email: (officer, tuple(officer_for), tuple(deputy_for))
            for email, (officer, officer_for, deputy_for) in roles.items()}
