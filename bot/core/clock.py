"""What day it is for the bot: Swedish local time, injectable for tests.

The time zone is looked up on first use, not at import, so that importing the app never fails;
its data comes from the system or from the tzdata package, a dependency of the project.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from zoneinfo import ZoneInfo

# The agency is in Sweden: "today" for upcoming dialogues is Swedish local time.
TIME_ZONE = "Europe/Stockholm"

Clock = Callable[[], dt.date]


@functools.cache
def _stockholm() -> ZoneInfo:
    """Return the Stockholm zone (looked up once)."""
    return ZoneInfo(TIME_ZONE)


def swedish_date(moment: dt.datetime) -> dt.date:
    """Return the date in Sweden at the aware datetime `moment`."""
    return moment.astimezone(_stockholm()).date()


def stockholm_today() -> dt.date:
    """Return today's date in Stockholm."""
    return swedish_date(dt.datetime.now(dt.UTC))
