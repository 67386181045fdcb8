"""Bot Framework activities for the cards in bot.render.cards: the adapter side of rendering."""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping, Sequence
from typing import assert_never

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment, AttachmentLayoutTypes, CardAction, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot.core.answers import Answer, CountyAnswer
from bot.core.messages import text
from bot.render import cards
from bot.render.cards import wire_json
from bot.render.maps import MapLinks
from bot.render.replies import Cards, CountyCards, PlainText, Reply
from bot.render.summary import county_line, not_recognised_lines
from bot.teams.connector import serialize_activity

logger = logging.getLogger(__name__)

# Teams' limit for a bot message, from "Format your bot messages" (learn.microsoft.com/microsoftteams/
# platform/bots/how-to/format-your-bot-messages): about 100 KB of the whole message as UTF-16
# (base64 images excluded), answered with 413 MessageSizeTooBig; the page recommends keeping a
# message within 80 KB "to guarantee successful message delivery", so replies are packed to that.
MAX_ACTIVITY_UTF16_BYTES = 100 * 1024
RECOMMENDED_ACTIVITY_UTF16_BYTES = 80 * 1024
# Sending adds the conversation, from, recipient, replyToId, serviceUrl and channelId to a reply;
# Teams ids run to about 150 characters, so 2 KB of UTF-16 covers them with room to spare.
ENVELOPE_UTF16_BYTES = 2 * 1024
REPLY_BUDGET_UTF16_BYTES = RECOMMENDED_ACTIVITY_UTF16_BYTES - ENVELOPE_UTF16_BYTES
# A carousel longer than this is hard to page through, and 10 is the most some channels show.
MAX_CARDS_PER_ACTIVITY = 10
# Teams' card action that makes a tap on a search preview send composeExtension/selectItem; the
# SDK's ActionTypes has no member for it ("Respond to search command", tap with type invoke).
INVOKE_ACTION = "invoke"
# Conversations where Teams delivers a typed message to the bot only when it @mentions the bot
# (conversation.conversationType; a 1:1 chat is "personal").
MENTION_ONLY_CONVERSATIONS = frozenset({"channel", "groupChat"})
# The name to tell users to @mention when the activity does not carry the bot's (the manifest's name).
DEFAULT_BOT_NAME = "Regiondörren"


def group_mention(activity: Activity) -> str | None:
    """Return the bot's name when typed replies must @mention it (channels, group chats), else None."""
    conversation = activity.conversation
    kind = getattr(conversation, "conversation_type", None) if conversation else None
    if kind not in MENTION_ONLY_CONVERSATIONS:
        return None
    name = activity.recipient.name if activity.recipient and activity.recipient.name else ""
    return name.strip() or DEFAULT_BOT_NAME


class CardAttachment(Attachment):
    """An Adaptive Card attachment whose card deepcopy shares instead of copying.

    TurnContext.send_activities deep-copies every outgoing activity, and copying the card was a
    quarter of a turn's CPU. Cards are built fresh for each reply and never changed afterwards,
    so the copy gets a new attachment around the same card dict. The card itself stays a plain
    dict, which every serialiser on every path handles: msrest (Activity.serialize, the SDK's
    own connector client, proactive continue_conversation) and bot.teams.connector alike.

    `content_json` is the card's JSON text when it was made already (to measure the card against
    Teams' size limit): the reply is then sent with that text instead of serialising the card
    again (bot.teams.wire.activity_bytes).
    """

    content_json: str | None = None

    def __init__(self, card: dict[str, object], content_json: str | None = None) -> None:
        super().__init__(content_type=CardFactory.content_types.adaptive_card, content=card)
        if content_json is not None:
            self.content_json = content_json

    def __deepcopy__(self, memo: dict[int, object]) -> CardAttachment:
        return CardAttachment(self.content, self.content_json)


class ReplyActivity(Activity):
    """A message built for one reply, whose deepcopy shares its parts.

    TurnContext.send_activities deep-copies every outgoing activity before it fills in the
    conversation, about 90 copy calls for an activity's 45 mostly empty fields. A reply is built
    fresh for its turn and never changed afterwards, so the copy shares its parts and gets
    lists and an additional_properties of its own: what TurnContext and the adapter change on
    the copy (ids, the conversation, the sender) they replace rather than change in place.
    """

    @classmethod
    def of(cls, activity: Activity) -> ReplyActivity:
        """Return `activity` (as MessageFactory built it) as a ReplyActivity."""
        reply = cls.__new__(cls)
        reply.__dict__.update(activity.__dict__)
        return reply

    def __deepcopy__(self, memo: dict[int, object]) -> ReplyActivity:
        copied = copy.copy(self)
        copied.additional_properties = dict(self.additional_properties or {})
        for name in ("attachments", "entities", "members_added", "members_removed"):
            value = getattr(self, name)
            if value is not None:
                setattr(copied, name, copy.deepcopy(value, memo))
        return copied


