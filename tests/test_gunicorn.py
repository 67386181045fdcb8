"""The Dockerfile's command for real: gunicorn's aiohttp worker serving app:app_factory on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import runpy
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app import GUNICORN_WORKER_BOOT_ERROR, SETTINGS_KEY, STORE_KEY, app_factory
from bot.web.limits import CONNECTION_SHARE
from tests import teams_activities as teams
from tests.conftest import StubConnector

# Every test here starts gunicorn and its worker as real processes.
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Importing botbuilder and loading the data takes a worker about 2 s on the 2-core CI machine.
BOOT_TIMEOUT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command() -> list[str]:
    """Return the Dockerfile's CMD, run from the project (HOST and PORT come from the environment)."""
    return [str(GUNICORN), "app:app_factory", "--config", str(PROJECT / "gunicorn.conf.py"), "--chdir", str(PROJECT)]


def environment(home: Path, **extra: str) -> dict[str, str]:
    """Return a clean environment; HOME is the test's, where gunicorn 27 puts its control socket,
    and so is STATE_DIR, where the workers keep their SQLite store."""
    keep = {name: os.environ[name] for name in ("PATH", "LANG", "TMPDIR") if name in os.environ}
    return {**keep, "HOME": str(home), "STATE_DIR": str(home / "var"), "PYTHONPATH": str(PROJECT), **extra}


@pytest.fixture
async def gunicorn(data_dir: Path, tmp_path: Path) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    if not GUNICORN.exists():
        pytest.fail("gunicorn is not installed in the test environment (pyproject's test extra installs it)")
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        *gunicorn_command(),
        env=environment(
            tmp_path,
            DATA_DIR=str(data_dir),
            DATA_RELOAD_SECONDS="0",
            LOG_FORMAT="json",
            PORT=str(port),
            WEB_CONCURRENCY="1",
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_until_healthy(url, process)
        yield url, process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGQUIT)  # quick shutdown; SIGTERM waits for the worker's 1 s tick
            await asyncio.wait_for(process.wait(), BOOT_TIMEOUT_SECONDS)


async def _wait_until_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(BOOT_TIMEOUT_SECONDS * 20):
            if process.returncode is not None:
                raise AssertionError(f"gunicorn exited: {(await process.stderr.read()).decode()}")
            try:
                async with session.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("gunicorn did not become healthy")


async def test_gunicorn_worker_answers_a_teams_message_and_logs_json(
    gunicorn: tuple[str, asyncio.subprocess.Process], connector: StubConnector
) -> None:
    url, process = gunicorn
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            url + "/api/messages", json=teams.personal_message(connector.url, "vem har Sörmland?")
        )
        assert response.status == 201

    assert "isabelle.canderskog@tillvaxtverket.se" in str(connector.cards())
    turn = await asyncio.wait_for(_turn_line(process), BOOT_TIMEOUT_SECONDS)
    assert (turn["status"], turn["counties"]) == ("answer", ["04"])
    assert "question" not in turn


async def test_the_gunicorn_worker_holds_at_most_three_quarters_of_its_open_files_in_connections(
    gunicorn: tuple[str, asyncio.subprocess.Process],
) -> None:
    _, process = gunicorn
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # the worker lifts its soft limit to this

    line = await asyncio.wait_for(_line_of(process, "bot.web.limits", "connections at once"), BOOT_TIMEOUT_SECONDS)

    assert line["message"] == f"at most {int(hard * CONNECTION_SHARE)} connections at once"


async def _line_of(process: asyncio.subprocess.Process, logger: str, words: str) -> dict[str, object]:
    """Read gunicorn's stderr until `logger`'s line holding `words`."""
    while line := (await process.stderr.readline()).decode():
        entry = json.loads(line)
        if entry["logger"] == logger and words in entry["message"]:
            return entry
    raise AssertionError(f"gunicorn ended without {logger} logging {words!r}")


async def _turn_line(process: asyncio.subprocess.Process) -> dict[str, object]:
    """Read gunicorn's stderr until the worker's turn line; every line before it must be JSON."""
    while line := (await process.stderr.readline()).decode():
        entry = json.loads(line)  # gunicorn's own lines too: gunicorn.conf.py makes them JSON
        if entry["logger"] == "regiondorren.turn":
            return entry
    raise AssertionError("gunicorn ended without logging the turn")


