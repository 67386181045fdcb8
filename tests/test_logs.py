"""Logs for operators: one JSON object a line, county codes and status, never the question or a token."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from pathlib import Path

import pytest

import app
from app import create_app
from bot.logs import LoggingSetupError, configure_logging
from bot.runtime.live import LiveData
from tests import factories
from tests import teams_activities as teams
from tests.conftest import ServeBot, StubConnector, test_settings
from tests.test_search_extension import compose_query, typed

QUESTION = "vem har Sörmland? hemligt projekt Örnen"


def configured(restore_logging: None, **environ: str) -> io.StringIO:
    stream = io.StringIO()
    configure_logging(environ, stream=stream)
    return stream


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    """Parse every line; fail if any line is not one JSON object."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def ask(
    serve_bot: ServeBot,
    store: LiveData,
    connector: StubConnector,
    question: str,
    *,
    log_questions: bool = False,
    conversation_id: str = "a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9",
) -> dict[str, object]:
    """Ask the real app one question and return the activity sent."""
    settings = dataclasses.replace(test_settings(), log_questions=log_questions, reload_seconds=0)
    bot = await serve_bot(create_app(settings, store=store, clock=lambda: factories.TODAY))
    activity = teams.personal_message(connector.url, question, conversation_id=conversation_id)
    response = await bot.post(activity)
    assert response.status == 201
    return activity


def turn_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [line for line in json_lines(stream) if line["logger"] == "regiondorren.turn"]


def test_json_format_is_one_object_a_line_with_time_level_logger_message_and_fields(restore_logging: None) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")

    logging.getLogger("bot.example").warning("two\nlines %s", "å", extra={"counties": ["04"], "status": "answer"})
    try:
        raise KeyError("x")
    except KeyError:
        logging.getLogger("bot.example").exception("failed")

    first, second = json_lines(stream)
    assert set(first) == {"time", "level", "logger", "message", "pid", "counties", "status"}
    assert (first["level"], first["logger"], first["message"]) == ("WARNING", "bot.example", "two\nlines å")
    assert first["counties"] == ["04"] and first["time"].endswith("+00:00")
    assert "KeyError" in second["exception"]


def test_text_format_appends_fields_as_key_value(restore_logging: None) -> None:
    stream = configured(restore_logging)

    logging.getLogger("bot.example").info("reloaded", extra={"data_file": "data/officers.yaml"})

    assert stream.getvalue().rstrip().endswith('INFO bot.example: reloaded data_file="data/officers.yaml"')


