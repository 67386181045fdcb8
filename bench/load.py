"""Load test: a few hundred concurrent Teams conversations against the real server, on loopback.

Starts the server (`python app.py`) as its own process on a copy of the shipped data/, with a
stub Bot Connector in this process that records every reply by the activity it answers. Each
conversation asks, waits for its reply, thinks a moment and asks again, for a bounded time and
count; a third of them run clarify dialogs ("Vem har Norrland?", then "Norrbotten" or "2" in the
same conversation). Halfway through, officers.yaml is edited and the server reloads it while
questions and dialogs are in flight. Prints the figures and checks: every question got exactly
one reply, every follow-up was answered for the county chosen, no HTTP or server errors, and the
server's memory (RSS) is flat between the first 10 seconds (after a 3 s warm-up) and the last 10.

    python -m bench.load [--conversations 300] [--seconds 30] [--max-questions 50000] [--workers N]
                         [--database sqlite|postgresql] [--kill-worker]

--seconds must be at least 23 (warm-up plus two windows that do not overlap); a run that
--max-questions ends sooner fails, since its memory could not be compared.

With --workers N the server is gunicorn with N workers sharing conversation state through the
store, so a follow-up may reach a worker that did not ask. The store is a fresh SQLite file by
default, or with --database postgresql a throwaway PostgreSQL cluster (Debian's postgresql
package, as the tests use). --kill-worker (with --workers 2 or more) SIGKILLs one worker at 40 %
of the run: gunicorn starts a new one, the questions the dead worker was answering at that
instant are cut (counted, not failed), and every dialog it had started must still be answered
for the county chosen by the worker that gets the follow-up.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.server import free_port, percentile, rss_mb, wait_healthy
from bot.data.directory import DEFAULT_DATA_DIR
from tests import teams_activities as teams
from tests.databases import PostgresCluster, postgres_bin_dir

PROJECT = Path(__file__).resolve().parent.parent
# Questions answered in one turn, in both languages, including a person look-up and commands.
SIMPLE_QUESTIONS = (
    "vem är vår ingång till Sörmland?",
    "jag ska till Eskilstuna nästa vecka",
    "who covers Gothenburg?",
    "kontakt för Gotland",
    "vilket län har Isabelle Canderskog?",
    "möte med Region Skåne i Malmö",
    "hjälp",
)
# A question that fits five counties, and follow-ups with the county each one must be answered for.
CLARIFY_QUESTION = "Vem har Norrland?"
FOLLOW_UPS = (("Norrbotten", "Norrbottens län"), ("2", "Västernorrlands län"), ("Jämtland", "Jämtlands län"))
# Teams gives up on a reply after 15 s; a reply later than this counts as missing.
REPLY_TIMEOUT_S = 30.0
# A colleague reads the answer before asking again; 0-200 ms keeps the server busy all the same.
THINK_TIME_S = 0.2
# The window at each end of the run whose RSS is compared ("flat": last within 10 % of first).
RSS_WINDOW_S = 10.0
# The first seconds of load grow RSS from idle (~130 MB) as caches, sockets and conversation state
# fill; growth after that is what a leak looks like, so the first window starts here.
RSS_WARM_UP_S = 3.0
RSS_FLAT_RATIO = 1.10
# The shortest run whose first and last windows do not overlap; a shorter one would compare RSS
# with itself (or with the warm-up) and call it flat, so it is refused rather than passed.
MIN_SECONDS_FOR_MEMORY = RSS_WARM_UP_S + 2 * RSS_WINDOW_S
# How often the server polls data/ during the test: the reload in the middle is seen within ~2 s.
RELOAD_SECONDS = "1"
# When --kill-worker strikes: before the data reload at half time, so the two are told apart.
KILL_AT_SHARE = 0.4
# Connection errors this close after the kill are the dead worker's requests in flight, not failures.
KILL_CUT_WINDOW_S = 3.0


@dataclass
class Replies:
    """The stub Bot Connector's record: replies by the activity id they answer."""

    by_activity: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    waiting: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)

    def record(self, reply: dict[str, Any]) -> None:
        """Keep a reply and wake whoever waits for it."""
        activity_id = str(reply.get("replyToId"))
        self.by_activity[activity_id].append(reply)
        future = self.waiting.get(activity_id)
        if future is not None and not future.done():
            future.set_result(reply)


