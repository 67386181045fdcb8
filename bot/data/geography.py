"""Sweden's counties, municipalities and wider areas as Regiondörren knows them
(data/counties.yaml, data/municipalities.yaml, data/areas.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from bot.data.validation import DataError, DataIssue, display_path, entries, read_yaml, text_field, text_list

COUNTY_CODE = re.compile(r"^(0[1-9]|1[0-9]|2[0-5])$")
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
# The letters Sweden's counties have used since 2007 (SCB); the letter code of every county.
LETTER_CODE = re.compile(r"^[A-Z]{1,2}$")


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
    counties = _load_counties(data_dir / "counties.yaml", issues)
    # No counties read (file missing, empty, not YAML): checking places against them would
    # report every municipality and area, burying the one issue that matters.
    codes = {county.code for county in counties} if counties else None
    municipalities_path = data_dir / "municipalities.yaml"
    read_before = len(issues)
    municipalities = _load_municipalities(municipalities_path, codes, issues)
    # Only a file that could be read says which counties it leaves out; an unreadable one is
    # already one issue, and 21 more about empty counties would bury it.
    if counties and not _unreadable(issues[read_before:], display_path(municipalities_path)):
        issues += _structure_issues(
            counties, municipalities, display_path(municipalities_path), display_path(data_dir / "counties.yaml")
        )
    areas = _load_areas(data_dir / "areas.yaml", codes, issues)
    if issues:
        raise DataError(issues)
    by_code = MappingProxyType({county.code: county for county in counties})
    return Geography(tuple(counties), tuple(municipalities), tuple(areas), by_code)


def _load_counties(path: Path, issues: list[DataIssue]) -> list[County]:
    file, items = _read_entries(path, "counties", issues)
    counties: list[County] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        entry = f"county {item.get('code', number)}"
        code = _unique_code(item, COUNTY_CODE, "is not a county code 01-25", file, entry, seen, issues)
        counties.append(
            County(
                code=code,
                letter=_code(item, "letter", LETTER_CODE, "is not a county letter (AB, C, D ...)", file, entry, issues),
                name=text_field(item, "name", file, entry, issues),
                short_names=text_list(item, "short", file, entry, issues),
                english=text_list(item, "english", file, entry, issues),
                region=text_field(item, "region", file, entry, issues),
                former_regions=text_list(item, "former_regions", file, entry, issues),
                seat=text_field(item, "seat", file, entry, issues),
                adjectives=text_list(item, "adjectives", file, entry, issues),
                demonyms=text_list(item, "demonyms", file, entry, issues),
            )
        )
    return counties


def _load_municipalities(path: Path, county_codes: set[str] | None, issues: list[DataIssue]) -> list[Municipality]:
    file, items = _read_entries(path, "municipalities", issues)
    municipalities: list[Municipality] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        entry = f"municipality {item.get('code', number)} ({item.get('name', '?')})"
        code = _unique_code(item, MUNICIPALITY_CODE, "is not a four-digit municipality code", file, entry, seen, issues)
        if code and county_codes is not None and code[:2] not in county_codes:
            issues.append(DataIssue(file, entry, "code", f"starts with {code[:2]}, which is no county"))
        ordinary = item.get("ordinary_word", False)
        if not isinstance(ordinary, bool):
            issues.append(DataIssue(file, entry, "ordinary_word", "must be true or false"))
            ordinary = False
        municipalities.append(
            Municipality(
                code=code,
                name=text_field(item, "name", file, entry, issues),
                county=code[:2],
                aliases=text_list(item, "aliases", file, entry, issues),
                places=text_list(item, "places", file, entry, issues),
                adjectives=text_list(item, "adjectives", file, entry, issues),
                demonyms=text_list(item, "demonyms", file, entry, issues),
                ordinary_word=ordinary,
            )
        )
    return municipalities


def _unreadable(issues: list[DataIssue], file: str) -> bool:
    """Say whether `issues` include one about the whole file (missing, empty, not YAML, wrong shape)."""
    return any(issue.file == file and (issue.entry == "file" or issue.entry.startswith("line")) for issue in issues)


def _structure_issues(
    counties: list[County], municipalities: list[Municipality], municipalities_file: str, counties_file: str
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
            issues.append(
                DataIssue(
                    municipalities_file,
                    f"county {county.code} ({county.name})",
                    "code",
                    "is the start of no municipality's code: every county needs at least one "
                    "municipality (was the file saved only in part?)",
                )
            )
            continue
        if county.seat and county.seat.casefold() not in places[county.code]:
            issues.append(
                DataIssue(
                    counties_file,
                    f"county {county.code}",
                    "seat",
                    f"{county.seat} is none of the county's municipalities or their places in {municipalities_file}",
                )
            )
    return issues


def _load_areas(path: Path, county_codes: set[str] | None, issues: list[DataIssue]) -> list[Area]:
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return []
    areas: list[Area] = []
    for kind in AreaKind:
        items, item_issues = entries(data, kind, file)
        issues += item_issues
        for number, item in enumerate(items, start=1):
            entry = f"{kind} entry {number} ({item.get('name', '?')})"
            areas.append(
                Area(
                    name=text_field(item, "name", file, entry, issues),
                    kind=kind,
                    counties=_county_list(item, county_codes, file, entry, issues),
                    aliases=text_list(item, "aliases", file, entry, issues),
                    adjectives=text_list(item, "adjectives", file, entry, issues),
                    demonyms=text_list(item, "demonyms", file, entry, issues),
                )
            )
    return areas


def _read_entries(path: Path, key: str, issues: list[DataIssue]) -> tuple[str, list[dict[str, object]]]:
    """Read one data file and return its name and the mappings listed under `key`."""
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return file, []
    items, item_issues = entries(data, key, file)
    issues += item_issues
    return file, items


def _unique_code(
    item: dict[str, object],
    pattern: re.Pattern[str],
    problem: str,
    file: str,
    entry: str,
    seen: set[str],
    issues: list[DataIssue],
) -> str:
    """Return the entry's well-formed `code`, reporting one that is malformed or listed twice."""
    code = _code(item, "code", pattern, problem, file, entry, issues)
    if code and code in seen:
        issues.append(DataIssue(file, entry, "code", "is listed twice"))
    seen.add(code)
    return code


def _code(
    item: dict[str, object],
    field_name: str,
    pattern: re.Pattern[str],
    problem: str,
    file: str,
    entry: str,
    issues: list[DataIssue],
) -> str:
    value = item.get(field_name)
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not pattern.match(text):
        issues.append(DataIssue(file, entry, field_name, problem if text else "is missing"))
        return ""
    return text


def _county_list(
    item: dict[str, object], county_codes: set[str] | None, file: str, entry: str, issues: list[DataIssue]
) -> tuple[str, ...]:
    value = item.get("counties")
    if not isinstance(value, list) or not value:
        issues.append(DataIssue(file, entry, "counties", "must be a list of county codes"))
        return ()
    codes = tuple(str(v).strip() for v in value)
    unknown = [code for code in codes if county_codes is not None and code not in county_codes]
    if unknown:
        issues.append(DataIssue(file, entry, "counties", f"names unknown county code(s) {', '.join(unknown)}"))
    return tuple(sorted(set(codes)))
