"""Sweden's counties, municipalities and wider areas as Regiondörren knows them
(data/counties.yaml, data/municipalities.yaml, data/areas.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from bot.data.validation import DataError, DataIssue, Entry, display_path, entries, line_of, quoted, read_yaml

COUNTY_CODE = re.compile(r"^(0[1-9]|1[0-9]|2[0-5])$")
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
# The letters Sweden's counties have used since 2007 (SCB); the letter code of every county.
LETTER_CODE = re.compile(r"^[A-Z]{1,2}$")
# The fields each kind of entry may have. Anything else is a typo to name, not to skip: a
# misspelt "shrot:" would otherwise drop its names from recognition without a word.
COUNTY_FIELDS = (
    "code",
    "letter",
    "name",
    "short",
    "english",
    "region",
    "former_regions",
    "seat",
    "adjectives",
    "demonyms",
)
MUNICIPALITY_FIELDS = ("code", "name", "aliases", "places", "adjectives", "demonyms", "ordinary_word")
AREA_FIELDS = ("name", "counties", "aliases", "adjectives", "demonyms")


class AreaKind(StrEnum):
    """The kinds of area in data/areas.yaml, each listed under its own top-level key."""

    PROVINCES = "provinces"  # landskap
    PROGRAMME_AREAS = "programme_areas"  # ERUF programme areas
    REGIONS = "regions"  # informal regions ("Norrland", "Mälardalen")


@dataclass(frozen=True, slots=True)
class County:
    """One of the 21 counties (län)."""

    code: str  # "04"
    letter: str  # "D"
    name: str  # "Södermanlands län"
    short_names: tuple[str, ...]  # "Sörmland", "Södermanland"
    english: tuple[str, ...]  # "Sodermanland County"
    region: str  # "Region Sörmland"
    former_regions: tuple[str, ...]  # "Regionförbundet Sörmland"
    seat: str  # "Nyköping"
    adjectives: tuple[str, ...]  # "sörmländsk"
    demonyms: tuple[str, ...]  # "sörmlänning"


@dataclass(frozen=True, slots=True)
class Municipality:
    """One of the 290 municipalities (kommuner), with the towns people name instead."""

    code: str  # "0484"
    name: str  # "Eskilstuna"
    county: str  # "04"
    aliases: tuple[str, ...]  # other spellings and English names
    places: tuple[str, ...]  # towns and villages in it that people name ("Visby")
    adjectives: tuple[str, ...]
    demonyms: tuple[str, ...]
    ordinary_word: bool  # the name is also an everyday word ("Vara", "Mark", "Berg")


@dataclass(frozen=True, slots=True)
class Area:
    """A province (landskap), ERUF programme area or informal region spanning counties."""

    name: str
    kind: AreaKind
    counties: tuple[str, ...]
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Geography:
    """Everything place-related, indexed by county code."""

    counties: tuple[County, ...]
    municipalities: tuple[Municipality, ...]
    areas: tuple[Area, ...]
    by_code: Mapping[str, County] = field(default_factory=lambda: MappingProxyType({}))

    def county(self, code: str) -> County:
        """Return the county with this code (KeyError for an unknown code)."""
        return self.by_code[code]


def load_geography(data_dir: Path) -> Geography:
    """Load and validate the three place files; raise DataError listing every issue."""
    issues: list[DataIssue] = []
    counties, seat_lines = _load_counties(data_dir / "counties.yaml", issues)
    # No counties read (file missing, empty, not YAML): checking places against them would
    # report every municipality and area, burying the one issue that matters.
    codes = {county.code for county in counties} if counties else None
    municipalities_path = data_dir / "municipalities.yaml"
    read_before = len(issues)
    municipalities = _load_municipalities(municipalities_path, codes, issues)
    # Only a file that could be read says which counties it leaves out; an unreadable one is
    # already one issue, and 21 more about empty counties would bury it.
    if counties and not _unreadable(issues[read_before:]):
        issues += _structure_issues(
            counties,
            seat_lines,
            municipalities,
            display_path(municipalities_path),
            display_path(data_dir / "counties.yaml"),
        )
    areas = _load_areas(data_dir / "areas.yaml", codes, issues)
    if issues:
        raise DataError(issues)
    by_code = MappingProxyType({county.code: county for county in counties})
    return Geography(tuple(counties), tuple(municipalities), tuple(areas), by_code)


def _load_counties(path: Path, issues: list[DataIssue]) -> tuple[list[County], dict[str, int | None]]:
    """Return the counties, and the line of each county's seat (checked against the municipalities later)."""
    counties: list[County] = []
    first_line: dict[str, int | None] = {}
    seat_lines: dict[str, int | None] = {}
    for number, entry in _read_entries(path, "counties", issues):
        entry.where = (("county", _written(entry.item.get("code"), number)),)
        entry.known_fields(COUNTY_FIELDS)
        code = _unique_code(entry, COUNTY_CODE, "not_county_code", first_line)
        seat_lines[code] = line_of(entry.item, "seat")
        counties.append(
            County(
                code=code,
                letter=_code(entry, "letter", LETTER_CODE, "not_county_letter"),
                name=entry.text("name"),
                short_names=entry.texts("short"),
                english=entry.texts("english"),
                region=entry.text("region"),
                former_regions=entry.texts("former_regions"),
                seat=entry.text("seat"),
                adjectives=entry.texts("adjectives"),
                demonyms=entry.texts("demonyms"),
            )
        )
    return counties, seat_lines