def card_reply(
    card_dicts: Sequence[dict[str, object]],
    lead: str | None = None,
    summary: str | None = None,
    texts: Mapping[int, str] | None = None,
) -> Activity:
    """Return a message with one Adaptive Card per dict (a carousel when several).

    `summary` is the one line Teams shows in notifications and the chat list; by default the
    lead, or else the first line of the first card's fallbackText. The full text stays in each
    card's fallbackText, once. `texts` holds cards' JSON text by id(card) where it is known.
    """
    known = texts or {}
    attachments: list[Attachment] = [CardAttachment(card, known.get(id(card))) for card in card_dicts]
    reply = ReplyActivity.of(
        MessageFactory.carousel(attachments, text=lead)
        if len(attachments) > 1
        else MessageFactory.attachment(attachments[0], text=lead)
    )
    if len(attachments) > 1:
        reply.attachment_layout = AttachmentLayoutTypes.carousel
    first_line = str(card_dicts[0].get("fallbackText", "")).split("\n", 1)[0]
    reply.summary = summary or lead or first_line
    return reply


def answer_replies(
    answer: Answer, lead: str | None = None, mention: str | None = None, maps: MapLinks | None = None
) -> list[Activity]:
    """Return the messages for an answer: one card per county, as many cards to a message as fit
    under Teams' size limit (every county is answered, in order), or the not-recognised card."""
    if not answer.counties:
        return [card_reply([cards.not_recognised_card(answer.language, mention, not_recognised_lines(answer))])]
    rendered = cards.shared_answer_cards(answer, maps)
    card_dicts = [card for card, _ in rendered]
    # Each card's JSON, by id(card): every card stays alive until the replies are built.
    texts: dict[int, str] = {id(card): card_json for card, card_json in rendered}
    groups = _fitting_groups(answer, card_dicts, lead, texts)
    first_text = lead
    if len(groups) > 1:  # the note is a few dozen characters: the envelope allowance covers it
        parts = text("answer_parts", answer.language, count=str(len(answer.counties)), parts=str(len(groups)))
        first_text = f"{lead} {parts}" if lead else parts
    replies = []
    for index, group in enumerate(groups):
        summary = "; ".join(county_line(item, answer.language) for item, _ in group)
        if index == 0:
            replies.append(card_reply([card for _, card in group], first_text, lead or summary, texts))
        else:
            replies.append(card_reply([card for _, card in group], None, summary, texts))
    return replies


def answer_reply(answer: Answer, lead: str | None = None, maps: MapLinks | None = None) -> Activity:
    """Return the one message for an answer that fits in one: any one-county answer (a chosen
    candidate) does, since a card too big for a message of its own is made compact."""
    replies = answer_replies(answer, lead, maps=maps)
    if len(replies) != 1:
        raise ValueError(
            f"answer for {len(answer.counties)} counties takes {len(replies)} messages: send answer_replies instead"
        )
    return replies[0]


def activity_size(activity: Activity) -> int:
    """Return the activity's size as Teams counts it: its JSON as sent, in UTF-16 bytes."""
    return cards.json_size(serialize_activity(activity))


Group = list[tuple[CountyAnswer, dict[str, object]]]


def _fitting_groups(
    answer: Answer, card_dicts: Sequence[dict[str, object]], lead: str | None, texts: dict[int, str]
) -> list[Group]:
    """Split the cards, in order, into groups that each fit in one message, measured by their JSON
    text (`texts`, by id(card); made here for a card that has none yet, for the reply to be sent with)."""
    sizes = {}
    for card in card_dicts:
        if id(card) not in texts:
            texts[id(card)] = wire_json(card)
        sizes[id(card)] = cards.text_size(texts[id(card)])
    groups: list[Group] = [[]]
    for item, card in zip(answer.counties, _fitting_cards(answer, card_dicts, sizes, texts), strict=True):
        candidate = [*groups[-1], (item, card)]
        fits = _fits(candidate, lead if len(groups) == 1 else None, answer.language, sizes)
        if groups[-1] and (not fits or len(candidate) > MAX_CARDS_PER_ACTIVITY):
            groups.append([(item, card)])
        else:
            groups[-1] = candidate
    return groups


