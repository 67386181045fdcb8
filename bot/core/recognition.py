"""County recognition: which county (län) a free-text question is about.

Precision before recall: a wrong officer is worse than a question back. The recogniser finds
place names (counties, municipalities, towns, provinces, programme areas, regional bodies,
adjective and demonym forms, letter codes) in a question, in that order of trust:

1. exact names (case-insensitive, with å/ä/ö), longest first, with genitive -s;
2. the same without diacritics ("Jamtland"), unless the folded word is an ordinary word ("are");
3. Swedish compounds that start with a place ("Sörmlandsexpert", "Göteborgsföretag");
4. typos within a length-aware edit distance, never for words a dictionary knows.

Municipality names that are also ordinary words ("vara", "mark", "berg") count only when the
sentence clearly means the place: "Vara kommun", "ett möte i Vara", "Lerum, Ale och Kungälv".
So does a town or municipality written in lower case ("mycket grums i kaffet", "vi badade i
sandviken"): it needs a question to the bot, a destination or "kommun" beside it. A place right
after a given name is a surname ("Ulrika Falkenberg"); a foreign place near a Swedish name
("Kristiansand") is said to be abroad, never typo-matched; a place after "inte" gives way to the
others ("inte Skåne utan Blekinge").

Plain Python (stdlib, rapidfuzz); the word frequencies are wordfreq's, taken at build time into
bot/data/lexicon.json. No botbuilder, no aiohttp.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.names import PLACE_KINDS, WHOLE_NAME_FORMS, MentionKind, NameForm, PlaceName, PlaceNames, place_names
from bot.core.normalisation import fold_case, fold_diacritics
from bot.data.geography import County, Geography
from bot.data.lexicon import ForeignPlace, Lexicon, load_lexicon


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
    kind: MentionKind
    counties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recognition:
    """The outcome: status, the counties (answers or candidates) and what was matched.

    With no county, `foreign` names places the question names that lie abroad ("Kristiansand"),
    and `suggestion` a Swedish place the question may mean on weak evidence ("Menar du Sjöbo?").
    """

    status: Status
    counties: tuple[str, ...]
    mentions: tuple[Mention, ...]
    foreign: tuple[ForeignPlace, ...] = ()
    suggestion: Mention | None = None


NOTHING = Recognition(Status.NONE, (), ())

# Colleagues' questions are a sentence or three; reading only this much keeps a pasted 100 kB
# e-mail as cheap as a short question.
MAX_QUESTION_CHARS = 600
# An area spanning at most this many counties is answered with all of them ("Småland" gives
# three cards); a wider one ("Norrland", "Mälardalen") gets a question back instead.
MAX_COUNTIES_ANSWERED_TOGETHER = 3
# Longest name, in words, in the data ("Region Jämtland Härjedalen", "Småland och öarna").
MAX_NAME_WORDS = 4
# Zipf frequency (log10 per billion words) above which a word is ordinary Swedish or English:
# "listan" 4.8, "hallå" 4.8, "åren" 5.2 are; "Kornoberg", "Östersnd", "Stokholm" (<1.2) are not.
ORDINARY_ZIPF_SV = 3.0
ORDINARY_ZIPF_EN = 3.3
# Where the sentence puts a place name, only everyday words are barred from typo matching:
# "Upsala" (3.1, an old spelling) may be Uppsala there, "Hallå" (4.8) never.
COMMON_ZIPF_SV = 4.0
COMMON_ZIPF_EN = 4.5
# A word in lower case the dictionary knows at all ("sjöbod" 1.8) is that word, not a typo of a
# place ("Sjöbo"); misspellings people make ("stokholm" 1.2, "eskilstna" 0) sit below.
KNOWN_ZIPF = 1.5
# Typos: how many edits (optimal string alignment, a swap counts once) a word of a given length
# may have. Five letters is the shortest a typo is told from another word ("Hallå" ≠ "Halland").
MIN_TYPO_LENGTH = 5
LONG_WORD_LENGTH = 9  # "Kornoberg": from here two edits are still one place
# Compounds: the shortest place name a compound may start with ("Umeåföretag" has a non-ASCII
# letter, so four letters are distinctive; plain ASCII needs five: "Mora" must not make "morot").
MIN_COMPOUND_PREFIX = 5
MIN_COMPOUND_PREFIX_NON_ASCII = 4
MIN_COMPOUND_REST = 3

# Words after a name that make an ordinary word a place: "Vara kommun", "Lunds universitet".
PLACE_NOUNS_AFTER = frozenset(
    {
        "kommun",
        "kommuns",
        "kommunen",
        "kommunens",
        "stad",
        "stads",
        "tätort",
        "tätorten",
        "universitet",
        "högskola",
        "lasarett",
        "centrum",
        "station",
        "flygplats",
        "hamn",
        "municipality",
        "town",
        "university",
    }
)
# When one name is written the same for several things in one county ("Skåne" is a county and
# a province), the mention is named after the most specific official one.
KIND_TRUST = (
    MentionKind.COUNTY,
    MentionKind.MUNICIPALITY,
    MentionKind.PLACE,
    MentionKind.PROVINCES,
    MentionKind.PROGRAMME_AREAS,
    MentionKind.REGIONS,
)
# Words before a name that make a capitalised ordinary word a place: "möte i Vara", "till Boden".
PLACE_WORDS_BEFORE = frozenset(
    {
        "i",
        "till",
        "från",
        "fran",
        "för",
        "for",
        "om",
        "kring",
        "runt",
        "vid",
        "nära",
        "nara",
        "utanför",
        "mot",
        "via",
        "inom",
        "har",
        "tar",
        "ansvarar",
        "sköter",
        "besöka",
        "besöker",
        "kommunen",
        "kommunerna",
        "orten",
        "staden",
        "in",
        "to",
        "from",
        "about",
        "around",
        "near",
        "covers",
        "cover",
        "covering",
        "handles",
        "handle",
        "visit",
        "visiting",
    }
)
# Words that show the question is about a county or municipality, so that even a lower-case
# ordinary word after a place preposition is the place: "ska till boden, vem har länet där?".
PLACE_QUESTION_WORDS = frozenset(
    {
        "län",
        "länet",
        "länets",
        "kommun",
        "kommunen",
        "kommunens",
        "county",
        "municipality",
    }
)
# The place prepositions that, in such a question, introduce a place even in lower case.
PLACE_PREPOSITIONS = frozenset({"i", "till", "från", "fran", "vid", "in", "to", "from"})
# Words that show a message asks the bot something: who covers a place, whom to contact.
ASK_WORDS = frozenset(
    {
        "vem",
        "vilken",
        "vilket",
        "vilka",
        "kontakt",
        "kontakten",
        "kontaktperson",
        "kontaktpersonen",
        "ingång",
        "ingången",
        "länsansvarig",
        "länsansvariga",
        "handläggare",
        "handläggaren",
        "ansvarig",
        "ansvarar",
        "täcker",
        "sköter",
        "län",
        "länet",
        "who",
        "whom",
        "which",
        "contact",
        "officer",
        "responsible",
        "covers",
        "county",
    }
)
# Words of a trip or a meeting: they make "i sandviken" a place even in lower case.
VISIT_WORDS = frozenset(
    {
        "möte",
        "mötet",
        "möten",
        "träff",
        "besök",
        "besöka",
        "besöker",
        "resa",
        "resan",
        "reser",
        "åker",
        "konferens",
        "konferensen",
        "workshop",
        "dialog",
        "dialogen",
        "meeting",
        "visit",
        "visiting",
        "trip",
        "travel",
        "travelling",
        "conference",
        "going",
        "heading",
    }
)
# Prepositions of a destination: "jag ska till eskilstuna".
DESTINATIONS = frozenset({"till", "to"})
# A place after one of these (perhaps with a preposition between) is the one not meant:
# "inte Skåne utan Blekinge", "Norrbotten, inte Västerbotten", "not Skåne but Blekinge".
NEGATIONS = frozenset({"inte", "ej", "icke", "not"})
# A place before one of these, with another place after it, was corrected: "Skåne, förlåt, Blekinge".
CORRECTIONS = frozenset({"förlåt", "menade", "menar", "rättelse", "sorry", "meant", "correction"})
# Words that join names in a list: "Lerum, Ale och Kungälv".
LIST_JOINERS = frozenset({"och", "eller", "samt", "and", "or", "&", "/", ","})
# Punctuation after which the next word starts a sentence (its capital letter says nothing).
SENTENCE_BREAKS = frozenset(".!?:;\n•–—")

# Letter codes count only in county form: "D-län", "BD-län", "län O", "O-länet".
# "I län" is Swedish for "in the county", so I (Gotland) counts only as "I-län".
LETTER_BEFORE_LAN = re.compile(
    r"(?<![\w-])([A-Za-z]{1,2})\s?[-‐‑–]\s?län(?:et|s)?\b|(?<![\w-])(?!I\s)([A-Z]{1,2})\s+län(?:et|s)?\b"
)
LAN_BEFORE_LETTER = re.compile(r"\blän(?:et)?\s+(?!I\b)([A-Z]{1,2})(?![\w-])")
# "län 04", "länskod 04": the official two-digit code.
LAN_NUMBER = re.compile(r"\blän(?:skod|snummer)?\s*(?:nr\.?\s*)?(\d{2})\b", re.IGNORECASE)
# Control characters (but the line break, which ends a sentence) separate words ...
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# ... while zero-width and direction marks vanish, so "Sörm\u200bland" is still Sörmland.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
WORD = re.compile(r"[^\W\d_]+|[,&/]|[.!?:;\n•–—]", re.UNICODE)
APOSTROPHE_S = re.compile(r"[’'`´]s\b")
ADJECTIVE_ENDINGS = ("", "a", "t", "e")
DEMONYM_ENDINGS = ("", "s", "n", "ns", "r", "rna", "ar", "arna", "arnas", "en", "ens", "na", "er", "erna")
# Keyboards without å/ä/ö: "Malmoe", "Goeteborg", "Vaexjoe", "Aare".
DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"))
MUNICIPALITY_DEMONYM_ENDINGS = ("bo", "bor", "borna", "bon")


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: MentionKind
    counties: tuple[str, ...]
    ordinary: bool  # an everyday word too: needs the sentence to mean the place
    cased: bool  # an acronym (VG, SLL): matches only as written
    proper: bool = True  # a proper name, written with a capital; False for "sörmländska", "göteborgare"


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # as written
    lower: str  # casefolded, diacritics kept
    folded: str  # casefolded, diacritics removed
    start: int
    sentence_start: bool
    word: bool  # False for punctuation tokens
    capitalised: bool = False


@dataclass(frozen=True, slots=True)
class _Found:
    first: int  # token index
    last: int  # token index, inclusive
    entries: tuple[_Entry, ...]
    surface: str
    needs_evidence: bool

    @property
    def town_name(self) -> bool:
        """A proper name of a municipality or town (not a county, area or inflected form)."""
        return all(entry.kind in PLACE_KINDS and entry.proper for entry in self.entries)


class _Context:
    """What the whole message does, as evidence for a weak place name; worked out only when a
    weak name needs it, since most questions have none."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._words: frozenset[str] | None = None

    def _lower_words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(token.lower for token in self._tokens if token.word)
        return self._words

    @property
    def asks(self) -> bool:
        """It asks the bot who covers something ("vem", "kontakt", "who")."""
        return not self._lower_words().isdisjoint(ASK_WORDS)

    @property
    def visit(self) -> bool:
        """It is about a trip or a meeting."""
        return not self._lower_words().isdisjoint(VISIT_WORDS)

    @property
    def question(self) -> bool:
        """It has a question mark."""
        return any(token.text == "?" for token in self._tokens)


