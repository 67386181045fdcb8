"""Conversations with the bot on botbuilder's TestAdapter: every behaviour, in both languages."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from botbuilder.core import MemoryStorage
from botbuilder.core.adapters import TestAdapter as BotTestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, Entity, Mention

from app import on_turn_error
from bot.core.recognition import Recogniser, Recognition
from bot.data.people import CountyContacts, Officer
from bot.data.validation import DataError, DataIssue
from bot.render.cards import json_size
from bot.runtime.live import LiveData
from bot.teams.connector import serialize_activity
from bot.teams.handler import RegiondorrenBot
from bot.teams.replies import RECOMMENDED_ACTIVITY_UTF16_BYTES, activity_size
from bot.teams.storage import TurnConversationState
from bot.teams.tenants import tenant_from_channel_data
from dialogs.clarify import ClarifyDialog
from tests import factories
from tests import teams_activities as teams
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES, card_buttons, schema_errors

BOT = ChannelAccount(id="28:bot-id", name="Regiondörren")
USER = ChannelAccount(id="29:user-id", name="Anna Andersson")
ADAPTIVE = "application/vnd.microsoft.card.adaptive"


class Conversation:
    """One Teams conversation with the bot on the TestAdapter."""

    def __init__(self, store: LiveData, locale: str = "sv-SE", channel_id: str = "msteams") -> None:
        self.locale = locale
        self.storage = MemoryStorage()
        state = TurnConversationState(self.storage)
        clock = lambda: factories.TODAY  # noqa: E731
        self.bot = RegiondorrenBot(store, state, lambda: ClarifyDialog(store, clock), clock)
        template = Activity(
            channel_id=channel_id,
            service_url="https://smba.trafficmanager.net/emea/",
            from_property=USER,
            recipient=BOT,
            conversation=ConversationAccount(id="a:1conversation", conversation_type="personal"),
        )
        self.adapter = BotTestAdapter(self.bot.on_turn, template)
        self.adapter.on_turn_error = on_turn_error

    async def send(self, activity: Activity) -> list[Activity]:
        """Send one activity; return every reply."""
        activity.locale = activity.locale or self.locale
        await self.adapter.receive_activity(activity)
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        for reply in replies:
            for card in cards_of(reply):
                assert schema_errors(card) == []
        return replies

    async def say(self, text: str) -> list[Activity]:
        """Type a message."""
        return await self.send(Activity(type=ActivityTypes.message, text=text))

    async def press(self, data: dict[str, Any]) -> list[Activity]:
        """Press a card button outside Teams (the data arrives as value, without text)."""
        return await self.send(Activity(type=ActivityTypes.message, value=data))


def cards_of(reply: Activity) -> list[dict[str, Any]]:
    """Return the Adaptive Cards in a reply."""
    return [a.content for a in reply.attachments or () if a.content_type == ADAPTIVE]


def titles(reply: Activity) -> list[str]:
    """Return each card's first line (the county name on answer cards)."""
    return [card["body"][0]["text"] for card in cards_of(reply)]


def buttons(card: dict[str, Any]) -> list[str]:
    """Return the card-level button titles."""
    return [action["title"] for action in card_buttons(card)]


def all_text(reply: Activity) -> str:
    """Return everything the reply shows, as one string."""
    return str(reply.serialize())


@pytest.fixture
def store() -> LiveData:
    """Return a store serving the test directory."""
    store = LiveData(Path("/nonexistent"))
    store.install(factories.directory())
    return store


@pytest.fixture
def chat(store: LiveData) -> Conversation:
    """Return a Swedish personal chat."""
    return Conversation(store)


@pytest.fixture
def english_chat(store: LiveData) -> Conversation:
    """Return a personal chat with an English Teams client."""
    return Conversation(store, locale="en-GB")


# --- answers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("tack", "Varsågod – fråga igen när du vill."),
        ("Tack så mycket!", "Varsågod – fråga igen när du vill."),
        ("toppen", "Varsågod – fråga igen när du vill."),
        ("thanks", "You're welcome – ask again any time."),
    ],
)
async def test_thanks_get_a_short_friendly_reply_and_no_card(chat: Conversation, said: str, expected: str):
    [reply] = await chat.say(said)

    assert reply.text == expected
    assert not reply.attachments