def _load_municipalities(path: Path, county_codes: set[str] | None, issues: list[DataIssue]) -> list[Municipality]:
    municipalities: list[Municipality] = []
    first_line: dict[str, int | None] = {}
    for number, entry in _read_entries(path, "municipalities", issues):
        entry.where = (("municipality", _written(entry.item.get("code"), number)),)
        name = entry.item.get("name")
        if isinstance(name, str) and name.strip():
            entry.where += (("name", quoted(name)),)
        entry.known_fields(MUNICIPALITY_FIELDS)
        code = _unique_code(entry, MUNICIPALITY_CODE, "not_municipality_code", first_line)
        if code and county_codes is not None and code[:2] not in county_codes:
            entry.report("code", "code_outside_counties", value=code, prefix=code[:2])
        ordinary = entry.flag("ordinary_word")
        municipalities.append(
            Municipality(
                code=code,
                name=entry.text("name"),
                county=code[:2],
                aliases=entry.texts("aliases"),
                places=entry.texts("places"),
                adjectives=entry.texts("adjectives"),
                demonyms=entry.texts("demonyms"),
                ordinary_word=bool(ordinary),
            )
        )
    return municipalities


# What makes a whole file unusable: reading it, or its top-level shape.
_WHOLE_FILE_PROBLEMS = frozenset(
    {
        "file_missing",
        "not_regular_file",
        "file_too_large",
        "file_unreadable",
        "file_empty",
        "not_utf8",
        "tab_at_start",
        "tab",
        "colon_in_value",
        "missing_colon",
        "unclosed_quote",
        "unclosed_bracket",
        "indentation",
        "alias",
        "key_not_text",
        "repeated_key",
        "yaml_other",
        "top_level_missing",
        "not_a_list",
    }
)


def _unreadable(issues: list[DataIssue]) -> bool:
    """Say whether `issues` include one about the whole file (missing, empty, not YAML, wrong shape)."""
    return any(issue.problem in _WHOLE_FILE_PROBLEMS for issue in issues)


