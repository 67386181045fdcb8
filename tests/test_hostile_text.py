"""Property tests: whatever a colleague pastes (random Unicode, emoji, control characters,
right-to-left text, 100 kB strings, HTML and Adaptive Card markup), the recogniser, the answerer,
the cards and the whole Teams handler on the shipped data give an answer without an exception,
read only up to their caps, and never put the user's markup into a card or a reply.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from botbuilder.core import MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter as BotTestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core import answers, recognition, search
from bot.core.answers import Answerer
from bot.core.recognition import Recogniser, Recognition, Status
from bot.data.directory import DEFAULT_DATA_DIR, Directory, load_directory
from bot.render import cards
from bot.runtime.live import LiveData
from bot.teams.handler import RegiondorrenBot, search_pick
from bot.teams.replies import (
    RECOMMENDED_ACTIVITY_UTF16_BYTES,
    activity_size,
    answer_replies,
    search_reply,
    selected_reply,
)
from bot.teams.storage import TurnConversationState
from dialogs.clarify import ClarifyDialog
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES

TODAY = dt.date(2026, 11, 26)

# Small enough for `make test` to stay quick, fixed so CI sees the same examples every run.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# What a user might paste hoping to see it rendered: markdown links and images, HTML, Adaptive
# Card JSON and templating, Teams mentions, terminal escapes, bidi overrides.
MARKUP = (
    "[x](http://evil.example)",
    "![bild](http://evil.example/p.png)",
    "<script>alert(1)</script>",
    '{"type": "TextBlock", "text": "pwn"}',
    '{"type":"Action.OpenUrl","url":"http://evil.example"}',
    "{{DATE(2026-11-26T08:00:00Z, SHORT)}}",
    "${user.secret}",
    "<at>Regiondörren</at>",
    "**fet**",
    "<b>fet</b>",
    "&lt;i&gt;",
    "\x1b[31m",
    "\u202eevil\u202c",
)
# Traces of that markup which must never appear in a card or reply, escaped or not.
MARKERS = ("](http", "<script", '{"type"', "{{DATE", "${user", "<at>Regiondörren", "evil.example")
# Pieces that steer the input into real code paths: places, people, commands, question words.
PHRASES = (
    "Sörmland",
    "Eskilstuna",
    "Göteborg",
    "Norrland",
    "Småland",
    "Isabelle Canderskog",
    "vem har",
    "who covers",
    "vilket län har",
    "vad har",
    "D-län",
    "län 04",
    "hjälp",
    "help",
    "lista",
    "avbryt",
    "1",
    "och",
    "?",
    "\n",
)
ODD = (
    "\x00",
    "\x07",
    "\x7f",
    "\u0085",
    "\u2028",
    "\u200b",
    "\u200f",
    "\ufeff",
    "\u0301",
    "שלום",
    "مرحبا",
    "👩\u200d💻",
    "🇸🇪",
    "ﷺ",
    "𝔖ö𝔯𝔪𝔩𝔞𝔫𝔡",
    "ＳＯＲＭＬＡＮＤ",
    "\ud800",
)

pieces = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(PHRASES),
    st.sampled_from(ODD),
    st.text(st.characters(exclude_categories=()), max_size=12),
)
phrases = st.lists(pieces, max_size=12).flatmap(
    lambda parts: st.sampled_from(["", " "]).map(lambda sep: sep.join(parts))
)
# 20 to 120 kB: a pasted document, a log file, a run of one character.
long_texts = st.builds(
    lambda head, piece, kilobytes: head + piece * (kilobytes * 1024 // len(piece) + 1),
    phrases,
    st.sampled_from((*MARKUP, *PHRASES, *ODD, "? ")),
    st.integers(20, 120),
)
user_texts = st.one_of(phrases, phrases, phrases, long_texts)
# Questions that reach the answer cards, the clarify card and a person's card with markup around them.
MARKED_QUESTIONS = (
    "vem har [Sörmland](http://evil.example)?",
    "<script>alert(1)</script> Eskilstuna",
    'who covers {"type": "TextBlock", "text": "pwn"} Norrland?',
    "vad har Isabelle Canderskog ${user.secret}",
    "Småland {{DATE(2026-11-26T08:00:00Z, SHORT)}}",
    "\u202eGöteborg <at>Regiondörren</at>",
)
# Texts that certainly carry markup, so the "never rendered" checks always have something to find.
marked_texts = st.tuples(phrases, st.sampled_from(MARKUP), phrases).map(" ".join)


@pytest.fixture(scope="module")
def shipped_directory() -> Directory:
    """Return the shipped data/ directory, loaded once."""
    return load_directory(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def shipped_answerer(shipped_directory: Directory) -> Answerer:
    """Return an answerer on the shipped data (its recogniser is the slow part to build)."""
    return Answerer(shipped_directory)


def strings_in(value: Any, skip_keys: frozenset[str] = frozenset({"url"})) -> Iterator[str]:
    """Yield every string in a card or activity dict, except URLs built from data."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip_keys:
                yield from strings_in(item, skip_keys)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item, skip_keys)


