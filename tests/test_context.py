"""The lean turn context addresses and sends replies exactly as the SDK's TurnContext does.

Replies in Teams land in the right chat, as a reply to the right message, from the bot and to the
sender, only if every address field is right; here each kind of activity Teams sends is answered
through both contexts and the activities that reach the adapter must serialise identically.
"""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse

from bot.teams.context import LeanTurnContext
from bot.teams.wire import activity_from_json, activity_to_json
from tests import teams_activities as teams

SERVICE_URL = "https://smba.trafficmanager.net/emea/"


class RecordingAdapter(BotAdapter):
    """An adapter that records what a context hands it to send."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        self.sent.extend(activity_to_json(activity) for activity in activities)
        return [ResourceResponse(id=f"reply-{n}") for n, _ in enumerate(activities)]

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: object) -> None:
        raise NotImplementedError


def _incoming() -> list[dict[str, Any]]:
    webchat = teams.personal_message(SERVICE_URL, "Sörmland")
    webchat["channelId"] = "webchat"
    no_id = teams.personal_message(SERVICE_URL, "Sörmland")
    del no_id["id"]
    return [
        teams.personal_message(SERVICE_URL, "vem har Sörmland?"),
        teams.channel_message(SERVICE_URL, "Skåne"),
        teams.group_chat_message(SERVICE_URL, "Gotland"),
        teams.bot_added_to_team(SERVICE_URL),
        webchat,
        no_id,
    ]


def _replies() -> list[Activity]:
    typed = MessageFactory.text("Svar")
    untyped = Activity(text="utan typ")  # no type, no input hint: both contexts fill them in
    trace = Activity(type=ActivityTypes.trace, name="trace")
    return [typed, untyped, trace]


async def _send(context_class: type[TurnContext], incoming: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    adapter = RecordingAdapter()
    context = context_class(adapter, activity_from_json(incoming))
    await context.send_activities(_replies())
    return adapter.sent, context.responded


@pytest.mark.parametrize("incoming", _incoming(), ids=lambda activity: activity.get("channelId") + activity["type"])
async def test_replies_are_addressed_as_the_sdk_addresses_them(incoming: dict[str, Any]) -> None:
    lean = await _send(LeanTurnContext, incoming)
    sdk = await _send(TurnContext, incoming)

    assert lean == sdk
    sent, responded = lean
    assert responded
    assert all(reply["recipient"] == incoming["from"] for reply in sent)


async def test_a_reply_goes_to_the_sender_as_an_answer_to_their_message() -> None:
    incoming = teams.personal_message(SERVICE_URL, "vem har Sörmland?")

    sent, _ = await _send(LeanTurnContext, incoming)

    reply = sent[0]
    assert reply["replyToId"] == incoming["id"]
    assert reply["conversation"]["id"] == incoming["conversation"]["id"]
    assert reply["from"] == incoming["recipient"]
    assert reply["serviceUrl"] == SERVICE_URL


async def test_send_hooks_see_the_addressed_replies() -> None:
    adapter = RecordingAdapter()
    context = LeanTurnContext(adapter, activity_from_json(teams.personal_message(SERVICE_URL, "Sörmland")))
    seen: list[str | None] = []

    async def hook(_: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        seen.extend(activity.reply_to_id for activity in activities)
        return await next_send()

    context.on_send_activities(hook)
    responses = await context.send_activities([MessageFactory.text("Svar")])

    assert seen == [context.activity.id]
    assert [response.id for response in responses] == ["reply-0"]


async def test_expect_replies_are_kept_for_the_caller_not_sent() -> None:
    incoming = teams.personal_message(SERVICE_URL, "Sörmland")
    incoming["deliveryMode"] = DeliveryModes.expect_replies
    adapter = RecordingAdapter()
    context = LeanTurnContext(adapter, activity_from_json(incoming))

    await context.send_activities([MessageFactory.text("Svar")])

    assert adapter.sent == []
    assert [activity.text for activity in context.buffered_reply_activities] == ["Svar"]
    assert context.responded


async def test_only_trace_activities_do_not_count_as_responding() -> None:
    context = LeanTurnContext(RecordingAdapter(), activity_from_json(teams.personal_message(SERVICE_URL, "x")))

    await context.send_activities([Activity(type=ActivityTypes.trace, name="trace")])

    assert not context.responded
