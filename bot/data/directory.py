"""The directory: geography plus people, loaded from data/ as one validated snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.data.geography import Geography, load_geography
from bot.data.people import CountyContacts, Dialogue, Editor, Officer, load_people
from bot.data.validation import DataError, DataIssue, FileTooLarge, NotARegularFile, read_regular_file

logger = logging.getLogger(__name__)

# data/ beside the package, whatever the working directory.
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Every file the directory is built from, in the order they are hashed into Directory.version.
DATA_FILES = ("counties.yaml", "municipalities.yaml", "areas.yaml", "officers.yaml", "dialogues.yaml")
# 12 hex digits: short enough to show in a log line, far too long to collide between two edits.
VERSION_LENGTH = 12
# The site for strategic regional work (from the intranet article); every county falls back to it.
STRATEGIC_SITE_URL = "https://tillvaxten.sharepoint.com/sites/teamstrategisktregionarbete"


@dataclass(frozen=True, slots=True)
class Directory:
    """One consistent, validated snapshot of data/."""

    geography: Geography
    contacts: Mapping[str, CountyContacts]  # by county code; every county has an entry
    dialogues: Mapping[str, tuple[Dialogue, ...]]  # by county code, oldest first
    example_data: bool  # officers.yaml says it is example data
    version: str  # short hash of the data files' contents
    loaded_at: dt.datetime
    editors: tuple[Editor, ...] = ()  # coordinators who may post for any county
    changed_at: dt.datetime | None = None  # when a data file was last saved (what editors recognise)

    def counties_of(self, sign_in: str) -> tuple[str, ...]:
        """Return the county codes a Teams sign-in name (UPN or e-mail) may post for, in code order.

        An editor may post for every county; an officer or deputy for their own; anyone else
        for none. Matching is case-insensitive on the e-mail address and the upn.
        """
        if any(editor.signs_in_as(sign_in) for editor in self.editors):
            return tuple(sorted(self.contacts))
        return tuple(
            code
            for code, contacts in sorted(self.contacts.items())
            if any(person.signs_in_as(sign_in) for person in _people_of(contacts))
        )


def _people_of(contacts: CountyContacts) -> tuple[Officer, ...]:
    return contacts.officers + ((contacts.deputy,) if contacts.deputy else ())


def utc_now() -> dt.datetime:
    """Return the current time in UTC (the default clock for loaded_at)."""
    return dt.datetime.now(dt.UTC)


def load_directory(data_dir: Path = DEFAULT_DATA_DIR, clock: Callable[[], dt.datetime] = utc_now) -> Directory:
    """Load and validate every data file; raise DataError naming every issue."""
    # Hash first: if a file changes while it loads, the next version check sees a new hash and
    # reloads, instead of a new hash being pinned to old contents.
    version = data_version(data_dir)
    changed_at = data_changed_at(data_dir)
    issues: list[DataIssue] = []
    geography: Geography | None = None
    try:
        geography = load_geography(data_dir)
    except DataError as error:
        issues += error.issues
    counties = {county.code: county.name for county in geography.counties} if geography else None
    people, people_issues = load_people(data_dir, counties, STRATEGIC_SITE_URL)
    issues += people_issues
    if issues or geography is None:
        raise DataError(issues)
    logger.info(
        "Loaded data version %s from %s: %d counties, %d dialogues",
        version,
        data_dir,
        len(people.contacts),
        sum(len(d) for d in people.dialogues.values()),
    )
    return Directory(
        geography=geography,
        contacts=people.contacts,
        dialogues=people.dialogues,
        example_data=people.example_data,
        version=version,
        loaded_at=clock(),
        editors=people.editors,
        changed_at=changed_at,
    )


def check_data(data_dir: Path = DEFAULT_DATA_DIR) -> tuple[DataIssue, ...]:
    """Return every issue in the data files of `data_dir` (empty when they are clean)."""
    try:
        load_directory(data_dir)
    except DataError as error:
        return error.issues
    return ()


def data_version(data_dir: Path) -> str:
    """Return a short hash of the data files' contents (cheap enough to poll for changes)."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        # The same safe read as the loader: a FIFO in place of a file must not block the watcher.
        try:
            digest.update(read_regular_file(data_dir / name))
        except NotARegularFile:
            digest.update(b"\0special")
        except FileTooLarge:
            digest.update(b"\0too-large")
        except OSError:
            digest.update(b"\0missing")  # a missing file is a state of its own, reported by the loader
    return digest.hexdigest()[:VERSION_LENGTH]


def data_changed_at(data_dir: Path) -> dt.datetime | None:
    """Return when the most recently saved data file was saved (UTC), or None when none can be seen."""
    times: list[float] = []
    for name in DATA_FILES:
        try:
            times.append((data_dir / name).stat().st_mtime)
        except OSError:
            continue
    return dt.datetime.fromtimestamp(max(times), dt.UTC) if times else None
