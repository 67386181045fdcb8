"""Send limits that hold where Teams counts: at most N requests in any sliding window, however late
the event loop wakes.

Teams counts requests as they arrive. A sender cannot see that moment, but it knows the request
arrives somewhere between the moment it was allowed to go and the moment its answer came back.
So each send is held in the log for that whole span, and a new one may start only while fewer
than N sends touch the last window (started, still in flight, or answered less than a window
ago). Then no window anywhere in time can hold more than N arrivals: whichever of them started
last saw all the others in its own window when it was let through. A loop that stalls between
"go" and the actual write, or wakes many waiters at once, therefore cannot make a burst: the
sends it delays stay in the log until they are answered.

Plain Python and asyncio; the clock and the sleep are handed in, so tests drive it in virtual time.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

# Teams' documented limits per bot and conversation (thread): (window in seconds, sends allowed).
CONVERSATION_WINDOWS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
# The window of the overall limit (requests a second for the app in the tenant).
OVERALL_WINDOW_S = 1.0

Sleep = Callable[[float], Awaitable[None]]


def shared_windows(windows: tuple[tuple[float, int], ...], senders: int) -> tuple[tuple[float, int], ...]:
    """Return each window's share for one of `senders` processes that may send to the same conversation."""
    return tuple((seconds, max(1, allowed // senders)) for seconds, allowed in windows)


@dataclass
class Place:
    """One send in the log: from the moment it was let through until its answer (None: in flight)."""

    started: float
    ended: float | None = None


class SlidingLimit:
    """At most `allowed` sends touching any window of `seconds`, each counted from start to answer."""

    def __init__(self, seconds: float, allowed: int) -> None:
        self.seconds = seconds
        self.allowed = max(1, allowed)
        self._sends: list[Place] = []

    def wait(self, now: float) -> float:
        """Return the seconds until another send may start (0: now); a lower bound while some are in flight."""
        self._forget(now)
        excess = len(self._sends) - self.allowed
        if excess < 0:
            return 0.0
        # A send frees its place a window after its answer; one in flight no earlier than a window from now.
        frees = sorted((now if send.ended is None else send.ended) + self.seconds for send in self._sends)
        return max(frees[excess] - now, 0.0)

    def add(self, send: Place) -> None:
        """Count `send` (already let through) in this window."""
        self._sends.append(send)

    def idle(self, now: float) -> bool:
        """Return whether nothing in the log still counts at `now`."""
        self._forget(now)
        return not self._sends

    def _forget(self, now: float) -> None:
        horizon = now - self.seconds
        self._sends = [send for send in self._sends if send.ended is None or send.ended > horizon]


@dataclass
class SendLimiter:
    """The process's one gate for notifications: the overall limit and each conversation's windows.

    Shared by every sender task; `sending(conversation)` waits for a place, holds it while the
    request is out and for a window after its answer. Sends are also spaced at least 1/N s apart,
    so the N of a second are spread over it rather than sent in one burst.
    """

    per_second: float  # below one: at most one in any second, and 1/per_second seconds apart
    conversation_windows: tuple[tuple[float, int], ...] = CONVERSATION_WINDOWS
    clock: Callable[[], float] = time.monotonic
    sleep: Sleep = asyncio.sleep
    _overall: SlidingLimit = field(init=False)
    _conversations: dict[str, list[SlidingLimit]] = field(init=False, default_factory=dict)
    _next_at: float = field(init=False, default=float("-inf"))

    def __post_init__(self) -> None:
        self._overall = SlidingLimit(OVERALL_WINDOW_S, math.floor(self.per_second))

    def set_rate(self, per_second: float) -> None:
        """Change the overall limit (the sender slows down when Teams throttles the whole bot)."""
        self.per_second = per_second
        self._overall.allowed = max(1, math.floor(per_second))

    def wait(self, conversation_id: str, now: float) -> float:
        """Return the seconds until a send to `conversation_id` may start (0: now)."""
        waits = [self._overall.wait(now), self._next_at - now]
        waits.extend(limit.wait(now) for limit in self._conversations.get(conversation_id, ()))
        return max(0.0, *waits)

    def start(self, conversation_id: str, now: float) -> Place:
        """Let a send to `conversation_id` through at `now` (call only when `wait` says 0)."""
        send = Place(now)
        self._overall.add(send)
        limits = self._conversations.get(conversation_id)
        if limits is None:
            limits = self._conversations[conversation_id] = [SlidingLimit(s, n) for s, n in self.conversation_windows]
        for limit in limits:
            limit.add(send)
        self._next_at = now + 1.0 / self.per_second
        return send

    async def acquire(self, conversation_id: str) -> Place:
        """Wait until a send to `conversation_id` may start, and count it from this moment."""
        while True:
            now = self.clock()  # read after every wake-up: a late one must not spend stale credit
            delay = self.wait(conversation_id, now)
            if delay <= 0:
                return self.start(conversation_id, now)
            await self.sleep(delay)

    def finish(self, send: Place, now: float | None = None) -> None:
        """Note that `send`'s answer came back (or that it failed without reaching the network)."""
        send.ended = self.clock() if now is None else now

    @contextlib.asynccontextmanager
    async def sending(self, conversation_id: str) -> AsyncIterator[None]:
        """Hold a place for one send to `conversation_id` while the body runs."""
        send = await self.acquire(conversation_id)
        try:
            yield
        finally:
            self.finish(send)

    def forget_idle(self) -> None:
        """Drop conversations with nothing left in their windows (keeps memory flat)."""
        now = self.clock()
        for key in [key for key, limits in self._conversations.items() if all(lim.idle(now) for lim in limits)]:
            del self._conversations[key]