@dataclass
class Tally:
    """What the conversations saw."""

    questions: int = 0
    http_errors: Counter[int] = field(default_factory=Counter)
    timeouts: int = 0
    wrong_follow_ups: int = 0
    follow_ups: int = 0
    latencies: list[float] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # activity ids, to count replies per question
    in_clarify: int = 0  # conversations between a clarify question and its follow-up, right now
    connection_errors: list[tuple[float, str]] = field(default_factory=list)  # (when, activity id)
    killed_at: float | None = None  # perf_counter() of the --kill-worker SIGKILL
    cut: set[str] = field(default_factory=set)  # activity ids in flight on the killed worker

    def excuse_the_kill(self) -> None:
        """Move the connection errors right after the kill from errors to `cut`."""
        if self.killed_at is None:
            return
        for at, activity_id in self.connection_errors:
            if 0 <= at - self.killed_at <= KILL_CUT_WINDOW_S:
                self.cut.add(activity_id)
                self.http_errors[0] -= 1
        self.http_errors += Counter()  # drop counts that reached zero


def connector_app(replies: Replies) -> web.Application:
    """Return the stub connector: record each reply, answer {"id": ...} as the real one does."""
    ids = itertools.count(1)

    async def record(request: web.Request) -> web.Response:
        replies.record(await request.json())
        return web.json_response({"id": f"r{next(ids)}"})

    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation_id}/activities", record)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", record)
    return app


def first_card_title(reply: dict[str, Any]) -> str:
    """Return the first text of the reply's first Adaptive Card (an answer card names its county)."""
    for attachment in reply.get("attachments") or ():
        body = (attachment.get("content") or {}).get("body") or ()
        if body:
            return str(body[0].get("text", ""))
    return ""


async def ask(
    session: aiohttp.ClientSession,
    url: str,
    replies: Replies,
    tally: Tally,
    connector_url: str,
    conversation_id: str,
    question: str,
) -> dict[str, Any] | None:
    """Post one question and wait for its reply; return the reply, or None when there was none."""
    activity = teams.personal_message(connector_url, question, conversation_id=conversation_id)
    future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    replies.waiting[activity["id"]] = future
    tally.questions += 1
    tally.asked.append(activity["id"])
    began = time.perf_counter()
    try:
        async with session.post(url + "/api/messages", json=activity) as response:
            await response.read()
            if response.status not in (200, 201):
                tally.http_errors[response.status] += 1
                return None
        reply = await asyncio.wait_for(future, REPLY_TIMEOUT_S)
    except TimeoutError:
        tally.timeouts += 1
        return None
    except aiohttp.ClientError:
        tally.http_errors[0] += 1
        tally.connection_errors.append((time.perf_counter(), activity["id"]))
        return None
    finally:
        replies.waiting.pop(activity["id"], None)
    tally.latencies.append(time.perf_counter() - began)
    return reply


