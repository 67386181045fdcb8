"""Process limits for the web host: enough open files, and no log line per refused socket.

Each connection costs the server a file descriptor. Many systems start processes with a soft
limit of 1024 open files although the hard limit is far higher; `raise_open_file_limit` lifts
the soft limit to the hard one at start-up. Should the descriptors still run out, asyncio logs
a traceback for every connection it cannot accept; `quiet_accept_errors` makes that one line a
minute with a count (bot.logs.ThrottledLog), and leaves every other loop error as it was.

Adapter code: aiohttp's loop and the standard library only.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

from aiohttp import web

from bot.logs import ThrottledLog

logger = logging.getLogger(__name__)

# The messages asyncio's accept loop reports when it cannot take a connection (descriptors or
# memory exhausted); it keeps retrying each second, so they come in floods.
ACCEPT_ERROR_MESSAGES = frozenset({"socket.accept() out of system resource"})


def raise_open_file_limit() -> tuple[int, int]:
    """Lift the soft open-file limit to the hard limit; return (soft, hard) as they now are."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft >= hard:
        return soft, hard  # "unlimited" cannot be set as a soft limit on Linux; leave it
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):  # a container may forbid it; the old limit stands
        return soft, hard
    return hard, hard


def quiet_accept_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Log the accept loop's errors at most once a minute, without a traceback; pass others on."""
    throttled = ThrottledLog(logging.getLogger("asyncio"))
    previous = loop.get_exception_handler()

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", ""))
        if message in ACCEPT_ERROR_MESSAGES:
            error = context.get("exception")
            throttled.log(logging.ERROR, "%s (%s)", message, error.__class__.__name__ if error else "-")
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handle)


async def apply_limits(app: web.Application) -> None:
    """On start-up: lift the open-file limit and quiet the accept loop's error flood."""
    soft, hard = raise_open_file_limit()
    quiet_accept_errors(asyncio.get_running_loop())
    logger.info("open-file limit %s (hard %s)", soft, hard)