async def test_ok_follows_the_teams_locale(english_chat: Conversation):
    [reply] = await english_chat.say("ok")

    assert reply.text == "You're welcome – ask again any time."


async def test_thanks_after_an_answer_end_the_exchange_politely(chat: Conversation):
    await chat.say("vem har Sörmland?")
    [reply] = await chat.say("tack!")

    assert reply.text.startswith("Varsågod")


async def test_county_question_gets_the_county_card(chat: Conversation):
    [reply] = await chat.say("vem är vår ingång till Sörmland?")

    assert titles(reply) == ["Södermanlands län"]
    assert "Isabelle Canderskog" in all_text(reply)
    assert "Chatta i Teams" in all_text(reply)
    assert reply.summary == "Södermanlands län: Isabelle Canderskog"  # one line for the notification
    assert cards_of(reply)[0]["fallbackText"].startswith("Södermanlands län\nLänsansvarig: Isabelle Canderskog")


async def test_english_question_gets_an_english_card(chat: Conversation):
    [reply] = await chat.say("who covers Gotland?")

    assert titles(reply) == ["Gotlands län"]
    text = all_text(reply)
    assert "Chat in Teams" in text and "County officer" in text and "Chatta i Teams" not in text


async def test_english_teams_locale_answers_in_english_when_the_question_says_nothing(english_chat: Conversation):
    [reply] = await english_chat.say("Gotland")

    assert "Chat in Teams" in all_text(reply)


async def test_town_question_says_which_county_it_lies_in(chat: Conversation):
    [reply] = await chat.say("jag ska till Eskilstuna nästa vecka")

    [card] = cards_of(reply)
    assert card["body"][2]["inlines"][0]["text"] == "Eskilstuna ligger i Södermanlands län."


async def test_several_counties_come_as_one_carousel_reply(chat: Conversation):
    [reply] = await chat.say("möte i Nyköping och sedan Visby")

    assert titles(reply) == ["Södermanlands län", "Gotlands län"]
    assert reply.attachment_layout == "carousel"


async def test_answer_shows_next_dialogue_as_of_today(chat: Conversation):
    [reply] = await chat.say("Sörmland")

    [card] = cards_of(reply)
    assert "3 februari 2027 · Regional dialog våren 2027" in str(card)


async def test_unrecognised_question_offers_the_list_without_echoing_it(chat: Conversation):
    [reply] = await chat.say("vad blir det för [väder](https://evil.example) i **morgon**?")

    [card] = cards_of(reply)
    assert card["fallbackText"].startswith("Jag hittade inget län i din fråga.")
    assert buttons(card) == ["Visa alla län", "Hjälp"]
    assert "evil.example" not in all_text(reply) and "morgon" not in all_text(reply)


async def test_unrecognised_english_question_gets_english_reply(chat: Conversation):
    [reply] = await chat.say("what is the weather like tomorrow?")

    [card] = cards_of(reply)
    assert card["fallbackText"].startswith("I could not find a county in your question.")
    assert buttons(card) == ["Show all counties", "Help"]


# --- mentions, buttons ---------------------------------------------------------------------------


async def test_channel_mention_is_stripped_before_the_question_is_read(chat: Conversation):
    mention = Mention(mentioned=BOT, text="<at>Regiondörren</at>", type="mention")
    activity = Activity(
        type=ActivityTypes.message, text="<at>Regiondörren</at>   vem har Gotland? ", entities=[mention]
    )

    [reply] = await chat.send(activity)

    assert titles(reply) == ["Gotlands län"]


async def test_mention_alone_gets_the_help_card(chat: Conversation):
    mention = Mention(mentioned=BOT, text="<at>Regiondörren</at>", type="mention")

    [reply] = await chat.send(Activity(type=ActivityTypes.message, text="<at>Regiondörren</at>", entities=[mention]))

    assert titles(reply) == ["Regiondörren"]


