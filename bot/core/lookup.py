"""Reverse look-up: which counties does a named officer cover? ("vilket län har Isabelle
Canderskog?", "what does Isabelle cover?"). Plain Python (stdlib, rapidfuzz); no botbuilder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.data.people import CountyContacts, Officer

# Questions that ask about a person; the name is the group "name". Swedish first, then English.
PERSON_QUESTIONS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^vilk(?:et|a) (?:län|regioner?) (?:har|täcker|ansvarar) (?P<name>.+?)(?: för)?$",
        r"^vilk(?:et|a) län är (?P<name>.+?) (?:länsansvarig|ansvarig|ersättare) för$",
        r"^vad (?:har|täcker|ansvarar) (?P<name>.+?)(?: för (?:län|region(?:er)?)?)?$",
        r"^var (?:är|jobbar) (?P<name>.+?) länsansvarig$",
        r"^what (?:counties|county|regions?) (?:does|is) (?P<name>.+?) (?:cover|have|responsible for|in charge of)$",
        r"^which (?:counties|county|regions?) (?:does|is) (?P<name>.+?) (?:cover|have|responsible for|in charge of)$",
        r"^what does (?P<name>.+?) cover$",
        r"^where (?:does|is) (?P<name>.+?) (?:cover|county officer|work)$",
    )
)
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

# Officers and deputies by e-mail: (officer, counties as officer, counties as deputy).
People = dict[str, tuple[Officer, tuple[str, ...], tuple[str, ...]]]


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


def find_people(
    name: str, contacts: Mapping[str, CountyContacts], min_score: float = MIN_NAME_SCORE
) -> tuple[PersonMatch, ...]:
    """Return the officers `name` fits best: one when clear, several when they tie, none when none fit."""
    return _find(name, _people(contacts), min_score)


@dataclass(frozen=True, slots=True)
class _NameKeys:
    """What queries are compared with, folded as rapidfuzz's default_process folds them, and whose each is."""

    keys: tuple[str, ...]
    owners: tuple[str, ...]  # the e-mail of the officer each key belongs to
    exact: frozenset[str]  # the keys again, for a quick "is this exactly a name?"


@dataclass(frozen=True, slots=True)
class PeopleIndex:
    """Officers and deputies by e-mail, and the names queries are compared with (see _name_keys)."""

    people: People
    full_names: _NameKeys  # for queries of several words
    single_names: _NameKeys  # for one-word queries


def _find(name: str, index: PeopleIndex, min_score: float) -> tuple[PersonMatch, ...]:
    people = index.people
    if not name.strip() or len(name) > MAX_NAME_CHARS or not people:
        return ()
    names = index.full_names if len(name.split()) > 1 else index.single_names
    results = process.extract(
        utils.default_process(name), names.keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=None
    )
    best: dict[str, float] = {}
    for _, score, position in results:
        owner = names.owners[position]
        best[owner] = max(score, best.get(owner, 0.0))
    if not best:
        return ()
    top = max(best.values())
    chosen = sorted(
        (email for email, score in best.items() if score >= top - TIE_MARGIN),
        key=lambda email: (-best[email], people[email][0].name),
    )
    return tuple(PersonMatch(people[e][0], people[e][1], people[e][2], best[e]) for e in chosen)


def _name_keys(full_name: str, one_word: bool) -> list[str]:
    """Return what a query may be compared with: the full name, and for one-word queries each
    single name, a double first name whole and in parts ("Per-Erik", "Per", "Erik")."""
    if not one_word:
        return [full_name]
    words = full_name.split()
    parts = [part for word in words if "-" in word for part in word.split("-") if part]
    return list(dict.fromkeys([full_name, *words, *parts]))


def _keys_for(people: People, one_word: bool) -> _NameKeys:
    pairs = [
        (utils.default_process(key), email)
        for email, (officer, _, _) in people.items()
        for key in _name_keys(officer.name, one_word)
    ]
    keys = tuple(key for key, _ in pairs)
    return _NameKeys(keys, tuple(email for _, email in pairs), frozenset(keys))


# The index of the contacts last asked about: the same directory answers every question until
# the data is reloaded, so it is built once per data version instead of once per question.
_last_index: tuple[Mapping[str, CountyContacts], PeopleIndex] | None = None


