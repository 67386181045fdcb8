"""Every name of every place, read once from one geography and shared.

The recogniser, the search extension and the clarify dialog all look places up by name; this
module lists those names once per data version (official, short, English, regional body, town,
adjective and demonym stems), each with the kind of place it names and the counties it leads to.
Plain Python; no botbuilder, no aiohttp.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from bot.data.geography import Area, AreaKind, County, Geography, Municipality


class MentionKind(StrEnum):
    """What kind of name a mention is; the values are what JSON output has always shown."""

    COUNTY = "county"
    MUNICIPALITY = "municipality"
    PLACE = "place"  # a town or locality inside a municipality
    PROVINCES = "provinces"
    PROGRAMME_AREAS = "programme_areas"
    REGIONS = "regions"
    LETTER_CODE = "letter_code"  # "D-län"
    AMBIGUOUS = "ambiguous"  # one name for places in different counties


# Each kind of area in data/areas.yaml is a kind of mention of its own.
AREA_MENTION_KINDS: Mapping[AreaKind, MentionKind] = MappingProxyType(
    {
        AreaKind.PROVINCES: MentionKind.PROVINCES,
        AreaKind.PROGRAMME_AREAS: MentionKind.PROGRAMME_AREAS,
        AreaKind.REGIONS: MentionKind.REGIONS,
    }
)
# Names of a single place inside a county ("Eskilstuna ligger i Södermanlands län").
PLACE_KINDS = frozenset({MentionKind.MUNICIPALITY, MentionKind.PLACE})
# Names of areas that span counties ("Småland omfattar ...").
AREA_KINDS = frozenset(AREA_MENTION_KINDS.values())


class NameForm(StrEnum):
    """How a name is written for its place."""

    OFFICIAL = "official"  # "Södermanlands län", "Eskilstuna", "Småland"
    SHORT = "short"  # a county's short names, a municipality's or area's aliases: "Sörmland"
    ENGLISH = "english"  # "Sodermanland County"
    REGION = "region"  # the county's regional body, now or formerly: "Region Sörmland"
    TOWN = "town"  # a town or village in a municipality: "Torshälla"
    ADJECTIVE = "adjective"  # a stem that takes endings: "sörmländsk"
    DEMONYM = "demonym"  # a stem that takes endings: "sörmlänning"


# The forms that are whole names as written (adjective and demonym stems take endings first).
WHOLE_NAME_FORMS = frozenset({NameForm.OFFICIAL, NameForm.SHORT, NameForm.ENGLISH, NameForm.REGION, NameForm.TOWN})
# What a colleague writes for a county when choosing it by name ("Sörmland", "Södermanlands län").
COUNTY_CHOICE_FORMS = frozenset({NameForm.OFFICIAL, NameForm.SHORT, NameForm.ENGLISH})


@dataclass(frozen=True, slots=True)
class PlaceName:
    """One way of writing one place."""

    text: str  # as written in data/: "Sörmland", "Torshälla", "sörmländsk"
    place: str  # the place it names, as answers show it: "Södermanlands län", "Torshälla (Eskilstuna)"
    kind: MentionKind
    form: NameForm
    counties: tuple[str, ...]
    ordinary: bool = False  # the municipality's name is also an everyday word ("Vara", "Mark")


@dataclass(frozen=True, slots=True)
class PlaceNames:
    """The names of every place in one geography, in data order; build once per data version."""

    names: tuple[PlaceName, ...]
    by_county: Mapping[str, tuple[str, ...]]  # county code -> the names a user chooses it by

    def county_choices(self, code: str) -> tuple[str, ...]:
        """Return the names a county is chosen by: official, short and English."""
        return self.by_county.get(code, ())


def place_names(geography: Geography) -> PlaceNames:
    """List every name of every place in `geography`: counties, then municipalities, then areas."""
    names = tuple(_all_names(geography))
    by_county: dict[str, list[str]] = {}
    for name in names:
        if name.kind is MentionKind.COUNTY and name.form in COUNTY_CHOICE_FORMS:
            by_county.setdefault(name.counties[0], []).append(name.text)
    return PlaceNames(names, MappingProxyType({code: tuple(texts) for code, texts in by_county.items()}))


def _all_names(geography: Geography) -> Iterator[PlaceName]:
    for county in geography.counties:
        yield from _county_names(county)
    for municipality in geography.municipalities:
        yield from _municipality_names(municipality)
    for area in geography.areas:
        yield from _area_names(area)


def _county_names(county: County) -> Iterator[PlaceName]:
    codes = (county.code,)
    forms = (
        (NameForm.OFFICIAL, (county.name,)),
        (NameForm.SHORT, county.short_names),
        (NameForm.ENGLISH, county.english),
        (NameForm.REGION, (county.region, *county.former_regions)),
        (NameForm.ADJECTIVE, county.adjectives),
        (NameForm.DEMONYM, county.demonyms),
    )
    for form, texts in forms:
        for text in texts:
            yield PlaceName(text, county.name, MentionKind.COUNTY, form, codes)


def _municipality_names(municipality: Municipality) -> Iterator[PlaceName]:
    codes = (municipality.county,)
    name, ordinary = municipality.name, municipality.ordinary_word
    yield PlaceName(name, name, MentionKind.MUNICIPALITY, NameForm.OFFICIAL, codes, ordinary)
    for alias in municipality.aliases:
        yield PlaceName(alias, name, MentionKind.MUNICIPALITY, NameForm.SHORT, codes, ordinary)
    for town in municipality.places:
        yield PlaceName(town, f"{town} ({name})", MentionKind.PLACE, NameForm.TOWN, codes)
    for stem in municipality.adjectives:
        yield PlaceName(stem, name, MentionKind.MUNICIPALITY, NameForm.ADJECTIVE, codes)
    for stem in municipality.demonyms:
        yield PlaceName(stem, name, MentionKind.MUNICIPALITY, NameForm.DEMONYM, codes)


def _area_names(area: Area) -> Iterator[PlaceName]:
    kind = AREA_MENTION_KINDS[area.kind]
    forms = (
        (NameForm.OFFICIAL, (area.name,)),
        (NameForm.SHORT, area.aliases),
        (NameForm.ADJECTIVE, area.adjectives),
        (NameForm.DEMONYM, area.demonyms),
    )
    for form, texts in forms:
        for text in texts:
            yield PlaceName(text, area.name, kind, form, area.counties)
