"""The outbox's rules: slowing down when Teams throttles the bot, backoff (the windows: test_pacing)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random

import pytest

from bot.runtime.outbox import BACKOFF_CAP_S, Outbox, Pace, backoff
from bot.store import Database
from bot.store.channel import ChannelStore, DueDelivery, PostRecord
from tests.test_store_channel import FIELDS, follow
from tests.virtual_time import VirtualTime, busiest_window


def test_a_few_429s_leave_the_pace_alone_and_a_wall_of_them_halves_it_once_a_second() -> None:
    pace = Pace(25.0)
    for _ in range(9):
        pace.succeeded()
        pace.throttled(0.0)
    assert pace.rate == 25.0
    for number in range(40):
        pace.throttled(1.0 + number / 100)
    assert pace.rate == 12.5


def test_a_wall_of_429s_never_raises_a_small_share() -> None:
    pace = Pace(0.25)
    for number in range(40):
        pace.throttled(1.0 + number / 100)
    assert 0 < pace.rate < 0.25


@pytest.mark.parametrize("attempts", range(12))
def test_backoff_grows_with_jitter_and_honours_retry_after(attempts: int) -> None:
    rng = random.Random(attempts)
    delay = backoff(attempts, None, rng)
    ceiling = min(BACKOFF_CAP_S, 2.0 * 2**attempts)
    assert ceiling / 2 <= delay <= ceiling
    assert backoff(attempts, 900.0, rng) >= 900.0


@pytest.mark.parametrize("seed", range(3))
async def test_a_fan_out_never_exceeds_the_rate_at_the_connector_even_when_the_loop_stalls(
    database: Database, seed: int
) -> None:
    store = ChannelStore(database)
    for number in range(60):
        await store.follow(follow(f"a:{number}", "04", f"29:{number}"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    time = VirtualTime()
    rng = random.Random(seed)
    arrivals: list[float] = []

    async def send(delivery: DueDelivery, record: PostRecord) -> None:
        await time.sleep(rng.uniform(0.0, 0.8))  # on its way: the connector takes it somewhere in here
        arrivals.append(time.now)
        await time.sleep(0.05)

    outbox = Outbox(store, send, rate_per_second=10, clock=time.clock, sleep=time.sleep)

    async def drain() -> None:
        while await outbox.drain_once():
            pass

    stalls = {1.5: 1.2, 3.3: 2.0, 6.1: 1.5}  # the loop freezes, then wakes every due sleeper at once
    await time.run([asyncio.create_task(drain())], stalls)

    assert len(arrivals) == 60 and (await store.delivery_counts(post)).delivered == 60
    assert busiest_window(arrivals) <= 10


async def test_an_orderly_stop_lets_sends_in_flight_finish_and_records_them(database: Database) -> None:
    store = ChannelStore(database)
    await store.follow(follow("a:1", "04", "29:1"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    started, answered = asyncio.Event(), asyncio.Event()

    async def send(delivery: DueDelivery, record: PostRecord) -> None:
        started.set()
        await answered.wait()  # Teams has the request; its answer is on the way

    outbox = Outbox(store, send)
    outbox.start()
    await started.wait()
    stopping = asyncio.create_task(outbox.stop())  # a deploy: SIGTERM
    for _ in range(5):
        await asyncio.sleep(0)
    answered.set()
    await stopping

    counts = await store.delivery_counts(post)
    assert (counts.delivered, counts.waiting) == (1, 0)  # recorded: a restart sends nothing again


async def test_a_stop_hands_back_the_claimed_notifications_it_had_not_sent(database: Database) -> None:
    store = ChannelStore(database)
    for number in range(5):
        await store.follow(follow(f"a:{number}", "04", f"29:{number}"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    started, answered = asyncio.Event(), asyncio.Event()

    async def send(delivery: DueDelivery, record: PostRecord) -> None:
        started.set()
        await answered.wait()

    outbox = Outbox(store, send, concurrency=1)  # one out, four claimed and waiting their turn
    outbox.start()
    await started.wait()
    stopping = asyncio.create_task(outbox.stop())
    for _ in range(5):
        await asyncio.sleep(0)
    answered.set()
    await stopping

    # The store's clock stands still: without the hand-back they would wait out their lease (20 s).
    assert len(await store.claim_due(10, dt.timedelta(seconds=20))) == 4


async def test_a_share_below_one_a_second_is_kept(database: Database) -> None:
    store = ChannelStore(database)
    for number in range(3):
        await store.follow(follow(f"a:{number}", "04", f"29:{number}"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    time = VirtualTime()
    arrivals: list[float] = []

    async def send(delivery: DueDelivery, record: PostRecord) -> None:
        arrivals.append(time.now)

    outbox = Outbox(store, send, rate_per_second=25 / 100, clock=time.clock, sleep=time.sleep)  # 100 processes

    async def drain() -> None:
        while await outbox.drain_once():
            pass

    await time.run([asyncio.create_task(drain())], {})

    assert [later - earlier for earlier, later in itertools.pairwise(arrivals)] == [4.0, 4.0]
