"""Hostile load without a token: what a body flood and held connections do to a real user.

Starts the server (authentication on, unless --auth off) as its own process on loopback, with
the Bot Framework's OpenID metadata and signing key served by tests/openid_stub.py and a stub
Bot Connector in this process. One real user asks a question, signed as the Bot Connector signs
it, every THINK_TIME_S, through these phases of --seconds each:

* baseline: the real user alone;
* body flood: --clients clients each post --rate requests a second of a 217 kB members-added
  activity with 18 000 entries, with a forged token shaped like a real one (it passes the
  header check, so the server must check its signature to refuse it). The clients start
  together and keep in step: the requests come in bursts of --clients, the harder case;
* held connections: --held clients each send the headers of a POST promising a body
  (Content-Length: 100, the same forged token) and never send it; whenever the server answers
  or closes one, it opens another a second later.

Baseline and body flood alternate for --runs rounds, so that the machine's load (other work on
a shared machine) falls on both alike; the verdict compares all baseline turns with all flood
turns (a p99 over a few hundred turns is still a noisy figure: compare rounds too). Held
connections run once, at the end. For each phase it prints the real user's p50 and p99, their
change against the baseline, the server's CPU and the attackers' own (what the attack takes
from the cores the server shares), the load average, how the attackers were answered, and how
many lines and bytes the server logged. The attackers run in a process of their own, so the
real user's timings are not held up by the bench's own work of sending floods.

    python -m bench.flood [--seconds 10] [--runs 3] [--clients 8] [--rate 5] [--held 1100]
                          [--fd-limit 1024] [--auth on|off] [--project DIR] [--server-log FILE]

--fd-limit caps the server's open files (the limit the held connections exhaust; 1024 is the
common default). --project runs the server from another checkout of the project (an older
commit, to compare); the bench itself, the stubs and the attack stay the same.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.server import cpu_seconds, free_port, percentile, wait_healthy
from tests import teams_activities as teams
from tests.openid_stub import OpenIdStub, new_key

PROJECT = Path(__file__).resolve().parent.parent
APP_ID = "6c1a5f0e-2d3b-4a7c-9e8f-1b2c3d4e5f60"
QUESTIONS = ("vem är vår ingång till Sörmland?", "jag ska till Eskilstuna", "who covers Gothenburg?", "hjälp")
# A colleague reads the answer before asking again; 100 ms gives a few hundred turns a phase.
THINK_TIME_S = 0.1
# The finding's body: 18 000 members in about 229 kB (here 217 kB, compact JSON).
FLOOD_MEMBERS = 18_000
# The goal: with authentication on, the flood moves the real user's p99 by less than this.
GOAL_P99_CHANGE = 0.20
# A holder the server answered or closed opens its next connection after this pause: the attack
# holds connections, it does not become a flood of new ones (that would measure the bench's CPU).
HOLDER_PAUSE_S = 1.0
# Longest a real user's turn or an attacker's request is waited for.
REQUEST_TIMEOUT_S = 30.0

# The server process: the project's create_app with authentication on against the local OpenID
# stub, and the bot's own outbound token answered locally instead of by Azure AD. Run with -c in
# the checkout under test, so an older commit can be measured by the same bench.
SERVE = """
import gc, os, sys
gc.disable()  # as python app.py starts: app.resume_collection freezes start-up's objects, then enables it
from aiohttp import web
import app as app_module
if not hasattr(app_module, "resume_collection"):  # older commits never pause the collector
    gc.enable()
from botframework.connector.auth import (
    AuthenticationConstants, MicrosoftAppCredentials, PasswordServiceClientCredentialFactory)
from app import create_app
from bot.logs import configure_logging
from bot.settings import Settings

class LocalCredentials(MicrosoftAppCredentials):
    def get_access_token(self, force_refresh=False):
        return "local-token"

class LocalFactory(PasswordServiceClientCredentialFactory):
    async def create_credentials(self, app_id, oauth_scope, login_endpoint, validate_authority):
        return LocalCredentials(app_id, self.password, oauth_scope=oauth_scope)

configure_logging(os.environ)
settings = Settings.from_env(os.environ, env_file=None)
metadata = os.environ["BENCH_OPENID_METADATA_URL"]
overrides = {
    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": metadata,
    "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": metadata,
    "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": "https://api.botframework.com",
    "TO_CHANNEL_FROM_BOT_LOGIN_URL": AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL,
    "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
    "OAUTH_URL": AuthenticationConstants.OAUTH_URL,
}
app = create_app(settings, authentication_overrides=overrides,
                 credentials_factory=LocalFactory(settings.app_id, settings.app_password) if settings.app_id else None)