async def test_example_question_button_asks_the_question(chat: Conversation):
    [help_reply] = await chat.say("hjälp")
    example = card_buttons(cards_of(help_reply)[0])[0]["data"]

    [reply] = await chat.press(example)

    assert titles(reply) == ["Södermanlands län"]


# --- commands ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "first_example"),
    [
        ("hjälp", "Vem är vår ingång till Sörmland?"),
        ("Hej!", "Vem är vår ingång till Sörmland?"),
        ("help", "Who covers Gothenburg?"),
        ("hello", "Who covers Gothenburg?"),
    ],
)
async def test_help_card_has_three_example_questions_in_the_users_language(
    chat: Conversation, word: str, first_example: str
):
    [reply] = await chat.say(word)

    [card] = cards_of(reply)
    assert len(card_buttons(card)) == 3
    assert card_buttons(card)[0]["title"] == first_example


@pytest.mark.parametrize(
    ("word", "title"), [("lista", "Alla 4 län"), ("alla län", "Alla 4 län"), ("list", "All 4 counties")]
)
async def test_list_shows_every_county_with_its_officers(chat: Conversation, word: str, title: str):
    [reply] = await chat.say(word)

    [card] = cards_of(reply)
    assert card["body"][0]["text"] == title
    lines = [block for block in card["body"] if block["type"] == "RichTextBlock"]
    assert len(lines) == 4


# --- clarify dialog ------------------------------------------------------------------------------


async def test_wide_area_asks_which_county_with_one_button_each(chat: Conversation):
    [reply] = await chat.say("vem har Östersjökusten?")

    [card] = cards_of(reply)
    assert buttons(card) == [
        "1. Stockholms län",
        "2. Uppsala län",
        "3. Södermanlands län",
        "4. Gotlands län",
        "Avbryt",
    ]


async def test_clarify_answered_by_number(chat: Conversation):
    await chat.say("vem har Östersjökusten?")

    [reply] = await chat.say("2")

    assert titles(reply) == ["Uppsala län"]
    assert "Uppsala län saknar länsansvarig just nu." in cards_of(reply)[0]["fallbackText"]


async def test_clarify_answered_by_typed_name(chat: Conversation):
    await chat.say("Östersjökusten")

    [reply] = await chat.say("gotland")

    assert titles(reply) == ["Gotlands län"]


async def test_clarify_answered_by_button(chat: Conversation):
    [question] = await chat.say("Östersjökusten")
    sormland = card_buttons(cards_of(question)[0])[2]["data"]

    [reply] = await chat.press(sormland)

    assert titles(reply) == ["Södermanlands län"]


async def test_clarify_answered_in_english(english_chat: Conversation):
    [question] = await english_chat.say("who do I talk to about Ekeby?")
    assert buttons(cards_of(question)[0]) == ["1. Uppsala län", "2. Gotlands län", "Cancel"]

    [reply] = await english_chat.say("1")

    assert titles(reply) == ["Uppsala län"]
    assert "Uppsala län has no county officer at the moment." in cards_of(reply)[0]["fallbackText"]
    assert "Deputy" in all_text(reply) and "Chat in Teams" in all_text(reply)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("avbryt", "Okej, jag avbryter."),
        ("cancel", "OK, cancelled."),
    ],
)
async def test_clarify_cancelled(chat: Conversation, word: str, expected: str):
    await chat.say("möte i Ekeby")

    [reply] = await chat.say(word)
    assert reply.text.startswith(expected)

    [after] = await chat.say("1")  # the dialog is over: "1" is no choice any more
    assert cards_of(after)[0]["fallbackText"].startswith("Jag hittade inget län")


async def test_new_question_during_clarify_is_answered_as_a_new_question(chat: Conversation):
    await chat.say("möte i Ekeby")

    [reply] = await chat.say("vem har Sörmland?")

    assert titles(reply) == ["Södermanlands län"]
    [after] = await chat.say("2")
    assert titles(after) != ["Gotlands län"]


async def test_help_during_clarify_ends_it_and_shows_help(chat: Conversation):
    await chat.say("möte i Ekeby")

    [reply] = await chat.say("hjälp")

    assert titles(reply) == ["Regiondörren"]


