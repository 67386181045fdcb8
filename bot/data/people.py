"""The people directory: officers per county and the regional dialogues (data/officers.yaml,
data/dialogues.yaml). Plain Python; no botbuilder, no aiohttp."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from bot.data.geography import COUNTY_CODE
from bot.data.validation import DataIssue, display_path, entries, read_yaml, text_field


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
VACANT_HINT = "write officers: [] to mark the post vacant"


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
    example_data = _example_flag(data, file, issues)
    editors: tuple[Editor, ...] = ()
    if isinstance(data, dict):
        _unknown_fields(data, OFFICERS_TOP_LEVEL, file, "file", issues)
        editors = _editors(data.get("editors"), file, issues)
    items, item_issues = entries(data, "counties", file)
    issues += item_issues
    contacts: dict[str, CountyContacts] = {}
    for number, item in enumerate(items, start=1):
        entry_contacts = _county_contacts(item, number, counties, default_url, file, issues)
        if entry_contacts is None:
            continue
        if entry_contacts.county in contacts:
            issues.append(DataIssue(file, f"county {entry_contacts.county}", "county", "is listed twice"))
            continue
        contacts[entry_contacts.county] = entry_contacts
    if counties is not None and not item_issues:
        for code, name in counties.items():
            if code not in contacts:
                issues.append(
                    DataIssue(
                        file,
                        f"county {code} ({name})",
                        "officers",
                        f"is missing: every county needs an entry ({VACANT_HINT})",
                    )
                )
    return contacts, example_data, editors


def _example_flag(data: object, file: str, issues: list[DataIssue]) -> bool:
    value = data.get("example_data", False) if isinstance(data, dict) else False
    if not isinstance(value, bool):
        issues.append(DataIssue(file, "file", "example_data", "must be true or false"))
        return True  # when in doubt, say it is example data rather than pass it off as real
    return value


def _county_contacts(
    item: dict[str, object],
    number: int,
    counties: Mapping[str, str] | None,
    default_url: str,
    file: str,
    issues: list[DataIssue],
) -> CountyContacts | None:
    written = _code_text(item.get("county"))
    entry = f"county {written}" if written else f"counties entry {number}"
    code = _county_code(item.get("county"), counties, file, entry, issues)
    _unknown_fields(item, COUNTY_FIELDS, file, entry, issues)
    officers = _officers(item, file, entry, issues)
    deputy = _deputy(item, file, entry, issues)
    url = _url(item, "sharepoint", file, entry, issues) or default_url
    if not code:
        return None
    return CountyContacts(county=code, officers=officers, deputy=deputy, sharepoint_url=url)


def _officers(item: dict[str, object], file: str, entry: str, issues: list[DataIssue]) -> tuple[Officer, ...]:
    if "officers" not in item or item["officers"] is None:
        issues.append(DataIssue(file, entry, "officers", f"is missing ({VACANT_HINT})"))
        return ()
    value = item["officers"]
    if not isinstance(value, list):
        issues.append(DataIssue(file, entry, "officers", "must be a list (start each officer with '- ')"))
        return ()
    officers: list[Officer] = []
    for number, person in enumerate(value, start=1):
        label = f"{entry}, officer {number}"
        officer = _officer(person, label, file, issues)
        if officer is not None:
            officers.append(officer)
    return tuple(officers)


def _deputy(item: dict[str, object], file: str, entry: str, issues: list[DataIssue]) -> Officer | None:
    value = item.get("deputy")
    if value is None:
        return None
    return _officer(value, f"{entry}, deputy", file, issues)


def _officer(person: object, label: str, file: str, issues: list[DataIssue]) -> Officer | None:
    if not isinstance(person, dict):
        issues.append(DataIssue(file, label, "-", "must be a mapping of field: value (name:, email: ...)"))
        return None
    name = person.get("name")
    if isinstance(name, str) and name.strip():
        label = f"{label} ({name.strip()})"
    _unknown_fields(person, OFFICER_FIELDS, file, label, issues)
    before = len(issues)
    officer = Officer(
        name=text_field(person, "name", file, label, issues),
        title=text_field(person, "title", file, label, issues),
        unit=text_field(person, "unit", file, label, issues, required=False),
        office=text_field(person, "office", file, label, issues, required=False),
        email=_email(person, file, label, issues),
        phone=_phone(person, file, label, issues),
        upn=_email(person, file, label, issues, field_name="upn", required=False),
        entra_id=_entra_id(person, file, label, issues),
    )
    return officer if len(issues) == before else None


def _editors(value: object, file: str, issues: list[DataIssue]) -> tuple[Editor, ...]:
    """Return the coordinators who may post for any county; the list is optional."""
    if value is None:
        return ()
    if not isinstance(value, list):
        issues.append(DataIssue(file, "file", "editors", "must be a list (start each person with '- ')"))
        return ()
    editors: list[Editor] = []
    for number, person in enumerate(value, start=1):
        editor = _editor(person, f"editor {number}", file, issues)
        if editor is None:
            continue
        if any(other.email.casefold() == editor.email.casefold() for other in editors):
            issues.append(DataIssue(file, f"editor {number} ({editor.name})", "email", "is listed twice"))
            continue
        editors.append(editor)
    return tuple(editors)


def _editor(person: object, label: str, file: str, issues: list[DataIssue]) -> Editor | None:
    if not isinstance(person, dict):
        issues.append(DataIssue(file, label, "-", "must be a mapping of field: value (name:, email: ...)"))
        return None
    name = person.get("name")
    if isinstance(name, str) and name.strip():
        label = f"{label} ({name.strip()})"
    _unknown_fields(person, EDITOR_FIELDS, file, label, issues)
    before = len(issues)
    editor = Editor(
        name=text_field(person, "name", file, label, issues),
        email=_email(person, file, label, issues),
        upn=_email(person, file, label, issues, field_name="upn", required=False),
    )
    return editor if len(issues) == before else None


def _email(
    person: dict[str, object],
    file: str,
    label: str,
    issues: list[DataIssue],
    field_name: str = "email",
    required: bool = True,
) -> str:
    value = text_field(person, field_name, file, label, issues, required=required)
    if value and not EMAIL.match(value):
        issues.append(DataIssue(file, label, field_name, "is not an e-mail address"))
        return ""
    return value


def _entra_id(person: dict[str, object], file: str, label: str, issues: list[DataIssue]) -> str:
    value = text_field(person, "entra_id", file, label, issues, required=False)
    if value and not ENTRA_ID.match(value):
        issues.append(
            DataIssue(
                file,
                label,
                "entra_id",
                "is not an Entra ID object id: copy it from the person's profile in Entra ID, "
                "like 00000000-0000-0000-0000-000000000000",
            )
        )
        return ""
    return value.lower()


def _phone(person: dict[str, object], file: str, label: str, issues: list[DataIssue]) -> str:
    value = person.get("phone")
    if value is None or value == "":
        return ""
    digits = PHONE_SEPARATORS.sub("", value) if isinstance(value, str) else ""
    if not PHONE.match(digits) or SWEDISH_TRUNK_ZERO.match(digits):
        issues.append(
            DataIssue(file, label, "phone", "is not a phone number in international form, e.g. +46 8 681 91 00")
        )
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
    items, item_issues = entries(data, "dialogues", file)
    issues += item_issues
    by_county: dict[str, list[Dialogue]] = {}
    first_use: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        dialogue = _dialogue(item, number, counties, file, issues)
        if dialogue is None:
            continue
        if dialogue.id in first_use:
            issues.append(
                DataIssue(
                    file,
                    f"dialogue {number} ({dialogue.id})",
                    "id",
                    f"is already used by dialogue {first_use[dialogue.id]}",
                )
            )
            continue
        first_use[dialogue.id] = number
        by_county.setdefault(dialogue.county, []).append(dialogue)
    return {code: tuple(sorted(found, key=lambda d: (d.date, d.id))) for code, found in by_county.items()}


def _dialogue(
    item: dict[str, object], number: int, counties: Mapping[str, str] | None, file: str, issues: list[DataIssue]
) -> Dialogue | None:
    raw_id = item.get("id")
    entry = f"dialogue {number} ({str(raw_id).strip()})" if raw_id not in (None, "") else f"dialogue {number}"
    _unknown_fields(item, DIALOGUE_FIELDS, file, entry, issues)
    before = len(issues)
    dialogue_id = text_field(item, "id", file, entry, issues)
    county = _county_code(item.get("county"), counties, file, entry, issues)
    date = _date(item, "date", file, entry, issues)
    title = _one_line(item, "title", file, entry, issues)
    summary = _one_line(item, "summary", file, entry, issues)
    link = _url(item, "link", file, entry, issues)
    if len(issues) != before or date is None:
        return None
    return Dialogue(id=dialogue_id, county=county, date=date, title=title, summary=summary, link=link)


def _one_line(item: dict[str, object], field_name: str, file: str, entry: str, issues: list[DataIssue]) -> str:
    value = text_field(item, field_name, file, entry, issues)
    if "\n" in value:
        issues.append(DataIssue(file, entry, field_name, "must be one line"))
        return ""
    return value


def _date(item: dict[str, object], field_name: str, file: str, entry: str, issues: list[DataIssue]) -> dt.date | None:
    value = item.get(field_name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        issues.append(DataIssue(file, entry, field_name, "is missing"))
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())  # a quoted "2026-11-03" is still a date
        except ValueError:
            pass
    issues.append(
        DataIssue(file, entry, field_name, f"is not a date: write it as YYYY-MM-DD (got {str(value)[:40]!r})")
    )
    return None


# --- shared field checks -----------------------------------------------------------------------


def _county_code(
    value: object, counties: Mapping[str, str] | None, file: str, entry: str, issues: list[DataIssue]
) -> str:
    """Return a known county code, or "" after recording why it is not one."""
    if value is None or value == "":
        issues.append(DataIssue(file, entry, "county", "is missing"))
        return ""
    code = _code_text(value)
    if not COUNTY_CODE.match(code):
        issues.append(DataIssue(file, entry, "county", f"is not a county code 01-25 such as 04 (got {code!r})"))
        return ""
    if counties is not None and code not in counties:
        issues.append(DataIssue(file, entry, "county", f"names county {code}, which is not in data/counties.yaml"))
        return ""
    return code


def _code_text(value: object) -> str:
    """Return a county code as written, short enough to quote in an issue."""
    if value is None or isinstance(value, bool):
        return ""
    # An unquoted 04 reads as the number 4 in YAML; editors should not have to know that.
    return f"{value:02d}" if isinstance(value, int) else str(value).strip()[:20]


def _url(item: dict[str, object], field_name: str, file: str, entry: str, issues: list[DataIssue]) -> str | None:
    value = item.get(field_name)
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname or any(c.isspace() for c in text):
        issues.append(DataIssue(file, entry, field_name, "is not a web address (https://...)"))
        return None
    return text


def _unknown_fields(
    item: dict[object, object], known: tuple[str, ...], file: str, entry: str, issues: list[DataIssue]
) -> None:
    for key in item:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (known fields: {', '.join(known)})"
        issues.append(DataIssue(file, entry, str(key), f"is not a known field{hint}"))