if hasattr(app_module, "serve"):  # as app.main() serves, with its connection cap
    app_module.serve(app, settings.host, settings.port)
else:  # older commits: aiohttp's run_app, with their backlog or aiohttp's
    backlog = getattr(app_module, "LISTEN_BACKLOG", 128)
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None, backlog=backlog)
"""


@dataclass
class Phase:
    """One phase's figures."""

    name: str
    latencies: list[float] = field(default_factory=list)
    user_errors: Counter[str] = field(default_factory=Counter)
    attacker_answers: Counter[str] = field(default_factory=Counter)
    log_lines: int = 0
    log_bytes: int = 0
    server_cpu: float = 0.0  # the server's CPU seconds per second of the phase: robust on a busy machine
    attacker_cpu: float = 0.0  # the attackers' process, the same way: what the attack takes from the cores
    load: str = ""  # the machine's 1-minute load average when the phase ended


def flood_body(service_url: str) -> bytes:
    """Return the flood activity: members added, FLOOD_MEMBERS short entries, compact JSON."""
    activity = teams.user_added_to_team(service_url)
    activity["membersAdded"] = [{"id": "29"}] * FLOOD_MEMBERS
    return json.dumps(activity, separators=(",", ":")).encode()


def forged_token(openid: OpenIdStub, service_url: str) -> str:
    """Return a token shaped and claimed like the Bot Connector's, signed by a key nobody trusts."""
    return openid.token(audience=APP_ID, service_url=service_url, key=new_key())


async def real_user(
    session: aiohttp.ClientSession,
    url: str,
    openid: OpenIdStub | None,
    connector_url: str,
    phase: Phase,
    stop: asyncio.Event,
) -> None:
    """Ask questions in one conversation until `stop`, timing each turn (the POST until its 201).

    With `openid` the questions are signed as the Bot Connector signs them; without (authentication
    off) they carry no token, as from the Emulator.
    """
    headers = {}
    if openid is not None:
        headers["Authorization"] = f"Bearer {openid.token(audience=APP_ID, service_url=connector_url)}"
    for question in itertools.cycle(QUESTIONS):
        if stop.is_set():
            return
        activity = teams.personal_message(connector_url, question, conversation_id="a:real-user")
        began = time.perf_counter()
        try:
            async with session.post(url + "/api/messages", json=activity, headers=headers) as response:
                await response.read()
                if response.status != 201:
                    phase.user_errors[f"HTTP {response.status}"] += 1
                    continue
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.user_errors[f"{error.__class__.__name__}: {str(error)[:80]}"] += 1
            continue
        phase.latencies.append(time.perf_counter() - began)
        await asyncio.sleep(THINK_TIME_S)


async def flooder(
    session: aiohttp.ClientSession, url: str, body: bytes, token: str, rate: float, phase: Phase, stop: asyncio.Event
) -> None:
    """Post the flood body `rate` times a second with a forged token until `stop`."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    interval = 1.0 / rate
    while not stop.is_set():
        began = time.perf_counter()
        try:
            async with session.post(url + "/api/messages", data=body, headers=headers) as response:
                await response.read()
                phase.attacker_answers[f"HTTP {response.status}"] += 1
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.attacker_answers[error.__class__.__name__] += 1
        await asyncio.sleep(max(0.0, interval - (time.perf_counter() - began)))


async def holder(port: int, token: str, phase: Phase, stop: asyncio.Event) -> None:
    """Hold a connection that promised a body and sends none; reconnect whenever it is closed."""
    request = (
        "POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: 100\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            phase.attacker_answers[f"connect: {error.__class__.__name__}"] += 1
            await asyncio.sleep(0.5)
            continue
        try:
            writer.write(request)
            await writer.drain()
            read = asyncio.ensure_future(reader.read(64))
            stopped = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if read in done:
                answer = read.result()
                phase.attacker_answers[answer[9:12].decode(errors="replace") if answer else "closed"] += 1
                await asyncio.sleep(HOLDER_PAUSE_S)
            for task in (read, stopped):
                task.cancel()
        except OSError as error:
            phase.attacker_answers[error.__class__.__name__] += 1
        finally:
            writer.close()


async def attack(args: argparse.Namespace) -> None:
    """In the attackers' process: run one attack for --seconds, then print how it was answered."""
    phase, stop = Phase(args.attack), asyncio.Event()
    url, token = args.url, args.token
    began = time.perf_counter()
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    ) as session:
        if args.attack == "flood":
            body = flood_body(args.connector_url)
            tasks = [flooder(session, url, body, token, args.rate, phase, stop) for _ in range(args.clients)]
        else:
            port = int(url.rpartition(":")[2])
            tasks = [holder(port, token, phase, stop) for _ in range(args.held)]
        running = [asyncio.create_task(task) for task in tasks]
        await asyncio.sleep(args.seconds)
        stop.set()
        await asyncio.wait(running, timeout=REQUEST_TIMEOUT_S)
        for task in running:
            task.cancel()
    cpu = time.process_time() / max(time.perf_counter() - began, 1e-9)
    print(json.dumps({"answers": dict(phase.attacker_answers), "cpu": cpu}), flush=True)