def _fitting_cards(
    answer: Answer, card_dicts: Sequence[dict[str, object]], sizes: dict[int, int], texts: dict[int, str]
) -> list[dict[str, object]]:
    """Return the cards, each full card too big for a message of its own replaced by a compact one."""
    fitting = []
    for index, (item, card) in enumerate(zip(answer.counties, card_dicts, strict=True)):
        if not _fits([(item, card)], None, answer.language, sizes):
            note = text("question_truncated", answer.language) if answer.truncated and index == 0 else None
            card = cards.compact_county_card(item, answer, note)
            texts[id(card)] = wire_json(card)
            sizes[id(card)] = cards.text_size(texts[id(card)])
            if not _fits([(item, card)], None, answer.language, sizes):
                size = _group_size([(item, card)], None, answer.language, sizes)
                logger.warning("card for county %s is %d bytes of UTF-16, over Teams' limit", item.county.code, size)
        fitting.append(card)
    return fitting


def _fits(group: Group, lead: str | None, language: str, sizes: dict[int, int]) -> bool:
    """Say whether the message for `group` fits under the budget; most answers are far under it,
    and the cheap upper bound spares them serialising the message (msrest is slow)."""
    summary = "; ".join(county_line(item, language) for item, _ in group)
    bound = (
        SKELETON_BOUND_UTF16_BYTES
        + cards.json_size(lead or "")
        + cards.json_size(summary)
        + sum(sizes[id(card)] for _, card in group)
    )
    return bound <= REPLY_BUDGET_UTF16_BYTES or _group_size(group, lead, language, sizes) <= REPLY_BUDGET_UTF16_BYTES


def _group_size(group: Group, lead: str | None, language: str, sizes: dict[int, int]) -> int:
    """Return the size of the message for `group`, without serialising its cards again: JSON
    nests, so the message is its skeleton (empty cards) plus each card's own size."""
    summary = "; ".join(county_line(item, language) for item, _ in group)
    skeleton = card_reply([{} for _ in group], lead, lead or summary)
    return activity_size(skeleton) + sum(sizes[id(card)] - EMPTY_CARD_UTF16_BYTES for _, card in group)


EMPTY_CARD_UTF16_BYTES = cards.json_size({})
# A message around its cards, without text or summary, is at most this big: 288 bytes of UTF-16
# with one card, 1574 with ten (measured; tests/test_replies.py checks the bound).
SKELETON_BOUND_UTF16_BYTES = 2048


def text_reply(message: str) -> Activity:
    """Return a plain-text message."""
    return ReplyActivity.of(MessageFactory.text(message))


def activities(reply: Reply, maps: MapLinks | None = None) -> list[Activity]:
    """Return the Teams messages for a reply: a text, cards, or an answer's county cards (with
    `maps`, each full county card shows where the county lies)."""
    match reply:
        case PlainText(text=message):
            return [text_reply(message)]
        case Cards(cards=card_dicts):
            return [card_reply(card_dicts)]
        case CountyCards(answer=answer, lead=lead, mention=mention):
            return answer_replies(answer, lead, mention, maps)
        case _:
            assert_never(reply)


def search_reply(previews: Sequence[tuple[dict[str, object], dict[str, str]]]) -> MessagingExtensionResponse:
    """Return the messaging-extension result list: per (preview, pick), the Thumbnail card Teams
    lists, whose tap sends `pick` back as composeExtension/selectItem for the full card. Only
    previews travel: all 21 full cards were about 118 KB of JSON on every first open. No results
    is an empty list, which Teams shows as such."""
    attachments = []
    for preview, pick in previews:
        listed = ThumbnailCard(**preview, tap=CardAction(type=INVOKE_ACTION, value=pick))
        attachments.append(
            MessagingExtensionAttachment(
                content_type=CardFactory.content_types.thumbnail_card,
                content=ThumbnailCard(**preview),
                preview=CardFactory.thumbnail_card(listed),
            )
        )
    return _search_result(attachments)


def selected_reply(card: dict[str, object]) -> MessagingExtensionResponse:
    """Return the full card for the result the user picked, for Teams to insert in the message."""
    attachment = MessagingExtensionAttachment(content_type=CardFactory.content_types.adaptive_card, content=card)
    return _search_result([attachment])


def _search_result(attachments: list[MessagingExtensionAttachment]) -> MessagingExtensionResponse:
    return MessagingExtensionResponse(
        compose_extension=MessagingExtensionResult(
            type="result",
            attachment_layout=AttachmentLayoutTypes.list,
            attachments=attachments,
        )
    )


def search_message(message: str) -> MessagingExtensionResponse:
    """Return a messaging-extension response that shows `message` instead of results."""
    return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="message", text=message))