def _structure_issues(
    counties: list[County],
    seat_lines: Mapping[str, int | None],
    municipalities: list[Municipality],
    municipalities_file: str,
    counties_file: str,
) -> list[DataIssue]:
    """Report counties without municipalities and seats that are none of their county's places.

    A municipalities.yaml saved only in part still parses when the save stopped at a line end;
    these two checks are what tell it from an edit, since the counties at the end lose every town.
    """
    places: dict[str, set[str]] = {}
    for municipality in municipalities:
        names = (municipality.name, *municipality.aliases, *municipality.places)
        places.setdefault(municipality.county, set()).update(name.casefold() for name in names if name)
    issues: list[DataIssue] = []
    for county in counties:
        if not county.code:
            continue  # a malformed code is reported already
        if county.code not in places:
            values = (("value", county.code), ("name", county.name))
            issues.append(DataIssue(municipalities_file, "county_without_municipality", values=values))
            continue
        if county.seat and county.seat.casefold() not in places[county.code]:
            issues.append(
                DataIssue(
                    counties_file,
                    "seat_not_a_place",
                    line=seat_lines.get(county.code),
                    where=(("county", county.code),),
                    field="seat",
                    values=(("value", county.seat),),
                )
            )
    return issues


def _load_areas(path: Path, county_codes: set[str] | None, issues: list[DataIssue]) -> list[Area]:
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return []
    if isinstance(data, dict):
        Entry(file, data, (), issues).known_fields(tuple(kind.value for kind in AreaKind))
    areas: list[Area] = []
    for kind in AreaKind:
        for number, item, line in entries(data, kind, file, issues):
            entry = Entry(file, item, ((kind, f"{number}"),), issues, line)
            name = item.get("name")
            if isinstance(name, str) and name.strip():
                entry.where += (("name", quoted(name)),)
            entry.known_fields(AREA_FIELDS)
            areas.append(
                Area(
                    name=entry.text("name"),
                    kind=kind,
                    counties=_county_list(entry, county_codes),
                    aliases=entry.texts("aliases"),
                    adjectives=entry.texts("adjectives"),
                    demonyms=entry.texts("demonyms"),
                )
            )
    return areas


def _read_entries(path: Path, key: str, issues: list[DataIssue]) -> Iterator[tuple[int, Entry]]:
    """Read one data file and yield each mapping listed under `key`, with its number, as an Entry."""
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return
    if isinstance(data, dict):
        Entry(file, data, (), issues).known_fields((key,))
    for number, item, line in entries(data, key, file, issues):
        yield number, Entry(file, item, (), issues, line)


def _written(value: object, number: int) -> str:
    """Return a code as written, to name its entry by; the entry's number when there is none."""
    if isinstance(value, (str, int)) and not isinstance(value, bool) and f"{value}".strip():
        return quoted(value)
    return f"{number}"


def _unique_code(entry: Entry, pattern: re.Pattern[str], problem: str, first_line: dict[str, int | None]) -> str:
    """Return the entry's well-formed `code`, reporting one that is malformed or listed twice."""
    code = _code(entry, "code", pattern, problem)
    if code and code in first_line:
        entry.report("code", "code_listed_twice", value=code, first=f"{first_line[code]}")
    elif code:
        first_line[code] = entry.line
    return code


def _code(entry: Entry, field_name: str, pattern: re.Pattern[str], problem: str) -> str:
    value = entry.item.get(field_name)
    text = "" if value is None or isinstance(value, bool) or not isinstance(value, (str, int)) else f"{value}".strip()
    if not pattern.match(text):
        if value is None or value == "":
            entry.report(field_name, "missing")
        else:
            entry.report(field_name, problem, value=quoted(value))
        return ""
    return text


def _county_list(entry: Entry, county_codes: set[str] | None) -> tuple[str, ...]:
    value = entry.item.get("counties")
    if not isinstance(value, list) or not value or not all(isinstance(v, (str, int)) for v in value):
        entry.report("counties", "not_county_list")
        return ()
    codes = tuple(f"{v:02d}" if isinstance(v, int) and not isinstance(v, bool) else f"{v}".strip() for v in value)
    unknown = [code for code in codes if county_codes is not None and code not in county_codes]
    if unknown:
        entry.report("counties", "unknown_counties", value=", ".join(unknown))
    return tuple(sorted(set(codes)))