# A mention and the token it starts at (None for letter codes, found in the raw text).
_Placed = tuple[int | None, Mention]


class Recogniser:
    """Recognise counties in questions; build once per data version, then call often."""

    def __init__(self, geography: Geography, lexicon: Lexicon | None = None, names: PlaceNames | None = None) -> None:
        self._geography = geography
        self.names = names if names is not None else place_names(geography)
        lexicon = lexicon if lexicon is not None else load_lexicon()
        self._given_names = lexicon.given_names
        self._foreign_places = dict(lexicon.foreign_places)  # a plain dict: looked up for every word
        self._exact: dict[tuple[str, ...], list[_Entry]] = {}
        self._folded: dict[tuple[str, ...], list[_Entry]] = {}
        self._cased: dict[tuple[str, ...], list[_Entry]] = {}
        for surface, entry in _surfaces(self.names):
            self._add(surface, entry)
        self._first_words = {key[0] for index in (self._exact, self._folded, self._cased) for key in index}
        self._letters = {county.letter: county for county in geography.counties}
        self._codes = {county.code: county for county in geography.counties}
        self._typo_targets = self._build_typo_targets()
        self._compound_heads = self._build_compound_heads()

    def recognise(self, text: str) -> Recognition:
        """Return which counties `text` is about."""
        text = _clean(text[: MAX_QUESTION_CHARS * 2])[:MAX_QUESTION_CHARS]
        if not text.strip():
            return NOTHING
        placed: list[_Placed] = [(None, mention) for mention in self._letter_codes(text)]
        tokens = _tokenise(APOSTROPHE_S.sub("s", LETTER_BEFORE_LAN.sub(" ", text)))
        context = _Context(tokens)
        found = [item for item in self._find_names(tokens) if not self._is_surname(tokens, item.first, item.last)]
        accepted = _with_evidence(found, tokens, context)
        placed += [(item.first, _mention(item)) for item in accepted]
        more, foreign, suggestion = self._compounds_and_typos(tokens, accepted, context)
        mentions = _meant(placed + more, tokens) if len(placed) + len(more) > 1 else [m for _, m in placed + more]
        return _decide(mentions, foreign, suggestion)

    # --- building the index -------------------------------------------------------------

    def _add(self, surface: str, entry: _Entry) -> None:
        # The word tokens _tokenise would give (those starting with a letter), without building
        # tokens: this runs for every way of writing every place, each time data/ is loaded.
        words = tuple(raw for raw in WORD.findall(surface) if raw[0].isalpha())
        if not words:
            return
        if entry.cased:
            self._cased.setdefault(words, []).append(entry)
            return
        lower = tuple(fold_case(word) for word in words)
        self._exact.setdefault(lower, []).append(entry)
        self._folded.setdefault(tuple(fold_diacritics(word) for word in lower), []).append(entry)

    def _build_typo_targets(self) -> dict[str, list[str]]:
        """Folded names long enough for typo matching, bucketed by first letter."""
        targets: dict[str, list[str]] = {}
        for key, entries in self._folded.items():
            name = " ".join(key)
            if len(name) < MIN_TYPO_LENGTH or all(entry.ordinary for entry in entries):
                continue
            targets.setdefault(name[0], []).append(name)
        return targets

    def _build_compound_heads(self) -> dict[str, list[_Entry]]:
        """Single-word names a Swedish compound may start with ("sörmlands|expert")."""
        heads: dict[str, list[_Entry]] = {}
        for key, entries in self._exact.items():
            if len(key) != 1 or any(entry.ordinary for entry in entries):
                continue
            word = key[0]
            shortest = MIN_COMPOUND_PREFIX if word.isascii() else MIN_COMPOUND_PREFIX_NON_ASCII
            if len(word) >= shortest:
                heads[word] = entries
        return heads

    # --- finding names -----------------------------------------------------------------

    def _letter_codes(self, text: str) -> list[Mention]:
        mentions: list[Mention] = []
        for match in LETTER_BEFORE_LAN.finditer(text):
            letter = (match.group(1) or match.group(2) or "").upper()
            self._add_code_mention(mentions, match.group(0), self._letters.get(letter))
        for match in LAN_BEFORE_LETTER.finditer(text):
            self._add_code_mention(mentions, match.group(0), self._letters.get(match.group(1)))
        for match in LAN_NUMBER.finditer(text):
            self._add_code_mention(mentions, match.group(0), self._codes.get(match.group(1)))
        return mentions

    @staticmethod
    def _add_code_mention(mentions: list[Mention], surface: str, county: County | None) -> None:
        if county is not None:
            mentions.append(Mention(surface.strip(), county.name, MentionKind.LETTER_CODE, (county.code,)))

    def _find_names(self, tokens: list[_Token]) -> list[_Found]:
        """Longest exact, cased or folded name at each position, left to right."""
        found: list[_Found] = []
        index = 0
        while index < len(tokens):
            if not tokens[index].word:
                index += 1
                continue
            hit = self._longest_at(tokens, index)
            if hit is None:
                index += 1
                continue
            found.append(hit)
            index = hit.last + 1
        return found

    def _longest_at(self, tokens: list[_Token], first: int) -> _Found | None:
        token = tokens[first]
        if not self._may_start_name(token):
            return None
        for length in range(MAX_NAME_WORDS, 0, -1):
            span = tokens[first : first + length]
            if len(span) < length or not all(token.word for token in span):
                continue
            hit = self._lookup(span)
            if hit is not None:
                entries, needs_evidence = hit
                surface = " ".join(token.text for token in span)
                return _Found(
                    first,
                    first + length - 1,
                    tuple(entries),
                    surface,
                    needs_evidence or any(entry.ordinary for entry in entries),
                )
        return None

    def _may_start_name(self, token: _Token) -> bool:
        """Cheap test before the n-gram look-ups: can any name start with this word?"""
        starts = self._first_words
        return (
            token.text in starts
            or token.lower in starts
            or token.folded in starts
            or token.lower[:-1] in starts
            or token.folded[:-1] in starts
        )

    def _lookup(self, span: list[_Token]) -> tuple[list[_Entry], bool] | None:
        """Entries for a run of words, trying the genitive -s too; bool: the match needs evidence."""
        for variant in _genitive_variants(span):
            cased = self._cased.get(tuple(variant.text))
            if cased:
                return cased, False
            exact = self._exact.get(tuple(variant.lower))
            if exact:
                return exact, False
            folded = self._folded.get(tuple(variant.folded))
            if folded:
                # "Are" is "Åre" without the ring, and an English word: treat it as one.
                return folded, len(span) == 1 and _is_ordinary(variant.folded[0])
        return None

    def typo_targets(self) -> dict[str, list[str]]:
        """The folded names typos are matched against, by first letter (single words and pairs)."""
        return self._typo_targets

    def _is_surname(self, tokens: list[_Token], first: int, last: int) -> bool:
        """A capitalised name right after a given name is a surname: "Ulrika Falkenberg", "Tom Kalmarsson"."""
        if not tokens[first].capitalised:
            return False
        before = _previous_word(tokens, first)
        if before is None or not before.capitalised:
            return False
        after = _next_word(tokens, last)
        if after is not None and after.lower in PLACE_NOUNS_AFTER:
            return False  # "Anna Vara kommun" is still the municipality
        return before.folded in self._given_names

    def _compounds_and_typos(
        self, tokens: list[_Token], accepted: list[_Found], context: _Context
    ) -> tuple[list[_Placed], tuple[ForeignPlace, ...], Mention | None]:
        """Compounds, typos and foreign places among the words no name took."""
        used = {index for item in accepted for index in range(item.first, item.last + 1)}
        placed: list[_Placed] = []
        foreign: list[ForeignPlace] = []
        suggestion: Mention | None = None
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if index in used or not token.word or (token.capitalised and self._is_surname(tokens, index, index)):
                index += 1
                continue
            abroad = self._foreign_places.get(token.folded)
            if abroad is not None:
                foreign.append(abroad)
                index += 1
                continue
            pair = self._typo_pair(tokens, index, used)
            if pair is not None:
                placed.append((index, pair))
                index += 2
                continue
            mention = self._compound(token)
            if mention is None and (token.capitalised or _lower_case_may_be_typo(token)):
                mention = self._typo(token.folded, token.text, framed=_framed_capital(tokens, index))
            elif mention is None and context.asks:
                suggestion = suggestion or self._typo(token.folded, token.text)
            if mention is not None:
                placed.append((index, mention))
            index += 1
        return placed, tuple(dict.fromkeys(foreign)), suggestion

    def _compound(self, token: _Token) -> Mention | None:
        """A compound that starts with a place: "Sörmlandsexpert", "Göteborgsföretag"."""
        word = token.lower
        if len(word) < MIN_COMPOUND_PREFIX_NON_ASCII + MIN_COMPOUND_REST or _is_ordinary(word):
            return None
        for cut in range(len(word) - MIN_COMPOUND_REST, MIN_COMPOUND_PREFIX_NON_ASCII - 1, -1):
            entries = self._compound_heads.get(word[:cut])
            if not entries:
                continue
            rest = word[cut:]
            if rest.startswith("s") and _is_ordinary(rest[1:]):
                rest = rest[1:]
            if len(rest) >= MIN_COMPOUND_REST and _is_ordinary(rest):
                return _mention_of(token.text, entries)
        return None

    def _typo_pair(self, tokens: list[_Token], index: int, used: set[int]) -> Mention | None:
        """A misspelt two-word name: "Västra Götland"."""
        if index + 1 >= len(tokens) or index + 1 in used or not tokens[index + 1].word:
            return None
        first, second = tokens[index], tokens[index + 1]
        if _is_ordinary(first.folded) and _is_ordinary(second.folded):
            return None
        if not (first.capitalised or second.capitalised) and _is_known(first.lower) and _is_known(second.lower):
            return None  # "är skene män" is Swedish, not a misspelt "Skåne län"
        return self._typo(f"{first.folded} {second.folded}", f"{first.text} {second.text}", pair=True)

    def _typo(self, word: str, surface: str, pair: bool = False, framed: bool = False) -> Mention | None:
        """The place a misspelt word most likely means; a tie between counties stays a tie.

        A word a dictionary knows is no typo, unless it stands where a place name would
        ("Vem har Upsala?") and is no everyday word there either.
        """
        ordinary = _is_common(word) if framed else _is_ordinary(word)
        respelt = _undigraph(word)
        if respelt != word and not ordinary:
            spelt = self._folded.get(tuple(respelt.split(" ")))
            if spelt:
                return _mention_of(surface, spelt)
        candidates = _typo_candidates(word)
        if not candidates or (not pair and ordinary):
            return None
        best: tuple[int, list[str]] | None = None
        for candidate in candidates:
            limit = typo_reach(candidate)
            bucket = self._typo_targets.get(candidate[0], [])
            for name, distance, _ in process.extract(
                candidate, bucket, scorer=OSA.distance, processor=None, score_cutoff=limit, limit=None
            ):
                if (" " in name) != pair:
                    continue
                if best is None or distance < best[0]:
                    best = (int(distance), [name])
                elif distance == best[0]:
                    best[1].append(name)
        if best is None:
            return None
        entries = [entry for name in best[1] for entry in self._folded[tuple(name.split(" "))]]
        return _mention_of(surface, entries)


