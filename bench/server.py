"""Benchmark the running bot on loopback against a stock botbuilder echo bot, in the same run.

Starts a stub Bot Connector, then each server in turn as its own process on 127.0.0.1, posts
Teams-shaped questions at concurrency 1, 8 and 32 (bounded by count and time), and prints
throughput, p50/p99 latency, the ratio to the echo bot, start-up time and RSS after the run.

    python -m bench.server [--seconds 6] [--max-requests 4000] [--rounds 2] [--starts 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from tests import teams_activities as teams

PROJECT = Path(__file__).resolve().parent.parent
CONCURRENCY = (1, 8, 32)
# Questions colleagues ask, in both languages, including commands and a person look-up.
QUESTIONS = (
    "vem är vår ingång till Sörmland?",
    "jag ska till Eskilstuna nästa vecka",
    "who covers Gothenburg?",
    "Vem har Norrbotten?",
    "möte med Region Skåne i Malmö",
    "kontakt för Gotland",
    "vilket län har Isabelle Canderskog?",
    "lista",
    "hjälp",
    "I'm visiting Kiruna next week",
)
WARM_UP_REQUESTS = 60
# Both servers' own code, compiled to bytecode before they start, as pip compiled the SDK in .venv
# and the Dockerfile compiles the app: start-up then compares the servers, not Python's compiler
# (PYTHONDONTWRITEBYTECODE, set on the development machines, would leave every start compiling).
OWN_CODE = ("app.py", "bot", "dialogs", "bench")
STARTUP_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Run:
    """One load level against one server."""

    server: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_message: float  # the server process's CPU time (user + system) per message

    @property
    def throughput(self) -> float:
        """Return completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Server:
    """A server process under test."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    startup_s: float = 0.0
    startup_cpu_s: float = 0.0  # the process's own CPU time when healthy: moves less with the machine's load


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    """Start a server process on loopback, quiet."""
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING"}
    for name in ("MicrosoftAppId", "MicrosoftAppPassword"):  # the benchmark runs with authentication off
        env.pop(name, None)
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def wait_healthy(session: aiohttp.ClientSession, url: str, process: subprocess.Popen[bytes]) -> float:
    """Wait until GET /healthz answers 200; return how long that took from now."""
    began = time.perf_counter()
    while time.perf_counter() - began < STARTUP_TIMEOUT_S:
        if process.poll() is not None:
            stderr = process.stderr.read() if process.stderr else b""
            raise SystemExit(f"server exited: {stderr.decode(errors='replace')[-2000:]}")
        try:
            async with session.get(url + "/healthz") as response:
                if response.status == 200:
                    return time.perf_counter() - began
                if response.status == 503:
                    raise SystemExit(f"{url}/healthz is 503: {await response.text()}")
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.02)
    raise SystemExit(f"{url} did not become healthy within {STARTUP_TIMEOUT_S:.0f} s")


def activity_bodies(connector_url: str) -> list[bytes]:
    """Return pre-serialised Teams activities, one conversation per question."""
    bodies = []
    for number, question in enumerate(QUESTIONS):
        activity = teams.personal_message(connector_url, question, conversation_id=f"a:bench-{number}")
        bodies.append(json.dumps(activity).encode())
    return bodies


async def load(
    session: aiohttp.ClientSession, url: str, bodies: list[bytes], concurrency: int, seconds: float, max_requests: int
) -> tuple[list[float], int, float]:
    """Post bodies from `concurrency` workers until the time or the count runs out."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors, issued
        index = offset
        while issued < max_requests and time.perf_counter() < deadline:
            issued += 1
            body = bodies[index % len(bodies)]
            index += 1
            began = time.perf_counter()
            async with session.post(
                url + "/api/messages", data=body, headers={"Content-Type": "application/json"}
            ) as response:
                await response.read()
                if response.status not in (200, 201):
                    errors += 1
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return latencies, errors, time.perf_counter() - began


