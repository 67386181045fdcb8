"""The data the bot serves: the current Answerer and what /healthz says about it.

This is the seam for reloading data/ without a restart: whoever reloads calls `load()` again (or
`install()` with a directory it validated), and every turn reads `store.current` afresh. A load
that fails keeps the last good snapshot serving, and so does one that loses more than a third of
a file's entries, unless the reload was asked for (SIGHUP). Plain Python; no botbuilder, no aiohttp.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.core.answers import Answerer
from bot.core.search import Searcher
from bot.data import wording
from bot.data.directory import Directory, load_directory
from bot.data.validation import DataError, DataIssue

logger = logging.getLogger(__name__)

DirectoryLoader = Callable[[Path], Directory]

# A reload that loses more than this share of a file's entries is refused as a save caught
# halfway: cut at a line end, a YAML list is still valid and only shorter (a third catches the
# shipped dialogues.yaml cut after 39 of its 76 entries). Editors remove a few entries at a time;
# a bigger removal on purpose is one SIGHUP (or restart) away, and the refusal says so.
MAX_LOST_SHARE = 1 / 3


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One loaded directory and the answerer built on it."""

    directory: Directory
    answerer: Answerer
    searcher: Searcher  # the messaging extension's index of the same data

    @property
    def officer_count(self) -> int:
        """Count the distinct officers (deputies excluded) across all counties."""
        return len(
            {officer.email.lower() for contacts in self.directory.contacts.values() for officer in contacts.officers}
        )


@dataclass(frozen=True, slots=True)
class Health:
    """What /healthz reports."""

    ok: bool
    version: str | None
    loaded_at: dt.datetime | None
    counties: int
    officers: int
    example_data: bool
    error: str | None  # the last failed load, if it failed after (or instead of) a good one
    issues: tuple[DataIssue, ...] = ()  # every problem the last failed load found
    failed_at: dt.datetime | None = None  # when the last load failed
    changed_at: dt.datetime | None = None  # when the data being served was last saved

    def error_text(self, language: str) -> str | None:
        """Say what went wrong with the last load in `language`: the first problem's sentence, and how many more."""
        if not self.issues:
            return self.error
        return wording.first_of(tuple(issue.sentence(language) for issue in self.issues), language)

    def as_dict(self, details: bool = True) -> dict[str, object]:
        """Return the JSON body for /healthz; without `details`, no error texts (they name entries and people)."""
        body: dict[str, object] = {
            "status": "ok" if self.ok else "unavailable",
            "data_version": self.version,
            "loaded_at": self.loaded_at.isoformat() if self.loaded_at else None,
            "counties": self.counties,
            "officers": self.officers,
            "example_data": self.example_data,
            "last_error_at": self.failed_at.isoformat() if self.failed_at else None,
        }
        if not details:
            return body
        return {
            **body,
            "data_changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "last_error": self.error_text(wording.SWEDISH),
            "last_error_text": {language: self.error_text(language) for language in wording.LANGUAGES},
            "issues": [issue_record(issue) for issue in self.issues],
        }


def issue_record(issue: DataIssue) -> dict[str, object]:
    """Return one data problem as JSON: where, the problem's code, and the sentence in each language."""
    return {
        "file": issue.file,
        "line": issue.line,
        "entry": wording.entry_label(issue.where, wording.ENGLISH),
        "field": issue.field,
        "problem": issue.problem,
        "text": {language: issue.sentence(language) for language in wording.LANGUAGES},
    }


class LiveData:
    """Hold the last good snapshot of data/ and load new ones."""

    def __init__(self, data_dir: Path, loader: DirectoryLoader = load_directory) -> None:
        self.data_dir = data_dir
        self._loader = loader
        self._snapshot: Snapshot | None = None
        self._error: str | None = None
        self._issues: tuple[DataIssue, ...] = ()
        self._failed_at: dt.datetime | None = None

    @property
    def current(self) -> Answerer | None:
        """Return the answerer for the last good data, or None when none could ever be loaded."""
        return self._snapshot.answerer if self._snapshot else None

    @property
    def snapshot(self) -> Snapshot | None:
        """Return the last good snapshot, if any."""
        return self._snapshot

    def load(self, *, accept_big_removal: bool = False) -> bool:
        """Load data/ and serve it; on a data error keep the last good snapshot and return False.

        Unless `accept_big_removal` (SIGHUP), a load that loses more than MAX_LOST_SHARE of a
        file's entries compared with the data being served is refused like a data error.
        """
        try:
            directory = self._loader(self.data_dir)
        except DataError as error:
            self.fail(error.issues)
            return False
        lost = () if accept_big_removal or self._snapshot is None else lost_entries(self._snapshot.directory, directory)
        if lost:
            self.fail(lost)
            return False
        self.install(directory)
        return True

    def fail(self, issues: tuple[DataIssue, ...], detail: str = "") -> None:
        """Record a failed load: log every issue, keep serving the last good snapshot."""
        self._error = detail or None
        self._issues = issues
        self._failed_at = dt.datetime.now(dt.UTC)
        for issue in issues:
            logger.error(
                "data not loaded: %s",
                issue.sentence(wording.ENGLISH),
                extra={
                    "data_file": issue.file,
                    "data_line": issue.line,
                    "data_entry": wording.entry_label(issue.where, wording.ENGLISH),
                    "data_field": issue.field,
                },
            )
        if not issues:
            logger.error("data not loaded: %s", detail)
        if self._snapshot is not None:
            logger.warning(
                "still serving data version %s",
                self._snapshot.directory.version,
                extra={"data_version": self._snapshot.directory.version},
            )

    def install(self, directory: Directory) -> None:
        """Serve `directory` from now on."""
        answerer = Answerer(directory)
        self._snapshot = Snapshot(directory, answerer, Searcher(directory, answerer.recogniser, answerer.names))
        self._error = None
        self._issues = ()
        self._failed_at = None
        logger.info(
            "data version %s loaded: %d counties",
            directory.version,
            len(directory.contacts),
            extra={"data_version": directory.version},
        )

    def health(self) -> Health:
        """Describe what is being served."""
        snapshot = self._snapshot
        if snapshot is None:
            return Health(
                False, None, None, 0, 0, False, self._error or "no data loaded yet", self._issues, self._failed_at
            )
        directory = snapshot.directory
        return Health(
            True,
            directory.version,
            directory.loaded_at,
            len(directory.geography.counties),
            snapshot.officer_count,
            directory.example_data,
            self._error,
            self._issues,
            self._failed_at,
            directory.changed_at,
        )


def entry_counts(directory: Directory) -> dict[tuple[str, str], int]:
    """Count the entries a save caught halfway would lose, by (data file, what is counted)."""
    return {
        ("data/municipalities.yaml", "municipalities"): len(directory.geography.municipalities),
        ("data/dialogues.yaml", "dialogues"): sum(len(dialogues) for dialogues in directory.dialogues.values()),
        ("data/officers.yaml", "staffed_counties"): sum(
            not contacts.vacant for contacts in directory.contacts.values()
        ),
    }


def lost_entries(served: Directory, loaded: Directory) -> tuple[DataIssue, ...]:
    """Report each file that lost more than MAX_LOST_SHARE of its entries between the two."""
    before, after = entry_counts(served), entry_counts(loaded)
    issues: list[DataIssue] = []
    for (file, what), count in before.items():
        lost = count - after[(file, what)]
        if lost <= count * MAX_LOST_SHARE:
            continue
        values = (("lost", f"{lost}"), ("count", f"{count}"), ("what", what))
        issues.append(DataIssue(file, "lost_entries", values=values))
    return tuple(issues)
