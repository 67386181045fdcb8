"""A fan-out survives the server being killed halfway (SIGKILL) and restarted: afterwards every
live follower has exactly one notification. The real server as a process, the stub connector, on
SQLite and on a real PostgreSQL.

The connector stops answering just before the kill, as a slow connector would: the notifications
it took were confirmed and recorded by the bot, those in flight were never confirmed (and never
shown by the stub), so after the restart they are sent again once their claim runs out.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from bot.store import Database
from bot.store.channel import ChannelStore
from tests.conftest import FIXTURE_DATA, StubConnector
from tests.databases import DatabaseTarget
from tests.test_channel_teams import follower

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
FOLLOWERS = 1000
KILL_AFTER = FOLLOWERS // 2
BOOT_TIMEOUT_SECONDS = 30
# Teams' pace (NOTIFY_RATE at most 30 a second) and the claim's lease make this a minute or so.
FAN_OUT_TIMEOUT_SECONDS = 180
POST = {
    "kind": "update",
    "county": "04",
    "title": "Kris i Sörmland",
    "body": "Läs mer.",
    "link": None,
    "event_date": None,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_server(target: DatabaseTarget, log: Path) -> asyncio.subprocess.Process:
    """Start `python app.py` on a free port and wait until it is healthy."""
    port = free_port()
    keep = {name: os.environ[name] for name in ("PATH", "LANG", "TMPDIR") if name in os.environ}
    environ = {
        **keep,
        **target.environ(),
        "PYTHONPATH": str(PROJECT),
        "DATA_DIR": str(FIXTURE_DATA),
        "DATA_RELOAD_SECONDS": "0",
        "PORT": str(port),
        "NOTIFY_RATE": "30",
    }
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(PROJECT / "app.py"), env=environ, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
        )
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + BOOT_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert process.returncode is None, log.read_text()
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server did not start: {log.read_text()}")


async def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def test_a_fan_out_killed_halfway_resumes_and_no_live_follower_gets_it_twice(
    database: Database, database_target: DatabaseTarget, connector: StubConnector, tmp_path: Path
) -> None:
    store = ChannelStore(database)
    for number in range(FOLLOWERS):
        await store.follow(follower(number, connector))
    gone = {f"a:follower-{n}" for n in range(7, FOLLOWERS, 50)}
    connector.gone.update(gone)
    post = await store.create_draft(POST, "29:isabelle", "Isabelle Canderskog")
    assert await store.publish(post, "29:isabelle") == FOLLOWERS
    log = tmp_path / "server.log"

    connector.hang_after = KILL_AFTER
    server = await start_server(database_target, log)
    try:
        await wait_for(lambda: _at_least(connector, KILL_AFTER), FAN_OUT_TIMEOUT_SECONDS, "no fan-out")
        await asyncio.sleep(1.0)  # the bot records what the connector confirmed; the rest hangs
        server.send_signal(signal.SIGKILL)
        await server.wait()
        halfway = await store.delivery_counts(post)
        assert 0 < halfway.delivered < FOLLOWERS - len(gone) and halfway.waiting > 0

        connector.hang_after = None
        connector.release.set()
        server = await start_server(database_target, log)
        await wait_for(lambda: _settled(store, post), FAN_OUT_TIMEOUT_SECONDS, "the fan-out did not finish")
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.wait(), BOOT_TIMEOUT_SECONDS)

    received = Counter(reply["conversation"]["id"] for reply in connector.replies)
    live = {f"a:follower-{n}" for n in range(FOLLOWERS)} - gone
    assert received == Counter(dict.fromkeys(live, 1))
    counts = await store.delivery_counts(post)
    assert (counts.delivered, counts.waiting, counts.gone) == (len(live), 0, len(gone))


async def _at_least(connector: StubConnector, count: int) -> bool:
    return len(connector.replies) >= count


async def _settled(store: ChannelStore, post: int) -> bool:
    return (await store.delivery_counts(post)).waiting == 0
