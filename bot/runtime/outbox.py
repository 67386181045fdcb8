"""The outbox sender: drains queued notifications within Teams' rate limits, in the background.

Plain Python and asyncio; the sending itself is handed in (bot.teams.notifier sends a card through
the Bot Connector with the stored conversation reference). Every send passes the process's one
SendLimiter (bot.runtime.pacing): the overall rate in any sliding second and Teams' windows per
conversation, counted so that they hold where Teams counts, even when the event loop stalls. A
notification goes to each follower's conversation once per post, so the overall rate is what
paces a fan-out; the per-conversation windows keep a channel that follows many counties from
being flooded.

Each notification is claimed for a lease before it is sent and settled after: delivered, gone
(403/404: blocked or removed the app, and the follower's data goes too), failed (another 4xx), or
back in the queue with backoff, jitter and the connector's Retry-After (429, 412, 5xx, no answer).
A sender that dies leaves its claims in doubt; once their lease ends they are sent again, so a
crash loses nothing (a message the connector took just before the crash may come twice: the only
way to rule that out would be for Teams to accept an idempotency key, and it does not).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus

from bot.runtime.pacing import CONVERSATION_WINDOWS, Place, SendLimiter, Sleep, shared_windows
from bot.store.channel import ChannelStore, DueDelivery, PostRecord
from bot.store.database import StoreError

logger = logging.getLogger(__name__)

# The notifications a second when none is configured (bot.settings holds the reasoning).
DEFAULT_RATE_PER_SECOND = 25.0
# Sends in flight at once: a Bot Connector call takes 100-300 ms, so 8 keep 25 a second flowing.
DEFAULT_CONCURRENCY = 8
# How long a claim holds: twice the connector's 10 s timeout, so a live sender never loses one,
# and a crashed one's notifications go out again within half a minute of a restart.
DEFAULT_LEASE = dt.timedelta(seconds=20)
# Notifications claimed per round trip to the store, at most; fewer when the pace is slow, so
# that a batch is sent well within its lease (a quarter of it) even at the slowest pace.
BATCH = 50
# Backoff after a retryable failure: 2 s doubling up to 10 minutes, with full jitter; after this
# many attempts the notification is given up as failed (about a day of trying).
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 600.0
MAX_ATTEMPTS = 12
# A wall of 429s halves the pace, down to this floor (or a quarter of a smaller share, so a
# process's share is never raised); each success wins back a little of it.
MIN_RATE_PER_SECOND = 1.0
RATE_RECOVERY = 0.25
# The pace halves when at least half of this many most recent answers were 429s.
THROTTLE_WINDOW = 20
# How long the sender sleeps when the queue is empty and nobody wakes it (another instance may
# have queued something, or a backoff may have ended).
IDLE_POLL_S = 2.0
# Statuses after which the conversation is gone: the user blocked or removed the app, or the
# conversation no longer exists.
GONE_STATUSES = frozenset({HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND})
# Statuses worth trying again later (Teams' guidance names 412, 429, 502, 504 besides the 5xx).
RETRY_STATUSES = frozenset(
    {
        0,  # no answer: timeout, connection refused
        HTTPStatus.UNAUTHORIZED,  # our token expired between fetch and use
        HTTPStatus.PRECONDITION_FAILED,
        HTTPStatus.TOO_MANY_REQUESTS,
        HTTPStatus.INTERNAL_SERVER_ERROR,
        HTTPStatus.BAD_GATEWAY,
        HTTPStatus.SERVICE_UNAVAILABLE,
        HTTPStatus.GATEWAY_TIMEOUT,
    }
)


class SendFailed(Exception):
    """The Bot Connector refused or did not answer a notification."""

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"notification refused with HTTP {status}")
        self.status = status
        self.retry_after = retry_after


Send = Callable[[DueDelivery, PostRecord], Awaitable[None]]


@dataclass
class Pace:
    """The overall rate: `ceiling` a second, halved when Teams throttles the bot as a whole.

    One conversation's 429 (its own thread limit) says nothing about the bot's pace; when most of
    the recent answers are 429s, the app as a whole is over its limit, and the pace halves (at
    most once a second, so one burst of refusals halves it once). Successes win it back slowly.
    """

    ceiling: float
    rate: float = 0.0
    recent: collections.deque[bool] = field(default_factory=lambda: collections.deque(maxlen=THROTTLE_WINDOW))
    halved_at: float = float("-inf")

    def __post_init__(self) -> None:
        self.rate = self.rate or self.ceiling

    def throttled(self, now: float) -> None:
        """Note a 429; slow down when most recent answers were 429s."""
        self.recent.append(True)
        if sum(self.recent) * 2 < THROTTLE_WINDOW or now - self.halved_at < 1.0:
            return
        self.rate = max(min(MIN_RATE_PER_SECOND, self.ceiling / 4), self.rate / 2)
        self.halved_at = now
        logger.warning("outbox: Teams is throttling the bot; slowing to %.1f notifications a second", self.rate)

    def succeeded(self) -> None:
        """Note a success and speed up again, a little."""
        self.recent.append(False)
        self.rate = min(self.ceiling, self.rate + RATE_RECOVERY)


@dataclass
class OutboxStats:
    """What the sender has done since it started (for logs and the benchmark)."""

    delivered: int = 0
    retried: int = 0
    gone: int = 0
    failed: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)


def backoff(attempts: int, retry_after: float | None, rng: random.Random, base_s: float = BACKOFF_BASE_S) -> float:
    """Return the seconds to wait before attempt `attempts` + 1: full jitter, at least Retry-After."""
    ceiling = min(BACKOFF_CAP_S, base_s * 2**attempts)
    delay = rng.uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after * (1 + rng.uniform(0, 0.2)))
    return delay


class Outbox:
    """Send queued notifications in the background until stopped."""

    def __init__(
        self,
        store: ChannelStore,
        send: Send,
        *,
        rate_per_second: float = DEFAULT_RATE_PER_SECOND,
        senders: int = 1,
        concurrency: int = DEFAULT_CONCURRENCY,
        lease: dt.timedelta = DEFAULT_LEASE,
        idle_poll_s: float = IDLE_POLL_S,
        backoff_base_s: float = BACKOFF_BASE_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._send = send
        self._pace = Pace(rate_per_second)
        # Other processes may send to the same conversation: each keeps to its share of its windows.
        windows = shared_windows(CONVERSATION_WINDOWS, senders)
        self._limiter = SendLimiter(rate_per_second, windows, clock=clock, sleep=sleep)
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._idle_poll_s = idle_poll_s
        self._backoff_base_s = backoff_base_s
        self._clock = clock
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self.stats = OutboxStats()

    def wake(self) -> None:
        """Tell the sender there is something new to send (a post was published)."""
        self._wake.set()

    def start(self) -> None:
        """Start draining in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        """Stop draining; notifications in flight finish, unsent ones stay queued."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.drain_once()
            except StoreError as error:
                logger.warning("outbox: the store failed (%s); trying again shortly", error)
                sent = 0
            if sent:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_poll_s)

    async def drain_once(self) -> int:
        """Claim one batch of due notifications and send them at the allowed pace; return how many."""
        batch = max(1, min(BATCH, int(self._pace.rate * self._lease.total_seconds() / 4)))
        claimed = await self._store.claim_due(batch, self._lease)
        if not claimed:
            return 0
        posts: dict[int, PostRecord | None] = {}
        for delivery in claimed:
            if delivery.post_id not in posts:
                posts[delivery.post_id] = await self._store.post(delivery.post_id)
        for started, delivery in enumerate(claimed):
            post = posts[delivery.post_id]
            if post is None or post.state != "published":
                await self._store.failed(delivery.post_id, delivery.conversation_id, 0)
                continue
            try:
                place = await self._turn(delivery.conversation_id)
            except asyncio.CancelledError:  # stopping: the rest go back to the queue, not wait out the lease
                await self._store.unclaim([(d.post_id, d.conversation_id) for d in claimed[started:]])
                raise
            task = asyncio.create_task(self._deliver(delivery, post, place))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        if self._in_flight:
            # asyncio.wait, not gather: when stop() cancels the drain, the sends already out must
            # still finish and be recorded, or a restart would send them again.
            await asyncio.wait(set(self._in_flight))
        self._limiter.forget_idle()
        return len(claimed)

    async def _turn(self, conversation_id: str) -> Place:
        """Wait for a free slot and for the limiter to let a send to `conversation_id` go."""
        await self._slots.acquire()
        try:
            return await self._limiter.acquire(conversation_id)
        except BaseException:
            self._slots.release()
            raise

    async def _deliver(self, delivery: DueDelivery, post: PostRecord, place: Place) -> None:
        try:
            try:
                await self._send(delivery, post)
            finally:
                self._limiter.finish(place)  # answered (or failed): Teams has counted it by now
        except SendFailed as failure:
            await self._settle_failure(delivery, failure)
        except Exception:  # the send raised something unforeseen: keep the notification, try later
            logger.exception("outbox: sending post %d failed unexpectedly", delivery.post_id)
            await self._settle_failure(delivery, SendFailed(0))
        else:
            self.stats.delivered += 1
            self.stats.statuses[HTTPStatus.CREATED] += 1
            self._pace.succeeded()
            self._limiter.set_rate(self._pace.rate)
            await self._store.delivered(delivery.post_id, delivery.conversation_id, HTTPStatus.CREATED)
        finally:
            self._slots.release()

    async def _settle_failure(self, delivery: DueDelivery, failure: SendFailed) -> None:
        status = failure.status
        self.stats.statuses[status] += 1
        if status in GONE_STATUSES:
            self.stats.gone += 1
            logger.info("outbox: a follower's conversation is gone (HTTP %d); removing it", status)
            await self._store.gone(delivery.post_id, delivery.conversation_id, status)
            return
        if status not in RETRY_STATUSES or delivery.attempts + 1 >= MAX_ATTEMPTS:
            self.stats.failed += 1
            logger.warning("outbox: giving up a notification of post %d (HTTP %d)", delivery.post_id, status)
            await self._store.failed(delivery.post_id, delivery.conversation_id, status)
            return
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            self._pace.throttled(self._clock())
            self._limiter.set_rate(self._pace.rate)
        self.stats.retried += 1
        delay = backoff(delivery.attempts, failure.retry_after, self._rng, self._backoff_base_s)
        due = self._store.database.clock() + dt.timedelta(seconds=delay)
        await self._store.retry_later(delivery.post_id, delivery.conversation_id, status, due)
