"""Search-as-you-type for the messaging extension: from a few typed letters to counties.

"sörml" finds Södermanlands län by its name, "Eskilstuna" by its municipality, "Canderskog" by
its officer, "Eskilstna" despite the typo, and a whole question ("vem har Sörmland?") through the
bot's recogniser. Every county appears at most once, with the best reason it matched; an empty
query lists all counties in code order. Plain Python (stdlib, rapidfuzz and the core); no
botbuilder, no aiohttp.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from rapidfuzz import fuzz, process

from bot.core.answers import Answer, CountyAnswer, county_answer
from bot.core.names import AREA_KINDS, WHOLE_NAME_FORMS, MentionKind, PlaceNames
from bot.core.normalisation import comparable, fold_diacritics
from bot.core.recognition import Mention, Recogniser, Status
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.data.geography import County
from bot.data.people import CountyContacts

# Teams' search box is one line; anything longer is pasted text, and the first words decide.
MAX_QUERY_CHARS = 100
# Teams shows at most 25 results per page of a messaging extension.
MAX_PAGE_SIZE = 25
# Below five letters a typo cannot be told from another name ("Mora"/"Mura"), so short queries
# only match as typed (prefixes); from five letters on, one wrong letter is forgiven.
MIN_FUZZY_CHARS = 5
# fuzz.ratio of one edit in five letters is 80 ("eskil" vs "eskal"); two edits in ten letters
# also score 80 ("kronobreg" vs "kronoberg" is a swap, 89).
MIN_FUZZY_SCORE = 80
# A typed prefix or an exact name always ranks above a guessed typo.
EXACT_SCORE = 100.0
PREFIX_SCORE = 96.0  # the name starts with the query ("sörml" → "Sörmland"), or a later word
# is the query ("canderskog" → "Isabelle Canderskog")
WORD_PREFIX_SCORE = 93.0  # a later word starts with the query ("cander" → "Isabelle Canderskog")
# An area the query only starts ("stock" → "Stockholm-Mälardalen", "Göta" → "Götaland") ranks after
# every county, municipality, town or person that starts alike, and still above any typo.
AREA_PREFIX_SCORE = 92.0
# Typed without diacritics ("sodertalje") ranks just below typed as written ("södertälje").
FOLDED_PENALTY = 1.0
FUZZY_WEIGHT = 0.9  # a perfect fuzzy score (90) still ranks below any prefix
# A whole question typed in the search box ("vem har Sörmland?", "Göteborg och Malmö") is left to
# the bot's recogniser when no name matches; its counties rank like a close typo.
RECOGNISED_SCORE = 85.0
MENTION_ORDER_STEP = 0.01  # keeps "Göteborg och Malmö" in that order without passing a typo


class MatchKind(StrEnum):
    """Why a county is in the results, most direct first."""

    COUNTY = "county"  # its name, short name, English name or region
    MUNICIPALITY = "municipality"  # a municipality in it
    PLACE = "place"  # a town in one of its municipalities
    AREA = "area"  # a province, programme area or region that includes it
    OFFICER = "officer"  # its county officer's name
    DEPUTY = "deputy"  # its deputy's name
    ALL = "all"  # the empty query lists every county


KIND_ORDER = {kind: rank for rank, kind in enumerate(MatchKind)}
# Matches that name a place inside the county, and the mention the card shows for them
# ("Eskilstuna ligger i Södermanlands län").
PLACE_MATCHES: Mapping[MatchKind, MentionKind] = MappingProxyType(
    {MatchKind.MUNICIPALITY: MentionKind.MUNICIPALITY, MatchKind.PLACE: MentionKind.PLACE}
)
# Matches that name one county directly. When one of them is the query exactly ("Stockholm"), the
# user has named their place: areas that merely start with it ("Stockholm-Mälardalen") are dropped.
DIRECT_KINDS = frozenset({MatchKind.COUNTY, MatchKind.MUNICIPALITY, MatchKind.PLACE})
# How each kind of place name reads as a search reason (letter codes and the rest: county).
PLACE_NAME_MATCHES: Mapping[MentionKind, MatchKind] = MappingProxyType(
    {
        MentionKind.COUNTY: MatchKind.COUNTY,
        MentionKind.MUNICIPALITY: MatchKind.MUNICIPALITY,
        MentionKind.PLACE: MatchKind.PLACE,
        **{kind: MatchKind.AREA for kind in AREA_KINDS},
    }
)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One county to show, and what in it matched the query."""

    county: County
    contacts: CountyContacts
    kind: MatchKind
    matched: str  # the name as written in data/: "Eskilstuna", "Isabelle Canderskog"
    score: float  # 100 exact, 96/93 prefix, 92 a half-typed area, at most 90 for a typo


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results plus how many there are in all, for skip/count paging."""

    results: tuple[SearchResult, ...]
    total: int
    skip: int

    @property
    def has_more(self) -> bool:
        return self.skip + len(self.results) < self.total


@dataclass(frozen=True, slots=True)
class _Name:
    """One searchable name from data/, what kind of name it is, and the county it leads to."""

    text: str
    kind: MatchKind
    county: str


class Searcher:
    """Search one directory snapshot; build once per data version, then call often."""

    def __init__(
        self, directory: Directory, recogniser: Recogniser | None = None, names: PlaceNames | None = None
    ) -> None:
        self._directory = directory
        self._recogniser = recogniser if recogniser is not None else Recogniser(directory.geography, names=names)
        names = names if names is not None else self._recogniser.names
        self._counties = tuple(sorted(directory.geography.counties, key=lambda county: county.code))
        # Every name is searchable from the start of each of its words, as written (lower case)
        # and folded (no diacritics), so "sö" prefers Söderhamn to Solna but "lulea" finds Luleå.
        self._keys: list[str] = []
        self._folded_keys: list[str] = []
        self._owners: list[tuple[_Name, bool]] = []  # (name, key starts at the first word)
        for name in _names(directory, names):
            words = comparable(name.text).split()
            for start in range(len(words)):
                key = " ".join(words[start:])
                self._keys.append(key)
                self._folded_keys.append(fold_diacritics(key))
                self._owners.append((name, start == 0))

    def search(self, query: str, skip: int = 0, count: int = 10) -> SearchPage:
        """Return page `skip`..`skip + count` of the counties matching `query`, best first."""
        skip = max(skip, 0)
        count = min(max(count, 0), MAX_PAGE_SIZE)
        results = self._all(query)
        return SearchPage(results[skip : skip + count], len(results), skip)

    def _all(self, query: str) -> tuple[SearchResult, ...]:
        if not query.strip():
            return tuple(
                self._result(county.code, MatchKind.ALL, county.name, EXACT_SCORE) for county in self._counties
            )
        query = query[:MAX_QUERY_CHARS]
        typed = comparable(query)
        if not typed:  # only punctuation: no name can match
            return ()
        best: dict[str, tuple[float, _Name]] = {}  # by county: its best-ranked match
        for name, score in self._scored(query, typed):
            current = best.get(name.county)
            if current is None or _rank(score, name) < _rank(*current):
                best[name.county] = (score, name)
        ordered = sorted(best.items(), key=lambda item: (_rank(*item[1]), item[0]))
        return tuple(self._result(code, name.kind, name.text, score) for code, (score, name) in ordered)

    def _scored(self, query: str, typed: str) -> list[tuple[_Name, float]]:
        found = self._prefixes(typed)
        if found or len(typed) < MIN_FUZZY_CHARS:
            return found
        return self._typos(typed) or self._recognised(query)

    def _typos(self, typed: str) -> list[tuple[_Name, float]]:
        # Nothing starts with what was typed: forgive a typo. Compare with each key cut to the
        # query's length, so a half-typed name with a typo ("eskilstn") meets "eskilstuna".
        folded = fold_diacritics(typed)
        cut = [key[: len(folded)] for key in self._folded_keys]
        matches = process.extract(
            folded, cut, scorer=fuzz.ratio, processor=None, score_cutoff=MIN_FUZZY_SCORE, limit=None
        )
        return [(self._owners[index][0], score * FUZZY_WEIGHT) for _, score, index in matches]

    def _recognised(self, query: str) -> list[tuple[_Name, float]]:
        recognition = self._recogniser.recognise(query)
        found: list[tuple[_Name, float]] = []
        for order, mention in enumerate(recognition.mentions):
            kind = PLACE_NAME_MATCHES.get(mention.kind, MatchKind.COUNTY)
            score = RECOGNISED_SCORE - order * MENTION_ORDER_STEP  # in the order the query names them
            found += [
                (_Name(mention.name, kind, code), score) for code in mention.counties if code in recognition.counties
            ]
        return found

    def _prefixes(self, typed: str) -> list[tuple[_Name, float]]:
        folded = fold_diacritics(typed)
        found: list[tuple[_Name, float]] = []
        for key, folded_key, (name, first_word) in zip(self._keys, self._folded_keys, self._owners, strict=False):
            if key.startswith(typed):
                penalty = 0.0
            elif folded_key.startswith(folded):
                penalty = FOLDED_PENALTY
            else:
                continue
            if key == typed or folded_key == folded:
                score = EXACT_SCORE if first_word else PREFIX_SCORE
            elif name.kind is MatchKind.AREA:
                score = AREA_PREFIX_SCORE
            else:
                score = PREFIX_SCORE if first_word else WORD_PREFIX_SCORE
            found.append((name, score - penalty))
        return _without_half_typed_areas(found)

    def _result(self, code: str, kind: MatchKind, matched: str, score: float) -> SearchResult:
        county = self._directory.geography.county(code)
        contacts = self._directory.contacts.get(code) or CountyContacts(code, (), None, STRATEGIC_SITE_URL)
        return SearchResult(county, contacts, kind, matched, round(score, 1))


def _named_exactly(score: float) -> bool:
    """Say whether a prefix match is a whole name, as written or without diacritics."""
    return score >= EXACT_SCORE - FOLDED_PENALTY


def _without_half_typed_areas(found: list[tuple[_Name, float]]) -> list[tuple[_Name, float]]:
    """Drop areas the query only starts when it names a county, municipality or town exactly."""
    if not any(name.kind in DIRECT_KINDS and _named_exactly(score) for name, score in found):
        return found
    return [(name, score) for name, score in found if name.kind is not MatchKind.AREA or _named_exactly(score)]


def _rank(score: float, name: _Name) -> tuple[float, int, int]:
    """Sort key of a match, best first: higher score, more direct kind, shorter (closer) name."""
    return -score, KIND_ORDER[name.kind], len(name.text)


def chosen_result(searcher: Searcher, directory: Directory, code: str, matched: str) -> SearchResult | None:
    """Return the result a user picked from the list: county `code`, found by the name `matched`.

    The pick comes back from the client, so it is checked against today's data: a name that no
    longer finds the county (or never did) gives the county on its own; an unknown county, None.
    """
    county = directory.geography.by_code.get(code)
    contacts = directory.contacts.get(code)
    if county is None or contacts is None:
        return None
    for result in searcher.search(matched[:MAX_QUERY_CHARS], 0, MAX_PAGE_SIZE).results if matched else ():
        if result.county.code == code:
            return result
    return SearchResult(county, contacts, MatchKind.COUNTY, county.name, EXACT_SCORE)


def search_answer(result: SearchResult, directory: Directory, today: dt.date, language: str) -> Answer:
    """Return the answer a chosen search result stands for, so the bot's own county card shows it."""
    item = county_answer(result.county.code, directory, today) or CountyAnswer(result.county, result.contacts, (), None)
    mentions: tuple[Mention, ...] = ()
    if result.kind in PLACE_MATCHES:
        mentions = (Mention(result.matched, result.matched, PLACE_MATCHES[result.kind], (result.county.code,)),)
    return Answer(Status.ANSWER, language, (item,), mentions, directory.example_data)


def _names(directory: Directory, names: PlaceNames) -> Iterator[_Name]:
    """Every searchable name, in data order: places (whole names only), then officers and deputies."""
    known = {county.code for county in directory.geography.counties}
    for name in names.names:
        if name.form in WHOLE_NAME_FORMS:
            kind = PLACE_NAME_MATCHES[name.kind]
            yield from (_Name(name.text, kind, code) for code in name.counties if code in known)
    for code, contacts in directory.contacts.items():
        if code not in known:
            continue
        for officer in contacts.officers:
            yield _Name(officer.name, MatchKind.OFFICER, code)
        if contacts.deputy is not None:
            yield _Name(contacts.deputy.name, MatchKind.DEPUTY, code)