# --- pure helpers ----------------------------------------------------------------------


def _surfaces(names: PlaceNames) -> Iterator[tuple[str, _Entry]]:
    """Every way of writing every place, with what it stands for."""
    for name in names.names:
        if name.form not in WHOLE_NAME_FORMS:
            yield from _inflected(name)
            continue
        cased = name.form is not NameForm.TOWN and _is_acronym(name.text)
        yield name.text, _Entry(name.place, name.kind, name.counties, name.ordinary, cased)
        if name.kind is MentionKind.MUNICIPALITY and not name.ordinary and " " not in name.text:
            for ending in MUNICIPALITY_DEMONYM_ENDINGS:  # "Eskilstunabor"
                yield name.text + ending, _Entry(name.place, name.kind, name.counties, False, False, proper=False)


def _inflected(name: PlaceName) -> Iterator[tuple[str, _Entry]]:
    """Adjective and demonym forms: "sörmländska", "dalkarlarna", "östgötar"."""
    entry = _Entry(name.place, name.kind, name.counties, False, False, proper=False)
    stem = name.text
    if name.form is NameForm.ADJECTIVE:
        for ending in ADJECTIVE_ENDINGS:
            yield stem + ending, entry
        return
    for ending in DEMONYM_ENDINGS:
        yield stem + ending, entry
    if stem.endswith("e"):  # "östgöte" → "östgötar", "östgötarna"
        for ending in ("ar", "arna", "arnas"):
            yield stem[:-1] + ending, entry


