"""The outbox sender: drains queued notifications within Teams' rate limits, in the background.

Plain Python and asyncio; the sending itself is handed in (bot.teams.notifier sends a card through
the Bot Connector with the stored conversation reference). The limits are Microsoft's documented
ones ("Optimize your bot with rate limiting in Teams"): per bot and conversation (thread) 7
messages a second, 8 in 2 s, 60 in 30 s and 1800 an hour, and 30 requests a second for the app
per tenant in all. A notification goes to each follower's conversation once per post, so the
overall budget is what paces a fan-out; the per-conversation windows keep a channel that follows
many counties from being flooded.

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

from bot.store.channel import ChannelStore, DueDelivery, PostRecord
from bot.store.database import StoreError

logger = logging.getLogger(__name__)

# Teams' documented limits per bot per conversation: (window in seconds, messages allowed).
CONVERSATION_WINDOWS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
# Teams' global limit per app per tenant is 30 requests a second; the outbox keeps 5 of them for
# the answers people are waiting for in their chats.
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
# A 429 halves the pace (down to this floor); each success wins back a little of it.
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


# The share of the rate any one second may use when sending (see Outbox._second).
ARRIVAL_MARGIN = 0.9
# The key under which every send counts for the overall one-second window.
ALL = "*"


class SendFailed(Exception):
    """The Bot Connector refused or did not answer a notification."""

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"notification refused with HTTP {status}")
        self.status = status
        self.retry_after = retry_after


Send = Callable[[DueDelivery, PostRecord], Awaitable[None]]


class ConversationWindows:
    """Teams' per-conversation sliding windows: how long until a conversation may get another message."""

    def __init__(self, windows: tuple[tuple[float, int], ...] = CONVERSATION_WINDOWS) -> None:
        self._windows = windows
        self._longest = max(seconds for seconds, _ in windows)
        self._sent: dict[str, collections.deque[float]] = {}

    def wait(self, conversation_id: str, now: float) -> float:
        """Return the seconds to wait before sending to `conversation_id` (0: send now)."""
        sent = self._sent.get(conversation_id)
        if not sent:
            return 0.0
        while sent and sent[0] <= now - self._longest:
            sent.popleft()
        wait = 0.0
        for seconds, allowed in self._windows:
            inside = [moment for moment in sent if moment > now - seconds]
            if len(inside) >= allowed:
                wait = max(wait, inside[-allowed] + seconds - now)
        return wait

    def record(self, conversation_id: str, now: float) -> None:
        """Note a message sent to `conversation_id` at `now`."""
        self._sent.setdefault(conversation_id, collections.deque()).append(now)

    def forget_idle(self, now: float) -> None:
        """Drop conversations with nothing inside the longest window (keeps memory flat)."""
        for key in [key for key, sent in self._sent.items() if not sent or sent[-1] <= now - self._longest]:
            del self._sent[key]


@dataclass
class Pace:
    """The overall pace: evenly spaced sends at `rate` a second, halved when Teams throttles the bot.

    One conversation's 429 (its own thread limit) says nothing about the bot's pace; when most of
    the recent answers are 429s, the app as a whole is over its limit, and the pace halves (at
    most once a second, so one burst of refusals halves it once). Successes win it back slowly.
    """

    ceiling: float
    rate: float = 0.0
    next_at: float = 0.0
    recent: collections.deque[bool] = field(default_factory=lambda: collections.deque(maxlen=THROTTLE_WINDOW))
    halved_at: float = float("-inf")

    def __post_init__(self) -> None:
        self.rate = self.rate or self.ceiling

    def slot(self, now: float) -> float:
        """Reserve the next send slot; return the seconds to wait for it."""
        start = max(now, self.next_at)
        self.next_at = start + 1.0 / self.rate
        return start - now

    def throttled(self, now: float) -> None:
        """Note a 429; slow down when most recent answers were 429s."""
        self.recent.append(True)
        if sum(self.recent) * 2 < THROTTLE_WINDOW or now - self.halved_at < 1.0:
            return
        self.rate = max(MIN_RATE_PER_SECOND, self.rate / 2)
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
        concurrency: int = DEFAULT_CONCURRENCY,
        lease: dt.timedelta = DEFAULT_LEASE,
        idle_poll_s: float = IDLE_POLL_S,
        backoff_base_s: float = BACKOFF_BASE_S,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._send = send
        self._pace = Pace(rate_per_second)
        self._windows = ConversationWindows()
        # Evenly spaced sends still reach Teams in bunches (a busy event loop sends several at
        # once); leaving a tenth of the rate unused in any one second keeps the arrivals within it.
        self._second = ConversationWindows(((1.0, max(1, int(rate_per_second * ARRIVAL_MARGIN))),))
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
        for delivery in claimed:
            post = posts[delivery.post_id]
            if post is None or post.state != "published":
                await self._store.failed(delivery.post_id, delivery.conversation_id, 0)
                continue
            await self._slots.acquire()
            await self._wait_for_turn(delivery.conversation_id)
            task = asyncio.create_task(self._deliver(delivery, post))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        self._windows.forget_idle(self._clock())
        self._second.forget_idle(self._clock())
        return len(claimed)

    async def _wait_for_turn(self, conversation_id: str) -> None:
        """Wait for the overall pace and the conversation's own windows, then count the send."""
        now = self._clock()
        delay = max(self._pace.slot(now), self._windows.wait(conversation_id, now), self._second.wait(ALL, now))
        if delay > 0:
            await asyncio.sleep(delay)
        now = self._clock()
        self._windows.record(conversation_id, now)
        self._second.record(ALL, now)

    async def _deliver(self, delivery: DueDelivery, post: PostRecord) -> None:
        try:
            await self._send(delivery, post)
        except SendFailed as failure:
            await self._settle_failure(delivery, failure)
        except Exception:  # the send raised something unforeseen: keep the notification, try later
            logger.exception("outbox: sending post %d failed unexpectedly", delivery.post_id)
            await self._settle_failure(delivery, SendFailed(0))
        else:
            self.stats.delivered += 1
            self.stats.statuses[HTTPStatus.CREATED] += 1
            self._pace.succeeded()
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
        self.stats.retried += 1
        delay = backoff(delivery.attempts, failure.retry_after, self._rng, self._backoff_base_s)
        due = self._store.database.clock() + dt.timedelta(seconds=delay)
        await self._store.retry_later(delivery.post_id, delivery.conversation_id, status, due)
