"""The bot's conversation state as rows: one JSON document per storage key, with an e-tag and an expiry.

The SQL behind bot/teams/storage.py (which speaks the Bot Framework's Storage contract on top).
A write either replaces the row whatever it holds (no e-tag) or only the version the writer read
(its e-tag); the other writer of that version gets False and must not overwrite.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.store.database import Database, StoreError, Value

# Rows purged per statement: a purge of 100 000 abandoned conversations never holds SQLite's
# write lock for more than a few milliseconds at a time, so turns in other workers go on.
PURGE_BATCH = 500


class StaleETag(StoreError):
    """A write expected a version of a row that is no longer stored (another writer got there first)."""


@dataclass(frozen=True, slots=True)
class StateRow:
    """One stored state document and the e-tag of this version of it."""

    key: str
    document: str
    etag: str


def new_etag() -> str:
    """Return a fresh e-tag: random, so a deleted and recreated key never repeats an old one."""
    return secrets.token_hex(8)


def _placeholders(keys: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    names = {f"key{number}": key for number, key in enumerate(keys)}
    return ", ".join(f":{name}" for name in names), names


class StateRows:
    """Read, write, delete and purge rows of bot_state."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def read(self, keys: Iterable[str]) -> dict[str, StateRow]:
        """Return the unexpired rows of `keys` (missing keys are simply absent)."""
        unique = tuple(dict.fromkeys(keys))
        if not unique:
            return {}
        placeholders, params = _placeholders(unique)
        rows = await self.database.fetchall(
            f"SELECT key, document, etag FROM bot_state WHERE key IN ({placeholders}) "
            "AND (expires_at IS NULL OR expires_at > :now)",
            {**params, "now": self.database.now_millis()},
        )
        return {str(row["key"]): StateRow(str(row["key"]), str(row["document"]), str(row["etag"])) for row in rows}

    async def write(
        self, documents: Mapping[str, tuple[str, str | None]], lifetime_millis: int | None
    ) -> dict[str, str]:
        """Write {key: (document, expected e-tag or None for any)} all together; return the new e-tags.

        Raises StaleETag, writing nothing, when any expected e-tag is no longer the stored one
        (another writer got there first, or the row was deleted or has expired).
        """
        now = self.database.now_millis()
        expires = now + lifetime_millis if lifetime_millis is not None else None
        etags = {key: new_etag() for key in documents}
        writes = [
            _statement({"key": key, "document": document, "etag": etags[key], "now": now, "expires": expires}, expected)
            for key, (document, expected) in documents.items()
        ]
        if len(writes) == 1:  # what ConversationState writes: one statement, one hop
            [(sql, values, conditional)] = writes
            if await self.database.execute(sql, values) != 1 and conditional:
                raise StaleETag(f"state {values['key']!r} changed since its e-tag was read")
            return etags
        async with self.database.transaction() as transaction:
            for sql, values, conditional in writes:
                if await transaction.execute(sql, values) != 1 and conditional:
                    raise StaleETag(f"state {values['key']!r} changed since its e-tag was read")
        return etags

    async def delete(self, keys: Iterable[str]) -> None:
        """Delete the rows of `keys`; looks first, so deleting nothing takes no write lock."""
        unique = tuple(dict.fromkeys(keys))
        if not unique:
            return
        placeholders, params = _placeholders(unique)
        present = await self.database.fetchone(
            f"SELECT 1 AS present FROM bot_state WHERE key IN ({placeholders})", params
        )
        if present is not None:
            await self.database.execute(f"DELETE FROM bot_state WHERE key IN ({placeholders})", params)

    async def purge_expired(self) -> int:
        """Delete every expired row, a batch at a time; return how many went."""
        purged = 0
        while True:
            deleted = await self.database.execute(
                "DELETE FROM bot_state WHERE key IN (SELECT key FROM bot_state WHERE expires_at <= :now LIMIT :batch)",
                {"now": self.database.now_millis(), "batch": PURGE_BATCH},
            )
            purged += max(deleted, 0)
            if deleted < PURGE_BATCH:
                return purged

    async def count(self) -> int:
        """Return how many rows (expired or not) the table holds."""
        row = await self.database.fetchone("SELECT COUNT(*) AS rows FROM bot_state")
        return int(row["rows"] or 0) if row else 0


def _statement(values: dict[str, Value], expected: str | None) -> tuple[str, dict[str, Value], bool]:
    """Return the SQL, its values and whether it is conditional, for writing one key."""
    if expected is None:
        return (
            "INSERT INTO bot_state (key, document, etag, updated_at, expires_at) "
            "VALUES (:key, :document, :etag, :now, :expires) "
            "ON CONFLICT (key) DO UPDATE SET document = excluded.document, etag = excluded.etag, "
            "updated_at = excluded.updated_at, expires_at = excluded.expires_at",
            values,
            False,
        )
    return (
        "UPDATE bot_state SET document = :document, etag = :etag, updated_at = :now, expires_at = :expires "
        "WHERE key = :key AND etag = :expected AND (expires_at IS NULL OR expires_at > :now)",
        {**values, "expected": expected},
        True,
    )
