"""The people directory: officers per county and the regional dialogues (data/officers.yaml,
data/dialogues.yaml). Plain Python; no botbuilder, no aiohttp."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from bot.data.geography import COUNTY_CODE
from bot.data.validation import DataIssue, Entry, display_path, entries, line_of, quoted, read_yaml
from bot.data.wording import Part


@dataclass(frozen=True, slots=True)
class Officer:
    """A county officer (länsansvarig handläggare) or a deputy."""

    name: str
    title: str
    unit: str
    office: str
    email: str
    phone: str
    upn: str = ""  # Teams sign-in name when it differs from the e-mail; "" when it is the e-mail
    entra_id: str = ""  # Entra ID object id (a GUID), for Teams' people component; "" when unknown

    def signs_in_as(self, sign_in: str) -> bool:
        """Return whether a Teams sign-in name (UPN) or e-mail address is this person's."""
        return _same_identity(sign_in, self.email, self.upn)

    @property
    def sign_in(self) -> str:
        """Return the name the person signs in to Teams with: the UPN, else the e-mail."""
        return self.upn or self.email


@dataclass(frozen=True, slots=True)
class Editor:
    """A coordinator who may post for any county (officers.yaml, editors:)."""

    name: str
    email: str
    upn: str = ""  # Teams sign-in name when it differs from the e-mail

    def signs_in_as(self, sign_in: str) -> bool:
        """Return whether a Teams sign-in name (UPN) or e-mail address is this person's."""
        return _same_identity(sign_in, self.email, self.upn)


def _same_identity(sign_in: str, email: str, upn: str) -> bool:
    # Sign-in names and e-mail addresses are case-insensitive in Entra ID.
    wanted = sign_in.strip().casefold()
    return bool(wanted) and wanted in {email.casefold(), upn.casefold()} - {""}


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


@dataclass(frozen=True, slots=True)
class People:
    """The validated contents of officers.yaml and dialogues.yaml."""

    contacts: Mapping[str, CountyContacts]  # by county code
    dialogues: Mapping[str, tuple[Dialogue, ...]]  # by county code, oldest first
    example_data: bool
    editors: tuple[Editor, ...] = ()  # coordinators who may post for any county


OFFICERS_FILE = "officers.yaml"
DIALOGUES_FILE = "dialogues.yaml"
# Deliberately loose: the local part and domain of real addresses vary; this catches the typos
# editors make (a missing @, a space, a missing top-level domain), not every RFC 5322 corner.
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# An Entra ID object id is a GUID; anything else is a paste error (a name, a UPN).
ENTRA_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# International form (E.164: at most 15 digits), so Teams and phones can dial it from anywhere.
PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
# A Swedish number never keeps the trunk 0 after +46 ("+46 (0)8" and "+46 08" do not dial).
SWEDISH_TRUNK_ZERO = re.compile(r"^\+460")
PHONE_SEPARATORS = re.compile(r"[\s\-]")
OFFICER_FIELDS = ("name", "title", "unit", "office", "email", "phone", "upn", "entra_id")
EDITOR_FIELDS = ("name", "email", "upn")
COUNTY_FIELDS = ("county", "officers", "deputy", "sharepoint")
DIALOGUE_FIELDS = ("id", "county", "date", "title", "summary", "link")
OFFICERS_TOP_LEVEL = ("example_data", "counties", "editors")


def load_people(data_dir: Path, counties: Mapping[str, str] | None, default_url: str) -> tuple[People, list[DataIssue]]:
    """Load officers.yaml and dialogues.yaml; return what loaded and every issue found.

    `counties` maps each known county code to its name; None when the place data itself failed to
    load, in which case only the people files' own form is checked.
    """
    issues: list[DataIssue] = []
    contacts, example_data, editors = _load_officers(data_dir / OFFICERS_FILE, counties, default_url, issues)
    dialogues = _load_dialogues(data_dir / DIALOGUES_FILE, counties, issues)
    return People(MappingProxyType(contacts), MappingProxyType(dialogues), example_data, editors), issues


# --- officers.yaml -----------------------------------------------------------------------------