def assert_no_markup(rendered: Any) -> None:
    """Assert that no string in `rendered` carries a trace of the user's markup."""
    for string in strings_in(rendered):
        for marker in MARKERS:
            assert marker not in string, f"{marker!r} reached the output: {string[:200]!r}"


def text_blocks(card: dict[str, Any]) -> Iterator[str]:
    """Yield the text of every TextBlock in a card."""
    if isinstance(card, dict):
        if card.get("type") == "TextBlock":
            yield card["text"]
        for item in card.values():
            yield from text_blocks(item)
    elif isinstance(card, list):
        for item in card:
            yield from text_blocks(item)


class RecogniserSpy:
    """A recogniser that records how much text it was handed."""

    def __init__(self, inner: Recogniser) -> None:
        self.inner = inner
        self.lengths: list[int] = []

    def recognise(self, text: str) -> Recognition:
        self.lengths.append(len(text))
        return self.inner.recognise(text)


@pytest.mark.slow
@PROPERTY
@given(user_texts)
def test_shipped_data_recogniser_takes_any_text_and_reads_only_up_to_its_cap(shipped_answerer: Answerer, text: str):
    recogniser = shipped_answerer.recogniser
    codes = set(shipped_answerer.directory.geography.by_code)
    with mock.patch.object(recognition, "_tokenise", wraps=recognition._tokenise) as tokenise:
        result = recogniser.recognise(text)

    assert result.status in Status
    assert set(result.counties) <= codes
    assert all(set(mention.counties) <= codes for mention in result.mentions)
    assert all(len(call.args[0]) <= recognition.MAX_QUESTION_CHARS for call in tokenise.call_args_list)
    assert len(result.mentions) <= recognition.MAX_QUESTION_CHARS


@PROPERTY
@given(user_texts, st.sampled_from([None, "sv-SE", "en-GB", "ar-SA", "", "xx"]))
def test_shipped_data_answerer_takes_any_text_and_hands_on_at_most_its_cap(
    shipped_answerer: Answerer, text: str, locale: str | None
):
    spy = RecogniserSpy(shipped_answerer.recogniser)
    answer = Answerer(shipped_answerer.directory, spy).answer(text, TODAY, locale)

    assert answer.language in ("sv", "en")
    assert answer.truncated == (len(text) > answers.MAX_QUESTION_CHARS)
    assert all(length <= answers.MAX_QUESTION_CHARS for length in spy.lengths)
    assert {item.county.code for item in answer.counties} <= set(shipped_answerer.directory.geography.by_code)


@pytest.mark.slow
@PROPERTY
@given(st.one_of(marked_texts, user_texts))
@example(MARKED_QUESTIONS[0])
@example(MARKED_QUESTIONS[1])
@example(MARKED_QUESTIONS[2])
@example(MARKED_QUESTIONS[4])
@example(MARKED_QUESTIONS[5])
def test_shipped_data_cards_never_render_the_users_markup(shipped_answerer: Answerer, text: str):
    answer = shipped_answerer.answer(text, TODAY)
    rendered = cards.answer_cards(answer) or [cards.not_recognised_card(answer.language)]
    sent = answer_replies(answer)

    for card in rendered:
        assert cards.json_size(card) < TEAMS_CARD_LIMIT_BYTES
        assert all(isinstance(block, str) for block in text_blocks(card))
        assert_no_markup(card)
    for reply in sent:
        assert_no_markup(reply.serialize())


