"""The directory snapshot: version hash, load time, example flag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.data.directory import data_version, load_directory

FIXED = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def test_loaded_at_comes_from_the_clock(data_dir: Path) -> None:
    assert load_directory(data_dir, clock=lambda: FIXED).loaded_at == FIXED


def test_default_clock_is_aware_utc(data_dir: Path) -> None:
    assert load_directory(data_dir).loaded_at.tzinfo is dt.UTC


def test_version_is_short_and_follows_the_contents(data_dir: Path) -> None:
    before = load_directory(data_dir).version
    assert len(before) == 12 and before == data_version(data_dir)
    path = data_dir / "dialogues.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment changes the version\n", encoding="utf-8")
    assert load_directory(data_dir).version != before


def test_version_is_the_same_for_the_same_contents(data_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    assert data_version(data_dir) == data_version(FIXTURE_DATA)


def test_example_flag_is_read(data_dir: Path) -> None:
    assert load_directory(data_dir).example_data is True
    path = data_dir / "officers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("example_data: true", "example_data: false"), encoding="utf-8"
    )
    assert load_directory(data_dir).example_data is False