def _load_officers(
    path: Path, counties: Mapping[str, str] | None, default_url: str, issues: list[DataIssue]
) -> tuple[dict[str, CountyContacts], bool, tuple[Editor, ...]]:
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return {}, False, ()
    top = Entry(file, data if isinstance(data, dict) else {}, (), issues)
    # When in doubt, say it is example data rather than pass it off as real.
    example_data = top.flag("example_data")
    top.known_fields(OFFICERS_TOP_LEVEL)
    editors = _editors(top)
    contacts: dict[str, CountyContacts] = {}
    first_line: dict[str, int | None] = {}
    before = len(issues)
    for number, item, line in entries(data, "counties", file, issues):
        entry_contacts = _county_contacts(Entry(file, item, (), issues, line), number, counties, default_url)
        if entry_contacts is None:
            continue
        code = entry_contacts.county
        if code in contacts:
            issues.append(
                DataIssue(
                    file,
                    "county_listed_twice",
                    line=line,
                    values=(("value", code), ("first", f"{first_line[code]}")),
                )
            )
            continue
        contacts[code], first_line[code] = entry_contacts, line
    shape_broken = any(issue.problem in ("top_level_missing", "not_a_list") for issue in issues[before:])
    if counties is not None and not shape_broken:
        for code, name in counties.items():
            if code not in contacts:
                issues.append(DataIssue(file, "county_without_block", values=(("value", code), ("name", name))))
    return contacts, True if example_data is None else example_data, editors


def _county_contacts(
    entry: Entry, number: int, counties: Mapping[str, str] | None, default_url: str
) -> CountyContacts | None:
    written = _code_text(entry.item.get("county"))
    entry.where = (("county", written),) if written else (("counties", f"{number}"),)
    code = _county_code(entry, counties)
    entry.known_fields(COUNTY_FIELDS)
    officers = _officers(entry)
    deputy = _deputy(entry)
    url = _url(entry, "sharepoint") or default_url
    if not code:
        return None
    return CountyContacts(county=code, officers=officers, deputy=deputy, sharepoint_url=url)


def _officers(entry: Entry) -> tuple[Officer, ...]:
    value = entry.item.get("officers")
    if value is None:
        entry.report("officers" if "officers" in entry.item else "", "officers_missing")
        return ()
    if not isinstance(value, list):
        entry.report("officers", "officers_not_list")
        return ()
    officers: list[Officer] = []
    for number, person in enumerate(value, start=1):
        officer = _officer(entry, person, ("officer", f"{number}"), line_of(value, number - 1))
        if officer is not None:
            officers.append(officer)
    return tuple(officers)


def _deputy(entry: Entry) -> Officer | None:
    value = entry.item.get("deputy")
    if value is None:
        return None
    return _officer(entry, value, ("deputy", ""), line_of(entry.item, "deputy"))


def _person(entry: Entry, person: object, part: Part, line: int | None, known: tuple[str, ...]) -> Entry | None:
    """Return the entry for one person (officer, deputy, editor), or None after reporting a non-mapping."""
    if not isinstance(person, dict):
        entry.issues.append(
            DataIssue(
                entry.file,
                "entry_not_mapping",
                line=line,
                where=(*entry.where, part),
                values=(("value", quoted(person)),),
            )
        )
        return None
    name = person.get("name")
    parts: tuple[Part, ...] = (part, ("name", name.strip())) if isinstance(name, str) and name.strip() else (part,)
    child = entry.child(person, *parts, line=line)
    child.known_fields(known)
    return child


def _officer(entry: Entry, person: object, part: Part, line: int | None) -> Officer | None:
    child = _person(entry, person, part, line, OFFICER_FIELDS)
    if child is None:
        return None
    before = len(entry.issues)
    officer = Officer(
        name=child.text("name"),
        title=child.text("title"),
        unit=child.text("unit", required=False),
        office=child.text("office", required=False),
        email=_email(child, "email"),
        phone=_phone(child),
        upn=_email(child, "upn", required=False),
        entra_id=_entra_id(child),
    )
    return officer if len(entry.issues) == before else None


def _editors(top: Entry) -> tuple[Editor, ...]:
    """Return the coordinators who may post for any county; the list is optional."""
    value = top.item.get("editors")
    if value is None:
        return ()
    if not isinstance(value, list):
        top.report("editors", "not_a_list")
        return ()
    editors: list[Editor] = []
    first_line: dict[str, int | None] = {}
    for number, person in enumerate(value, start=1):
        line = line_of(value, number - 1)
        child = _person(top, person, ("editor", f"{number}"), line, EDITOR_FIELDS)
        if child is None:
            continue
        before = len(top.issues)
        editor = Editor(name=child.text("name"), email=_email(child, "email"), upn=_email(child, "upn", required=False))
        if len(top.issues) != before:
            continue
        key = editor.email.casefold()
        if key in first_line:
            child.report("email", "editor_listed_twice", value=editor.email, first=f"{first_line[key]}")
            continue
        first_line[key] = line
        editors.append(editor)
    return tuple(editors)


