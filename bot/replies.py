"""Bot Framework activities for the cards in bot.cards: the adapter side of rendering."""

from __future__ import annotations

import json
from collections.abc import Sequence

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, AttachmentLayoutTypes, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot import cards
from bot.answers import Answer, CountyAnswer
from bot.messages import join_words, text

# Teams refuses a bot message over about 100 KB counted as UTF-16 (413 MessageSizeTooBig) and
# advises staying under 80 KB; one county card is 8-9 KB in UTF-16, so about eight fit.
MAX_MESSAGE_UTF16_BYTES = 80 * 1024
# Room kept for the activity envelope and the lead line naming the counties that did not fit.
ENVELOPE_UTF16_BYTES = 8 * 1024


class SharedCard(dict[str, object]):
    """An Adaptive Card dict that deepcopy shares instead of copying.

    TurnContext.send_activities deep-copies every outgoing activity, and copying the card was a
    quarter of a turn's CPU. Cards are built fresh for each reply and never changed afterwards,
    so sharing one between the copies is safe. JSON sees an ordinary dict; msrest would not
    (it turns dict subclasses into str), which is why outgoing activities are serialised by
    bot.connector.serialize_activity, the only reply path app.py builds.
    """

    def __deepcopy__(self, memo: dict[int, object]) -> SharedCard:
        return self


def card_reply(card_dicts: Sequence[dict[str, object]], lead: str | None = None) -> Activity:
    """Return a message with one Adaptive Card per dict (a carousel when several).

    The plain-text summary (each card's fallbackText) goes into the activity's summary, which
    Teams shows in notifications and the chat list.
    """
    attachments = [CardFactory.adaptive_card(SharedCard(card)) for card in card_dicts]
    reply = MessageFactory.carousel(attachments, text=lead) if len(attachments) > 1 \
        else MessageFactory.attachment(attachments[0], text=lead)
    if len(attachments) > 1:
        reply.attachment_layout = AttachmentLayoutTypes.carousel
    summary = " ".join(str(card.get("fallbackText", "")) for card in card_dicts)
    reply.summary = f"{lead} {summary}" if lead else summary
    return reply


def answer_reply(answer: Answer, lead: str | None = None) -> Activity:
    """Return the reply for an answer: one card per county, or the not-recognised card."""
    if not answer.counties:
        return card_reply([cards.not_recognised_card(answer.language)])
    card_dicts = cards.answer_cards(answer)
    shown = _cards_that_fit(card_dicts)
    while True:
        reply = card_reply(card_dicts[:shown], _lead(lead, answer, shown))
        if shown == 1 or _utf16_size(reply.serialize()) <= MAX_MESSAGE_UTF16_BYTES:
            return reply
        shown -= 1


def _lead(lead: str | None, answer: Answer, shown: int) -> str | None:
    """Return the lead line, naming the counties beyond the first `shown` with their officers."""
    if shown >= len(answer.counties):
        return lead
    rest = _officers_line(answer.counties[shown:], answer.language)
    more = text("more_counties", answer.language, counties=rest)
    return f"{lead} {more}" if lead else more


def _cards_that_fit(card_dicts: Sequence[dict[str, object]]) -> int:
    """Estimate how many of the cards, in order, fit in one Teams message (at least one)."""
    total = ENVELOPE_UTF16_BYTES
    for count, card in enumerate(card_dicts):
        # The card itself, and its fallback text once more in the activity's summary.
        total += _utf16_size(card) + _utf16_size(card.get("fallbackText", ""))
        if total > MAX_MESSAGE_UTF16_BYTES:
            return max(count, 1)
    return len(card_dicts)


def _utf16_size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-16-le", "surrogatepass"))


def _officers_line(items: Sequence[CountyAnswer], language: str) -> str:
    """Say who covers each county: "Gotlands län: Anna Ek; Hallands län: vakant"."""
    parts = []
    for item in items:
        names = [officer.name for officer in item.contacts.officers]
        who = join_words(names, language, "and") if names else text("vacant_short", language)
        parts.append(f"{item.county.name}: {who}")
    return "; ".join(parts)


def text_reply(message: str) -> Activity:
    """Return a plain-text message."""
    return MessageFactory.text(message)


def search_reply(results: Sequence[tuple[dict[str, object], dict[str, object]]]) -> MessagingExtensionResponse:
    """Return the messaging-extension result list: per (full card, preview), the card to insert
    and the Thumbnail card Teams lists. No results is an empty list, which Teams shows as such."""
    attachments = [
        MessagingExtensionAttachment(
            content_type=CardFactory.content_types.adaptive_card,
            content=card,
            preview=CardFactory.thumbnail_card(ThumbnailCard(**preview)),
        )
        for card, preview in results
    ]
    return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(
        type="result", attachment_layout=AttachmentLayoutTypes.list, attachments=attachments,
    ))


def search_message(message: str) -> MessagingExtensionResponse:
    """Return a messaging-extension response that shows `message` instead of results."""
    return MessagingExtensionResponse(compose_extension=MessagingExtensionResult(type="message", text=message))