def percentile(values: list[float], fraction: float) -> float:
    """Return the given percentile in milliseconds."""
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1] * 1000


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """Return a process's CPU time so far (user + system), in seconds (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def launch(name: str, command: list[str], session: aiohttp.ClientSession) -> Server:
    """Start one server on a free port and wait until it is healthy."""
    port = free_port()
    began = time.perf_counter()
    process = start(command, port)
    server = Server(name, process, f"http://127.0.0.1:{port}")
    await wait_healthy(session, server.url, process)
    server.startup_s = time.perf_counter() - began
    server.startup_cpu_s = cpu_seconds(process.pid)
    return server


async def launch_in_turn(
    commands: list[tuple[str, list[str]]], session: aiohttp.ClientSession, starts: int, running: list[Server]
) -> None:
    """Start each server `starts` times, in turn with the others; keep the last start of each running.

    One start takes a fraction of a second, easily disturbed by other work on the machine, so
    each server's start-up is the median of its starts; the servers kept are added to `running`.
    """
    times: dict[str, list[float]] = {name: [] for name, _ in commands}
    cpu: dict[str, list[float]] = {name: [] for name, _ in commands}
    for attempt in range(starts):
        for name, command in commands:
            server = await launch(name, command, session)
            times[name].append(server.startup_s)
            cpu[name].append(server.startup_cpu_s)
            if attempt < starts - 1:
                server.process.terminate()
                server.process.wait(timeout=10)
            else:
                running.append(server)
    for server in running:
        server.startup_s = statistics.median(times[server.name])
        server.startup_cpu_s = statistics.median(cpu[server.name])


async def measure(
    server: Server,
    session: aiohttp.ClientSession,
    bodies: list[bytes],
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> Run:
    """Load one server at one concurrency and return the figures."""
    cpu_before = cpu_seconds(server.process.pid)
    latencies, errors, elapsed = await load(session, server.url, bodies, concurrency, seconds, max_requests)
    cpu = cpu_seconds(server.process.pid) - cpu_before
    return Run(
        server.name,
        concurrency,
        len(latencies),
        errors,
        elapsed,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        cpu * 1000 / max(len(latencies), 1),
    )


async def run(seconds: float, max_requests: int, rounds: int, starts: int) -> None:
    """Run the whole benchmark and print the table.

    Both servers run side by side and are loaded in turn, level by level and round by round, so
    that other work on the machine falls on both alike; the best round of each is reported.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", *OWN_CODE], cwd=PROJECT, check=True)
    connector_port = free_port()
    connector = start([sys.executable, "-m", "bench.connector", "--port", str(connector_port)], connector_port)
    connector_url = f"http://127.0.0.1:{connector_port}/"
    servers: list[Server] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            await wait_healthy_connector(session, connector_url)
            commands = [
                ("stock echo bot", [sys.executable, "-m", "bench.echo"]),
                ("Regiondörren", [sys.executable, "app.py"]),
            ]
            await launch_in_turn(commands, session, starts, servers)
            bodies = activity_bodies(connector_url)
            for server in servers:
                await load(session, server.url, bodies, 4, 30.0, WARM_UP_REQUESTS)
            replies_before = await reply_count(session, connector_url)
            best: dict[tuple[str, int], Run] = {}
            sent = 0
            for concurrency in CONCURRENCY:
                for _ in range(rounds):
                    for server in servers:
                        result = await measure(server, session, bodies, concurrency, seconds, max_requests)
                        sent += result.requests
                        key = (server.name, concurrency)
                        if key not in best or result.throughput > best[key].throughput:
                            best[key] = result
            replies = await reply_count(session, connector_url) - replies_before
            memory = {server.name: rss_mb(server.process.pid) for server in servers}
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=10)
        connector.terminate()
        connector.wait(timeout=10)
    print_table([best[(servers[0].name, c)] for c in CONCURRENCY], [best[(servers[1].name, c)] for c in CONCURRENCY])
    print(
        f"\nrequests {sent}, replies received by the stub connector {replies} "
        f"({'one or more per request' if replies >= sent else 'MISSING REPLIES'})"
    )
    print(
        f"start-up to healthy (median of {starts} starts): "
        + ", ".join(f"{s.name} {s.startup_s * 1000:.0f} ms" for s in servers)
    )
    print("  of which CPU:      " + ", ".join(f"{s.name} {s.startup_cpu_s * 1000:.0f} ms" for s in servers))
    print("RSS after the run:   " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))


async def reply_count(session: aiohttp.ClientSession, connector_url: str) -> int:
    """Ask the stub connector how many replies it has received."""
    async with session.get(connector_url + "count") as response:
        return int((await response.json())["replies"])


async def wait_healthy_connector(session: aiohttp.ClientSession, url: str) -> None:
    """Wait for the stub connector to listen."""
    for _ in range(500):
        try:
            async with session.get(url + "count") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.02)
    raise SystemExit("the stub Bot Connector did not start")


def print_table(echo: list[Run], ours: list[Run]) -> None:
    """Print both servers side by side, with our throughput as a multiple of the echo bot's."""
    print(
        f"{'server':<16} {'conc':>4} {'requests':>8} {'errors':>6} {'msg/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/msg':>10} {'× echo':>7}"
    )
    baseline = {run.concurrency: run.throughput for run in echo}
    for run in (*echo, *ours):
        ratio = run.throughput / baseline[run.concurrency] if baseline.get(run.concurrency) else 0.0
        print(
            f"{run.server:<16} {run.concurrency:>4} {run.requests:>8} {run.errors:>6} {run.throughput:>8.1f} "
            f"{run.p50_ms:>7.1f} {run.p99_ms:>7.1f} {run.cpu_ms_per_message:>10.2f} {ratio:>6.2f}×"
        )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="time per load level (default 6)")
    parser.add_argument("--max-requests", type=int, default=4000, help="requests per load level at most")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per level; the best is shown")
    parser.add_argument("--starts", type=int, default=5, help="starts per server; the median start-up is shown")
    args = parser.parse_args()
    asyncio.run(run(args.seconds, args.max_requests, args.rounds, max(args.starts, 1)))


if __name__ == "__main__":
    main()
