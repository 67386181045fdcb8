"""The Bot Framework Storage contract on the store, on both backends: what MemoryStorage does, shared."""

from __future__ import annotations

import asyncio

import pytest
from botbuilder.core import ConversationState, MemoryStorage, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter as BotTestAdapter
from botbuilder.dialogs import DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions
from botbuilder.schema import Activity, ActivityTypes

from bot.store import Database
from bot.teams.storage import STATE_LIFETIME, DatabaseStorage, ETagConflict, StateFormatError
from tests.databases import DatabaseTarget, StoreClock


@pytest.fixture
def storage(database: Database) -> DatabaseStorage:
    return DatabaseStorage(database)


async def test_reading_unknown_keys_gives_an_empty_dict(storage: DatabaseStorage) -> None:
    assert await storage.read(["unknown"]) == {}
    assert await storage.read([]) == {}


async def test_reading_or_writing_none_is_refused_as_the_sdk_says(storage: DatabaseStorage) -> None:
    with pytest.raises(ValueError, match="Keys are required when reading"):
        await storage.read(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Changes are required when writing"):
        await storage.write(None)  # type: ignore[arg-type]
    await storage.write({})


async def test_items_are_created_and_read_back_with_an_etag(storage: DatabaseStorage) -> None:
    await storage.write({"plain": {"id": 1}, "tagged": {"id": 2, "e_tag": "*"}, "object": StoreItem(id=3)})
    read = await storage.read(["plain", "tagged", "object", "unknown"])
    assert set(read) == {"plain", "tagged", "object"}
    assert read["plain"]["id"] == 1 and read["tagged"]["id"] == 2 and read["object"].id == 3
    assert read["plain"]["e_tag"] and read["tagged"]["e_tag"] and read["object"].e_tag
    assert read["plain"]["e_tag"] != read["tagged"]["e_tag"]


async def test_keys_with_any_characters_work(storage: DatabaseStorage) -> None:
    key = "msteams/conversations/19:abc@thread.tacv2;messageid=1 '!@#$%^&*()_+??><\":QASD~`"
    await storage.write({key: {"id": 1}})
    assert (await storage.read([key]))[key]["id"] == 1


async def test_a_write_with_the_etag_it_read_succeeds_and_a_stale_etag_conflicts(storage: DatabaseStorage) -> None:
    await storage.write({"item": {"count": 1}})
    first = (await storage.read(["item"]))["item"]
    second = (await storage.read(["item"]))["item"]
    first["count"] = 2
    await storage.write({"item": first})
    second["count"] = 99
    with pytest.raises(ETagConflict):
        await storage.write({"item": second})
    assert (await storage.read(["item"]))["item"]["count"] == 2
    assert isinstance(ETagConflict("x"), KeyError)  # what MemoryStorage raises on a conflict


async def test_no_etag_or_a_wildcard_overwrites_and_an_empty_etag_is_refused(storage: DatabaseStorage) -> None:
    await storage.write({"item": {"count": 1}})
    stale = (await storage.read(["item"]))["item"]
    await storage.write({"item": {"count": 2}})
    await storage.write({"item": {**stale, "count": 3, "e_tag": "*"}})
    await storage.write({"item": {"count": 4}})
    assert (await storage.read(["item"]))["item"]["count"] == 4
    with pytest.raises(ValueError, match="empty e_tag"):
        await storage.write({"item": {"count": 5, "e_tag": ""}})
    assert (await storage.read(["item"]))["item"]["count"] == 4


async def test_a_conflict_in_a_batch_writes_none_of_it(storage: DatabaseStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 1}})
    stale_b = (await storage.read(["b"]))["b"]
    await storage.write({"b": {"n": 2}})
    with pytest.raises(ETagConflict):
        await storage.write({"a": {"n": 10}, "b": {**stale_b, "n": 10}})
    read = await storage.read(["a", "b"])
    assert (read["a"]["n"], read["b"]["n"]) == (1, 2)


async def test_the_writer_holds_the_new_etag_so_a_second_save_in_the_turn_works(storage: DatabaseStorage) -> None:
    await storage.write({"item": {"count": 1}})
    item = (await storage.read(["item"]))["item"]
    item["count"] = 2
    await storage.write({"item": item})
    item["count"] = 3
    await storage.write({"item": item})
    assert (await storage.read(["item"]))["item"]["count"] == 3


async def test_delete_removes_items_and_unknown_keys_are_no_error(storage: DatabaseStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}})
    await storage.delete(["a", "b", "unknown"])
    assert set(await storage.read(["a", "b", "c"])) == {"c"}
    await storage.delete(["unknown"])


async def test_a_write_over_a_deleted_item_with_its_old_etag_conflicts(storage: DatabaseStorage) -> None:
    """The conversation was finished by another worker: its stale dialog must not come back."""
    await storage.write({"item": {"n": 1}})
    stale = (await storage.read(["item"]))["item"]
    await storage.delete(["item"])
    with pytest.raises(ETagConflict):
        await storage.write({"item": stale})
    assert await storage.read(["item"]) == {}