async def run_phase(
    name: str,
    seconds: float,
    attackers: list[str] | None,
    session: aiohttp.ClientSession,
    url: str,
    openid: OpenIdStub | None,
    connector_url: str,
    log: Path,
    server_pid: int,
) -> Phase:
    """Run the real user for `seconds`, with the attackers' process (`attackers` its arguments) if any."""
    phase, stop = Phase(name), asyncio.Event()
    cpu_before, began = cpu_seconds(server_pid), time.perf_counter()
    log_size_before = log.stat().st_size
    log_lines_before = log.read_bytes().count(b"\n")
    process = None
    if attackers is not None:
        command = [sys.executable, "-m", "bench.flood", *attackers, "--seconds", str(seconds)]
        process = await asyncio.create_subprocess_exec(*command, cwd=PROJECT, stdout=asyncio.subprocess.PIPE)
    user = asyncio.create_task(real_user(session, url, openid, connector_url, phase, stop))
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.wait([user], timeout=REQUEST_TIMEOUT_S)
    user.cancel()
    phase.server_cpu = (cpu_seconds(server_pid) - cpu_before) / (time.perf_counter() - began)
    if process is not None:
        output, _ = await process.communicate()
        reported = json.loads(output or b"{}")
        phase.attacker_answers.update(reported.get("answers", {}))
        phase.attacker_cpu = reported.get("cpu", 0.0)
    phase.load = Path("/proc/loadavg").read_text().split()[0]
    await asyncio.sleep(1.0)  # the server logs what it closed
    phase.log_bytes = log.stat().st_size - log_size_before
    phase.log_lines = log.read_bytes().count(b"\n") - log_lines_before
    return phase


def connector_app() -> web.Application:
    """Return a stub Bot Connector that takes every reply."""
    ids = itertools.count(1)

    async def take(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": f"r{next(ids)}"})

    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation_id}/activities", take)
    app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", take)
    return app


def start_server(
    project: Path, port: int, metadata_url: str, auth: bool, fd_limit: int, log: Any
) -> subprocess.Popen[bytes]:
    """Start the server from `project` on loopback, its open files capped at `fd_limit`."""
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        "BENCH_OPENID_METADATA_URL": metadata_url,
        "PYTHONPATH": str(project),
    }
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType", "DATA_DIR"):
        env.pop(name, None)
    if auth:
        env.update(MicrosoftAppId=APP_ID, MicrosoftAppPassword="bench-secret", ALLOWED_TENANT_IDS=teams.TENANT_ID)

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))

    return subprocess.Popen(
        [sys.executable, "-c", SERVE], cwd=project, env=env, stdout=log, stderr=log, preexec_fn=limit_files
    )