# --- the whole Teams handler ---------------------------------------------------------------


class Turns:
    """The real bot on the shipped data behind botbuilder's TestAdapter, one conversation."""

    def __init__(self) -> None:
        store = LiveData(DEFAULT_DATA_DIR)
        assert store.load()
        self.spy = RecogniserSpy(store.current.recogniser)
        store.current.recogniser = self.spy
        self.bot = RegiondorrenBot(
            store, TurnConversationState(MemoryStorage()), lambda: ClarifyDialog(store, lambda: TODAY), lambda: TODAY
        )
        self.adapter = BotTestAdapter(self.bot.on_turn)
        self.errors: list[BaseException] = []

        async def record_error(context: TurnContext, error: Exception) -> None:
            self.errors.append(error)

        self.adapter.on_turn_error = record_error

    def ask(self, text: str, locale: str) -> list[Activity]:
        """Send one message and return what the bot replied."""
        self.adapter.activity_buffer.clear()
        activity = Activity(
            type=ActivityTypes.message,
            text=text,
            locale=locale,
            channel_data={"tenant": {"id": "4f1a0c2e-6b3d-4e8f-9a7b-2c5d8e1f3a60"}},
            from_property=ChannelAccount(id="29:user", name="Anna"),
        )
        asyncio.run(self.adapter.process_activity(activity, self.bot.on_turn))
        return list(self.adapter.activity_buffer)


@pytest.fixture(scope="module")
def turns() -> Turns:
    """Return the bot on the shipped data, built once for all examples."""
    return Turns()


@pytest.mark.slow
@PROPERTY
@given(st.one_of(marked_texts, user_texts), st.sampled_from(["sv-SE", "en-US"]))
@example(MARKED_QUESTIONS[0], "sv-SE")
@example(MARKED_QUESTIONS[2], "en-US")  # a clarify card, then the next examples answer inside the dialog
@example(MARKED_QUESTIONS[3], "sv-SE")
@example(MARKED_QUESTIONS[4], "sv-SE")
def test_shipped_data_bot_answers_any_message_once_without_the_users_markup(turns: Turns, text: str, locale: str):
    turns.spy.lengths.clear()
    replies = turns.ask(text, locale)

    assert turns.errors == []
    assert len(replies) == 1 or all(reply.attachments for reply in replies)  # one reply, or one answer in parts
    for reply in replies:
        assert reply.text or reply.attachments
        assert_no_markup(reply.serialize())
        assert activity_size(reply) < RECOMMENDED_ACTIVITY_UTF16_BYTES
        for attachment in reply.attachments or ():
            assert cards.json_size(attachment.content) < TEAMS_CARD_LIMIT_BYTES
    assert all(length <= answers.MAX_QUESTION_CHARS for length in turns.spy.lengths)


# --- the messaging extension's search ------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_snapshot() -> Any:
    """Return the shipped data's snapshot (directory and search index), loaded once."""
    store = LiveData(DEFAULT_DATA_DIR)
    assert store.load()
    return store.snapshot


@pytest.mark.slow
@PROPERTY
@given(st.one_of(marked_texts, user_texts), st.integers(-5, 10_000), st.integers(-5, 10_000))
@example("[Eskilstuna](http://evil.example)", 0, 25)
@example("<script>Sörm", 0, 25)
def test_shipped_data_search_takes_any_query_and_never_renders_it(
    shipped_snapshot: Any, query: str, skip: int, count: int
):
    page = shipped_snapshot.searcher.search(query, skip, count)

    assert len(page.results) <= search.MAX_PAGE_SIZE
    full_cards = []
    for result in page.results:
        answer = search.search_answer(result, shipped_snapshot.directory, TODAY, "sv")
        full_cards.append(cards.county_card(answer.counties[0], answer))
    previews = [(cards.search_preview(result, "sv"), search_pick(result)) for result in page.results]
    assert_no_markup(search_reply(previews).serialize())
    for card in full_cards:
        assert_no_markup(selected_reply(card).serialize())
        assert cards.json_size(card) < TEAMS_CARD_LIMIT_BYTES
