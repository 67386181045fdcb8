"""Today in Sweden: the right date around midnight and DST; the zone is looked up on first use, not at import."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import clock

ROOT = Path(__file__).resolve().parent.parent
# Runs with no system zone files and no tzdata package: importing must not need the zone yet.
NO_ZONE_DATA = """
import sys
sys.modules["tzdata"] = None
import app, bot.cli.main, bot.core.clock
print("imported")
"""


@pytest.mark.slow
def test_importing_the_app_looks_up_no_time_zone() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_ZONE_DATA],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONTZPATH": "/nonexistent", "PATH": ""},
        timeout=60,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "imported"), result.stderr


@pytest.mark.parametrize(
    ("utc", "swedish_date"),
    [
        (dt.datetime(2026, 11, 26, 22, 59, tzinfo=dt.UTC), dt.date(2026, 11, 26)),  # 23:59 CET
        (dt.datetime(2026, 11, 26, 23, 0, tzinfo=dt.UTC), dt.date(2026, 11, 27)),  # midnight CET
        (dt.datetime(2026, 7, 1, 21, 59, tzinfo=dt.UTC), dt.date(2026, 7, 1)),  # 23:59 CEST
        (dt.datetime(2026, 7, 1, 22, 0, tzinfo=dt.UTC), dt.date(2026, 7, 2)),  # midnight CEST
        (dt.datetime(2026, 3, 28, 23, 0, tzinfo=dt.UTC), dt.date(2026, 3, 29)),  # still CET before the switch
        (dt.datetime(2026, 10, 24, 22, 0, tzinfo=dt.UTC), dt.date(2026, 10, 25)),  # still CEST before the switch
    ],
)
def test_swedish_date_around_midnight_and_the_summer_time_switches(utc: dt.datetime, swedish_date: dt.date) -> None:
    assert clock.swedish_date(utc) == swedish_date


def test_the_command_line_uses_the_one_clock() -> None:
    assert not hasattr(__import__("bot.cli.main").cli.main, "swedish_today")
