"""Hostile and broken requests against the real server on 127.0.0.1: each gets the right status,
a short JSON error that echoes nothing it was sent, and the bot sends nothing."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gzip
import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import ADAPTER_KEY, create_app
from bot.runtime.live import LiveData
from bot.teams.tenants import tenant_from_channel_data
from bot.web.guard import MAX_BODY_BYTES, BadActivity, activity_problem, parse_activity
from tests import teams_activities as teams
from tests.conftest import RunningBot, ServeBot, StubConnector, test_settings

# Markup a caller might hope to see reflected back in an error body.
PROBE = "<script>alert(1)</script>"
# Longest error body we consider "short": one sentence.
MAX_ERROR_BODY_CHARS = 120


async def _assert_short_json_error(response: Any, status: int) -> str:
    assert response.status == status
    assert response.content_type == "application/json"
    raw = await response.text()
    assert len(raw) <= MAX_ERROR_BODY_CHARS
    assert "Traceback" not in raw and PROBE not in raw
    return (await response.json())["error"]


async def _post_raw(
    bot: RunningBot, data: bytes | AsyncIterator[bytes], content_type: str = "application/json", **headers: str
) -> Any:
    return await bot.session.post(
        bot.url + "/api/messages", data=data, headers={"Content-Type": content_type, **headers}
    )


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"type": "message", "text": "' + PROBE.encode() + b'"',  # cut off
        b"[" * 100_000 + b"]" * 100_000,  # nesting deep enough to exhaust the parser's recursion
        b'{"type": "message", "n": ' + b"9" * 5000 + b"}",  # past Python's int-digit limit
        b'{"type": "message", "text": "\xff\xfe"}',  # not UTF-8
        b"",
    ],
    ids=["cut", "truncated-with-markup", "deep-nesting", "huge-number", "bad-utf8", "empty"],
)
async def test_malformed_json_is_400(running_bot: RunningBot, connector: StubConnector, body: bytes):
    response = await _post_raw(running_bot, body)

    assert await _assert_short_json_error(response, 400) == "the body is not valid JSON"
    assert connector.replies == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "text/html", "application/octet-stream"]
)
async def test_wrong_content_type_is_415(running_bot: RunningBot, connector: StubConnector, content_type: str):
    activity = teams.personal_message(connector.url, "hjälp")
    response = await _post_raw(running_bot, json.dumps(activity).encode(), content_type)

    await _assert_short_json_error(response, 415)
    assert connector.replies == []


async def test_json_with_charset_is_accepted(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message(connector.url, "hjälp")

    response = await _post_raw(running_bot, json.dumps(activity).encode(), "application/json; charset=utf-8")

    assert response.status == 201
    assert len(connector.replies) == 1


async def test_declared_body_over_256_kb_is_413_before_it_is_sent(running_bot: RunningBot, connector: StubConnector):
    """The server answers on the Content-Length header alone: the client sends 1 kB of a declared 100 MB."""
    address = urlsplit(running_bot.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(
            b"POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"{" + b" " * 1023
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()

    assert status_line.split()[1] == b"413"
    assert connector.replies == []


async def test_body_just_over_256_kb_is_413(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message(connector.url, "x" * MAX_BODY_BYTES)

    response = await _post_raw(running_bot, json.dumps(activity).encode())

    assert await _assert_short_json_error(response, 413) == f"the body is over {MAX_BODY_BYTES} bytes"
    assert connector.replies == []


async def test_chunked_body_over_256_kb_is_413(running_bot: RunningBot, connector: StubConnector):
    """Without a Content-Length the server stops reading at the cap."""

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"type": "message", "text": "'
        for _ in range(40):  # 40 x 16 kB = 640 kB, well over the cap
            yield b"x" * 16384
        yield b'"}'

    response = await _post_raw(running_bot, chunks())

    await _assert_short_json_error(response, 413)
    assert connector.replies == []


async def test_question_near_the_cap_is_answered(running_bot: RunningBot, connector: StubConnector):
    """A long but legal message (200 kB of text) gets an answer, not a refusal."""
    response = await running_bot.post(teams.personal_message(connector.url, "Sörmland " + "x" * 200_000))

    assert response.status == 201
    assert len(connector.replies) == 1


REQUIRED = ["type", "channelId", "serviceUrl", "conversation", "from", "recipient"]


@pytest.mark.parametrize("field", REQUIRED)
async def test_activity_missing_a_required_field_is_400(running_bot: RunningBot, connector: StubConnector, field: str):
    activity = teams.personal_message(connector.url, "hjälp")
    del activity[field]

    response = await running_bot.post(activity)

    assert field in await _assert_short_json_error(response, 400)
    assert connector.replies == []


@pytest.mark.parametrize(
    "body", [[], "message", 42, None, {"type": "message"}], ids=["list", "string", "number", "null", "type-only"]
)
async def test_json_that_is_not_an_activity_is_400(running_bot: RunningBot, connector: StubConnector, body: Any):
    response = await _post_raw(running_bot, json.dumps(body).encode())

    await _assert_short_json_error(response, 400)


async def test_service_url_that_is_not_http_is_400(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message("file:///etc/passwd", "hjälp")

    response = await running_bot.post(activity)

    await _assert_short_json_error(response, 400)


# Values of the wrong JSON type for fields Teams always sends as something else.
WRONG_VALUES: list[Any] = [None, 0, -1.5, True, "", PROBE, [], [PROBE], {}, {"id": 7}, [[{}]]]
FIELDS = [
    "id",
    "text",
    "textFormat",
    "locale",
    "timestamp",
    "localTimestamp",
    "channelData",
    "entities",
    "attachments",
    "value",
    "name",
    "replyToId",
    "conversation",
    "from",
    "recipient",
    "type",
    "channelId",
    "serviceUrl",
    "membersAdded",
    "localTimezone",
]


@pytest.mark.slow
async def test_no_field_of_the_wrong_type_causes_a_500(
    running_bot: RunningBot, connector: StubConnector, caplog: pytest.LogCaptureFixture
):
    """Every field of a Teams message, set to every wrong kind of JSON value: 201 or 400, never 500,
    and never a failed turn (which would also answer 201, after logging an error)."""
    statuses: dict[int, list[str]] = {}
    for field in FIELDS:
        for value in WRONG_VALUES:
            activity = copy.deepcopy(teams.personal_message(connector.url, "hjälp"))
            activity[field] = value
            response = await running_bot.post(activity)
            statuses.setdefault(response.status, []).append(f"{field}={value!r}")
            if response.status >= 400:
                await _assert_short_json_error(response, response.status)

    assert set(statuses) <= {200, 201, 400}, {
        status: cases[:5] for status, cases in statuses.items() if status not in (200, 201, 400)
    }
    assert 400 in statuses and 201 in statuses
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


async def test_unknown_activity_type_is_a_quiet_no_op(running_bot: RunningBot, connector: StubConnector):
    activity = teams.personal_message(connector.url, "hjälp")
    activity["type"] = "holographicPing"

    response = await running_bot.post(activity)

    assert response.status in (200, 201)
    assert connector.replies == []


@pytest.mark.parametrize(
    "activity_type",
    ["typing", "messageReaction", "event", "endOfConversation", "installationUpdate", "messageUpdate", "messageDelete"],
)
async def test_known_activity_types_the_bot_ignores_are_no_ops(
    running_bot: RunningBot, connector: StubConnector, activity_type: str
):
    activity = teams.personal_message(connector.url, "hjälp")
    activity["type"] = activity_type

    response = await running_bot.post(activity)

    assert response.status in (200, 201)
    assert connector.replies == []


async def test_unknown_invoke_gets_the_bot_frameworks_501_as_json_and_no_reply(
    running_bot: RunningBot, connector: StubConnector
):
    """Every Bot Framework SDK answers an invoke it does not implement with 501 Not Implemented."""
    activity = teams.personal_message(connector.url, "")
    activity.update(type="invoke", name="holographic/beamMeUp", value={"q": PROBE})
    del activity["text"]

    response = await running_bot.post(activity)

    assert await _assert_short_json_error(response, 501) == "not implemented"
    assert connector.replies == []


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/messages", 405),
        ("PUT", "/api/messages", 405),
        ("GET", "/" + PROBE, 404),
        ("POST", "/api/other", 404),
    ],
)
async def test_other_routes_and_methods_get_json_errors(running_bot: RunningBot, method: str, path: str, status: int):
    response = await running_bot.session.request(method, running_bot.url + path, json={})

    await _assert_short_json_error(response, status)


@pytest.mark.parametrize(
    "body, problem",
    [
        (
            {
                "type": "message",
                "channelId": "msteams",
                "serviceUrl": "https://smba.example/",
                "conversation": {"id": "a"},
                "from": {"id": "u"},
                "recipient": {"id": "b"},
            },
            None,
        ),
        ({"type": " ", "channelId": "msteams"}, "'type' is missing"),
        (
            {
                "type": "message",
                "channelId": "msteams",
                "serviceUrl": "https://s/",
                "conversation": {"id": ""},
                "from": {"id": "u"},
                "recipient": {"id": "b"},
            },
            "'conversation.id' is missing",
        ),
        (
            {
                "type": "message",
                "channelId": "msteams",
                "serviceUrl": "https://s/",
                "conversation": {"id": "a"},
                "from": {"id": "u"},
                "recipient": {"id": "b"},
                "entities": [1],
            },
            "'entities' must hold objects",
        ),
    ],
)
def test_activity_problem_names_the_field(body: dict[str, Any], problem: str | None):
    assert activity_problem(body) == problem


# --- properties of the parsing step, without the server --------------------------------------

PROPERTY = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_are_an_activity_or_a_bad_request(raw: bytes):
    with contextlib.suppress(BadActivity):
        parse_activity(raw)


@pytest.mark.slow
@PROPERTY
@given(
    st.dictionaries(st.sampled_from([*FIELDS, "channelData", "value", "membersAdded", "x"]), json_values, max_size=6)
)
def test_a_teams_message_with_any_fields_replaced_is_an_activity_or_a_bad_request(overrides: dict[str, Any]):
    activity = {**teams.personal_message("https://smba.trafficmanager.net/emea/", "hjälp"), **overrides}

    try:
        parsed = parse_activity(json.dumps(activity).encode())
    except BadActivity as error:
        assert str(error).startswith("the body is not")
        return
    assert isinstance(parsed.type, str) and parsed.conversation.id and parsed.service_url.startswith("http")
    assert tenant_from_channel_data(parsed.channel_data) in (None, *_strings(parsed.channel_data))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [string for item in value.values() for string in _strings(item)]
    return [value] if isinstance(value, str) else []


async def test_an_unexpected_failure_is_a_logged_500_that_says_nothing_about_it(
    loaded_store: LiveData, connector: StubConnector, caplog: pytest.LogCaptureFixture, serve_bot: ServeBot
):
    async def broken(*args: Any) -> None:
        raise RuntimeError("secret internals: /etc/regiondorren " + PROBE)

    app = create_app(test_settings(), store=loaded_store)
    app[ADAPTER_KEY].process_activity = broken
    bot = await serve_bot(app)
    response = await bot.post(teams.personal_message(connector.url, "hjälp"))
    body = await response.text()

    assert response.status == 500
    assert json.loads(body) == {"error": "internal error; it has been logged"}
    [record] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert record.exc_info and "secret internals" in str(record.exc_info[1])


async def test_compressed_body_that_inflates_past_256_kb_is_413(running_bot: RunningBot, connector: StubConnector):
    """A 10 kB gzip bomb inflating to 10 MB is stopped at the cap as it inflates, not after."""
    activity = teams.personal_message(connector.url, "x" * 10_000_000)
    bomb = gzip.compress(json.dumps(activity).encode())
    assert len(bomb) < MAX_BODY_BYTES

    response = await _post_raw(running_bot, bomb, **{"Content-Encoding": "gzip"})

    await _assert_short_json_error(response, 413)
    assert connector.replies == []


async def test_compressed_activity_within_the_cap_is_answered(running_bot: RunningBot, connector: StubConnector):
    body = gzip.compress(json.dumps(teams.personal_message(connector.url, "hjälp")).encode())

    response = await _post_raw(running_bot, body, **{"Content-Encoding": "gzip"})

    assert response.status == 201
    assert len(connector.replies) == 1
