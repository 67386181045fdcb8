"""The data the bot serves: the current Answerer and what /healthz says about it.

This is the seam for reloading data/ without a restart: whoever reloads calls `load()` again (or
`install()` with a directory it validated), and every turn reads `store.current` afresh. A load
that fails keeps the last good snapshot serving. Plain Python; no botbuilder, no aiohttp.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.answers import Answerer
from bot.directory import Directory, load_directory
from bot.search import Searcher
from bot.validation import DataError, DataIssue

logger = logging.getLogger(__name__)

DirectoryLoader = Callable[[Path], Directory]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One loaded directory and the answerer built on it."""

    directory: Directory
    answerer: Answerer
    searcher: Searcher  # the messaging extension's index of the same data

    @property
    def officer_count(self) -> int:
        """Count the distinct officers (deputies excluded) across all counties."""
        return len({officer.email.lower() for contacts in self.directory.contacts.values()
                    for officer in contacts.officers})


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
            "last_error": self.error,
            "issues": [{"file": issue.file, "entry": issue.entry, "field": issue.field, "problem": issue.problem}
                       for issue in self.issues],
        }


class DataStore:
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

    def load(self) -> bool:
        """Load data/ and serve it; on a data error keep the last good snapshot and return False."""
        try:
            directory = self._loader(self.data_dir)
        except DataError as error:
            self.fail(error.issues, str(error))
            return False
        self.install(directory)
        return True

    def fail(self, issues: tuple[DataIssue, ...], detail: str = "") -> None:
        """Record a failed load: log every issue, keep serving the last good snapshot."""
        self._error = f"{len(issues)} problem(s) in data: {issues[0]}" if issues else detail
        self._issues = issues
        self._failed_at = dt.datetime.now(dt.UTC)
        for issue in issues:
            logger.error("data not loaded: %s", issue, extra={"data_file": issue.file, "data_entry": issue.entry,
                                                              "data_field": issue.field})
        if not issues:
            logger.error("data not loaded: %s", detail)
        if self._snapshot is not None:
            logger.warning("still serving data version %s", self._snapshot.directory.version,
                           extra={"data_version": self._snapshot.directory.version})

    def install(self, directory: Directory) -> None:
        """Serve `directory` from now on."""
        answerer = Answerer(directory)
        self._snapshot = Snapshot(directory, answerer, Searcher(directory, answerer.recogniser))
        self._error = None
        self._issues = ()
        self._failed_at = None
        logger.info("data version %s loaded: %d counties", directory.version, len(directory.contacts),
                    extra={"data_version": directory.version})

    def health(self) -> Health:
        """Describe what is being served."""
        snapshot = self._snapshot
        if snapshot is None:
            return Health(False, None, None, 0, 0, False, self._error or "no data loaded yet", self._issues,
                          self._failed_at)
        directory = snapshot.directory
        return Health(True, directory.version, directory.loaded_at, len(directory.geography.counties),
                      snapshot.officer_count, directory.example_data, self._error, self._issues, self._failed_at)
