"""The local chat page's server side: the page and its files, the local Bot Connector and the reply
stream, on the real app and a real port, with no browser (tests/test_devchat_browser.py has one)."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from yarl import URL

from app import create_app
from bot.runtime.live import LiveData
from bot.settings import Settings
from bot.web import devchat
from tests import factories
from tests.conftest import RunningBot, ServeBot, test_settings
from tests.teams_activities import personal_message

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_ID = "00000000-0000-0000-0000-0000000000a1"
# The tenant the allow-list admits: a multi-tenant app id with authentication on needs one.
TENANT_ID = "00000000-0000-0000-0000-0000000000b2"
CONVERSATION = "a:local-0123456789abcdef"


def connector_url(bot: RunningBot) -> str:
    """Return the serviceUrl the page puts in its activities."""
    return bot.url + devchat.CONNECTOR_PATH + "/"


def activities_url(bot: RunningBot, conversation: str = CONVERSATION) -> str:
    """Return the local connector's activities URL for `conversation`."""
    return f"{bot.url}{devchat.CONNECTOR_PATH}/v3/conversations/{conversation}/activities"


def stream_url(bot: RunningBot, conversation: str = CONVERSATION) -> str:
    """Return the page's reply stream URL for `conversation`."""
    return bot.url + devchat.STREAM_PATH.format(conversation_id=conversation)


async def next_event(response: aiohttp.ClientResponse) -> tuple[str, dict[str, Any]]:
    """Read server-sent events until one carries an activity; return its id and the activity."""
    event_id, data = "", ""
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 10)).decode("utf-8").rstrip("\n")
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("data: "):
            data += line[6:]
        elif line == "" and data:
            return event_id, json.loads(data)


@pytest.fixture
async def auth_bot(loaded_store: LiveData, serve_bot: ServeBot) -> RunningBot:
    """Run the real app with an app id configured (authentication on)."""
    settings = Settings.from_env(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "not-a-real-secret", "ALLOWED_TENANT_IDS": TENANT_ID},
        env_file=None,
    )
    bot = await serve_bot(create_app(settings, store=loaded_store, clock=lambda: factories.TODAY))
    return bot


async def test_page_is_served_at_the_root_when_authentication_is_off(running_bot: RunningBot) -> None:
    response = await running_bot.session.get(running_bot.url + "/")
    assert response.status == 200
    assert response.content_type == "text/html"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = await response.text()
    for script in (
        "/devchat/vendor/adaptivecards.min.js",
        "/devchat/vendor/markdown-it.min.js",
        "/devchat/static/chat.js",
    ):
        assert f'src="{script}"' in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/devchat/static/chat.js"),
        ("GET", "/devchat/vendor/adaptivecards.min.js"),
        ("POST", f"/devchat/connector/v3/conversations/{CONVERSATION}/activities"),
        ("POST", f"/devchat/connector/v3/conversations/{CONVERSATION}/activities/123"),
        ("GET", f"/devchat/conversations/{CONVERSATION}/stream"),
    ],
)
async def test_with_an_app_id_the_page_and_everything_behind_it_answer_404(
    auth_bot: RunningBot, method: str, path: str
) -> None:
    response = await auth_bot.session.request(method, auth_bot.url + path, json={"type": "message", "text": "hej"})
    assert response.status == 404


async def test_with_an_app_id_the_bot_endpoint_still_demands_a_token(auth_bot: RunningBot) -> None:
    response = await auth_bot.post(personal_message(auth_bot.url + "/", "vem har Sörmland?"))
    assert response.status == 401