async def test_unclear_reply_to_clarify_asks_again_then_gives_up(chat: Conversation):
    await chat.say("möte i Ekeby")

    [again] = await chat.say("den blå")
    assert again.text.startswith("Jag förstod inte vilket av länen du menar.")
    assert buttons(cards_of(again)[0]) == ["1. Uppsala län", "2. Gotlands län", "Avbryt"]

    [gave_up] = await chat.say("den gröna")
    assert cards_of(gave_up)[0]["fallbackText"].startswith("Jag hittade inget län")


class CountingRecogniser:
    """The real recogniser, counting how often the bot asks it to read a text."""

    def __init__(self, real: Recogniser) -> None:
        self._real = real
        self.calls = 0

    def recognise(self, text: str) -> Recognition:
        self.calls += 1
        return self._real.recognise(text)

    @classmethod
    def spy_on(cls, store: LiveData) -> CountingRecogniser:
        """Put a counting spy between the store's answerer and its recogniser."""
        answerer = store.current
        assert answerer is not None
        spy = cls(answerer.recogniser)
        answerer.recogniser = spy  # type: ignore[assignment]
        return spy


@pytest.mark.parametrize(
    "turns",
    [
        (("2", "Gotlands län"),),
        (("gotland", "Gotlands län"),),
        (("avbryt", None),),
        (("cancel", None),),
        (("vem har Sörmland?", "Södermanlands län"),),
        (("hjälp", "Regiondörren"),),
        (("vilket län har Isabelle Canderskog?", "Södermanlands län"),),
        (("den blå", None), ("den gröna", None)),  # asked again once, then given up
        (("Ekeby", None), ("1", "Uppsala län")),  # the same ambiguity again, then a number
    ],
)
async def test_clarify_recognises_each_reply_at_most_once(store: LiveData, turns: tuple[tuple[str, str | None], ...]):
    chat = Conversation(store)
    spy = CountingRecogniser.spy_on(store)
    await chat.say("möte i Ekeby")
    assert spy.calls == 1

    for reply, title in turns:
        spy.calls = 0
        [answer] = await chat.say(reply)
        assert spy.calls <= 1, f"{reply!r} was recognised {spy.calls} times in one turn"
        if title is not None:
            assert titles(answer)[:1] == [title]


async def test_new_question_during_clarify_is_recognised_once(store: LiveData):
    chat = Conversation(store)
    spy = CountingRecogniser.spy_on(store)
    await chat.say("möte i Ekeby")
    spy.calls = 0

    [reply] = await chat.say("vem har Gotland?")

    assert titles(reply) == ["Gotlands län"]
    assert spy.calls == 1


async def test_clarify_button_recognises_each_press_at_most_once(store: LiveData):
    chat = Conversation(store)
    spy = CountingRecogniser.spy_on(store)
    [question] = await chat.say("Östersjökusten")
    spy.calls = 0

    [reply] = await chat.press(card_buttons(cards_of(question)[0])[2]["data"])

    assert titles(reply) == ["Södermanlands län"]
    assert spy.calls <= 1


# --- reverse look-up -----------------------------------------------------------------------------


async def test_which_county_does_a_person_have(chat: Conversation):
    [reply] = await chat.say("vilket län har Isabelle Canderskog?")

    assert reply.text == "Isabelle Canderskog är länsansvarig för Södermanlands län."
    assert titles(reply) == ["Södermanlands län"]


@pytest.mark.parametrize(
    "said", ["vem är Isabelle Canderskog?", "Jag behöver prata med Isabelle Canderskog", "<p>Isabelle Canderskog</p>"]
)
async def test_a_person_named_in_a_sentence_gets_their_card(chat: Conversation, said: str):
    [reply] = await chat.say(said)

    assert reply.text == "Isabelle Canderskog är länsansvarig för Södermanlands län."
    assert titles(reply) == ["Södermanlands län"]


async def test_what_does_a_person_cover_in_english_with_deputy_role(chat: Conversation):
    [reply] = await chat.say("what does Per cover?")

    assert reply.text == (
        "Per Persson is the county officer for Stockholms län and Gotlands län. "
        "Per Persson is the deputy for Uppsala län."
    )
    assert titles(reply) == ["Stockholms län", "Gotlands län", "Uppsala län"]  # officer before deputy


