"""The web host holds at most a capped number of connections: beyond it the connection idle
longest gives way at once, and when every connection is busy the new one is closed before a byte
of it is read. The real aiohttp server on loopback, as `python app.py` and gunicorn run it."""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from app import create_app
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.web import limits
from bot.web.limits import CappedRunner
from tests import factories
from tests.conftest import FIXTURE_DATA

PROJECT = Path(__file__).resolve().parent.parent

# How long a test waits for something the server should do at once; only a bound for a failure.
ANSWER_WAIT_S = 5.0
# The finding: 1 100 held connections exhausted a server limited to 1 024 open files.
HELD = 1100
# A small open-file limit for `python app.py`, so that a test can hold more connections than it.
SMALL_FILE_LIMIT = 128
# Importing botbuilder and loading the data takes a server about 2 s on the 2-core CI machine.
BOOT_TIMEOUT_S = 20.0

Serve = Callable[[web.Application, int], Awaitable[int]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Return `serve(app, cap)`: run `app` through CappedRunner on a free loopback port; return the port."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application, cap: int) -> int:
        runner = CappedRunner(app, cap=cap, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return int(runner.addresses[0][1])

    yield start
    for runner in runners:
        await runner.cleanup()


def _small_app(release: asyncio.Event, started: asyncio.Queue[None] | None = None) -> web.Application:
    """Return an app with /ok, answered at once, and /slow, answered once `release` is set."""

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def slow(request: web.Request) -> web.Response:
        if started is not None:
            started.put_nowait(None)
        await release.wait()
        return web.Response(text="done")

    app = web.Application()
    app.router.add_get("/ok", ok)
    app.router.add_get("/slow", slow)
    return app


async def _connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    """Say whether the server closed this connection (EOF or reset) without answering."""
    try:
        async with asyncio.timeout(ANSWER_WAIT_S):
            return await reader.read(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


async def _get(port: int, path: str) -> bytes:
    reader, writer = await _connect(port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    try:
        async with asyncio.timeout(ANSWER_WAIT_S):
            return await reader.read()
    finally:
        writer.close()


async def test_beyond_the_cap_the_oldest_silent_connection_gives_way_and_the_new_one_is_served(serve: Serve):
    port = await serve(_small_app(asyncio.Event()), 3)
    idle = [await _connect(port) for _ in range(3)]

    answer = await _get(port, "/ok")

    assert answer.startswith(b"HTTP/1.1 200")
    assert await _closed_by_server(idle[0][0])  # the oldest that sent nothing gave way
    for _, writer in idle:
        writer.close()


async def test_a_kept_alive_connection_that_was_served_outlives_connections_that_never_sent_a_request(
    serve: Serve,
):
    port = await serve(_small_app(asyncio.Event()), 3)
    opened: list[object] = []
    tracing = aiohttp.TraceConfig()
    tracing.on_connection_create_end.append(lambda session, context, params: _note(opened))
    async with aiohttp.ClientSession(trace_configs=[tracing]) as user:  # keeps its connection between questions
        first = await (await user.get(f"http://127.0.0.1:{port}/ok")).read()
        silent = [await _connect(port) for _ in range(4)]  # two beyond the cap, after the user's
        silent_closed = [await _closed_by_server(reader) for reader, _ in silent[:2]]

        again = await user.get(f"http://127.0.0.1:{port}/ok")

    assert first == b"ok" and again.status == 200
    assert len(opened) == 1  # the second question went on the kept-alive connection: it was not closed
    assert silent_closed == [True, True]  # the two oldest that never sent a request gave way
    for _, writer in silent:
        writer.close()


async def _note(opened: list[object]) -> None:
    opened.append(None)


async def test_at_the_cap_without_silent_connections_a_served_one_is_kept_and_the_new_one_closed(serve: Serve):
    release, started = asyncio.Event(), asyncio.Queue[None]()
    port = await serve(_small_app(release, started), 2)
    opened: list[object] = []
    tracing = aiohttp.TraceConfig()
    tracing.on_connection_create_end.append(lambda session, context, params: _note(opened))
    async with aiohttp.ClientSession(trace_configs=[tracing]) as user:
        await (await user.get(f"http://127.0.0.1:{port}/ok")).read()  # served, now idle between questions
        _, busy_writer = await _connect(port)
        busy_writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        async with asyncio.timeout(ANSWER_WAIT_S):
            await started.get()

        new_reader, new_writer = await _connect(port)
        new_closed = await _closed_by_server(new_reader)
        again = await user.get(f"http://127.0.0.1:{port}/ok")

    release.set()
    assert new_closed
    assert again.status == 200 and len(opened) == 1  # the user's connection was kept
    busy_writer.close()
    new_writer.close()


async def test_when_every_connection_is_busy_a_new_one_is_closed_at_once(serve: Serve):
    release, started = asyncio.Event(), asyncio.Queue[None]()
    port = await serve(_small_app(release, started), 2)
    busy = [await _connect(port) for _ in range(2)]
    for _, writer in busy:
        writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    async with asyncio.timeout(ANSWER_WAIT_S):
        for _ in busy:
            await started.get()  # both requests are in progress

    reader, writer = await _connect(port)

    assert await _closed_by_server(reader)
    release.set()
    for busy_reader, _ in busy:  # the requests in progress were not disturbed
        async with asyncio.timeout(ANSWER_WAIT_S):
            assert (await busy_reader.readuntil(b"\r\n")).startswith(b"HTTP/1.1 200")
    for _, busy_writer in [*busy, (reader, writer)]:
        busy_writer.close()


async def test_healthz_answers_while_1100_connections_are_held(serve: Serve, loaded_store: LiveData):
    settings = Settings.from_env({}, env_file=None)
    port = await serve(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY), 1000)
    held = [await _connect(port) for _ in range(HELD)]

    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
        status = response.status

    closed = sum(await asyncio.gather(*(_closed_by_server_soon(reader) for reader, _ in held)))
    assert status == 200
    assert closed >= HELD + 1 - 1000  # the oldest gave way: the server held no more than its cap
    for _, writer in held:
        writer.close()


async def _closed_by_server_soon(reader: asyncio.StreamReader) -> bool:
    """Say whether the server has closed this connection by now (a held one it kept stays open)."""
    try:
        async with asyncio.timeout(0.5):
            return await reader.read(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_the_cap_leaves_a_quarter_of_the_open_file_limit_for_replies_and_the_database(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (1024, 1024))

    assert limits.connection_cap() == 768


async def test_python_app_py_holds_at_most_three_quarters_of_its_open_files_in_connections(tmp_path: Path):
    port = _free_port()
    log = tmp_path / "server.log"
    keep = {name: os.environ[name] for name in ("PATH", "LANG", "TMPDIR") if name in os.environ}
    environ = {**keep, "PYTHONPATH": str(PROJECT), "DATA_DIR": str(FIXTURE_DATA), "STATE_DIR": str(tmp_path / "var")}

    def small_file_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (SMALL_FILE_LIMIT, SMALL_FILE_LIMIT))

    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(PROJECT / "app.py"),
            env={**environ, "PORT": str(port)},
            stdout=output,
            stderr=output,
            preexec_fn=small_file_limit,
        )
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    try:
        await _wait_healthy(port, process, log)
        held = [await _connect(port) for _ in range(SMALL_FILE_LIMIT)]

        answer = await _get(port, "/healthz")
        closed = sum(await asyncio.gather(*(_closed_by_server_soon(reader) for reader, _ in held)))
    finally:
        for _, writer in held:
            writer.close()
        process.terminate()
        await process.wait()

    cap = int(SMALL_FILE_LIMIT * limits.CONNECTION_SHARE)
    assert answer.startswith(b"HTTP/1.1 200")
    assert closed >= SMALL_FILE_LIMIT + 1 - cap
    assert f"at most {cap} connections at once" in log.read_text()
    assert "Too many open files" not in log.read_text()
    assert "objects from start-up left out of garbage collection" in log.read_text()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait_healthy(port: int, process: asyncio.subprocess.Process, log: Path) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(int(BOOT_TIMEOUT_S * 10)):
            assert process.returncode is None, log.read_text()
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server did not start: {log.read_text()}")
