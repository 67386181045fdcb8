"""What start-up and an ordinary question load: only what the first answer needs; and the
garbage collector, paused while the server starts, runs again once it serves.

The import tests run the real app in a fresh interpreter (a module imported by any earlier test
would otherwise be in sys.modules already), post Teams-shaped messages to it on a real port with
a stub Bot Connector, and report which heavy packages had been imported after each reply.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from bot.runtime.live import LiveData
from tests.conftest import ServeBot, test_settings

ROOT = Path(__file__).resolve().parent.parent
# Packages the first answer does not need. botbuilder.dialogs: its prompts import date-time
# recognisers for a dozen languages (0.13 s, 18 MB), needed only by a clarification. PIL: draws
# the cards' maps when Teams fetches one. psycopg: only with DATABASE_URL.
WATCHED = ("botbuilder.dialogs", "recognizers_date_time", "PIL", "psycopg")

# Runs in the subprocess: the app on a free port, a stub connector answering every reply, the
# questions of argv posted in turn in one personal chat; prints one JSON line per question.
CONVERSATION = """
import asyncio, json, sys
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from app import create_app
from bot.settings import Settings
from tests import teams_activities as teams

async def main():
    replies = []
    async def record(request):
        replies.append(await request.json())
        return web.json_response({"id": "reply"})
    stub = web.Application()
    stub.router.add_post("/v3/conversations/{conversation}/activities/{activity}", record)
    connector = TestServer(stub, host="127.0.0.1")
    await connector.start_server()
    bot = TestServer(create_app(Settings.from_env({}, env_file=None)), host="127.0.0.1")
    await bot.start_server()
    async with ClientSession() as session:
        for question in sys.argv[1:]:
            activity = teams.personal_message(str(connector.make_url("/")), question)
            async with session.post(bot.make_url("/api/messages"), json=activity) as response:
                status = response.status
            texts = [json.dumps(reply, ensure_ascii=False) for reply in replies]
            replies.clear()
            loaded = sorted(name for name in WATCHED if name in sys.modules)
            print(json.dumps({"status": status, "texts": texts, "loaded": loaded}))
    await bot.close()
    await connector.close()

asyncio.run(main())
"""


def converse(*questions: str) -> list[dict[str, object]]:
    """Ask `questions` in one chat with the app in a fresh interpreter; return what each turn did."""
    script = f"WATCHED = {WATCHED!r}\n{CONVERSATION}"
    finished = subprocess.run(
        [sys.executable, "-c", script, *questions], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stderr
    return [json.loads(line) for line in finished.stdout.splitlines()]


@pytest.mark.slow
def test_shipped_data_an_ordinary_question_is_answered_without_the_dialog_library():
    [answered] = converse("Vem har Norrbotten?")

    assert answered["status"] == 201
    assert any("Norrbotten" in text for text in answered["texts"])
    assert answered["loaded"] == []


@pytest.mark.slow
def test_shipped_data_the_first_clarification_loads_the_dialog_library_and_still_reads_the_choice():
    ordinary, asked, chosen = converse("vem är vår ingång till Sörmland?", "Vem har Norrland?", "Norrbotten")

    assert ordinary["loaded"] == []
    assert asked["status"] == 201 and asked["loaded"] == ["botbuilder.dialogs", "recognizers_date_time"]
    assert any("Norrbotten" in text for text in chosen["texts"])


async def test_a_collector_paused_for_start_up_runs_again_once_the_data_is_served(
    serve_bot: ServeBot, loaded_store: LiveData
):
    # python app.py and gunicorn's workers pause the collector before importing the app.
    gc.disable()
    try:
        await serve_bot(create_app(test_settings(), store=loaded_store))

        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up built is left out of later collections
    finally:
        gc.unfreeze()
        gc.enable()


async def test_an_app_started_with_the_collector_on_leaves_it_as_it_was(serve_bot: ServeBot, loaded_store: LiveData):
    assert gc.isenabled() and gc.get_freeze_count() == 0

    await serve_bot(create_app(test_settings(), store=loaded_store))

    assert gc.isenabled() and gc.get_freeze_count() == 0