async def test_app_factory_builds_the_app_from_the_environment(
    restore_logging: None, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("DATA_RELOAD_SECONDS", "0.5")

    app = await app_factory()

    assert app[SETTINGS_KEY].data_dir == data_dir and app[SETTINGS_KEY].reload_seconds == 0.5
    assert app[STORE_KEY].data_dir == data_dir


async def test_app_factory_with_bad_settings_stops_the_worker_with_one_line(
    restore_logging: None, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("MicrosoftAppId", "not-a-guid")

    with pytest.raises(SystemExit) as stopped:
        await app_factory()

    # 3 is gunicorn's "worker failed to boot": the master stops instead of respawning it forever.
    assert stopped.value.code == GUNICORN_WORKER_BOOT_ERROR == 3
    assert capsys.readouterr().err == (
        "regiondorren: MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000\n"
    )


def test_dockerfile_runs_the_tested_command_and_copies_files_that_exist() -> None:
    lines = (PROJECT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    [cmd] = [line for line in lines if line.startswith("CMD ")]
    copied = [word for line in lines if line.startswith("COPY ") for word in line.split()[1:-1]]

    assert json.loads(cmd.removeprefix("CMD ")) == ["gunicorn", "app:app_factory"]
    assert [Path(path).name for path in gunicorn_command()[:2]] == ["gunicorn", "app:app_factory"]
    assert copied and [path for path in copied if not (PROJECT / path).exists()] == []
    assert "gunicorn.conf.py" in copied


@pytest.mark.parametrize("how", ["-b", "GUNICORN_CMD_ARGS"])
async def test_gunicorn_bound_beyond_loopback_without_authentication_stops_with_one_line(
    data_dir: Path, tmp_path: Path, how: str
) -> None:
    port = free_port()
    address = f"0.0.0.0:{port}"
    args, extra = (["-b", address], {}) if how == "-b" else ([], {"GUNICORN_CMD_ARGS": f"--bind={address}"})
    process = await asyncio.create_subprocess_exec(
        *gunicorn_command(),
        *args,
        env=environment(tmp_path, DATA_DIR=str(data_dir), DATA_RELOAD_SECONDS="0", WEB_CONCURRENCY="1", **extra),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    stderr, returncode = await _finish(process)

    assert returncode != 0
    assert [line for line in stderr.splitlines() if line.startswith("regiondorren:")] == [
        f"regiondorren: gunicorn bind {address}: 0.0.0.0 is not loopback and authentication is off "
        "(no MicrosoftAppId); set MicrosoftAppId, or ALLOW_UNAUTHENTICATED=1 to serve without authentication anyway"
    ]
    assert "Booting worker" not in stderr  # stopped before listening, not by a worker


async def _finish(process: asyncio.subprocess.Process) -> tuple[str, int]:
    """Wait for a gunicorn that should stop by itself; kill it (and fail) if it keeps serving."""
    try:
        stderr = await asyncio.wait_for(process.stderr.read(), BOOT_TIMEOUT_SECONDS)
        return stderr.decode(), await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError("gunicorn kept running on 0.0.0.0 with authentication off") from None


async def test_gunicorn_bound_beyond_loopback_serves_when_unauthenticated_is_allowed(
    data_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        *gunicorn_command(),
        "-b",
        f"0.0.0.0:{port}",
        env=environment(
            tmp_path, DATA_DIR=str(data_dir), DATA_RELOAD_SECONDS="0", WEB_CONCURRENCY="1", ALLOW_UNAUTHENTICATED="1"
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _wait_until_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGQUIT)
            await asyncio.wait_for(process.wait(), BOOT_TIMEOUT_SECONDS)


@dataclass
class StubArbiter:
    """What gunicorn.conf.py's on_starting reads from gunicorn's Arbiter: its settings and its log."""

    bind: list[str]
    workers: int
    warnings: list[str] = field(default_factory=list)

    @property
    def cfg(self) -> StubArbiter:
        return self

    @property
    def log(self) -> StubArbiter:
        return self

    def warning(self, message: str, *args: object) -> None:
        self.warnings.append(message % args)


def gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    """Read gunicorn.conf.py as gunicorn does, under `environ` (nothing else from the test's)."""
    for name in ("WEB_CONCURRENCY", "HOST", "PORT", "LOG_FORMAT", "MicrosoftAppId", "ALLOW_UNAUTHENTICATED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PROJECT / "gunicorn.conf.py"))


def test_two_workers_by_default_in_gunicorn_conf_and_the_dockerfile(monkeypatch: pytest.MonkeyPatch) -> None:
    # Conversation state is in the store, shared by every worker: a follow-up may reach either.
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")

    assert gunicorn_conf(monkeypatch)["workers"] == 2
    assert re.findall(r"^\s+WEB_CONCURRENCY=(\d+)", dockerfile, re.MULTILINE) == ["2"]  # the ENV line


def test_the_image_user_can_write_the_sqlite_store(monkeypatch: pytest.MonkeyPatch) -> None:
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")

    assert "chown regiondorren /app/var" in dockerfile
    assert 'VOLUME ["/app/var"]' in dockerfile


def test_several_workers_are_no_longer_warned_about(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    on_starting = gunicorn_conf(monkeypatch, DATA_DIR=str(data_dir))["on_starting"]
    arbiter = StubArbiter(["127.0.0.1:3978"], 4)

    on_starting(arbiter)

    assert arbiter.warnings == []


def test_gunicorns_workers_share_the_notification_rate_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.delenv("NOTIFY_SENDERS", raising=False)
    runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    assert os.environ["NOTIFY_SENDERS"] == "3"
    monkeypatch.setenv("NOTIFY_SENDERS", "6")  # two instances of three workers
    runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    assert os.environ["NOTIFY_SENDERS"] == "6"