def _email(entry: Entry, field_name: str, required: bool = True) -> str:
    """Return an e-mail-shaped address (email:, or upn:, the Teams sign-in name); report anything else."""
    value = entry.text(field_name, required=required)
    if value and not EMAIL.match(value):
        entry.report(field_name, "not_upn" if field_name == "upn" else "not_email", value=quoted(value))
        return ""
    return value


def _entra_id(entry: Entry) -> str:
    """Return the Entra ID object id (a GUID, lower case); report anything else."""
    value = entry.text("entra_id", required=False)
    if value and not ENTRA_ID.match(value):
        entry.report("entra_id", "not_entra_id", value=quoted(value))
        return ""
    return value.lower()


def _phone(entry: Entry) -> str:
    value = entry.item.get("phone")
    if value is None or value == "":
        return ""
    digits = PHONE_SEPARATORS.sub("", value) if isinstance(value, str) else ""
    if not PHONE.match(digits) or SWEDISH_TRUNK_ZERO.match(digits):
        entry.report("phone", "not_phone", value=quoted(value))
        return ""
    return value.strip() if isinstance(value, str) else ""


# --- dialogues.yaml ----------------------------------------------------------------------------


def _load_dialogues(
    path: Path, counties: Mapping[str, str] | None, issues: list[DataIssue]
) -> dict[str, tuple[Dialogue, ...]]:
    file = display_path(path)
    data, read_issues = read_yaml(path)
    issues += read_issues
    if read_issues:
        return {}
    by_county: dict[str, list[Dialogue]] = {}
    first_line: dict[str, int | None] = {}
    for number, item, line in entries(data, "dialogues", file, issues):
        entry = Entry(file, item, (), issues, line)
        dialogue = _dialogue(entry, number, counties)
        if dialogue is None:
            continue
        if dialogue.id in first_line:
            entry.report("id", "id_used_twice", value=dialogue.id, first=f"{first_line[dialogue.id]}")
            continue
        first_line[dialogue.id] = line
        by_county.setdefault(dialogue.county, []).append(dialogue)
    return {code: tuple(sorted(found, key=lambda d: (d.date, d.id))) for code, found in by_county.items()}


def _dialogue(entry: Entry, number: int, counties: Mapping[str, str] | None) -> Dialogue | None:
    raw_id = entry.item.get("id")
    name: tuple[Part, ...] = (
        (("name", quoted(raw_id)),) if isinstance(raw_id, (str, int)) and f"{raw_id}".strip() else ()
    )
    entry.where = (("dialogue", f"{number}"), *name)
    entry.known_fields(DIALOGUE_FIELDS)
    before = len(entry.issues)
    dialogue_id = entry.text("id")
    county = _county_code(entry, counties)
    date = _date(entry, "date")
    title = _one_line(entry, "title")
    summary = _one_line(entry, "summary")
    link = _url(entry, "link")
    if len(entry.issues) != before or date is None:
        return None
    return Dialogue(id=dialogue_id, county=county, date=date, title=title, summary=summary, link=link)


def _one_line(entry: Entry, field_name: str) -> str:
    value = entry.text(field_name)
    if "\n" in value:
        entry.report(field_name, "not_one_line")
        return ""
    return value


def _date(entry: Entry, field_name: str) -> dt.date | None:
    value = entry.item.get(field_name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        entry.report(field_name, "missing")
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())  # a quoted "2026-11-03" is still a date
        except ValueError:
            pass
    entry.report(field_name, "not_date", value=quoted(value))
    return None


# --- shared field checks -----------------------------------------------------------------------


def _county_code(entry: Entry, counties: Mapping[str, str] | None) -> str:
    """Return the entry's known county code, or "" after reporting why it is not one."""
    value = entry.item.get("county")
    if value is None or value == "":
        entry.report("county", "missing")
        return ""
    code = _code_text(value)
    if not COUNTY_CODE.match(code):
        entry.report("county", "not_county_code", value=quoted(value))
        return ""
    if counties is not None and code not in counties:
        entry.report("county", "county_not_known", value=code)
        return ""
    return code


def _code_text(value: object) -> str:
    """Return a county code as written; only a scalar, never the text of a whole list or mapping."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    # An unquoted 04 reads as the number 4 in YAML; editors should not have to know that.
    return f"{value:02d}" if isinstance(value, int) else quoted(value)


def _url(entry: Entry, field_name: str) -> str | None:
    value = entry.item.get(field_name)
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname or any(c.isspace() for c in text):
        entry.report(field_name, "not_url", value=quoted(value))
        return None
    return text
