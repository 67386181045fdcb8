"""Reload data/ without a restart: when the files change, and on SIGHUP.

Every `interval` seconds the watcher hashes the data files (about 0.3 ms for the shipped 53 kB).
A changed hash is loaded only once it has stayed the same for one more poll, so an editor's
half-written save is not loaded and then loaded again a moment later. The load itself (about
220 ms for the shipped data: YAML, validation, the recogniser's and the search's indexes) runs
in a worker thread, so the event loop keeps answering. A load that fails keeps the last good data serving; the store
logs every issue and /healthz shows them. A hash that failed is not retried until it changes
again (or SIGHUP asks), so one bad save is logged once, not every two seconds. A change that
loses a large share of a file's entries (bot.runtime.live.MAX_LOST_SHARE) is refused when polling finds
it, as a save caught halfway, and served when SIGHUP asks for the reload.

Plain asyncio; no botbuilder, no aiohttp. The app starts and stops it with its own lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Callable
from pathlib import Path

from bot.data.directory import data_version
from bot.data.validation import DataIssue
from bot.runtime.live import LiveData

logger = logging.getLogger(__name__)

# Polling every 2 s picks up a save before the editor has switched to Teams to try it, and hashing
# 53 kB that often costs nothing measurable.
DEFAULT_INTERVAL_SECONDS = 2.0

Fingerprint = Callable[[Path], str]


class DataWatcher:
    """Poll data/ for changes and reload the store when they have settled."""

    def __init__(
        self, store: LiveData, interval: float = DEFAULT_INTERVAL_SECONDS, fingerprint: Fingerprint = data_version
    ) -> None:
        self._store = store
        self._interval = interval
        self._fingerprint = fingerprint
        self._loaded: str | None = None  # the contents last loaded (or tried), as a fingerprint
        self._seen: str | None = None  # the contents seen at the previous poll
        self._wake = asyncio.Event()
        self._forced = False
        self._task: asyncio.Task[None] | None = None
        self._requested: set[asyncio.Task[bool]] = set()  # SIGHUP reloads while polling is off
        self._lock = asyncio.Lock()
        self._signal_installed = False
        self._stopping = False
        self.reloads = 0  # loads attempted since start, for tests and the load benchmark

    async def start(self, *, handle_sighup: bool = True) -> None:
        """Take the current contents as loaded and start polling (and listening for SIGHUP)."""
        self._loaded = self._seen = await self._current()
        if handle_sighup:
            self._signal_installed = _add_sighup(self.request_reload)
        if self._interval > 0:
            self._task = asyncio.create_task(self._run(), name="data-watcher")
        how = f"every {self._interval:g} s" if self._interval > 0 else "not polling (DATA_RELOAD_SECONDS=0)"
        logger.info(
            "watching %s for changes: %s%s",
            self._store.data_dir,
            how,
            ", reloading on SIGHUP" if self._signal_installed else "",
        )

    async def stop(self) -> None:
        """Stop polling and listening for SIGHUP; wait for a load in progress to finish."""
        if self._signal_installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            self._signal_installed = False
        if self._task is not None:
            # Wake the poller and let it finish a load in progress: cancelling it would leave
            # the load's thread to install its data after the app has gone.
            self._stopping = True
            self._wake.set()
            await self._task
            self._task = None
        if self._requested:  # a SIGHUP-started load must not outlive the app
            await asyncio.gather(*self._requested)

    def request_reload(self) -> None:
        """Reload at once, even if nothing changed (what SIGHUP does)."""
        logger.info("reload of %s requested", self._store.data_dir)
        self._forced = True
        if self._task is None:
            # Keep a reference: the loop holds tasks weakly, and stop() must wait for this one.
            task = asyncio.get_running_loop().create_task(self.check())
            self._requested.add(task)
            task.add_done_callback(self._requested.discard)
            return
        self._wake.set()

    async def check(self) -> bool:
        """Poll once; load when the contents changed and held still since the last poll.

        Return True when a load was attempted (whether or not the data was good).
        """
        async with self._lock:
            current = await self._current()
            forced, self._forced = self._forced, False
            settled = current == self._seen
            self._seen = current
            if not forced and (current == self._loaded or not settled):
                return False
            self._loaded = current
            # A reload asked for (SIGHUP) serves a big removal the store refuses from polling.
            await self._load(accept_big_removal=forced)
            return True

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.check()
            except Exception:
                logger.exception(
                    "checking %s for changes failed; trying again in %g s", self._store.data_dir, self._interval
                )

    async def _current(self) -> str:
        return await asyncio.get_running_loop().run_in_executor(None, self._fingerprint, self._store.data_dir)

    async def _load(self, *, accept_big_removal: bool) -> None:
        self.reloads += 1
        load = functools.partial(self._store.load, accept_big_removal=accept_big_removal)
        try:
            await asyncio.get_running_loop().run_in_executor(None, load)
        except Exception as error:
            logger.exception("reloading %s failed unexpectedly", self._store.data_dir)
            reason = (("reason", error.__class__.__name__),)
            self._store.fail((DataIssue(f"{self._store.data_dir.name}/", "reload_failed", values=reason),))


def _add_sighup(callback: Callable[[], None]) -> bool:
    """Call `callback` on SIGHUP; say whether that was possible (main thread, Unix only)."""
    if not hasattr(signal, "SIGHUP"):
        return False
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, callback)
    except (RuntimeError, NotImplementedError, ValueError):
        logger.info("SIGHUP reload unavailable here (not the main thread); file changes still reload")
        return False
    return True