async def test_bare_name_finds_the_person(chat: Conversation):
    [reply] = await chat.say("Isabelle Kanderskog")

    assert reply.text.startswith("Isabelle Canderskog är länsansvarig")


async def test_unknown_person_says_so_and_points_to_the_list(chat: Conversation):
    [reply] = await chat.say("vilket län har Kalle Anka?")

    assert reply.text.startswith("Jag hittar ingen länsansvarig med det namnet.")


async def test_several_people_fit_asks_which(store: LiveData):
    directory = factories.directory()
    other = Officer("Isabelle Ek", "Handläggare", "Regional tillväxt", "Luleå", "isabelle.ek@tillvaxtverket.se", "")
    contacts = dict(directory.contacts)
    contacts["01"] = CountyContacts("01", (other,), None, "https://tillvaxten.sharepoint.com/x")
    store.install(
        directory.__class__(
            directory.geography,
            MappingProxyType(contacts),
            directory.dialogues,
            False,
            "two-isabelles",
            directory.loaded_at,
        )
    )
    chat = Conversation(store)

    [question] = await chat.say("vilket län har Isabelle?")
    [card] = cards_of(question)
    assert buttons(card) == ["Isabelle Canderskog", "Isabelle Ek"]

    [reply] = await chat.press(card_buttons(card)[1]["data"])
    assert reply.text == "Isabelle Ek är länsansvarig för Stockholms län."


# --- welcome -------------------------------------------------------------------------------------


def _members_added(*members: ChannelAccount, channel_data: dict | None = None) -> Activity:
    return Activity(
        type=ActivityTypes.conversation_update,
        members_added=list(members),
        channel_data=channel_data or {"tenant": {"id": "tenant"}, "eventType": "teamMemberAdded"},
    )


async def test_bot_added_greets_once_with_the_help_card(chat: Conversation):
    [reply] = await chat.send(_members_added(BOT))
    assert titles(reply) == ["Regiondörren"]

    assert await chat.send(_members_added(BOT)) == []


async def test_bot_added_in_english_team_greets_in_english(english_chat: Conversation):
    [reply] = await english_chat.send(_members_added(BOT))

    assert card_buttons(cards_of(reply)[0])[0]["title"] == "Who covers Gothenburg?"


async def test_colleague_added_gets_no_greeting_and_no_connector_call(chat: Conversation):
    # Any TeamsInfo.get_member call would fail here: the TestAdapter has no connector client.
    assert await chat.send(_members_added(ChannelAccount(id="29:someone-else"))) == []


async def test_bot_added_in_the_emulator_greets_too(store: LiveData):
    chat = Conversation(store, channel_id="emulator")

    [reply] = await chat.send(_members_added(USER, BOT))

    assert titles(reply) == ["Regiondörren"]


# --- failures ------------------------------------------------------------------------------------


def _broken(data_dir: Path):
    raise DataError([DataIssue("data/officers.yaml", "file_missing")])


@pytest.mark.parametrize(
    ("locale", "question", "expected"),
    [
        ("sv-SE", "vem har Sörmland?", "Jag kan inte läsa förteckningen just nu."),
        ("en-US", "who covers Sörmland?", "I cannot read the directory right now."),
    ],
)
async def test_no_data_gives_a_clear_reply_in_the_users_language(locale: str, question: str, expected: str):
    store = LiveData(Path("/nonexistent"), loader=_broken)
    store.load()
    chat = Conversation(store, locale=locale)

    [reply] = await chat.say(question)

    assert reply.text.startswith(expected)


