"""Logging for operators: plain text or one JSON object a line, and what a turn found.

`configure_logging(environ)` sets up the root logger from LOG_FORMAT (text or json) and
LOG_LEVEL. Fields passed with `extra=` (activity id, county codes, status, data file ...) become
JSON keys, or key=value pairs after a text line. The Teams adapter notes what it replies with
(`note_answer`, through bot.teams.outcome) into the current turn's `TurnRecord`, and the turn log
writes one line a turn with the matched county codes and status; the core returns its decisions
and knows nothing of turns. Plain Python; no botbuilder, no aiohttp.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# msrest logs every reply's headers and body at DEBUG once its HTTP logger is enabled: whole
# activities, which must never reach the logs even when someone sets LOG_LEVEL=DEBUG.
QUIET_LOGGERS = ("msrest", "urllib3", "requests_oauthlib", "oauthlib")
# Every attribute a bare LogRecord has; anything else on a record came in through `extra=`.
RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class LoggingSetupError(ValueError):
    """LOG_FORMAT or LOG_LEVEL has a value we cannot use; the message names the variable."""


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """Return the fields a call passed with `extra=`, in the order given."""
    return {key: value for key, value in vars(record).items() if key not in RECORD_ATTRIBUTES}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, pid, then the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which gunicorn worker, when there are several
        }
        entry.update(extra_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Format a record as one readable line, with the extra fields as key=value at the end."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        fields = extra_fields(record)
        if not fields:
            return line
        return (
            line
            + " "
            + " ".join(f"{key}={json.dumps(value, ensure_ascii=False, default=str)}" for key, value in fields.items())
        )


# How often one kind of hostile-traffic line (a refused token, a client dropped mid-body) may be
# logged: once a minute, with how many were left out, tells an operator all a line a request would.
THROTTLE_INTERVAL_S = 60.0


class ThrottledLog:
    """Log each kind of message (its format string) at most once per interval, counting the rest.

    For lines a stranger can cause at will: without a token, a flood of requests would otherwise
    be a flood of log lines (disk, log shipping, the event loop's time spent writing them).
    """

    def __init__(self, logger: logging.Logger, interval_s: float = THROTTLE_INTERVAL_S) -> None:
        self._logger = logger
        self._interval_s = interval_s
        self._next_at: dict[str, float] = {}
        self._left_out: dict[str, int] = {}

    def log(self, level: int, message: str, *args: object) -> None:
        """Log `message % args` at `level` unless this message was logged within the interval."""
        now = time.monotonic()
        if now < self._next_at.get(message, 0.0):
            self._left_out[message] = self._left_out.get(message, 0) + 1
            return
        left_out = self._left_out.pop(message, 0)
        suffix = f" ({left_out} more like it since the last such line)" if left_out else ""
        self._logger.log(level, message + "%s", *args, suffix)
        self._next_at[message] = now + self._interval_s


def configure_logging(environ: Mapping[str, str], stream: TextIO | None = None) -> None:
    """Send all logs to `stream` (stderr) in LOG_FORMAT at LOG_LEVEL; replace earlier handlers."""
    log_format = environ.get("LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise LoggingSetupError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (got {log_format!r})")
    level = environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise LoggingSetupError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {level!r})")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


@dataclass(slots=True)
class TurnRecord:
    """What the replies of one turn matched (filled in by `note_answer`)."""

    status: str | None = None  # the last answer's status: answer, clarify, none ...
    counties: list[str] = field(default_factory=list)  # every matched county code, in order, once
    answers: int = 0


_turn: contextvars.ContextVar[TurnRecord | None] = contextvars.ContextVar("regiondorren_turn", default=None)


def start_turn() -> tuple[TurnRecord, contextvars.Token[TurnRecord | None]]:
    """Begin recording a turn; pass the token to `end_turn`."""
    record = TurnRecord()
    return record, _turn.set(record)


def end_turn(token: contextvars.Token[TurnRecord | None]) -> None:
    """Stop recording the turn started with `token`."""
    _turn.reset(token)


def note_answer(status: str, codes: tuple[str, ...]) -> None:
    """Note an answer's status and county codes in the current turn (no-op outside a turn)."""
    record = _turn.get()
    if record is None:
        return
    record.status = status
    record.answers += 1
    record.counties.extend(code for code in codes if code not in record.counties)