def _is_acronym(name: str) -> bool:
    return name.isupper() and len(name) <= 4


def _clean(text: str) -> str:
    """Normalise Unicode; control characters become spaces, invisible ones disappear."""
    text = unicodedata.normalize("NFC", text)
    return INVISIBLE.sub("", CONTROL.sub(" ", text))


def _is_ordinary(word: str) -> bool:
    """True when a dictionary knows the word as ordinary Swedish or English (Zipf ≥ ORDINARY_ZIPF_*)."""
    return load_lexicon().is_ordinary(word)


def _is_common(word: str) -> bool:
    """True for everyday words, the ones no place name is misspelt as ("hallå", "listan")."""
    return load_lexicon().is_common(word)


def _framed_capital(tokens: list[_Token], index: int) -> bool:
    """A capitalised word mid-sentence after a place word: where a place name would stand."""
    token = tokens[index]
    before = _previous_word(tokens, index)
    return token.capitalised and not token.sentence_start and before is not None and before.lower in PLACE_WORDS_BEFORE


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    sentence_start = True
    for match in WORD.finditer(text):
        raw = match.group(0)
        if raw in SENTENCE_BREAKS:
            tokens.append(_Token(raw, raw, raw, match.start(), False, False))
            sentence_start = True
            continue
        if not raw[0].isalpha():
            tokens.append(_Token(raw, raw, raw, match.start(), False, False))
            continue
        lower = fold_case(raw)
        tokens.append(_Token(raw, lower, fold_diacritics(lower), match.start(), sentence_start, True, raw[0].isupper()))
        sentence_start = False
    return tokens


