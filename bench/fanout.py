"""Fan-out benchmark: one published post notifies thousands of followers through the real server.

Starts the server (`python app.py`) as its own process on the shipped data/ with a fresh SQLite
store, seeds N followers of Södermanlands län, and runs a stub Bot Connector in this process that
stamps every notification it receives. Then it publishes one update (as the officer would: the
post and its N notifications in one transaction) and waits until every notification is delivered.

Prints: notifications a second against NOTIFY_RATE and Teams' documented limit (30 requests a
second per app and tenant), the busiest second overall and the busiest second of any one
conversation (Teams allows 7), and the server's memory (RSS) before and after the fan-out.

    python -m bench.fanout [--followers 5000] [--rate 30]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.server import free_port, rss_mb, wait_healthy
from bot.store import migrate, open_database
from bot.store.channel import ChannelStore, FollowRecord
from tests.teams_activities import TENANT_ID

PROJECT = Path(__file__).resolve().parent.parent
# Teams' documented limits: per app and tenant, and per bot and conversation (one second).
TEAMS_APP_LIMIT_PER_S = 30
TEAMS_CONVERSATION_LIMIT_PER_S = 7
TIMEOUT_S = 1800
POST = {
    "kind": "update",
    "county": "04",
    "title": "Ny regional utvecklingsstrategi",
    "body": "Regionen har antagit RUS 2030.",
    "link": None,
    "event_date": None,
}


class Stub:
    """The Bot Connector: takes every notification and notes when it came, per conversation."""

    def __init__(self) -> None:
        self.stamps: list[tuple[float, str]] = []

    def app(self) -> web.Application:
        async def take(request: web.Request) -> web.Response:
            await request.read()
            self.stamps.append((time.monotonic(), request.match_info["conversation"]))
            return web.json_response({"id": f"n-{len(self.stamps)}"})

        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", take)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", take)
        return app


def follower(number: int, service_url: str) -> FollowRecord:
    conversation = f"a:bench-{number}"
    reference = {
        "user": {"id": f"29:bench-{number}", "name": f"Följare {number}"},
        "bot": {"id": "28:bench", "name": "Regiondörren"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT_ID},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }
    return FollowRecord(
        conversation, "04", False, f"29:bench-{number}", f"Följare {number}", None, "sv", json.dumps(reference),
        dt.datetime.now(dt.UTC),
    )  # fmt: skip


async def seed(state_dir: Path, followers: int, service_url: str) -> ChannelStore:
    database = open_database(state_dir)
    await database.open()
    await migrate(database)
    store = ChannelStore(database)
    for number in range(followers):
        await store.follow(follower(number, service_url))
    return store


def busiest_second(stamps: list[float]) -> int:
    """Return the most stamps inside any one-second window, wherever it starts (sliding)."""
    best, start = 0, 0
    for end, moment in enumerate(stamps):
        while stamps[start] <= moment - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(followers: int, rate: float) -> None:
    stub = Stub()
    runner = web.AppRunner(stub.app())
    await runner.setup()
    stub_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", stub_port).start()
    service_url = f"http://127.0.0.1:{stub_port}/"
    state_dir = Path(tempfile.mkdtemp(prefix="regiondorren-fanout-"))
    try:
        store = await seed(state_dir, followers, service_url)
        port = free_port()
        environ = {**os.environ, "PORT": str(port), "STATE_DIR": str(state_dir), "NOTIFY_RATE": str(rate)}
        environ.pop("DATABASE_URL", None)
        log = (state_dir / "server.log").open("wb")  # a pipe nobody reads would fill up and stop the server
        server = subprocess.Popen([sys.executable, str(PROJECT / "app.py")], env=environ, stdout=log, stderr=log)
        try:
            async with aiohttp.ClientSession() as session:
                await wait_healthy(session, f"http://127.0.0.1:{port}", server)
            await asyncio.sleep(2.0)  # settle after start-up before the baseline
            before = rss_mb(server.pid)
            post = await store.create_draft(POST, "29:isabelle", "Isabelle Canderskog")
            published = time.monotonic()
            queued = await store.publish(post, "29:isabelle")
            while (await store.delivery_counts(post)).waiting:
                if time.monotonic() - published > TIMEOUT_S:
                    raise SystemExit("the fan-out did not finish in time")
                await asyncio.sleep(0.5)
            after = rss_mb(server.pid)
            counts = await store.delivery_counts(post)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        await store.database.close()
    finally:
        await runner.cleanup()
        shutil.rmtree(state_dir, ignore_errors=True)
    report(followers, rate, queued or 0, counts.delivered, stub.stamps, published, before, after)


def report(
    followers: int,
    rate: float,
    queued: int,
    delivered: int,
    stamps: list[tuple[float, str]],
    published: float,
    before: float,
    after: float,
) -> None:
    moments = sorted(moment for moment, _ in stamps)
    per_conversation = collections.Counter(conversation for _, conversation in stamps)
    sending = moments[-1] - moments[0] if len(moments) > 1 else 0.0
    by_conversation: dict[str, list[float]] = collections.defaultdict(list)
    for moment, conversation in stamps:
        by_conversation[conversation].append(moment)
    busiest_conversation = max((busiest_second(sorted(v)) for v in by_conversation.values()), default=0)
    print(f"fan-out to {followers} followers, NOTIFY_RATE {rate:g}/s (Teams: {TEAMS_APP_LIMIT_PER_S}/s per app)")
    print(f"  queued {queued}, delivered {delivered}, received by the connector {len(stamps)}")
    print(f"  first notification {moments[0] - published:.2f} s after publishing; all sent in {sending:.1f} s")
    print(f"  {len(stamps) / sending if sending else 0:.1f} notifications a second on average")
    print(f"  busiest sliding second: {busiest_second(moments)} (limit {TEAMS_APP_LIMIT_PER_S})")
    print(f"  busiest second for one conversation: {busiest_conversation} (limit {TEAMS_CONVERSATION_LIMIT_PER_S})")
    print(f"  duplicates: {sum(count - 1 for count in per_conversation.values())}")
    print(f"  server memory (RSS): {before:.1f} MB before, {after:.1f} MB after ({after - before:+.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=30.0, help="NOTIFY_RATE for the server (at most 30)")
    args = parser.parse_args()
    asyncio.run(run(args.followers, args.rate))


if __name__ == "__main__":
    main()
