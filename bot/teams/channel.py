"""The Teams side of the county channel: who sent an activity, the member look-up, and sending a
notification proactively with a stored conversation reference.

Adapter code: it turns activities into bot.core.channel Senders, asks the Bot Connector about the
sender (TeamsInfo.get_member), and sends through CloudAdapter.process_proactive, so the reply
leaves on the same connector path (bot.teams.connector) and through the same middleware as any
reply.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import assert_never

import aiohttp
from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.core.conversation_reference_extension import get_continuation_activity
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse, ConversationReference, TextFormatTypes
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.core.authors import Member
from bot.core.channel import ChannelReply, FollowerList, PostForm, PostList, PostPreview, Said, Sender
from bot.core.language import detect_language
from bot.render.channel import (
    follower_list_card,
    notification_card,
    post_form_card,
    post_list_card,
    preview_card,
    said_card,
)
from bot.runtime.channel import LookupFailed, MemberLookup, post_of, signature
from bot.runtime.live import LiveData
from bot.runtime.outbox import SendFailed
from bot.store.channel import DueDelivery, PostRecord
from bot.teams.connector import ConnectorError, sending_without_retries
from bot.teams.replies import card_reply, text_reply

logger = logging.getLogger(__name__)

# Conversation types in which the conversation, not the person, follows a county.
SHARED_CONVERSATIONS = ("channel", "groupChat")
GROUP_CHAT = "groupChat"


def base_conversation_id(conversation_id: str) -> str:
    """Return a channel's id without the thread part (";messageid=..."): notifications start new posts."""
    return conversation_id.split(";", 1)[0]


def sender_of(activity: Activity, language: str) -> Sender:
    """Return who wrote `activity` and where, with the reference notifications will use."""
    conversation = activity.conversation
    shared = conversation.conversation_type in SHARED_CONVERSATIONS or bool(conversation.is_group)
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None  # a notification is a message of its own, not a reply to "följ ..."
    reference.conversation.id = base_conversation_id(conversation.id)
    return Sender(
        user_id=activity.from_property.id if activity.from_property else "",
        name=(activity.from_property.name or "") if activity.from_property else "",
        conversation_id=base_conversation_id(conversation.id),
        channel=shared,
        reference=json.dumps(reference.serialize(), ensure_ascii=False, separators=(",", ":")),
        language=language,
        group_chat=conversation.conversation_type == GROUP_CHAT,
    )


def member_lookup(turn_context: TurnContext) -> MemberLookup:
    """Return the look-up of the sender in Teams; LookupFailed when the connector cannot answer."""

    async def lookup() -> Member | None:
        sender = turn_context.activity.from_property
        if sender is None or not sender.id:
            return None
        try:
            account = await TeamsInfo.get_member(turn_context, sender.id)
        except HttpOperationError as error:
            status = getattr(error.response, "status_code", 0)
            if status == 404:
                return None  # Teams does not know this member here: treat as nobody in particular
            raise LookupFailed(f"member look-up failed with HTTP {status}") from error
        except (TimeoutError, ClientRequestError, aiohttp.ClientError, ConnectorError) as error:
            raise LookupFailed("member look-up failed: the connector did not answer") from error
        return Member(
            user_id=sender.id,
            aad_object_id=account.aad_object_id or "",
            name=account.name or sender.name or "",
            upn=account.user_principal_name or "",
            email=account.email or "",
        )

    return lookup


def language_of(activity: Activity, typed: str) -> str:
    """Return the reply language for what was typed (or, for a card press, the Teams locale)."""
    return detect_language(typed, activity.locale)


class Notifier:
    """Send one notification card to a follower's conversation, for the outbox."""

    def __init__(self, adapter: CloudAdapterBase, app_id: str, live: LiveData) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._live = live

    async def __call__(self, delivery: DueDelivery, record: PostRecord) -> None:
        """Send the card; raise SendFailed with the connector's status when it is refused."""
        snapshot = self._live.snapshot
        if snapshot is None:
            raise SendFailed(0)  # no data to name the county with: try again later
        directory = snapshot.directory
        post = post_of(record)
        county = directory.geography.by_code.get(post.county)
        reference = ConversationReference().deserialize(json.loads(delivery.reference))
        card = notification_card(
            post,
            county.name if county else post.county,
            signature(post, directory, delivery.language),
            delivery.language,
            channel=delivery.channel,
            group_chat=bool(reference.conversation and reference.conversation.conversation_type == GROUP_CHAT),
        )
        continuation = get_continuation_activity(reference)
        tenant = reference.conversation.tenant_id if reference.conversation else None
        if tenant:  # the tenant gate reads it from channelData, as on every incoming activity
            continuation.channel_data = {"tenant": {"id": tenant}}

        # The adapter's pipeline hands a failed turn to on_turn_error, which would tell the follower
        # "something went wrong" and swallow the status: the send keeps its own failure instead.
        failures: list[BaseException] = []

        async def send(turn_context: TurnContext) -> None:
            try:
                await turn_context.send_activity(card_reply([card]))
            except (ConnectorError, aiohttp.ClientError, TimeoutError) as error:
                failures.append(error)

        with sending_without_retries():
            await self._adapter.process_proactive(
                self._adapter.create_claims_identity(self._app_id), continuation, None, send
            )
        if not failures:
            return
        [failure] = failures
        if isinstance(failure, ConnectorError):  # a status, or no answer at all ("a timeout")
            status = failure.status if isinstance(failure.status, int) else 0
            raise SendFailed(status, failure.retry_after) from failure
        raise SendFailed(0) from failure


def reply_card(reply: ChannelReply) -> dict[str, object]:
    """Return the card for a channel reply (a sentence becomes a one-line card, to replace a form)."""
    match reply:
        case Said():
            return said_card(reply.text)
        case PostForm():
            return post_form_card(reply)
        case PostPreview():
            return preview_card(reply)
        case PostList():
            return post_list_card(reply)
        case FollowerList():
            return follower_list_card(reply)
        case _:
            assert_never(reply)


def reply_activity(reply: ChannelReply) -> Activity:
    """Return the message for a channel reply: words as text, everything else as its card."""
    if isinstance(reply, Said):
        message = text_reply(reply.text)
        message.text_format = TextFormatTypes.plain  # it may quote what people wrote: never as markdown
        return message
    return card_reply([reply_card(reply)])


def invoke_card_response(reply: ChannelReply) -> AdaptiveCardInvokeResponse:
    """Return the answer to a card button (Action.Execute): the card that replaces the pressed one."""
    return AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.OK, type="application/vnd.microsoft.card.adaptive", value=reply_card(reply)
    )