@pytest.mark.parametrize(("name", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD")])
def test_bad_log_setting_is_named(restore_logging: None, name: str, value: str) -> None:
    with pytest.raises(LoggingSetupError, match=f"^{name} must be one of"):
        configure_logging({name: value}, stream=io.StringIO())


async def test_turn_is_logged_with_activity_id_county_codes_and_status_not_the_question(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")

    activity = await ask(serve_bot, loaded_store, connector, QUESTION)

    [line] = turn_lines(stream)
    assert line["activity_id"] == activity["id"]
    assert (line["activity_type"], line["conversation_type"]) == ("message", "personal")
    assert (line["status"], line["counties"], line["replies"], line["outcome"]) == ("answer", ["04"], 1, "ok")
    assert line["tenant_id"] == teams.TENANT_ID
    assert "Örnen" not in stream.getvalue()


async def test_question_text_is_logged_only_with_log_questions(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")

    await ask(serve_bot, loaded_store, connector, QUESTION, log_questions=True)

    [line] = turn_lines(stream)
    assert line["question"] == QUESTION


async def test_unrecognised_question_is_logged_as_none_without_counties(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")

    await ask(serve_bot, loaded_store, connector, "vad blir det för väder i morgon?")

    [line] = turn_lines(stream)
    assert (line["status"], line["counties"]) == ("none", [])


async def test_debug_logging_never_writes_whole_activities_or_the_question(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    # At DEBUG every library says more (urllib3, msrest when its HTTP logger is on); none of it
    # may be the question, a reply activity or a header.
    stream = configured(restore_logging, LOG_FORMAT="json", LOG_LEVEL="DEBUG")

    await ask(serve_bot, loaded_store, connector, QUESTION)

    logged = stream.getvalue()
    assert turn_lines(stream)
    assert "Örnen" not in logged and "Sörmland" not in logged
    assert "attachments" not in logged and "serviceUrl" not in logged
    assert "Authorization" not in logged


def test_main_with_a_bad_log_format_prints_one_line_and_exits_2(
    restore_logging: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "yaml")

    assert app.main() == 2

    assert capsys.readouterr().err == "regiondorren: LOG_FORMAT must be one of text, json (got 'yaml')\n"


class FailingStore(LiveData):
    """A store whose answerer is broken: every question turn fails inside the bot."""

    @property
    def current(self):
        raise RuntimeError("the answerer is broken")


async def test_failed_turn_is_logged_once_as_an_error_outcome_with_its_activity_id(
    restore_logging: None, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")
    store = FailingStore(Path("/nonexistent"))
    store.install(factories.directory())

    activity = await ask(serve_bot, store, connector, QUESTION)

    [line] = turn_lines(stream)
    assert (line["activity_id"], line["outcome"]) == (activity["id"], "error")
    [failure] = [entry for entry in json_lines(stream) if entry["level"] == "ERROR"]
    assert activity["id"] in failure["message"] and "RuntimeError: the answerer is broken" in failure["exception"]
    assert "Örnen" not in stream.getvalue()


async def test_clarify_question_and_its_follow_up_are_logged_with_candidates_then_the_choice(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")
    settings = dataclasses.replace(test_settings(), reload_seconds=0)
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    # Östersjökusten spans four counties in the test directory: the bot asks which one.
    for question in ("vem har Östersjökusten?", "1"):
        await bot.post(teams.personal_message(connector.url, question, conversation_id="a:log-clarify"))

    asked, chosen = turn_lines(stream)
    assert (asked["status"], asked["counties"]) == ("clarify", ["01", "03", "04", "09"])
    assert (chosen["status"], chosen["counties"]) == ("answer", ["01"])


async def test_search_invoke_is_logged_with_its_name_and_without_the_typed_text(
    restore_logging: None, loaded_store: LiveData, connector: StubConnector, serve_bot: ServeBot
) -> None:
    stream = configured(restore_logging, LOG_FORMAT="json")
    settings = dataclasses.replace(test_settings(), reload_seconds=0)
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    for query in ("Canderskog", "Xyzzyqwv"):
        response = await bot.post(compose_query(connector.url, typed(query)))
        assert response.status == 200

    found, nothing = turn_lines(stream)
    assert (found["activity_type"], found["invoke_name"], found["outcome"]) == (
        "invoke",
        "composeExtension/query",
        "ok",
    )
    assert (found["status"], found["counties"]) == ("answer", ["04"])  # the county of the result shown
    assert (nothing["status"], nothing["counties"]) == ("none", [])
    assert "Canderskog" not in stream.getvalue() and "Xyzzyqwv" not in stream.getvalue()


def test_a_throttled_message_is_logged_once_per_interval_and_kinds_apart(caplog: pytest.LogCaptureFixture):
    from bot.logs import ThrottledLog

    throttled = ThrottledLog(logging.getLogger("tests.throttled"), interval_s=0.0)
    quiet = ThrottledLog(logging.getLogger("tests.throttled"), interval_s=3600.0)
    caplog.set_level(logging.WARNING, logger="tests.throttled")

    for number in range(3):
        quiet.log(logging.WARNING, "refused %d", number)
    quiet.log(logging.WARNING, "another kind")
    throttled.log(logging.WARNING, "each time")
    throttled.log(logging.WARNING, "each time")

    assert [record.getMessage() for record in caplog.records] == ["refused 0", "another kind", "each time", "each time"]
