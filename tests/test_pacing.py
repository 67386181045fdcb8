"""The send limiter: never more than Teams allows in any sliding window, even after the loop stalls.

Everything runs on a fake clock: "the loop stalled" is the clock jumping while nothing runs, then
every waiter waking at once. No test here waits on real time.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.runtime.pacing import CONVERSATION_WINDOWS, Place, SendLimiter, SlidingLimit, shared_windows
from tests.virtual_time import VirtualTime, busiest_window


def limit_start(limit: SlidingLimit, now: float) -> Place:
    send = Place(now)
    limit.add(send)
    return send


def test_a_send_answered_after_a_stall_still_counts_in_the_window_it_reached_teams() -> None:
    limit = SlidingLimit(1.0, 5)
    sends = []
    for _ in range(5):
        assert limit.wait(0.0) == 0
        sends.append(limit_start(limit, 0.0))
    # The loop stalls: the five reach the connector at 1.5 s and are answered then.
    for send in sends:
        send.ended = 1.5
    # Pacing by start times alone would let five more go at 1.5 s: ten arrivals inside one second.
    assert limit.wait(1.5) == pytest.approx(1.0)
    assert limit.wait(2.5) == 0


def test_sends_in_flight_hold_their_place_and_answered_ones_free_it_a_second_later() -> None:
    limit = SlidingLimit(1.0, 2)
    first, second = limit_start(limit, 0.0), limit_start(limit, 0.1)
    assert limit.wait(0.2) == pytest.approx(1.0)  # both in flight: at least a second from now
    first.ended = 0.3
    assert limit.wait(0.4) == pytest.approx(0.9)  # the first answered at 0.3 frees its place at 1.3
    second.ended = 0.35
    assert limit.wait(1.31) == 0


def test_a_conversation_gets_at_most_seven_a_second_and_eight_in_two_others_are_not_held_up() -> None:
    limiter = SendLimiter(per_second=1000)
    for moment in range(7):
        now = moment / 100
        assert limiter.wait("a:1", now) == 0
        limiter.finish(limiter.start("a:1", now), now)
    assert limiter.wait("a:1", 0.07) == pytest.approx(0.93)  # the eighth waits for the first to leave the second
    assert limiter.wait("a:other", 0.07) == 0
    limiter.finish(limiter.start("a:1", 1.0), 1.0)
    assert limiter.wait("a:1", 1.01) == pytest.approx(0.99)  # eight in two seconds: wait for the first to age out


def test_sends_are_spread_over_the_second_not_sent_in_one_burst() -> None:
    limiter = SendLimiter(per_second=25)
    limiter.start("a:1", 0.0)
    assert limiter.wait("a:2", 0.0) == pytest.approx(1 / 25)


@pytest.mark.parametrize("seed", range(5))
async def test_arrivals_never_exceed_the_limit_in_any_sliding_second_however_late_the_loop_wakes(seed: int) -> None:
    rng = random.Random(seed)
    time = VirtualTime()
    limiter = SendLimiter(per_second=10, clock=time.clock, sleep=time.sleep)
    arrivals: list[float] = []
    conversation_arrivals: dict[str, list[float]] = {}

    async def notify(number: int) -> None:
        conversation = f"a:{number % 7}"  # a few conversations, so their own windows matter too
        async with limiter.sending(conversation):
            await time.sleep(rng.uniform(0.0, 0.3))  # on its way: the connector takes it somewhere in here
            arrivals.append(time.now)
            conversation_arrivals.setdefault(conversation, []).append(time.now)
            await time.sleep(rng.uniform(0.0, 0.2))  # the answer on its way back

    tasks = [asyncio.create_task(notify(number)) for number in range(200)]
    stalls = {rng.uniform(0, 20): rng.uniform(0.5, 3.0) for _ in range(8)}  # the loop freezes, then wakes all at once
    await time.run(tasks, stalls)

    assert len(arrivals) == 200
    assert busiest_window(arrivals) <= 10
    assert all(busiest_window(moments) <= 7 for moments in conversation_arrivals.values())
    assert all(busiest_window(moments, 2.0) <= 8 for moments in conversation_arrivals.values())
    # Not by serialising everything: 200 sends at 10 a second, with stalls and answers, within a minute.
    assert time.now < 60


def test_a_slower_rate_applies_at_once() -> None:
    limiter = SendLimiter(per_second=10)
    for number in range(3):
        limiter.finish(limiter.start(f"a:{number}", number / 10), number / 10)
    limiter.set_rate(3)
    assert limiter.wait("a:9", 0.3) == pytest.approx(0.7)


def test_sender_processes_split_each_conversation_window_between_them() -> None:
    assert shared_windows(CONVERSATION_WINDOWS, 2) == ((1.0, 3), (2.0, 4), (30.0, 30), (3600.0, 900))
    assert shared_windows(((1.0, 7),), 10) == ((1.0, 1),)  # never below one, or nothing would go
    limiter = SendLimiter(per_second=100, conversation_windows=shared_windows(CONVERSATION_WINDOWS, 2))
    for number in range(3):
        limiter.finish(limiter.start("a:1", number / 10), number / 10)
    assert limiter.wait("a:1", 0.3) == pytest.approx(0.7)
