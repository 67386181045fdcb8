"""Every command the README shows works as written in a fresh shell after make run/make test.

Commands are read from the README's fenced `sh` blocks (each line) and `console` blocks (lines
after "$ "). Those that need nothing outside this machine run for real, with only /usr/bin and
/bin on PATH and no virtualenv active, as in a new terminal; the rest (Docker, Teams, a deployed
host) are checked against what they name: make targets, Dockerfile build arguments, files.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# A new terminal: the system's tools, no virtualenv, no developer's settings.
FRESH_SHELL = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
# make targets that start a server or need Teams, Docker or the network: only checked to exist.
NOT_RUN_TARGETS = {"run", "test", "package", "lock"}
# Example hosts of a deployment the README describes; nothing answers there from this machine.
EXAMPLE_HOSTS = ("regiondorren.azurewebsites.net",)
TIMEOUT_SECONDS = 120


def readme_commands() -> list[tuple[str, str]]:
    """Return (command, first output line or "") for every command in the README's fenced blocks."""
    commands: list[tuple[str, str]] = []
    for language, body in FENCE.findall(README.read_text(encoding="utf-8")):
        lines = body.splitlines()
        if language == "console":
            for number, line in enumerate(lines):
                if line.startswith("$ "):
                    output = lines[number + 1] if number + 1 < len(lines) else ""
                    commands.append((line[2:], "" if output.startswith("$ ") else output))
        elif language == "sh":
            commands.extend((_without_comment(line), "") for line in lines if _without_comment(line))
    return commands


def _without_comment(line: str) -> str:
    words = shlex.split(line, comments=True)
    return shlex.join(words) if words else ""


def _makefile_targets() -> set[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def _dockerfile_args() -> set[str]:
    text = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    return set(re.findall(r"^ARG (\w+)", text, re.MULTILINE))


def _run(words: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        words, cwd=PROJECT, env=FRESH_SHELL, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
    )


COMMANDS = readme_commands()


def test_the_readme_shows_the_two_commands_and_the_console_script() -> None:
    shown = [command for command, _ in COMMANDS]
    assert "make run" in shown and "make test" in shown
    assert any(command.startswith(".venv/bin/regiondorren ask ") for command in shown)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "first_line"), COMMANDS, ids=[command for command, _ in COMMANDS])
def test_readme_command_works_as_written(command: str, first_line: str) -> None:
    words = shlex.split(command)
    match words:
        case ["make", target, *variables]:
            assert target in _makefile_targets(), f"the Makefile has no target {target!r}"
            if target in NOT_RUN_TARGETS:
                dry_run = _run(["make", "--dry-run", target, *variables])
                assert dry_run.returncode == 0, dry_run.stderr
                return
            result = _run(words)
        case [".venv/bin/regiondorren", *arguments]:
            assert (PROJECT / ".venv/bin/regiondorren").exists(), "make installs the console script"
            if arguments[:1] == ["package"]:  # needs the Teams app's settings: check that it parses
                words = [*words, "--help"]
            result = _run(words)
        case [".venv/bin/python", script]:
            assert (PROJECT / script).is_file(), f"{script} does not exist"
            return
        case ["docker", "build", *options]:
            args = {value.split("=", 1)[0] for flag, value in itertools.pairwise(options) if flag == "--build-arg"}
            assert args <= _dockerfile_args(), f"the Dockerfile has no ARG for {args - _dockerfile_args()}"
            return
        case ["docker", "run", *options]:
            assert options[-1] == "regiondorren", "the image built by docker build -t regiondorren"
            return
        case ["curl", *options]:
            assert any(host in options[-1] for host in EXAMPLE_HOSTS), f"curl to an unexpected host: {options[-1]}"
            return
        case ["export", assignment]:
            assert re.fullmatch(r"\w+=\S+", assignment), assignment
            return
        case _:
            pytest.fail(f"the README shows a command this test does not know how to check: {command}")
    assert result.returncode == 0, result.stderr[-2000:]
    if first_line and first_line != "...":
        assert result.stdout.splitlines()[0] == first_line


def test_nothing_in_the_project_refers_to_issue_numbers() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=False).stdout
    if not tracked:
        pytest.skip("not a git checkout")
    mentions = []
    for name in tracked.splitlines():
        path = PROJECT / name
        if path.suffix in {".png", ".zip", ".lock"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        mentions += [f"{name}: {match.group(0)}" for match in re.finditer(r"\bissues? #?\d+\b", text, re.IGNORECASE)]
    assert mentions == []


def test_make_help_lists_every_target_on_one_line() -> None:
    result = _run(["make", "help"])
    listed = [line.split()[1] for line in result.stdout.splitlines()]

    assert result.returncode == 0, result.stderr
    assert all(line.startswith("  make ") for line in result.stdout.splitlines())
    assert sorted(listed) == sorted(_makefile_targets())
