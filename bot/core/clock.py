"""What day it is for the bot: Swedish local time, injectable for tests.

The time zone is looked up on first use, not at import, so that importing the app never fails.
Zone data comes from the system or the tzdata package (a dependency); a host with neither still
gets the right Swedish date from the EU summer-time rule, which Sweden follows.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

# The agency is in Sweden: "today" for upcoming dialogues is Swedish local time.
TIME_ZONE = "Europe/Stockholm"
# Central European Time, and its summer time (EU rule: from 01:00 UTC on the last Sunday of March
# to 01:00 UTC on the last Sunday of October); used only when no zone data can be found.
CET = dt.timedelta(hours=1)
CEST = dt.timedelta(hours=2)
SWITCH_HOUR_UTC = 1
SUNDAY = 6

Clock = Callable[[], dt.date]


@functools.cache
def _stockholm() -> ZoneInfo | None:
    """Return the Stockholm zone, or None (logged once) when this host has no zone data."""
    try:
        return ZoneInfo(TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("no time zone data for %s; using the EU summer-time rule for Swedish dates", TIME_ZONE)
        return None


def swedish_date(moment: dt.datetime) -> dt.date:
    """Return the date in Sweden at the aware datetime `moment`."""
    zone = _stockholm()
    if zone is None:
        return swedish_date_without_zone_data(moment)
    return moment.astimezone(zone).date()


def swedish_date_without_zone_data(moment: dt.datetime) -> dt.date:
    """Return the date in Sweden at `moment` by the EU summer-time rule, without zone data."""
    utc = moment.astimezone(dt.UTC)
    start = _last_sunday_at_switch(utc.year, 3)
    end = _last_sunday_at_switch(utc.year, 10)
    offset = CEST if start <= utc < end else CET
    return (utc + offset).date()


def _last_sunday_at_switch(year: int, month: int) -> dt.datetime:
    last_day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    sunday = last_day - dt.timedelta(days=(last_day.weekday() - SUNDAY) % 7)
    return dt.datetime(sunday.year, sunday.month, sunday.day, SWITCH_HOUR_UTC, tzinfo=dt.UTC)


def stockholm_today() -> dt.date:
    """Return today's date in Stockholm."""
    return swedish_date(dt.datetime.now(dt.UTC))