def test_the_page_address_is_loopback_and_absent_with_authentication() -> None:
    assert devchat.page_url(test_settings()) == "http://127.0.0.1:3978/"
    everywhere = Settings.from_env({"HOST": "0.0.0.0", "PORT": "4000", "ALLOW_UNAUTHENTICATED": "1"}, env_file=None)
    assert devchat.page_url(everywhere) == "http://127.0.0.1:4000/"
    with_app_id = Settings.from_env(
        {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x", "ALLOWED_TENANT_IDS": TENANT_ID}, env_file=None
    )
    assert devchat.page_url(with_app_id) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A generous bound on start-up, so that a server that never prints fails the test instead of
# hanging the suite (not a speed target: bench/ measures start-up).
START_UP_TIMEOUT_S = 60


def _lines_within(process: subprocess.Popen[str], count: int, seconds: float) -> list[str]:
    """Read `count` lines of the process's output, or fail when they do not come within `seconds`."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for _ in range(count):
            lines.put(process.stdout.readline())

    threading.Thread(target=read, daemon=True).start()
    try:
        return [lines.get(timeout=seconds) for _ in range(count)]
    except queue.Empty:
        pytest.fail(f"the server printed fewer than {count} lines within {seconds} s")


@pytest.mark.slow
def test_starting_the_server_prints_the_chat_page_address() -> None:
    port = _free_port()
    # Empty credentials win over a developer's .env: authentication off, as for a newcomer.
    environment = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "MicrosoftAppId": "",
        "MicrosoftAppPassword": "",
        "MicrosoftAppTenantId": "",
        "MicrosoftAppType": "MultiTenant",
    }
    process = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=PROJECT_DIR,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        lines = _lines_within(process, 2, START_UP_TIMEOUT_S)
        # The banner means ready: the port takes connections the moment it is printed.
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    assert f"http://127.0.0.1:{port}/\n" in [line.split(": ", 1)[-1] for line in lines]


async def test_the_bots_reply_reaches_the_page_through_the_real_adapter(running_bot: RunningBot) -> None:
    stream = await running_bot.session.get(stream_url(running_bot))
    assert stream.headers["Content-Type"] == "text/event-stream"
    question = personal_message(connector_url(running_bot), "vem har Sörmland?", conversation_id=CONVERSATION)
    response = await running_bot.post(question)
    assert response.status == 201
    _, reply = await next_event(stream)
    assert reply["type"] == "message"
    assert reply["replyToId"] == question["id"]
    assert reply["conversation"]["id"] == CONVERSATION
    [card] = [attachment["content"] for attachment in reply["attachments"]]
    assert "Isabelle Canderskog" in json.dumps(card, ensure_ascii=False)
    stream.close()


async def test_replies_in_a_channel_thread_reach_the_channels_stream(running_bot: RunningBot) -> None:
    channel = "19:local-0123@thread.tacv2"
    stream = await running_bot.session.get(stream_url(running_bot, channel))
    thread = f"{channel};messageid=1732642200001"
    await running_bot.session.post(activities_url(running_bot, thread), json={"type": "message", "text": "i tråden"})
    _, reply = await next_event(stream)
    assert reply["text"] == "i tråden"
    stream.close()


async def test_other_conversations_do_not_see_the_reply(running_bot: RunningBot) -> None:
    other = await running_bot.session.get(stream_url(running_bot, "a:local-other"))
    mine = await running_bot.session.get(stream_url(running_bot))
    await running_bot.post(
        personal_message(connector_url(running_bot), "vem har Sörmland?", conversation_id=CONVERSATION)
    )
    await next_event(mine)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(next_event(other), 0.5)
    other.close()
    mine.close()


async def test_a_reconnecting_page_gets_only_what_it_missed(running_bot: RunningBot) -> None:
    for text in ("first", "second"):
        response = await running_bot.session.post(activities_url(running_bot), json={"type": "message", "text": text})
        assert response.status == 200
        assert (await response.json())["id"].startswith("devchat-")
    stream = await running_bot.session.get(stream_url(running_bot))
    first_id, first = await next_event(stream)
    _, second = await next_event(stream)
    assert [first["text"], second["text"]] == ["first", "second"]
    stream.close()
    again = await running_bot.session.get(stream_url(running_bot), headers={"Last-Event-ID": first_id})
    _, missed = await next_event(again)
    assert missed["text"] == "second"
    again.close()


async def test_a_page_that_saw_an_earlier_server_run_gets_everything(running_bot: RunningBot) -> None:
    await running_bot.session.post(activities_url(running_bot), json={"type": "message", "text": "efter omstart"})
    stream = await running_bot.session.get(stream_url(running_bot), headers={"Last-Event-ID": "0badc0de.99"})
    _, reply = await next_event(stream)
    assert reply["text"] == "efter omstart"
    stream.close()


async def test_an_updated_message_keeps_its_id_and_a_deleted_one_is_announced(running_bot: RunningBot) -> None:
    stream = await running_bot.session.get(stream_url(running_bot))
    url = activities_url(running_bot) + "/devchat-7"
    await running_bot.session.put(url, json={"type": "message", "text": "rättad"})
    await running_bot.session.delete(url)
    _, updated = await next_event(stream)
    _, deleted = await next_event(stream)
    assert (updated["id"], updated["text"], updated["devchatUpdate"]) == ("devchat-7", "rättad", True)
    assert deleted == {"type": "devchatDelete", "id": "devchat-7"}
    stream.close()


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400),
        (b'{"text": "no type"}', {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe", {"Content-Type": "application/json"}, 400),
        (
            b'{"type": "message", "text": "' + b"x" * devchat.MAX_ACTIVITY_BYTES + b'"}',
            {"Content-Type": "application/json"},
            413,
        ),
    ],
)
async def test_the_connector_refuses_what_is_not_an_activity(
    running_bot: RunningBot, body: bytes, headers: dict[str, str], status: int
) -> None:
    response = await running_bot.session.post(activities_url(running_bot), data=body, headers=headers)
    assert response.status == status
    assert "error" in await response.json()


@pytest.mark.parametrize("conversation", ["a%20b", "a%2Fb", "x" * 201])
async def test_odd_conversation_ids_are_not_conversations(running_bot: RunningBot, conversation: str) -> None:
    posted = await running_bot.session.post(
        URL(activities_url(running_bot, conversation), encoded=True), json={"type": "message"}
    )
    streamed = await running_bot.session.get(URL(stream_url(running_bot, conversation), encoded=True))
    assert (posted.status, streamed.status) == (404, 404)


async def test_connector_calls_it_does_not_offer_get_a_clear_404(running_bot: RunningBot) -> None:
    response = await running_bot.session.get(
        f"{running_bot.url}{devchat.CONNECTOR_PATH}/v3/conversations/{CONVERSATION}/members"
    )
    assert response.status == 404
    assert "does not implement GET" in (await response.json())["error"]


async def test_a_missing_renderer_says_how_to_install_it(
    running_bot: RunningBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(devchat, "NPM_MODULES", tmp_path)
    response = await running_bot.session.get(running_bot.url + "/devchat/vendor/adaptivecards.min.js")
    assert response.status == 404
    assert "make run" in await response.text()


@pytest.mark.parametrize(
    "path",
    [
        "/devchat/vendor/package.json",
        "/devchat/vendor/..%2F..%2Fapp.py",
        "/devchat/static/..%2F..%2Fapp.py",
        "/devchat/static/%2e%2e/devchat.py",
    ],
)
async def test_only_the_page_files_are_served(running_bot: RunningBot, path: str) -> None:
    response = await running_bot.session.get(URL(running_bot.url + path, encoded=True))
    assert response.status in (403, 404)


async def test_open_streams_end_when_the_server_stops(loaded_store: LiveData) -> None:
    server = TestServer(create_app(test_settings(), store=loaded_store), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        stream = await session.get(str(server.make_url(devchat.STREAM_PATH.format(conversation_id=CONVERSATION))))
        await stream.content.readline()
        await asyncio.wait_for(server.close(), 5)
        assert await asyncio.wait_for(stream.content.read(), 5) is not None


def test_the_least_recently_used_idle_conversation_is_forgotten() -> None:
    connector = devchat.LocalConnector()
    connector.subscribe("a:open-page")  # a page with an open stream is never forgotten
    for number in range(devchat.MAX_CONVERSATIONS):
        connector.publish(f"a:closed-{number}", {"type": "message", "text": str(number)})
    assert [activity["text"] for _, activity in connector.conversation("a:closed-1").backlog] == ["1"]
    assert list(connector.conversation("a:closed-0").backlog) == []  # forgotten, started afresh
    assert connector.conversation("a:open-page").listeners


def test_a_conversation_keeps_only_its_latest_replies() -> None:
    connector = devchat.LocalConnector()
    for number in range(devchat.BACKLOG + 5):
        connector.publish(CONVERSATION, {"type": "message", "text": str(number)})
    kept = [activity["text"] for _, activity in connector.conversation(CONVERSATION).backlog]
    assert kept == [str(number) for number in range(5, devchat.BACKLOG + 5)]


async def test_behind_a_port_forward_the_reply_still_reaches_the_page(running_bot: RunningBot) -> None:
    """The page names the connector by the address the browser used (a forwarded port the server
    itself cannot reach); the bot replies to its own local connector all the same."""
    stream = await running_bot.session.get(stream_url(running_bot))
    forwarded = "http://127.0.0.1:9" + devchat.CONNECTOR_PATH + "/"  # port 9 (discard): nobody listens
    question = personal_message(forwarded, "vem har Sörmland?", conversation_id=CONVERSATION)

    response = await running_bot.post(question)

    assert response.status == 201
    _, reply = await next_event(stream)
    assert reply["replyToId"] == question["id"]
    stream.close()
