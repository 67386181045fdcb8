"""The people directory: officers per county and the regional dialogues (data/officers.yaml,
data/dialogues.yaml). Plain Python; no botbuilder, no aiohttp."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Officer:
    """A county officer (länsansvarig handläggare) or a deputy."""

    name: str
    title: str
    unit: str
    office: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class CountyContacts:
    """Who answers for one county, and where its SharePoint page is."""

    county: str  # county code, "04"
    officers: tuple[Officer, ...]  # empty when the post is vacant
    deputy: Officer | None
    sharepoint_url: str  # the county's page, or the strategic regional work site

    @property
    def vacant(self) -> bool:
        return not self.officers


@dataclass(frozen=True, slots=True)
class Dialogue:
    """One regional dialogue (regional dialog) with a county's regional body."""

    id: str
    county: str
    date: dt.date
    title: str
    summary: str
    link: str | None
