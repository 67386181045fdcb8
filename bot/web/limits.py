"""Process limits for the web host: enough open files, a cap on connections, quiet refusals.

Each connection costs the server a file descriptor. Many systems start processes with a soft
limit of 1024 open files although the hard limit is far higher; `raise_open_file_limit` lifts
the soft limit to the hard one at start-up. `CappedRunner` (aiohttp's AppRunner, used by
`python app.py` and, through bot/web/worker.py, by gunicorn) then holds at most three
quarters of that limit in connections, so that replies, the database and the data files always
find a descriptor: beyond the cap the oldest connection that sent nothing yet is closed, or,
when every connection has sent something, the new one. Should the descriptors still run out,
asyncio logs a traceback for every connection it cannot accept; `quiet_accept_errors` makes
that one line a minute with a count (bot.logs.ThrottledLog), and leaves every other loop error
as it was.

Adapter code: aiohttp's server and loop and the standard library only.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import resource
from typing import Any, cast

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot.logs import ThrottledLog

logger = logging.getLogger(__name__)

# The messages asyncio's accept loop reports when it cannot take a connection (descriptors or
# memory exhausted); it keeps retrying each second, so they come in floods.
ACCEPT_ERROR_MESSAGES = frozenset({"socket.accept() out of system resource"})
# The share of the open-file limit connections may take. The rest is for what a turn opens
# itself: connections to the Bot Connector (a pool per service URL), the database, data files
# and logs; those failing for want of a descriptor would fail real users' turns.
CONNECTION_SHARE = 0.75
# The cap when the open-file limit is "unlimited": far beyond what one process can serve.
UNLIMITED_CONNECTIONS = 65_536


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


def connection_cap() -> int:
    """Return how many connections the server holds at once: CONNECTION_SHARE of the open-file limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return UNLIMITED_CONNECTIONS
    return max(1, int(soft * CONNECTION_SHARE))


class CappedServer(web.Server):
    """aiohttp's connection manager, holding at most `cap` connections at once.

    A connection beyond the cap makes the oldest one that has not sent a byte yet give way,
    closed at once. When every connection has sent something (is being served, or is kept alive
    between requests, as the Bot Connector's and a real user's are), the new one is closed
    instead, before a byte of it is read: a served connection is never dropped for a stranger's,
    and one left idle is closed by aiohttp's keep-alive timer (HEADER_TIMEOUT_S in app.py).
    """

    def __init__(self, *args: Any, cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self._silent: dict[RequestHandler, None] = {}  # connections that sent nothing yet, oldest first
        self._refusals = ThrottledLog(logger)

    def __call__(self) -> RequestHandler:
        return _CappedHandler(self, loop=self._loop, **self._kwargs)

    def make_room(self) -> bool:
        """Below the cap say yes; at it, close the oldest silent connection, or say no when none is silent."""
        if len(self._connections) < self.cap:
            return True
        for handler in self._silent:
            transport = self._connections.get(handler)
            if transport is not None and not transport.is_closing():
                handler.force_close()
                self._refusals.log(logging.WARNING, "%d connections open (the cap); closed a silent one", self.cap)
                return True
        self._refusals.log(logging.WARNING, "%d connections open (the cap), none silent; closed a new one", self.cap)
        return False

    def opened(self, handler: RequestHandler) -> None:
        """Note a connection taken in; it is silent until it sends something."""
        self._silent[handler] = None

    def heard_from(self, handler: RequestHandler) -> None:
        """Note that a connection sent something, or went away."""
        self._silent.pop(handler, None)


class _CappedHandler(RequestHandler):
    """aiohttp's request handler, which first asks its CappedServer for room and tells it what it hears."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        server = self._manager
        if isinstance(server, CappedServer) and not server.make_room():
            self._manager = None  # never registered: connection_lost has nothing to undo
            cast(asyncio.Transport, transport).abort()  # a socket transport, as in aiohttp's own connection_made
            return
        super().connection_made(transport)
        if isinstance(server, CappedServer):
            server.opened(self)

    def data_received(self, data: bytes) -> None:
        if isinstance(self._manager, CappedServer):
            self._manager.heard_from(self)
        super().data_received(data)

    def connection_lost(self, exc: BaseException | None) -> None:
        if isinstance(self._manager, CappedServer):
            self._manager.heard_from(self)
        super().connection_lost(exc)


class CappedRunner(web.AppRunner):
    """aiohttp's AppRunner whose server is a CappedServer (cap: connection_cap() once the app started)."""

    def __init__(self, app: web.Application, *, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._cap = cap

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()  # runs the app's start-up, which lifts the open-file limit
        cap = self._cap if self._cap is not None else connection_cap()
        logger.info("at most %d connections at once", cap)
        return CappedServer(
            server.request_handler,
            request_factory=server.request_factory,
            handler_cancellation=server.handler_cancellation,
            loop=server._loop,
            cap=cap,
            **server._kwargs,
        )


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


async def freeze_start_up(app: web.Application) -> None:
    """Leave the objects start-up made (libraries, the loaded data) out of later garbage collections.

    A full collection examined all of them: about 70 ms with the event loop stopped, every minute
    or so under load, which real users met as their slowest turns. They live as long as the
    process; reference counting still frees any that are dropped (the data after a reload).
    Run last at start-up by the process entry points (app.serve, bot/web/worker.py), not by
    tests that start many apps in one process.
    """
    gc.freeze()
    logger.info("%d objects from start-up left out of garbage collection", gc.get_freeze_count())


async def apply_limits(app: web.Application) -> None:
    """On start-up: lift the open-file limit and quiet the accept loop's error flood."""
    soft, hard = raise_open_file_limit()
    quiet_accept_errors(asyncio.get_running_loop())
    logger.info("open-file limit %s (hard %s)", soft, hard)
