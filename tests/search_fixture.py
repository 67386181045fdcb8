"""Build a Directory from a fixture folder without the people loader.

The directory loader (bot.directory.load_directory) is written on another branch; until it lands
this reads officers.yaml in the same format, so the search tests use real files of the real shape.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.directory import STRATEGIC_SITE_URL, Directory
from bot.geography import load_geography
from bot.people import CountyContacts, Officer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search"
SHIPPED_DATA = Path(__file__).resolve().parent.parent / "data"


def _officer(person: dict[str, str]) -> Officer:
    return Officer(**{field: str(person.get(field, "")) for field in ("name", "title", "unit", "office", "email", "phone")})


def load_fixture_directory(data_dir: Path = FIXTURES, officers_dir: Path = FIXTURES) -> Directory:
    """Load places from `data_dir` and officers from `officers_dir`/officers.yaml."""
    geography = load_geography(data_dir)
    raw = yaml.safe_load((officers_dir / "officers.yaml").read_text(encoding="utf-8"))
    contacts: dict[str, CountyContacts] = {}
    for item in raw["counties"]:
        code = str(item["county"])
        if code not in geography.by_code:
            continue
        deputy = item.get("deputy")
        contacts[code] = CountyContacts(
            county=code,
            officers=tuple(_officer(person) for person in item.get("officers") or ()),
            deputy=_officer(deputy) if deputy else None,
            sharepoint_url=item.get("sharepoint", STRATEGIC_SITE_URL),
        )
    for county in geography.counties:
        contacts.setdefault(county.code, CountyContacts(county.code, (), None, STRATEGIC_SITE_URL))
    return Directory(geography, MappingProxyType(contacts), MappingProxyType({}), bool(raw.get("example_data")),
                     "fixture", dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc))