@dataclass(frozen=True, slots=True)
class _Variant:
    text: list[str]
    lower: list[str]
    folded: list[str]


def _genitive_variants(span: list[_Token]) -> Iterator[_Variant]:
    """The words as written, then with a genitive -s dropped from the last word."""
    text = [token.text for token in span]
    lower = [token.lower for token in span]
    folded = [token.folded for token in span]
    yield _Variant(text, lower, folded)
    last = lower[-1]
    if len(last) > 3 and last.endswith("s"):
        yield _Variant([*text[:-1], text[-1][:-1]], [*lower[:-1], last[:-1]], [*folded[:-1], folded[-1][:-1]])


def _undigraph(word: str) -> str:
    """Write ä, ö and å the way a keyboard without them does, then fold: "malmoe" → "malmo"."""
    for digraph, letter in DIGRAPHS:
        word = word.replace(digraph, letter)
    return word


def _typo_candidates(word: str) -> list[str]:
    """The word and, for a genitive, the word without its -s."""
    if len(word) < MIN_TYPO_LENGTH or not all(ch.isalpha() or ch == " " for ch in word):
        return []
    candidates = [word]
    if word.endswith("s") and len(word) > MIN_TYPO_LENGTH:
        candidates.append(word[:-1])
    return candidates


def place_spellings(geography: Geography) -> set[str]:
    """Every name of a Swedish place as the recogniser compares it: casefolded, no diacritics."""
    return {fold_diacritics(fold_case(surface)) for surface, entry in _surfaces(place_names(geography)) if entry.proper}


