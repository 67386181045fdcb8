"""Replies: cards split over as many Teams messages as the size limit needs, none dropped."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.core.answers import compose
from bot.core.recognition import Recognition, Status
from bot.data.lexicon import ForeignPlace
from bot.render import cards
from bot.teams import replies
from bot.teams.replies import activity_size, answer_replies
from bot.teams.wire import activity_bytes
from tests import factories

ALL_FOUR = ("01", "03", "04", "09")


def _titles(activity: Activity) -> list[str]:
    return [attachment.content["body"][0]["text"] for attachment in activity.attachments]


def test_small_answer_is_one_message_with_a_one_line_summary():
    [reply] = answer_replies(factories.answer("01", "03"))

    assert _titles(reply) == ["Stockholms län", "Uppsala län"]
    assert "\n" not in reply.summary
    assert reply.summary.startswith("Stockholms län: ")
    assert reply.text is None


def test_answer_over_the_limit_is_split_in_order_and_every_county_is_answered(monkeypatch: pytest.MonkeyPatch):
    two_cards = sum(cards.json_size(card) for card in cards.answer_cards(factories.answer("01", "03"))) + 2048
    monkeypatch.setattr(replies, "REPLY_BUDGET_UTF16_BYTES", two_cards)

    sent = answer_replies(factories.answer(*ALL_FOUR), lead="Per Persson är länsansvarig för fyra län.")

    assert [_titles(reply) for reply in sent] == [
        ["Stockholms län", "Uppsala län"],
        ["Södermanlands län"],
        ["Gotlands län"],
    ]
    assert sent[0].text == "Per Persson är länsansvarig för fyra län. Svaret om 4 län kommer i 3 meddelanden."
    assert [reply.text for reply in sent[1:]] == [None, None]
    assert sent[0].summary == "Per Persson är länsansvarig för fyra län."
    assert sent[2].summary == "Gotlands län: Isak Berg, Per Persson"
    assert all(activity_size(reply) <= two_cards for reply in sent)


def test_a_full_card_too_big_for_a_message_becomes_compact_rather_than_dropped(monkeypatch: pytest.MonkeyPatch):
    answer = factories.answer("09")
    compact = cards.compact_county_card(answer.counties[0], answer)
    full = cards.county_card(answer.counties[0], answer)
    budget = cards.json_size(compact) + 1024  # room for the activity around the card
    assert cards.json_size(full) > budget
    monkeypatch.setattr(replies, "REPLY_BUDGET_UTF16_BYTES", budget)

    [reply] = answer_replies(answer)

    assert reply.attachments[0].content == compact


@pytest.mark.parametrize("count", [1, replies.MAX_CARDS_PER_ACTIVITY])
def test_the_message_around_the_cards_stays_within_the_bound_that_spares_measuring_it(count: int):
    answer = factories.answer("04")
    summary = "; ".join(replies.county_line(answer.counties[0], "sv") for _ in range(count))
    lead = "Isabelle Canderskog är länsansvarig för Södermanlands län."
    skeleton = replies.card_reply([{}] * count, lead, summary)

    bound = replies.SKELETON_BOUND_UTF16_BYTES + cards.json_size(lead) + cards.json_size(summary)
    assert activity_size(skeleton) <= bound


def test_a_place_abroad_gets_a_card_that_says_so_instead_of_no_county_found():
    recognition = Recognition(Status.NONE, (), (), foreign=(ForeignPlace("Bodø", "NO"),))
    answer = compose(recognition, factories.directory(), "sv", dt.date(2026, 11, 26))
    [reply] = answer_replies(answer)
    card = reply.attachments[0].content
    assert card["body"][0]["text"].startswith("Bodø ligger inte i Sverige")
    assert "Jag hittade inget län" not in str(card)


def test_a_reply_sent_twice_is_addressed_afresh_and_the_original_stays_as_built():
    [reply] = answer_replies(factories.answer("01", "03"))
    built = reply.serialize()
    incoming = Activity(
        id="1",
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/emea/",
        from_property=ChannelAccount(id="29:user"),
        recipient=ChannelAccount(id="28:bot"),
        conversation=ConversationAccount(id="a:chat"),
    )
    reference = TurnContext.get_conversation_reference(incoming)

    first = TurnContext.apply_conversation_reference(copy.deepcopy(reply), reference)
    second = TurnContext.apply_conversation_reference(copy.deepcopy(reply), reference)
    first.attachments.pop()

    assert reply.serialize() == built  # what TurnContext did to the copies left the reply as built
    assert second.conversation.id == "a:chat" and second.reply_to_id == "1"
    assert _titles(second) == ["Stockholms län", "Uppsala län"]
    addressed = {"channelId", "serviceUrl", "conversation", "from", "recipient", "replyToId", "locale"}
    assert {key: value for key, value in second.serialize().items() if key not in addressed} == built


def test_the_same_answer_twice_goes_out_the_same_as_a_fresh_rendering():
    answer = factories.answer("01", "03")

    [first] = answer_replies(answer)
    [second] = answer_replies(answer)

    assert activity_bytes(first) == activity_bytes(second)
    assert [attachment.content for attachment in second.attachments] == cards.answer_cards(answer)
    assert json.loads(activity_bytes(second))["attachments"][1]["content"] == cards.answer_cards(answer)[1]
