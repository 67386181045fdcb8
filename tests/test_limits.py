"""Process limits of the web host: the open-file limit is lifted, and running out of descriptors
is one log line a minute, not a traceback per connection the loop could not accept."""

from __future__ import annotations

import asyncio
import gc
import logging
import resource

import pytest
from aiohttp import web

from bot.web.limits import freeze_start_up, quiet_accept_errors, raise_open_file_limit


def test_the_soft_open_file_limit_is_lifted_to_the_hard_one(monkeypatch: pytest.MonkeyPatch):
    limits = {"now": (1024, 20000)}
    monkeypatch.setattr(resource, "getrlimit", lambda kind: limits["now"])
    monkeypatch.setattr(resource, "setrlimit", lambda kind, value: limits.update(now=value))

    assert raise_open_file_limit() == (20000, 20000)
    assert limits["now"] == (20000, 20000)


def test_a_limit_that_may_not_be_raised_stands(monkeypatch: pytest.MonkeyPatch):
    def refuse(kind: int, value: tuple[int, int]) -> None:
        raise ValueError("not allowed")

    monkeypatch.setattr(resource, "getrlimit", lambda kind: (1024, 4096))
    monkeypatch.setattr(resource, "setrlimit", refuse)

    assert raise_open_file_limit() == (1024, 4096)


async def test_accept_errors_are_one_line_without_a_traceback_and_other_errors_pass_on(
    caplog: pytest.LogCaptureFixture,
):
    loop = asyncio.get_running_loop()
    passed_on: list[str] = []
    loop.set_exception_handler(lambda loop, context: passed_on.append(context["message"]))
    try:
        quiet_accept_errors(loop)
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            for _ in range(500):
                loop.call_exception_handler(
                    {"message": "socket.accept() out of system resource", "exception": OSError(24, "Too many files")}
                )
            loop.call_exception_handler({"message": "Task exception was never retrieved"})
    finally:
        loop.set_exception_handler(None)

    [line] = caplog.records
    assert line.getMessage() == "socket.accept() out of system resource (OSError)" and line.exc_info is None
    assert passed_on == ["Task exception was never retrieved"]


async def test_objects_from_start_up_are_left_out_of_later_garbage_collections(caplog: pytest.LogCaptureFixture):
    gc.unfreeze()
    try:
        with caplog.at_level(logging.INFO, logger="bot.web.limits"):
            await freeze_start_up(web.Application())

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "left out of garbage collection" in caplog.text
