"""A fake clock for asyncio code that sleeps: time moves only when the test moves it, so "the event
loop stalled for 1.5 s" is a line of test code, and no test waits on real time."""

from __future__ import annotations

import asyncio
import heapq
import itertools


class VirtualTime:
    """A fake clock with a sleep that only returns when the test advances the clock past it."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, tasks: list[asyncio.Task[None]], stalls: dict[float, float]) -> None:
        """Run `tasks` to the end; at each moment in `stalls` the loop freezes for that long."""
        pending_stalls = sorted(stalls.items())
        while not all(task.done() for task in tasks):
            for _ in range(50):  # let everything that can run, run
                await asyncio.sleep(0)
            if not self._timers:
                continue
            when = self._timers[0][0]
            if pending_stalls and pending_stalls[0][0] <= when:
                at, frozen = pending_stalls.pop(0)
                self.now = max(self.now, at) + frozen  # nothing ran meanwhile
            self.now = max(self.now, when)
            while self._timers and self._timers[0][0] <= self.now:  # a late loop wakes every due sleeper at once
                heapq.heappop(self._timers)[2].set_result(None)


def busiest_window(moments: list[float], seconds: float = 1.0) -> int:
    """Return the most moments inside any half-open window (t - seconds, t]."""
    moments = sorted(moments)
    best, start = 0, 0
    for end, moment in enumerate(moments):
        while moments[start] <= moment - seconds:
            start += 1
        best = max(best, end - start + 1)
    return best
