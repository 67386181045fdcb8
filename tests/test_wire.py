"""bot.teams.wire reads and writes activities exactly as msrest does: compared on Teams' own
activities and on generated ones, malformed values included."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from azure.core.exceptions import DeserializationError
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    Entity,
    Mention,
    TextFormatTypes,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.render.cards import wire_json
from bot.teams.replies import CardAttachment, answer_replies
from bot.teams.wire import activity_bytes, activity_from_json, activity_to_json, model_to_json
from tests import factories
from tests import teams_activities as teams

SERVICE_URL = "https://smba.trafficmanager.net/emea/"
# What msrest raises for a value of the wrong shape, and what a plain constructor may raise.
REFUSALS = (DeserializationError, ValueError, TypeError, AttributeError)


def msrest_read(body: dict[str, Any]) -> Activity | type[Exception]:
    try:
        return Activity().deserialize(copy.deepcopy(body))
    except REFUSALS as error:
        return type(error)


def fast_read(body: dict[str, Any]) -> Activity | type[Exception]:
    try:
        return activity_from_json(copy.deepcopy(body))
    except REFUSALS as error:
        return type(error)


def assert_read_alike(body: dict[str, Any]) -> None:
    slow, fast = msrest_read(body), fast_read(body)
    if isinstance(slow, Activity):
        assert fast == slow  # msrest models compare every attribute, nested models and additional properties
        assert fast.additional_properties == slow.additional_properties
    else:
        assert not isinstance(fast, Activity), f"msrest refused this body ({slow.__name__}); the converter took it"


TEAMS_BODIES = {
    "personal": teams.personal_message(SERVICE_URL, "vem har Sörmland?"),
    "channel mention": teams.channel_message(SERVICE_URL, "vem har Gotland?"),
    "card submit": teams.card_submit(SERVICE_URL, {"question": "vem har Skåne?", "n": 2, "ok": True}),
    "bot added": teams.bot_added_to_team(SERVICE_URL),
    "user added": teams.user_added_to_team(SERVICE_URL),
    "message back": teams.message_back(
        teams.personal_message(SERVICE_URL, ""), {"msteams": {"text": "Sörmland", "value": {"county": "04"}}}
    ),
}


@pytest.mark.parametrize("body", TEAMS_BODIES.values(), ids=TEAMS_BODIES.keys())
def test_teams_activities_read_as_msrest_reads_them(body: dict[str, Any]) -> None:
    assert_read_alike(body)


def test_a_mention_keeps_mentioned_and_text_as_additional_properties() -> None:
    body = teams.channel_message(SERVICE_URL, "vem har Gotland?")
    activity = activity_from_json(body)
    [mention] = [entity for entity in activity.entities if entity.type == "mention"]
    assert mention.additional_properties["mentioned"]["id"] == teams.BOT_ID
    assert activity.channel_data["tenant"]["id"] == teams.TENANT_ID
    assert activity.timestamp == dt.datetime(2026, 11, 26, 16, 31, 0, 123456, tzinfo=dt.UTC)


def test_an_invoke_keeps_its_name_and_value() -> None:
    body = {
        **teams.personal_message(SERVICE_URL, ""),
        "type": "invoke",
        "name": "composeExtension/query",
        "value": {"commandId": "search", "parameters": [{"name": "query", "value": "Sörm"}], "queryOptions": {}},
    }
    activity = activity_from_json(body)
    assert (activity.type, activity.name, activity.value["parameters"][0]["value"]) == (
        "invoke",
        "composeExtension/query",
        "Sörm",
    )
    assert_read_alike(body)


# --- generated activities -----------------------------------------------------------------------

json_leaf = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=12)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
# Now and then a value of another type than the field's: msrest converts some and refuses others.
odd = st.one_of(st.integers(0, 9), st.booleans(), st.lists(st.text(max_size=3), max_size=2), st.just({"x": 1}))
text = st.text(max_size=20)
timestamp = st.sampled_from(
    [
        "2026-11-26T16:30:00.1234567Z",
        "2026-11-26T17:30:00.1234567+01:00",
        "2026-11-26T16:30:00Z",
        "2026-11-26T16:30:00.5-05:00",
        "inte ett datum",
    ]
)
account = st.fixed_dictionaries(
    {"id": text},
    optional={"name": text | odd, "aadObjectId": text, "role": st.sampled_from(["user", "bot"]), "extra": json_value},
)
conversation = st.fixed_dictionaries(
    {"id": text},
    optional={
        "conversationType": st.sampled_from(["personal", "channel", "groupChat"]),
        "tenantId": text,
        "isGroup": st.booleans() | st.sampled_from(["true", "false", "kanske"]),
        "name": text,
    },
)
mention = st.fixed_dictionaries(
    {"type": st.just("mention"), "mentioned": account, "text": text},
)
client_info = st.fixed_dictionaries({"type": st.just("clientInfo"), "locale": text, "timezone": text})
entity = mention | client_info | st.dictionaries(st.text(max_size=6), json_value, max_size=3)
attachment = st.fixed_dictionaries(
    {"contentType": st.sampled_from(["application/vnd.microsoft.card.adaptive", "text/html"])},
    optional={"content": json_value, "name": text, "contentUrl": text},
)
activity_json = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["message", "invoke", "conversationUpdate", "messageReaction"]),
        "channelId": st.just("msteams"),
        "serviceUrl": st.just(SERVICE_URL),
        "from": account,
        "recipient": account,
        "conversation": conversation,
    },
    optional={
        "id": text,
        "text": text | odd,
        "textFormat": st.sampled_from(["plain", "markdown", "xml"]),
        "locale": text,
        "timestamp": timestamp,
        "localTimestamp": timestamp,
        "localTimezone": text,
        "replyToId": text,
        "name": text,
        "entities": st.lists(entity, max_size=3) | odd,
        "attachments": st.lists(attachment, max_size=2),
        "membersAdded": st.lists(account, max_size=3),
        "membersRemoved": st.lists(account, max_size=2),
        "reactionsAdded": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["like", "heart"])}), max_size=2),
        "channelData": json_value,
        "value": json_value,
        "historyDisclosed": st.booleans() | st.sampled_from(["1", "0", "nej"]),
        "listenFor": st.lists(text | st.integers(), max_size=2),
        "textHighlights": st.lists(st.fixed_dictionaries({"text": text, "occurrence": st.integers(0, 3)}), max_size=2),
        "unknownField": json_value,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activity_json)
def test_generated_activities_read_as_msrest_reads_them(body: dict[str, Any]) -> None:
    assert_read_alike(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activity_json)
def test_generated_activities_write_as_msrest_writes_them(body: dict[str, Any]) -> None:
    activity = msrest_read(body)
    if not isinstance(activity, Activity):
        return
    assert activity_to_json(activity) == activity.serialize()


# --- replies as the bot builds them -------------------------------------------------------------


def reply_to(body: dict[str, Any], reply: Activity) -> Activity:
    """Address `reply` as TurnContext.send_activity does."""
    incoming = activity_from_json(body)
    return TurnContext.apply_conversation_reference(reply, TurnContext.get_conversation_reference(incoming))


def plain_attachment(card: dict[str, Any]) -> Attachment:
    return Attachment(content_type="application/vnd.microsoft.card.adaptive", content=card)


def card_attachment(card: dict[str, Any]) -> Attachment:
    return CardAttachment(card)  # what bot.teams.replies sends


def card_reply_of(attach: Any) -> Activity:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Södermanlands län"}]}
    reply = MessageFactory.attachment(attach(card))
    reply.text = "Södermanlands län: Isabelle Canderskog"
    return reply


def card_reply() -> Activity:
    return card_reply_of(plain_attachment)


def mention_reply() -> Activity:
    user = ChannelAccount(id=teams.USER["id"], name=teams.USER["name"])
    reply = MessageFactory.text("<at>Anna Andersson</at> Sörmland har Isabelle Canderskog.")
    reply.entities = [Mention(mentioned=user, text="<at>Anna Andersson</at>", type="mention")]
    reply.text_format = TextFormatTypes.xml
    return reply


def dated_reply() -> Activity:
    reply = MessageFactory.text("hej")
    reply.timestamp = dt.datetime(2026, 11, 30, 15, 0, 0, 120000, tzinfo=dt.UTC)
    reply.channel_data = {"notification": {"alert": True}, "feedbackLoopEnabled": False}
    reply.entities = [Entity(type="clientInfo")]
    reply.conversation = ConversationAccount(id="19:x@thread.tacv2", is_group=True, tenant_id=teams.TENANT_ID)
    return reply


REPLIES = {"card": card_reply, "mention": mention_reply, "dated": dated_reply}


@pytest.mark.parametrize("make", REPLIES.values(), ids=REPLIES.keys())
@pytest.mark.parametrize("body", TEAMS_BODIES.values(), ids=TEAMS_BODIES.keys())
def test_replies_write_as_msrest_writes_them(body: dict[str, Any], make: Any) -> None:
    reply = reply_to(body, make())
    assert reply.type == ActivityTypes.message  # an enum: written as its value
    written = activity_to_json(reply)
    assert written == reply.serialize()
    assert json.loads(json.dumps(written)) == written


def test_a_card_goes_out_as_the_same_object_without_a_copy() -> None:
    for reply in (card_reply(), card_reply_of(card_attachment)):
        written = activity_to_json(reply)
        assert written["attachments"][0]["content"] is reply.attachments[0].content
        assert written == reply.serialize()


def test_a_value_of_the_wrong_shape_is_refused_as_msrest_refuses_it() -> None:
    for field, value in (("from", "29:someone"), ("entities", {"type": "mention"}), ("membersAdded", "all")):
        body = {**teams.personal_message(SERVICE_URL, "hej"), field: value}
        with pytest.raises(DeserializationError):
            Activity().deserialize(copy.deepcopy(body))
        with pytest.raises(DeserializationError):
            activity_from_json(body)


@pytest.mark.parametrize("make", REPLIES.values(), ids=REPLIES.keys())
def test_the_bytes_sent_are_the_reply_as_msrest_writes_it(make: Any) -> None:
    reply = reply_to(TEAMS_BODIES["personal"], make())
    assert json.loads(activity_bytes(reply)) == reply.serialize()


def test_a_card_measured_already_is_sent_with_the_text_it_was_measured_with() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Sörmland"}]}
    reply = card_reply_of(lambda content: CardAttachment(content, wire_json(content)))
    reply.attachments.append(CardAttachment(card))  # one without: serialised as usual
    reply = reply_to(TEAMS_BODIES["channel mention"], reply)

    sent = activity_bytes(reply)

    assert json.loads(sent) == reply.serialize()
    assert wire_json(reply.attachments[0].content).encode() in sent  # "Sörmland" as itself, not \\u00f6


def test_an_answer_goes_out_whole_with_its_cards_measured_once() -> None:
    answer = factories.answer("01", "03", "04")
    [reply] = answer_replies(answer, "Tre län:")
    assert all(attachment.content_json == wire_json(attachment.content) for attachment in reply.attachments)
    assert json.loads(activity_bytes(reply)) == reply.serialize()


digits = st.text(alphabet="0123456789", min_size=1, max_size=9)
generated_timestamp = st.builds(
    lambda year, month, day, hour, minute, second, fraction, zone, sep, z: (
        f"{year:04}-{month:02}-{day:02}{sep}{hour:02}:{minute:02}:{second:02}"
        + (f".{fraction}" if fraction else "")
        + (z if zone is None else zone)
    ),
    st.integers(1, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 61),
    st.none() | digits,
    st.none()
    | st.builds(
        lambda sign, h, m: f"{sign}{h:02}:{m:02}",
        st.sampled_from("+-"),
        st.integers(0, 14),
        st.sampled_from([0, 30, 45, 59]),
    ),
    st.sampled_from(["T", "t"]),
    st.sampled_from(["Z", "z", ""]),
)


@settings(max_examples=500, deadline=None)
@given(generated_timestamp)
@example("9999-12-31T23:00:00-05:00")  # after year 9999 in UTC: msrest refuses it
@example("0001-01-01T01:00:00+05:00")  # before year 1 in UTC
@example("2026-11-26T16:30:00.1234567Z")
def test_time_stamps_read_as_msrest_reads_them(stamp: str) -> None:
    body = {**teams.personal_message(SERVICE_URL, "hej"), "timestamp": stamp, "localTimestamp": stamp}
    slow, fast = msrest_read(body), fast_read(body)
    if not isinstance(slow, Activity):
        assert not isinstance(fast, Activity)
        return
    assert isinstance(fast, Activity)
    for ours, theirs in ((fast.timestamp, slow.timestamp), (fast.local_timestamp, slow.local_timestamp)):
        assert ours == theirs
        assert (ours.utcoffset(), ours.tzname(), type(ours.tzinfo)) == (
            theirs.utcoffset(),
            theirs.tzname(),
            type(theirs.tzinfo),
        )
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None)


def test_entities_write_as_msrest_writes_them() -> None:
    user = ChannelAccount(id=teams.USER["id"], name=teams.USER["name"])
    for entity in (
        Mention(mentioned=user, text="<at>Anna</at>", type="mention"),
        Entity(type="clientInfo"),
        *activity_from_json(teams.channel_message(SERVICE_URL, "vem har Gotland?")).entities,
    ):
        assert model_to_json(entity) == entity.serialize()
