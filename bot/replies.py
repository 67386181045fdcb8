"""Bot Framework activities for the cards in bot.cards: the adapter side of rendering."""

from __future__ import annotations

from collections.abc import Sequence

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, AttachmentLayoutTypes, ThumbnailCard
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionResponse,
    MessagingExtensionResult,
)

from bot import cards
from bot.answers import Answer


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
    return card_reply(cards.answer_cards(answer), lead)


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
