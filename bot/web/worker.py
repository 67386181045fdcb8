"""gunicorn's aiohttp worker with the connection cap of `python app.py` (bot.web.limits).

gunicorn.conf.py names `CappedWebWorker` as the worker class. It runs `app:app_factory` as
aiohttp's own GunicornWebWorker does, with gunicorn's keep-alive, access-log and graceful-timeout
settings, but through CappedRunner, so each worker holds at most its share of connections, and
on uvloop's event loop, as `python app.py` runs (aiohttp's GunicornUVLoopWebWorker sets it up).

Adapter code: aiohttp's gunicorn worker and bot.web.limits only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.worker import GunicornUVLoopWebWorker

from bot.web.limits import CappedRunner

# gunicorn's graceful timeout is the worker's whole shutdown; aiohttp's worker gives the server
# this share of it, keeping the rest for the app's clean-up. The same figure as aiohttp's.
SHUTDOWN_SHARE = 0.95


class CappedWebWorker(GunicornUVLoopWebWorker):
    """aiohttp's gunicorn worker on uvloop, serving through CappedRunner."""

    wsgi: object  # set by gunicorn: what app:app_factory names (an Application or a coroutine function)

    async def _run(self) -> None:
        self.wsgi = self._capped(self.wsgi)
        await super()._run()

    def _capped(self, factory: object) -> Callable[[], Awaitable[web.AppRunner]]:
        """Return the app factory aiohttp's worker runs as is: one that wraps the app in CappedRunner."""

        async def runner() -> web.AppRunner:
            app = factory if isinstance(factory, web.Application) else await factory()  # type: ignore[operator]
            return CappedRunner(
                app,
                logger=self.log,
                keepalive_timeout=self.cfg.keepalive,
                access_log=self.log.access_log if self.cfg.accesslog else None,
                access_log_format=self._get_valid_log_format(self.cfg.access_log_format),
                shutdown_timeout=self.cfg.graceful_timeout * SHUTDOWN_SHARE,
            )

        return runner