async def run(args: argparse.Namespace) -> int:
    openid = OpenIdStub(new_key())
    openid.start()
    connector = web.AppRunner(connector_app())
    await connector.setup()
    connector_port = free_port()
    await web.TCPSite(connector, "127.0.0.1", connector_port).start()
    connector_url = f"http://127.0.0.1:{connector_port}/"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="regiondorren-flood-") as scratch:
        log = args.server_log or Path(scratch) / "server.log"
        with log.open("wb") as log_file:
            server = start_server(args.project, port, openid.metadata_url, args.auth == "on", args.fd_limit, log_file)
        limits = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
        try:
            async with aiohttp.ClientSession(connector=limits, timeout=timeout) as session:
                await wait_healthy(session, url, server)
                phases = await run_phases(args, session, url, openid, connector_url, log, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
            await connector.cleanup()
            openid.stop()
    return report(phases, args)


async def run_phases(
    args: argparse.Namespace,
    session: aiohttp.ClientSession,
    url: str,
    openid: OpenIdStub,
    connector_url: str,
    log: Path,
    server_pid: int,
) -> list[Phase]:
    """Run --runs rounds of baseline then body flood, then held connections once."""
    user_openid = openid if args.auth == "on" else None
    common = (session, url, user_openid, connector_url, log, server_pid)
    target = ["--url", url, "--connector-url", connector_url, "--token", forged_token(openid, connector_url)]
    flood = ["--attack", "flood", "--clients", str(args.clients), "--rate", str(args.rate), *target]
    hold = ["--attack", "hold", "--held", str(args.held), *target]
    await run_phase("warm-up", 2.0, None, *common)
    phases = []
    for round_number in range(1, args.runs + 1):
        # Alternating, so that a change in the machine's load falls on both sides alike.
        phases.append(await run_phase(f"baseline {round_number}", args.seconds, None, *common))
        phases.append(await run_phase(f"body flood {round_number}", args.seconds, flood, *common))
    if args.held:
        phases.append(await run_phase("held connections", args.seconds, hold, *common))
    return phases


def pooled(name: str, phases: list[Phase]) -> Phase:
    """Return one phase holding all turns of `phases` (a p99 over more turns is a steadier figure)."""
    total = Phase(name)
    for phase in phases:
        total.latencies.extend(phase.latencies)
        total.server_cpu += phase.server_cpu / len(phases)
        total.attacker_cpu += phase.attacker_cpu / len(phases)
        total.log_lines += phase.log_lines
        total.log_bytes += phase.log_bytes
    total.load = "-"
    return total


def report(phases: list[Phase], args: argparse.Namespace) -> int:
    """Print the figures; return 1 when the flood moved the real user's p99 past the goal."""
    baselines = [phase for phase in phases if phase.name.startswith("baseline")]
    floods = [phase for phase in phases if phase.name.startswith("body flood")]
    held = [phase for phase in phases if phase.name.startswith("held")]
    print(
        f"authentication {args.auth}; server open-file limit {args.fd_limit}; {args.seconds:.0f} s a phase; "
        f"flood {args.clients} x {args.rate:g}/s of {len(flood_body('http://x/')) // 1000} kB; held {args.held}; "
        f"{args.runs} rounds of baseline and flood"
    )
    print(
        f"{'phase':<18}{'turns':>7}{'p50 ms':>9}{'p99 ms':>9}{'p99 change':>12}"
        f"{'server CPU':>12}{'attack CPU':>12}{'load':>7}{'log lines':>11}{'log kB':>9}"
    )
    all_baselines, all_floods = pooled("all baselines", baselines), pooled("all floods", floods)
    against = dict(zip([phase.name for phase in floods], baselines, strict=True))
    for phase in [*phases, all_baselines, all_floods]:
        base = against.get(phase.name, all_baselines)
        _print_row(phase, percentile(base.latencies, 0.99))
    within = _within_goal(all_baselines, all_floods)
    verdict = "met" if within else "NOT met"
    print(f"goal (p99 over all flood turns within {GOAL_P99_CHANGE:.0%} of all baseline turns): {verdict}")
    if held:
        print(f"held connections against all baselines: p99 {percentile(held[0].latencies, 0.99):.0f} ms")
    return 0 if within or args.auth == "off" else 1


def _print_row(phase: Phase, base_p99: float) -> None:
    """Print one phase's line, its p99 compared with `base_p99`, and how the attackers were answered."""
    p99 = percentile(phase.latencies, 0.99)
    change = (p99 - base_p99) / base_p99 if base_p99 else 0.0
    print(
        f"{phase.name:<18}{len(phase.latencies):>7}{percentile(phase.latencies, 0.5):>9.1f}{p99:>9.1f}"
        f"{change:>+11.0%} {phase.server_cpu:>11.0%} {phase.attacker_cpu:>11.0%}{phase.load:>7}"
        f"{phase.log_lines:>11}{phase.log_bytes / 1000:>9.1f}"
    )
    if phase.user_errors:
        print(f"  real user's failures: {dict(phase.user_errors)}")
    if phase.attacker_answers:
        print(f"  attackers were answered: {dict(phase.attacker_answers.most_common(6))}")


def _within_goal(baseline: Phase, flood: Phase) -> bool:
    """Say whether the flood's p99 is within GOAL_P99_CHANGE of the baseline's."""
    base_p99 = percentile(baseline.latencies, 0.99)
    return base_p99 > 0 and (percentile(flood.latencies, 0.99) - base_p99) / base_p99 < GOAL_P99_CHANGE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rate", type=float, default=5.0, help="requests a second per flooding client")
    parser.add_argument("--held", type=int, default=1100, help="0 leaves out the held-connection phase")
    parser.add_argument("--runs", type=int, default=3, help="rounds of baseline and body flood, alternating")
    parser.add_argument("--fd-limit", type=int, default=1024)
    parser.add_argument("--auth", choices=("on", "off"), default="on")
    parser.add_argument("--project", type=Path, default=PROJECT)
    parser.add_argument("--server-log", type=Path, help="keep the server's log in this file")
    # The attackers' process (started by the bench itself).
    parser.add_argument("--attack", choices=("flood", "hold"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--connector-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attack:
        asyncio.run(attack(args))
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
