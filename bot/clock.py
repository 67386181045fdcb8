"""What day it is for the bot: Swedish local time, injectable for tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

# The agency is in Sweden: "today" for upcoming dialogues is Swedish local time.
STOCKHOLM = ZoneInfo("Europe/Stockholm")

Clock = Callable[[], dt.date]


def stockholm_today() -> dt.date:
    """Return today's date in Stockholm."""
    return dt.datetime.now(STOCKHOLM).date()