def _people(contacts: Mapping[str, CountyContacts]) -> PeopleIndex:
    """Return the index of `contacts`' officers and deputies (built once for each contacts object)."""
    global _last_index
    last = _last_index
    if last is not None and last[0] is contacts:
        return last[1]
    roles: dict[str, tuple[Officer, list[str], list[str]]] = {}
    for code in sorted(contacts):
        county = contacts[code]
        for officer in county.officers:
            roles.setdefault(officer.email.lower(), (officer, [], []))[1].append(code)
        if county.deputy is not None:
            roles.setdefault(county.deputy.email.lower(), (county.deputy, [], []))[2].append(code)
    people = {
        email: (officer, tuple(officer_for), tuple(deputy_for))
        for email, (officer, officer_for, deputy_for) in roles.items()
    }
    index = PeopleIndex(people, _keys_for(people, one_word=False), _keys_for(people, one_word=True))
    _last_index = (contacts, index)
    return index


# --- a name inside an ordinary sentence ("vem är Isabelle Canderskog?", "prata med Sara") ------

# Words after which a person's name usually follows. A name found after one of these may be
# written in lower case or be a first name alone; a name found anywhere else must be a full name.
NAME_CUES = re.compile(
    r"(?:^|(?<=[\s,;:(\"]))(?:vem är|vem var|vem e|vad gör|who is|who's|who’s|whos|"
    r"kontakta|kontakt med|kontaktuppgifter till|prata med|tala med|snacka med|få tag på|nå|"
    r"mejla|maila|ringa|ring|numret till|mejladressen till|adressen till|träffa|"
    r"contact|talk to|talk with|speak to|speak with|get hold of|reach|email|e-mail|call|meet|"
    r"number for|number of|details for|email for)\s+",
    re.IGNORECASE,
)
# A word of a name: letters, with inner hyphens or apostrophes ("Per-Erik", "O'Brien").
NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Punctuation ends a name: "Isabelle, Sara" are two people, not one.
NAME_BREAK = re.compile(r"[,.;:!?()\"\[\]{}<>/\\|]+")
# First and last name, or first, middle and last; more words are a phrase, not a name.
MAX_NAME_WORDS = 3
# A name spotted with no cue word must be a name for certain: this close to a full name (one
# typo in a 12-letter name), and capitalised or written exactly.
MIN_SPOTTED_NAME_SCORE = MIN_BARE_NAME_SCORE
EXACT = 100.0


@dataclass(frozen=True, slots=True)
class NamedPerson:
    """Officers named somewhere in a question, and the words that named them."""

    span: str
    people: tuple[PersonMatch, ...]


def mentioned_person(question: str, contacts: Mapping[str, CountyContacts]) -> NamedPerson | None:
    """Return the officer(s) a question names inside an ordinary sentence, or None.

    After a cue ("vem är", "prata med", "contact") one to three words are compared with names
    (a single word only when capitalised: "Per", not "per telefon"); anywhere else, two or three
    capitalised words must fit a full name closely ("Peter Axelsson"). Precision first: common
    words never fit a full name that closely, and the caller lets a recognised county win.
    """
    if len(question) > MAX_PERSON_QUESTION_CHARS or not contacts:
        return None
    chunks = [
        [(word.group(), word.start() + chunk_start) for word in NAME_WORD.finditer(chunk)]
        for chunk, chunk_start in _chunks(question)
    ]
    cued = _cued_starts(question)
    people = _people(contacts)
    best: NamedPerson | None = None
    best_key = (0.0, 0)
    for words in chunks:
        for start, (_, offset) in enumerate(words):
            for length in range(1, MAX_NAME_WORDS + 1):
                span_words = [word for word, _ in words[start : start + length]]
                if len(span_words) < length:
                    break
                found = _span_people(span_words, offset in cued, people)
                key = (found[0].score, length) if found else (0.0, 0)
                if found and key > best_key:
                    best, best_key = NamedPerson(" ".join(span_words), found), key
    return best


def _chunks(question: str) -> list[tuple[str, int]]:
    chunks, start = [], 0
    for match in NAME_BREAK.finditer(question):
        chunks.append((question[start : match.start()], start))
        start = match.end()
    chunks.append((question[start:], start))
    return chunks


def _cued_starts(question: str) -> set[int]:
    """Return where the word after each cue starts."""
    return {match.end() for match in NAME_CUES.finditer(question)}


def _span_people(words: list[str], cued: bool, people: PeopleIndex) -> tuple[PersonMatch, ...]:
    capitalised = all(word[0].isupper() for word in words)
    if len(words) == 1:
        if not (cued and capitalised):
            return ()
        return _find(words[0], people, MIN_BARE_NAME_SCORE)
    name = " ".join(words)
    if cued:
        return _find(name, people, MIN_NAME_SCORE)
    if not capitalised and utils.default_process(name) not in people.full_names.exact:
        return ()  # written in lower case, only an exact full name counts: no need to compare closely
    found = _find(name, people, MIN_SPOTTED_NAME_SCORE)
    if found and (capitalised or found[0].score >= EXACT):
        return found
    return ()