async def test_two_workers_writing_the_same_version_one_wins_the_other_conflicts(
    database: Database, database_target: DatabaseTarget
) -> None:
    other_database = await database_target.open()
    try:
        here, there = DatabaseStorage(database), DatabaseStorage(other_database)
        await here.write({"conversation": {"step": 0}})
        readers = [await storage.read(["conversation"]) for storage in (here, there) for _ in range(5)]

        async def save(storage: DatabaseStorage, items: dict, number: int) -> str:
            items["conversation"]["step"] = number
            try:
                await storage.write(items)
            except ETagConflict:
                return "conflict"
            return "written"

        outcomes = await asyncio.gather(*(save(here if n < 5 else there, items, n) for n, items in enumerate(readers)))
    finally:
        await other_database.close()
    assert sorted(outcomes) == ["conflict"] * 9 + ["written"]
    winner = outcomes.index("written")
    assert (await here.read(["conversation"]))["conversation"]["step"] == winner


async def test_state_expires_after_its_lifetime_and_is_purged(
    storage: DatabaseStorage, database: Database, store_clock: StoreClock
) -> None:
    await storage.write({"old": {"n": 1}})
    store_clock.advance(hours=23)
    await storage.write({"recent": {"n": 2}})
    stale_recent = (await storage.read(["recent"]))["recent"]
    store_clock.advance(seconds=STATE_LIFETIME.total_seconds() - 23 * 3600 + 1)
    assert set(await storage.read(["old", "recent"])) == {"recent"}
    assert await storage.purge_expired() == 1
    store_clock.advance(hours=24)
    with pytest.raises(ETagConflict):  # expired: a late writer does not bring it back
        await storage.write({"recent": stale_recent})
    assert await storage.purge_expired() == 1
    async with database.transaction(readonly=True) as transaction:
        assert await transaction.fetchall("SELECT key FROM bot_state") == []


async def test_purging_many_abandoned_conversations_empties_the_table(
    storage: DatabaseStorage, database: Database, store_clock: StoreClock
) -> None:
    async with database.transaction() as transaction:
        for number in range(1200):
            await transaction.execute(
                "INSERT INTO bot_state (key, document, etag, updated_at, expires_at) VALUES (:k, '{}', 'e', 0, :x)",
                {"k": f"abandoned-{number}", "x": database.now_millis() + 1000},
            )
    await storage.write({"live": {"n": 1}})
    store_clock.advance(hours=1)
    assert await storage.purge_expired() == 1200
    assert set(await storage.read(["live", "abandoned-1"])) == {"live"}


async def test_a_class_outside_the_sdk_is_refused_when_written(storage: DatabaseStorage) -> None:
    class Unexpected:
        pass

    with pytest.raises(StateFormatError, match="Unexpected"):
        await storage.write({"item": {"thing": Unexpected()}})
    assert await storage.read(["item"]) == {}


@pytest.mark.parametrize(
    "document",
    [
        '{"x": {"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["true"]}]}}',
        '{"x": {"py/reduce": [{"py/type": "subprocess.Popen"}, {"py/tuple": [["true"]]}]}}',
        '{"x": {"py/object": "subprocess.Popen"}}',
        '{"x": {"py/repr": "os/os.system(\'true\')"}}',
        "not json",
    ],
)
async def test_a_stored_row_naming_anything_else_reads_as_absent(
    storage: DatabaseStorage, database: Database, document: str
) -> None:
    async with database.transaction() as transaction:
        await transaction.execute(
            "INSERT INTO bot_state (key, document, etag, updated_at) VALUES ('tampered', :document, 'e', 0)",
            {"document": document},
        )
    assert await storage.read(["tampered"]) == {}


async def test_a_waterfall_with_a_prompt_runs_through_conversation_state(storage: DatabaseStorage) -> None:
    """The SDK's own dialog machinery, turn by turn, with state only in the store."""
    conversation_state = ConversationState(storage)
    dialogs = DialogSet(conversation_state.create_property("DialogState"))

    async def ask(step: WaterfallStepContext) -> DialogTurnStatus:
        return await step.prompt("name", PromptOptions(prompt=Activity(type=ActivityTypes.message, text="Namn?")))

    async def thank(step: WaterfallStepContext) -> DialogTurnStatus:
        await step.context.send_activity(f"Tack, {step.result}")
        return await step.end_dialog()

    dialogs.add(TextPrompt("name"))
    dialogs.add(WaterfallDialog("waterfall", [ask, thank]))

    async def turn(context: TurnContext) -> None:
        dialog_context = await dialogs.create_context(context)
        result = await dialog_context.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog("waterfall")
        await conversation_state.save_changes(context)

    adapter = BotTestAdapter(turn)
    step = await adapter.send("hej")
    step = await step.assert_reply("Namn?")
    step = await step.send("Anna")
    await step.assert_reply("Tack, Anna")


def test_memory_storage_raises_the_same_kind_of_error_on_a_conflict() -> None:
    async def conflict() -> None:
        memory = MemoryStorage()
        await memory.write({"item": {"n": 1, "e_tag": "*"}})
        stale = (await memory.read(["item"]))["item"]
        await memory.write({"item": {**stale}})
        await memory.write({"item": {**stale, "e_tag": "stale"}})

    with pytest.raises(KeyError):
        asyncio.run(conflict())
