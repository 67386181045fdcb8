"""A small directory built in Python for the adapter tests: four counties, a few places, one
area spanning two counties (for the clarify dialog), a vacancy and a deputy.

Built in code rather than YAML so that the Teams tests do not depend on the data files' format.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from bot.core.answers import Answer, CountyAnswer
from bot.core.recognition import Mention, Status
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.data.geography import Area, AreaKind, County, Geography, Municipality
from bot.data.people import CountyContacts, Dialogue, Officer

TODAY = dt.date(2026, 11, 26)

COUNTIES = (
    County(
        "01",
        "AB",
        "Stockholms län",
        ("Stockholm",),
        ("Stockholm County",),
        "Region Stockholm",
        (),
        "Stockholm",
        ("stockholmsk",),
        ("stockholmare",),
    ),
    County(
        "03",
        "C",
        "Uppsala län",
        ("Uppsala",),
        ("Uppsala County",),
        "Region Uppsala",
        (),
        "Uppsala",
        ("uppländsk",),
        ("uppsalabo",),
    ),
    County(
        "04",
        "D",
        "Södermanlands län",
        ("Sörmland", "Södermanland"),
        ("Sodermanland County",),
        "Region Sörmland",
        ("Regionförbundet Sörmland",),
        "Nyköping",
        ("sörmländsk",),
        ("sörmlänning",),
    ),
    County(
        "09",
        "I",
        "Gotlands län",
        ("Gotland",),
        ("Gotland County",),
        "Region Gotland",
        (),
        "Visby",
        ("gotländsk",),
        ("gotlänning",),
    ),
)
MUNICIPALITIES = (
    Municipality("0180", "Stockholm", "01", ("Stockholms stad",), ("Kista",), (), (), False),
    Municipality("0380", "Uppsala", "03", (), ("Storvreta", "Ekeby"), (), (), False),
    Municipality("0484", "Eskilstuna", "04", (), ("Torshälla",), (), (), False),
    Municipality("0480", "Nyköping", "04", ("Nykoping",), (), (), (), False),
    Municipality("0980", "Gotland", "09", (), ("Visby", "Ekeby"), (), (), False),
)
AREAS = (
    Area("Uppland", AreaKind.PROVINCES, ("01", "03"), (), ("uppländsk",), ("upplänning",)),
    Area("Östra Mellansverige", AreaKind.PROGRAMME_AREAS, ("03", "04"), ("ÖMS",), (), ()),
    Area("Östersjökusten", AreaKind.REGIONS, ("01", "03", "04", "09"), (), (), ()),  # four counties: ask which
)

ISABELLE = Officer(
    "Isabelle Canderskog",
    "Handläggare",
    "Regional tillväxt mellersta Sverige",
    "Eskilstuna",
    "isabelle.canderskog@tillvaxtverket.se",
    "+46 8 681 91 00",
)
MONIKA = Officer(
    "Monika Kväl",
    "Enhetschef",
    "Regional tillväxt mellersta Sverige",
    "Eskilstuna",
    "monika.kval@tillvaxtverket.se",
    "+46 8 681 91 01",
)
PER = Officer(
    "Per Persson",
    "Handläggare",
    "Regional tillväxt östra Sverige",
    "Stockholm",
    "per.persson@tillvaxtverket.se",
    "+46 8 681 91 02",
)
ISAK = Officer(
    "Isak Berg",
    "Handläggare",
    "Regional tillväxt östra Sverige",
    "Visby",
    "isak.berg@tillvaxtverket.se",
    "+46 8 681 91 03",
)

CONTACTS = {
    "01": CountyContacts("01", (PER,), None, STRATEGIC_SITE_URL + "/stockholm"),
    "03": CountyContacts("03", (), PER, STRATEGIC_SITE_URL),  # vacant, with a deputy
    "04": CountyContacts("04", (ISABELLE,), MONIKA, STRATEGIC_SITE_URL + "/sormland"),
    "09": CountyContacts("09", (ISAK, PER), None, STRATEGIC_SITE_URL + "/gotland"),
}
DIALOGUES = {
    "01": (),
    "03": (),
    "04": tuple(
        Dialogue(f"d04-{n}", "04", day, title, f"Sammanfattning {n}: smart specialisering och kompetens.", link)
        for n, (day, title, link) in enumerate(
            (
                (dt.date(2025, 3, 12), "Regional dialog våren 2025", "https://example.se/d1"),
                (dt.date(2025, 10, 2), "Regional dialog hösten 2025", None),
                (dt.date(2026, 4, 20), "Regional dialog våren 2026", "https://example.se/d3"),
                (dt.date(2026, 9, 15), "Regional dialog hösten 2026", "https://example.se/d4"),
                (dt.date(2027, 2, 3), "Regional dialog våren 2027", "https://example.se/d5"),
            ),
            start=1,
        )
    ),
    "09": (
        Dialogue(
            "d09-1", "09", dt.date(2027, 1, 10), "Dialog om *besöksnäring* [läs](javascript:x)", "Turism_och_hamn", None
        ),
    ),
}


def geography() -> Geography:
    """Return the test geography."""
    return Geography(COUNTIES, MUNICIPALITIES, AREAS, MappingProxyType({c.code: c for c in COUNTIES}))


def directory(example_data: bool = False) -> Directory:
    """Return the test directory."""
    return Directory(
        geography(),
        MappingProxyType(CONTACTS),
        MappingProxyType(DIALOGUES),
        example_data,
        "test1234",
        dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC),
    )


def county_answer(code: str) -> CountyAnswer:
    """Return a county answer composed the way the core composes it (recent newest first, next upcoming)."""
    county = geography().county(code)
    past = [d for d in DIALOGUES[code] if d.date < TODAY]
    future = [d for d in DIALOGUES[code] if d.date >= TODAY]
    return CountyAnswer(county, CONTACTS[code], tuple(reversed(past))[:3], future[0] if future else None)


def answer(
    *codes: str,
    language: str = "sv",
    status: Status = Status.ANSWER,
    example_data: bool = False,
    mentions: tuple[Mention, ...] = (),
) -> Answer:
    """Return an answer for the given counties, as the core would build it."""
    return Answer(status, language, tuple(county_answer(code) for code in codes), mentions, example_data)