def typo_reach(word: str) -> int:
    """How many edits a typo of this word may have (none below MIN_TYPO_LENGTH letters)."""
    if len(word) < MIN_TYPO_LENGTH:
        return 0
    return 2 if len(word) >= LONG_WORD_LENGTH else 1


def fold(word: str) -> str:
    """Drop diacritics the way the recogniser compares words: "jämtland" → "jamtland"."""
    return fold_diacritics(word)


# Words the recogniser reads as grammar, never as a person's given name ("Till Malmö", "Om Kalmar").
GRAMMAR_WORDS = PLACE_WORDS_BEFORE | PLACE_QUESTION_WORDS | ASK_WORDS | NEGATIONS | DESTINATIONS | LIST_JOINERS


def _lower_case_may_be_typo(token: _Token) -> bool:
    """A lower-case word is a typo only if no dictionary knows it ("sjöbod" is a word, "eskilstna" is not)."""
    return len(token.lower) >= MIN_TYPO_LENGTH and not _is_known(token.lower)


def _is_known(word: str) -> bool:
    """True when a dictionary knows the word at all, however rare (Zipf ≥ KNOWN_ZIPF); the lexicon
    holds the rare ones only near a place name, the only words this is asked about."""
    return load_lexicon().is_known(word)


def _lower_case_town(item: _Found, tokens: list[_Token]) -> bool:
    """A town written in lower case ("grums"), not an ordinary word, which has its own rule."""
    return not item.needs_evidence and not tokens[item.first].capitalised and item.town_name


