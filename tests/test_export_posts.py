"""`python -m bot export-posts`: posted dialogues come out in dialogues.yaml's form, check-data accepts them."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

import yaml

from bot.cli.main import main
from bot.data.directory import check_data
from bot.store import Database
from bot.store.channel import ChannelStore
from tests.conftest import FIXTURE_DATA
from tests.databases import DatabaseTarget

DIALOGUE = {
    "kind": "dialogue",
    "county": "04",
    "title": "Regional dialog om RUS",
    "body": "Regionen och Tillväxtverket om den nya strategin.",
    "link": "https://region.se/rus",
    "event_date": "2026-12-10",
}
UPDATE = {
    "kind": "update",
    "county": "04",
    "title": "Ny strategi",
    "body": "Antagen.",
    "link": None,
    "event_date": None,
}


async def test_exported_dialogues_fold_into_dialogues_yaml_and_pass_check_data(
    database: Database, database_target: DatabaseTarget, tmp_path: Path
) -> None:
    store = ChannelStore(database)
    for fields in (DIALOGUE, UPDATE):
        post = await store.create_draft(fields, "29:isabelle", "Isabelle Canderskog")
        await store.publish(post, "29:isabelle")
    await store.create_draft({**UPDATE, "title": "Utkast"}, "29:isabelle", "Isabelle Canderskog")  # not exported
    stdout, stderr = io.StringIO(), io.StringIO()

    status = await _run(["export-posts"], database_target, stdout, stderr)

    assert status == 0, stderr.getvalue()
    exported = yaml.safe_load(stdout.getvalue())
    assert [item["title"] for item in exported["updates"]] == ["Ny strategi"]
    [dialogue] = exported["dialogues"]
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    dialogues = yaml.safe_load((data / "dialogues.yaml").read_text(encoding="utf-8"))
    dialogues["dialogues"].append(dialogue)
    (data / "dialogues.yaml").write_text(yaml.safe_dump(dialogues, allow_unicode=True), encoding="utf-8")
    assert check_data(data) == ()


async def _run(argv: list[str], target: DatabaseTarget, stdout: io.StringIO, stderr: io.StringIO) -> int:
    # The command runs its own event loop, as it does from a terminal: give it a thread of its own.
    return await asyncio.to_thread(
        main,
        argv,
        stdout=stdout,
        stderr=stderr,
        environ={"DATA_DIR": str(FIXTURE_DATA), **target.environ()},
        env_file=None,
    )
