"""The Bot Framework's `Storage` on the durable store: conversation state shared by every worker.

`ConversationState` (the clarify dialog's stack, the welcome flag) reads and writes through this
class, so a follow-up can reach any worker or instance. It keeps the Storage contract of the
SDK's own storages (MemoryStorage, Cosmos DB): items without an e-tag, or with "*", are written
whatever is stored; an item carrying the e-tag it was read with is written only if that is still
the stored version, otherwise the write raises ETagConflict (a KeyError, as MemoryStorage
raises) and writes nothing; an empty e-tag is refused. Every written item lives for
STATE_LIFETIME after its last write, then reads as absent and is purged.

Items are serialised with jsonpickle, as the SDK itself flattens state (BotState's change hash),
and only classes of the Bot Framework, our reply cards and datetime may come back (dialog stacks,
prompt options with their activities and cards): a row naming any other class, a function or a module is treated as
corrupt and dropped rather than instantiated.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from botbuilder.core import ConversationState, Storage, TurnContext
from jsonpickle import Pickler, Unpickler

from bot.store import Database
from bot.store.state import StaleETag, StateRows

logger = logging.getLogger(__name__)

# A clarification not answered within a day is abandoned (people answer in seconds or minutes);
# after that the conversation starts afresh and its row is purged.
STATE_LIFETIME = dt.timedelta(hours=24)
# Where the classes that stored state may name (jsonpickle's "py/object", "py/type") come from:
# the SDK's dialog stack, prompt options and activities, the cards in a prompt's activity
# (bot.teams.replies.SharedCard), and dates.
ALLOWED_MODULES = ("botbuilder.", "bot.teams.replies.", "datetime.")
# jsonpickle tags that would call or import something other than a class: never restored.
DENIED_TAGS = frozenset({"py/function", "py/repr", "py/mod", "py/module"})
CLASS_TAGS = frozenset({"py/object", "py/type"})
E_TAG = "e_tag"
ANY_VERSION = "*"


class TurnConversationState(ConversationState):
    """ConversationState that reads the storage once per turn and knows whether it found anything.

    The SDK's BotState.load reads again whenever the state it holds is empty, so a conversation
    without state (most of them) was read twice a turn: once when the dialog set asks for its
    state, again when it stores the default. What a turn has read stays read until the turn
    ends, as it does for a conversation with state; `force=True` still reads afresh.
    """

    def __init__(self, storage: Storage) -> None:
        super().__init__(storage)
        self._found_key = f"{self._context_service_key}.found"

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        if force or self.get_cached_state(turn_context) is None:
            await super().load(turn_context, force=True)
            cached = self.get_cached_state(turn_context)
            turn_context.turn_state[self._found_key] = bool(cached is not None and cached.state)

    def found_stored(self, turn_context: TurnContext) -> bool:
        """Say whether this turn's read found state in the storage (False when it read nothing)."""
        return bool(turn_context.turn_state.get(self._found_key))


class ETagConflict(KeyError):
    """The item was changed by another writer since it was read; nothing was written."""


class StateFormatError(TypeError):
    """State holds (or a stored row names) a value that is not plain data or an allowed class."""


class DatabaseStorage(Storage):
    """Bot Framework Storage backed by the store's bot_state table."""

    def __init__(self, database: Database, lifetime: dt.timedelta = STATE_LIFETIME) -> None:
        super().__init__()
        self._rows = StateRows(database)
        self._lifetime_millis = int(lifetime / dt.timedelta(milliseconds=1))

    async def read(self, keys: Iterable[str]) -> dict[str, Any]:
        """Return {key: item} for the stored, unexpired keys; each item carries its e-tag."""
        if keys is None:
            raise ValueError("Keys are required when reading")
        items: dict[str, Any] = {}
        for key, row in (await self._rows.read(keys)).items():
            try:
                item = _restore(row.document)
            except StateFormatError as error:
                logger.warning("stored state %s dropped: %s", row.etag, error)
                continue
            items[key] = _with_etag(item, row.etag)
        return items

    async def write(self, changes: Mapping[str, Any]) -> None:
        """Write all `changes` or, on an e-tag conflict, none of them (ETagConflict)."""
        if changes is None:
            raise ValueError("Changes are required when writing")
        if not changes:
            return
        documents = {key: (_flatten(item), _expected_etag(key, item)) for key, item in dict(changes).items()}
        try:
            etags = await self._rows.write(documents, self._lifetime_millis)
        except StaleETag as error:
            raise ETagConflict(str(error)) from error
        for key, item in dict(changes).items():
            _with_etag(item, etags[key])  # a second save in the same turn builds on this version

    async def delete(self, keys: Iterable[str]) -> None:
        """Delete the keys' items; unknown keys are no error."""
        await self._rows.delete(keys)

    async def purge_expired(self) -> int:
        """Delete every expired item; return how many."""
        return await self._rows.purge_expired()


def _expected_etag(key: str, item: Any) -> str | None:
    etag = item.get(E_TAG) if isinstance(item, dict) else getattr(item, E_TAG, None)
    if etag == "":
        raise ValueError(f"the item for {key!r} has an empty e_tag (use '*' or None to overwrite)")
    return None if etag in (None, ANY_VERSION) else str(etag)


def _with_etag(item: Any, etag: str) -> Any:
    if isinstance(item, dict):
        item[E_TAG] = etag
    elif item is not None:
        setattr(item, E_TAG, etag)
    return item


def _flatten(item: Any) -> str:
    """Return the item as JSON without its e-tag; raise StateFormatError for anything unsafe to restore."""
    if isinstance(item, dict):
        item = {name: value for name, value in item.items() if name != E_TAG}
    flat = Pickler(unpicklable=True, make_refs=False).flatten(item)
    if isinstance(flat, dict):
        flat.pop(E_TAG, None)
    _check_tags(flat)
    return json.dumps(flat, ensure_ascii=False, separators=(",", ":"))


def _restore(document: str) -> Any:
    try:
        flat = json.loads(document)
    except json.JSONDecodeError as error:
        raise StateFormatError(f"not JSON ({error.msg})") from error
    _check_tags(flat)
    return Unpickler().restore(flat)


def _check_tags(value: object) -> None:
    """Raise StateFormatError if `value` (flattened) names a class outside ALLOWED_MODULES or a denied tag."""
    if isinstance(value, list):
        for element in value:
            _check_tags(element)
        return
    if not isinstance(value, dict):
        return
    for name, element in value.items():
        if name in DENIED_TAGS:
            raise StateFormatError(f"conversation state may not hold {name!r} values; keep it to plain data")
        if name in CLASS_TAGS and not (isinstance(element, str) and element.startswith(ALLOWED_MODULES)):
            raise StateFormatError(f"conversation state may not hold {element!r}; keep it to plain data")
        _check_tags(element)