def _only_places(found: list[_Found], tokens: list[_Token]) -> bool:
    """ "gävle och uppsala?": the message is a list of places and nothing else."""
    covered = {index for item in found for index in range(item.first, item.last + 1)}
    words = [index for index, token in enumerate(tokens) if token.word]
    if not words or words[0] not in covered or words[-1] not in covered:
        return False
    return all(index in covered or tokens[index].lower in LIST_JOINERS for index in words)


def _means_town(tokens: list[_Token], first: int, last: int, context: _Context) -> bool:
    """Whether a town named in lower case is the town: "vem har eskilstuna", "till eskilstuna",
    "möte i eskilstuna", "eskilstuna kommun", but not "mycket grums i kaffet" or "badade i sandviken"."""
    after = _next_word(tokens, last)
    if after is not None and after.lower in PLACE_NOUNS_AFTER:
        return True
    words = [index for index, token in enumerate(tokens) if token.word]
    if words and words[0] == first and words[-1] == last:
        return True
    if context.asks:
        return True
    before = _previous_word(tokens, first)
    if before is None:
        return False
    if before.lower in DESTINATIONS:
        return True
    return before.lower in PLACE_PREPOSITIONS and (context.visit or context.question)


def _meant(placed: list[_Placed], tokens: list[_Token]) -> list[Mention]:
    """Drop places the question says it does not mean, as long as another place is left."""
    indexes = sorted(index for index, _ in placed if index is not None)
    kept = [mention for index, mention in placed if index is None or not _not_meant(index, indexes, tokens)]
    return kept or [mention for _, mention in placed]


def _not_meant(index: int, others: list[int], tokens: list[_Token]) -> bool:
    """Say whether the place at `index` is denied ("inte Skåne", "not in Skåne") or corrected
    by a later one ("Skåne? Förlåt, jag menade Blekinge")."""
    before = [token.lower for token in tokens[max(0, index - 2) : index] if token.word]
    if before and before[-1] in NEGATIONS:
        return True
    if len(before) == 2 and before[0] in NEGATIONS and before[1] in PLACE_PREPOSITIONS:
        return True
    later = [other for other in others if other > index]
    return bool(later) and any(token.lower in CORRECTIONS for token in tokens[index + 1 : later[0]])