async def test_unexpected_error_logs_the_activity_id_and_sends_one_neutral_sentence(
    store: LiveData, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(store.current, "answer", explode)
    chat = Conversation(store, locale="en-GB")

    with caplog.at_level(logging.ERROR):
        [reply] = await chat.say("who covers Sörmland, secret project X?")

    assert reply.text == "Something went wrong on my side, not yours. Please try again in a moment."
    [record] = [r for r in caplog.records if r.name == "regiondorren"]
    assert "turn failed for activity" in record.getMessage()
    assert "secret project X" not in caplog.text


async def test_every_reply_and_card_stays_under_the_teams_limits(chat: Conversation):
    for question in ("lista", "hjälp", "what does Per cover?", "Östersjökusten", "Nyköping och Visby"):
        for reply in await chat.say(question):
            assert activity_size(reply) < RECOMMENDED_ACTIVITY_UTF16_BYTES
            for card in cards_of(reply):
                assert json_size(card) < TEAMS_CARD_LIMIT_BYTES


async def test_answer_text_travels_once_with_a_one_line_summary(chat: Conversation):
    [reply] = await chat.say("vem har Nyköping och Visby?")

    sent = json.dumps(serialize_activity(reply), ensure_ascii=False)
    assert reply.summary == "Södermanlands län: Isabelle Canderskog; Gotlands län: Isak Berg, Per Persson"
    for card in cards_of(reply):
        assert "speak" not in card
        assert sent.count(json.dumps(card["fallbackText"], ensure_ascii=False)) == 1


async def test_mention_entity_without_mentioned_does_not_break_the_turn(chat: Conversation):
    broken = Entity(type="mention")
    broken.additional_properties = {"text": "<at>Någon</at>"}

    [reply] = await chat.send(
        Activity(type=ActivityTypes.message, text="<at>Någon</at> vem har Gotland?", entities=[broken])
    )

    assert titles(reply) == ["Gotlands län"]


def test_tenant_comes_from_channel_data_not_the_conversation():
    activity = Activity().deserialize(teams.personal_message("https://smba.example/", "hej"))
    activity.conversation.tenant_id = "not-what-teams-sets"

    assert tenant_from_channel_data(activity.channel_data) == teams.TENANT_ID
    assert tenant_from_channel_data(Activity(channel_data={"tenant": "odd"}).channel_data) is None
    assert tenant_from_channel_data(Activity().channel_data) is None


async def test_person_question_during_clarify_is_a_new_question(chat: Conversation):
    await chat.say("möte i Ekeby")

    [reply] = await chat.say("vilket län har Isabelle Canderskog?")

    assert reply.text == "Isabelle Canderskog är länsansvarig för Södermanlands län."


async def test_state_is_kept_only_while_clarifying_or_after_a_greeting(chat: Conversation):
    await chat.say("vem har Sörmland?")
    assert chat.storage.memory == {}

    await chat.say("möte i Ekeby")
    assert len(chat.storage.memory) == 1

    await chat.say("2")
    assert chat.storage.memory == {}

    await chat.send(_members_added(BOT))
    await chat.say("vem har Gotland?")
    assert len(chat.storage.memory) == 1  # the greeting is remembered, so it is not repeated


class CountingStorage(MemoryStorage):
    """MemoryStorage that counts the round trips a real store would make."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    async def read(self, keys: list[str]) -> dict[str, Any]:
        self.calls.append("read")
        return await super().read(keys)

    async def write(self, changes: dict[str, Any]) -> None:
        self.calls.append("write")
        await super().write(changes)

    async def delete(self, keys: list[str]) -> None:
        self.calls.append("delete")
        await super().delete(keys)


async def test_each_turn_reads_its_state_once_and_writes_only_what_it_keeps(store: LiveData):
    chat = Conversation(store)
    storage = CountingStorage()
    clock = lambda: factories.TODAY  # noqa: E731
    chat.bot = RegiondorrenBot(store, TurnConversationState(storage), lambda: ClarifyDialog(store, clock), clock)
    chat.adapter.logic = chat.bot.on_turn

    [answer] = await chat.say("vem har Sörmland?")
    assert titles(answer) == ["Södermanlands län"]
    assert storage.calls == ["read"]  # nothing stored before, nothing to keep: no write, no delete

    storage.calls.clear()
    await chat.say("möte i Ekeby")
    assert storage.calls == ["read", "write"]  # the question back is remembered

    storage.calls.clear()
    [chosen] = await chat.say("2")
    assert storage.calls == ["read", "delete"]  # answered: the clarification is forgotten
    assert storage.memory == {}
    assert len(titles(chosen)) == 1
