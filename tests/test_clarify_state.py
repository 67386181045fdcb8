"""What a running clarify dialog keeps in conversation state: the candidates' codes and the
language, a few hundred bytes, never a rendered card (50 000 open dialogs once held 19 kB each)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bot.runtime.live import LiveData
from tests import factories
from tests.test_teams import Conversation, buttons, cards_of

# Bytes one open clarify dialog may take in conversation state, pickled as MemoryStorage keeps
# it (dialog stack, waterfall step, prompt options, attempt count): the candidates' codes and
# the language need far less; a rendered card alone is several kB.
MAX_DIALOG_STATE_BYTES = 2048


@pytest.fixture
def store() -> LiveData:
    store = LiveData(Path("/nonexistent"))
    store.install(factories.directory())
    return store


def _stored(chat: Conversation) -> bytes:
    [state] = chat.storage.memory.values()
    return pickle.dumps(state)


async def test_an_open_clarify_dialog_keeps_codes_not_cards(store: LiveData):
    chat = Conversation(store)

    await chat.say("vem har Östersjökusten?")

    stored = _stored(chat)
    assert len(stored) < MAX_DIALOG_STATE_BYTES
    assert b"AdaptiveCard" not in stored and b"Stockholms" not in stored


async def test_a_retry_after_an_unclear_reply_still_shows_the_card(store: LiveData):
    chat = Conversation(store)
    [asked] = await chat.say("möte i Ekeby")

    [again] = await chat.say("den blå")

    assert buttons(cards_of(again)[0]) == buttons(cards_of(asked)[0])
    assert again.text.startswith("Jag förstod inte")
    assert len(_stored(chat)) < MAX_DIALOG_STATE_BYTES