def _with_evidence(found: list[_Found], tokens: list[_Token], context: _Context) -> list[_Found]:
    """Keep plain names; keep ordinary-word names and lower-case towns only where the sentence means the place."""
    if any(_lower_case_town(item, tokens) for item in found) and not _only_places(found, tokens):
        found = [
            item
            for item in found
            if not _lower_case_town(item, tokens) or _means_town(tokens, item.first, item.last, context)
        ]
    accepted = [item for item in found if not item.needs_evidence]
    pending = [item for item in found if item.needs_evidence]
    only_words = [index for index, token in enumerate(tokens) if token.word]
    changed = True
    while pending and changed:
        changed = False
        for item in list(pending):
            if _means_place(item, tokens, accepted, only_words):
                accepted.append(item)
                pending.remove(item)
                changed = True
    return sorted(accepted, key=lambda item: item.first)


def _means_place(item: _Found, tokens: list[_Token], accepted: list[_Found], words: list[int]) -> bool:
    after = _next_word(tokens, item.last)
    if after is not None and after.lower in PLACE_NOUNS_AFTER:
        return True
    if words and words[0] == item.first and words[-1] == item.last:
        return True  # the whole question is the name: "Boden?"
    first = tokens[item.first]
    before = _previous_word(tokens, item.first)
    if not first.capitalised:
        return (
            before is not None
            and before.lower in PLACE_PREPOSITIONS
            and any(token.lower in PLACE_QUESTION_WORDS for token in tokens)
        )
    if not first.sentence_start and before is not None and before.lower in PLACE_WORDS_BEFORE:
        return True
    return _listed_with_place(item, tokens, accepted)


def _listed_with_place(item: _Found, tokens: list[_Token], accepted: list[_Found]) -> bool:
    """ "Lerum, Ale och Kungälv": a capitalised name in a list beside a recognised place."""
    for other in accepted:
        if other.last < item.first:
            between = tokens[other.last + 1 : item.first]
        elif other.first > item.last:
            between = tokens[item.last + 1 : other.first]
        else:
            continue
        if len(between) == 1 and between[0].lower in LIST_JOINERS:
            return True
    return False


def _next_word(tokens: list[_Token], index: int) -> _Token | None:
    return tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1].word else None


def _previous_word(tokens: list[_Token], index: int) -> _Token | None:
    return tokens[index - 1] if index > 0 and tokens[index - 1].word else None


def _mention(item: _Found) -> Mention:
    return _mention_of(item.surface, item.entries)


def _mention_of(surface: str, entries: Iterable[_Entry]) -> Mention:
    """One mention for all entries a name stands for; several counties stay candidates."""
    entries = sorted(entries, key=lambda entry: KIND_TRUST.index(entry.kind))
    codes = tuple(sorted({code for entry in entries for code in entry.counties}))
    if len({entry.counties for entry in entries}) > 1:
        names = " / ".join(sorted({entry.name for entry in entries}))
        return Mention(surface, names, MentionKind.AMBIGUOUS, codes)
    return Mention(surface, entries[0].name, entries[0].kind, codes)


def _decide(
    mentions: list[Mention], foreign: tuple[ForeignPlace, ...] = (), suggestion: Mention | None = None
) -> Recognition:
    """Answer the named counties; an area narrowed by another mention gives way to it."""
    if not mentions:
        if foreign or suggestion:
            return Recognition(Status.NONE, (), (), foreign, None if foreign else suggestion)
        return NOTHING
    single = {mention.counties[0] for mention in mentions if len(mention.counties) == 1}
    open_areas = [
        mention for mention in mentions if len(mention.counties) > 1 and not single.intersection(mention.counties)
    ]
    # In the order the question names them ("Gotland och Sörmland" answers Gotland first); an
    # area's own counties keep their code order.
    named = [
        code for mention in mentions if len(mention.counties) == 1 or mention in open_areas for code in mention.counties
    ]
    codes = tuple(dict.fromkeys(named))
    unique = tuple(dict.fromkeys(mentions))
    if not open_areas:
        return Recognition(Status.ANSWER, codes, unique)
    must_ask = any(
        mention.kind is MentionKind.AMBIGUOUS or len(mention.counties) > MAX_COUNTIES_ANSWERED_TOGETHER
        for mention in open_areas
    )
    return Recognition(Status.CLARIFY if must_ask else Status.ANSWER, codes, unique)
