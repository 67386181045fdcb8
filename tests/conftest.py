"""Shared fixtures: the tiny valid data folder in tests/fixtures/data and copies of it to break."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.directory import Directory, load_directory

FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "data"
# The day the fixture dialogues are written around: d-04-4 was yesterday, d-04-5 is today.
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Return a writable copy of the fixture data folder (named data/, as editors know it)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def directory() -> Directory:
    """Return the fixture directory, loaded once."""
    return load_directory(FIXTURE_DATA)