async def conversation(
    number: int,
    session: aiohttp.ClientSession,
    url: str,
    replies: Replies,
    tally: Tally,
    connector_url: str,
    deadline: float,
    max_questions: int,
) -> None:
    """Ask, read, ask again until the time or the count runs out; every third one clarifies."""
    conversation_id = f"a:load-{number}"
    rng = random.Random(number)
    for round_number in itertools.count():
        if time.perf_counter() >= deadline or tally.questions >= max_questions:
            return
        await asyncio.sleep(rng.random() * THINK_TIME_S)
        if number % 3:
            await ask(
                session,
                url,
                replies,
                tally,
                connector_url,
                conversation_id,
                SIMPLE_QUESTIONS[(number + round_number) % len(SIMPLE_QUESTIONS)],
            )
            continue
        await clarify(
            session,
            url,
            replies,
            tally,
            connector_url,
            conversation_id,
            FOLLOW_UPS[(number // 3 + round_number) % len(FOLLOW_UPS)],
            rng,
        )


async def clarify(
    session: aiohttp.ClientSession,
    url: str,
    replies: Replies,
    tally: Tally,
    connector_url: str,
    conversation_id: str,
    follow_up: tuple[str, str],
    rng: random.Random,
) -> None:
    """Ask a question that fits several counties, then choose one in the same conversation."""
    if await ask(session, url, replies, tally, connector_url, conversation_id, CLARIFY_QUESTION) is None:
        return
    tally.in_clarify += 1
    try:
        await asyncio.sleep(rng.random() * THINK_TIME_S)
        reply = await ask(session, url, replies, tally, connector_url, conversation_id, follow_up[0])
    finally:
        tally.in_clarify -= 1
    tally.follow_ups += 1
    if reply is not None and first_card_title(reply) != follow_up[1]:
        tally.wrong_follow_ups += 1


async def sample_rss(pid: int, samples: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """Record (seconds since start, RSS MB) twice a second until stopped."""
    began = time.perf_counter()
    while not stop.is_set():
        samples.append((time.perf_counter() - began, process_tree_rss_mb(pid)))
        await asyncio.sleep(0.5)


async def reload_midway(
    data_dir: Path, session: aiohttp.ClientSession, url: str, delay: float, tally: Tally
) -> dict[str, Any]:
    """Edit officers.yaml after `delay` seconds; return what /healthz said before and after the reload."""
    await asyncio.sleep(delay)
    before = await (await session.get(url + "/healthz")).json()
    path = data_dir / "officers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited during the load test\n", encoding="utf-8")
    edited = time.perf_counter()
    in_flight = tally.in_clarify
    while time.perf_counter() - edited < 15:
        after = await (await session.get(url + "/healthz")).json()
        if after["data_version"] != before["data_version"]:
            return {
                "before": before["data_version"],
                "after": after["data_version"],
                "error": after["last_error"],
                "seconds": time.perf_counter() - edited,
                "clarify_in_flight": in_flight,
            }
        await asyncio.sleep(0.05)
    return {
        "before": before["data_version"],
        "after": None,
        "error": "not reloaded within 15 s",
        "seconds": None,
        "clarify_in_flight": in_flight,
    }


def start_server(
    port: int, data_dir: Path, stderr: Any, workers: int, store: dict[str, str]
) -> subprocess.Popen[bytes]:
    """Start `python app.py` (or gunicorn with `workers` workers) on loopback, authentication off.

    `store` is STATE_DIR (a fresh SQLite file) or DATABASE_URL.
    """
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "DATA_DIR": str(data_dir),
        "DATA_RELOAD_SECONDS": RELOAD_SECONDS,
        "WEB_CONCURRENCY": str(workers),
        **store,
    }
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType"):
        env.pop(name, None)
    if "DATABASE_URL" not in store:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, "app.py"]
    if workers:
        command = [str(Path(sys.executable).parent / "gunicorn"), "app:app_factory", "--config", "gunicorn.conf.py"]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def child_pids(pid: int) -> list[int]:
    """Return the pids of a process's children (gunicorn's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def process_tree_rss_mb(pid: int) -> float:
    """Return the RSS of a process and its children (gunicorn's master and workers), in MB."""
    total = rss_mb(pid)
    for child in child_pids(pid):
        try:
            total += rss_mb(child)
        except (FileNotFoundError, ProcessLookupError):
            continue  # a worker that just died (--kill-worker)
    return total


async def kill_a_worker(master: int, workers: int, delay: float, tally: Tally) -> dict[str, Any]:
    """SIGKILL one of gunicorn's workers after `delay` s; return what happened until a new one served."""
    await asyncio.sleep(delay)
    victims = child_pids(master)
    if not victims:
        return {"killed": None, "error": "no worker to kill"}
    victim = victims[0]
    in_flight = tally.in_clarify
    os.kill(victim, signal.SIGKILL)
    tally.killed_at = time.perf_counter()
    while time.perf_counter() - tally.killed_at < 30:
        current = child_pids(master)
        if victim not in current and len(current) >= workers:
            return {
                "killed": victim,
                "replaced_by": sorted(set(current) - set(victims)),
                "seconds": time.perf_counter() - tally.killed_at,
                "clarify_in_flight": in_flight,
                "error": None,
            }
        await asyncio.sleep(0.05)
    return {"killed": victim, "error": "gunicorn started no new worker within 30 s", "clarify_in_flight": in_flight}


def memory_check_problem(elapsed: float) -> str | None:
    """Say why a run of `elapsed` seconds cannot show whether memory stayed flat (None when it can)."""
    if elapsed >= MIN_SECONDS_FOR_MEMORY:
        return None
    return (
        f"the run lasted {elapsed:.1f} s, too short for separate first and last {RSS_WINDOW_S:.0f} s memory "
        f"windows after {RSS_WARM_UP_S:.0f} s of warm-up (at least {MIN_SECONDS_FOR_MEMORY:.0f} s): "
        "memory not compared"
    )


def rss_window(samples: list[tuple[float, float]], first: bool) -> float:
    """Return the mean RSS of the first RSS_WINDOW_S seconds after warm-up, or of the last."""
    end = samples[-1][0]
    if first:
        values = [rss for at, rss in samples if RSS_WARM_UP_S <= at <= RSS_WARM_UP_S + RSS_WINDOW_S]
    else:
        values = [rss for at, rss in samples if at >= end - RSS_WINDOW_S]
    return statistics.fmean(values or [rss for _, rss in samples])


@dataclass(frozen=True, slots=True)
class Options:
    """How to run: the load, the server and its store."""

    conversations: int
    seconds: float
    max_questions: int
    workers: int
    database: str
    kill_worker: bool


async def run(options: Options) -> int:
    """Run the load test, print the figures and return 0 when every check holds, 1 otherwise."""
    work = Path(tempfile.mkdtemp(prefix="regiondorren-load-"))
    data_dir = work / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    cluster = start_postgres() if options.database == "postgresql" else None
    try:
        store = {"STATE_DIR": str(work / "var")}
        if cluster is not None:
            store["DATABASE_URL"] = cluster.url(cluster.create_database())
        return await serve_and_drive(options, work, data_dir, store)
    finally:
        if cluster is not None:
            cluster.remove()
        shutil.rmtree(work, ignore_errors=True)


def start_postgres() -> PostgresCluster:
    """Start a throwaway PostgreSQL cluster (Debian's postgresql package) on a free loopback port."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise SystemExit("--database postgresql needs PostgreSQL (apt-get install postgresql): initdb not found")
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.init()
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired):
        cluster.remove()
        raise
    return cluster


async def serve_and_drive(options: Options, work: Path, data_dir: Path, store: dict[str, str]) -> int:
    """Start the stub connector and the server, load it, report."""
    replies = Replies()
    runner = web.AppRunner(connector_app(replies), access_log=None)
    await runner.setup()
    connector_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", connector_port).start()
    connector_url = f"http://127.0.0.1:{connector_port}/"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    stderr_path = work / "server.log"
    with stderr_path.open("wb") as stderr:
        server = start_server(port, data_dir, stderr, options.workers, store)
        try:
            return await drive(server, url, connector_url, replies, data_dir, stderr_path, options)
        finally:
            server.terminate()
            server.wait(timeout=15)
            await runner.cleanup()


async def drive(
    server: subprocess.Popen[bytes],
    url: str,
    connector_url: str,
    replies: Replies,
    data_dir: Path,
    stderr_path: Path,
    options: Options,
) -> int:
    """Load the started server and report."""
    conversations, seconds, max_questions = options.conversations, options.seconds, options.max_questions
    tally = Tally()
    limits = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=limits, timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT_S)) as session:
        await wait_healthy(session, url, server)
        samples: list[tuple[float, float]] = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_rss(server.pid, samples, stop))
        began = time.perf_counter()
        deadline = began + seconds
        reload = asyncio.create_task(reload_midway(data_dir, session, url, seconds / 2, tally))
        kill = (
            asyncio.create_task(kill_a_worker(server.pid, options.workers, seconds * KILL_AT_SHARE, tally))
            if options.kill_worker
            else None
        )
        await asyncio.gather(
            *(
                conversation(n, session, url, replies, tally, connector_url, deadline, max_questions)
                for n in range(conversations)
            )
        )
        elapsed = time.perf_counter() - began
        await asyncio.sleep(1.0)  # a late or duplicate reply would arrive now
        stop.set()
        await sampler
        reloaded = await reload
        killed = await kill if kill is not None else None
    tally.excuse_the_kill()
    return report(tally, replies, reloaded, killed, samples, elapsed, stderr_path, options)


def report(
    tally: Tally,
    replies: Replies,
    reloaded: dict[str, Any],
    killed: dict[str, Any] | None,
    samples: list[tuple[float, float]],
    elapsed: float,
    stderr_path: Path,
    options: Options,
) -> int:
    """Print the figures and the checks; return the exit status."""
    answered = [activity_id for activity_id in tally.asked if activity_id not in tally.cut]
    counts = Counter(len(replies.by_activity.get(activity_id, ())) for activity_id in answered)
    server_errors = [
        line
        for line in stderr_path.read_text(encoding="utf-8", errors="replace").splitlines()
        if (" ERROR " in line or "Traceback" in line) and not (killed and "SIGKILL" in line)
    ]
    first, last = rss_window(samples, first=True), rss_window(samples, first=False)
    workers = options.workers
    server = f"gunicorn, {workers} workers" if workers else "python app.py, one process"
    print(
        f"Load test: {options.conversations} concurrent conversations for {elapsed:.1f} s on 127.0.0.1 "
        f"(server: {server}; conversation state in {options.database}; stub Bot Connector; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)"
    )
    print(
        f"  questions          {tally.questions} ({tally.questions / elapsed:.0f}/s), "
        f"of which clarify follow-ups {tally.follow_ups}"
    )
    print(
        f"  replies            exactly one: {counts[1]}, none: {counts[0]}, "
        f"more than one: {sum(n for k, n in counts.items() if k > 1)}"
    )
    print(
        f"  latency (ms)       p50 {percentile(tally.latencies, 0.5):.0f}, "
        f"p95 {percentile(tally.latencies, 0.95):.0f}, "
        f"p99 {percentile(tally.latencies, 0.99):.0f}, max {max(tally.latencies, default=0) * 1000:.0f}"
    )
    print(
        f"  errors             HTTP {sum(tally.http_errors.values())} {dict(tally.http_errors) or ''}, "
        f"timeouts {tally.timeouts}, wrong follow-up answers {tally.wrong_follow_ups}, "
        f"server error lines {len(server_errors)}"
    )
    print(
        f"  reload midway      {reloaded['before']} -> {reloaded['after']}, seen in /healthz after "
        f"{reloaded['seconds'] or 0:.2f} s, clarify dialogs in flight {reloaded['clarify_in_flight']}, "
        f"error {reloaded['error']}"
    )
    if killed is not None:
        print(
            f"  worker killed      pid {killed.get('killed')} at {KILL_AT_SHARE:.0%} of the run, replaced by "
            f"{killed.get('replaced_by')} after {killed.get('seconds') or 0:.2f} s, clarify dialogs in flight "
            f"{killed['clarify_in_flight']}, questions cut {len(tally.cut)}, error {killed['error']}"
        )
    print(
        f"  RSS (MB)           first {RSS_WINDOW_S:.0f} s (after {RSS_WARM_UP_S:.0f} s warm-up) {first:.1f}, "
        f"last {RSS_WINDOW_S:.0f} s {last:.1f}, "
        f"ratio {last / first:.3f}, peak {max(rss for _, rss in samples):.1f}"
    )
    print("  RSS timeline (MB)  " + ", ".join(f"{at:.0f} s {rss:.0f}" for at, rss in samples[::10]))
    failures = []
    if counts[1] != len(answered):
        failures.append("not every question got exactly one reply")
    if tally.http_errors or tally.timeouts or server_errors:
        failures.append("errors")
    if tally.wrong_follow_ups:
        failures.append("a follow-up was answered for the wrong county")
    if reloaded["after"] is None or reloaded["error"]:
        failures.append("the data was not reloaded cleanly")
    if killed is not None and killed["error"]:
        failures.append(f"worker kill: {killed['error']}")
    short = memory_check_problem(elapsed)  # --max-questions can end a run early
    if short:
        failures.append(short)
    elif last / first > RSS_FLAT_RATIO:
        failures.append(f"RSS grew more than {RSS_FLAT_RATIO - 1:.0%}")
    for line in server_errors[:5]:
        print(f"  server: {line}")
    print("  result             " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    return 1 if failures else 0


def main() -> int:
    """Parse the bounds and run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-questions", type=int, default=50_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="run gunicorn with this many workers instead of one `python app.py` process",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the store for conversation state: a fresh SQLite file, or a throwaway PostgreSQL cluster",
    )
    parser.add_argument(
        "--kill-worker", action="store_true", help="SIGKILL one gunicorn worker during the run (needs --workers 2+)"
    )
    args = parser.parse_args()
    if not 1 <= args.conversations <= 2000 or not 1 <= args.seconds <= 600 or not 0 <= args.workers <= 16:
        parser.error("keep it bounded: 1-2000 conversations, 1-600 seconds, 0-16 workers")
    if args.kill_worker and args.workers < 2:
        parser.error("--kill-worker needs --workers 2 or more (someone must answer while the new one starts)")
    if args.seconds < MIN_SECONDS_FOR_MEMORY:
        parser.error(
            f"--seconds {args.seconds:g} is too short to check memory: the first and last "
            f"{RSS_WINDOW_S:.0f} s windows after {RSS_WARM_UP_S:.0f} s of warm-up need at least "
            f"{MIN_SECONDS_FOR_MEMORY:.0f} s"
        )
    options = Options(
        args.conversations, args.seconds, args.max_questions, args.workers, args.database, args.kill_worker
    )
    return asyncio.run(run(options))


if __name__ == "__main__":
    raise SystemExit(main())
