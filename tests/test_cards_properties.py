"""Property tests: whatever editors put in the data and whatever users type, every card is valid
Adaptive Card 1.5 JSON, and no reply decision raises."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answers import Answerer
from bot.core.intents import decide
from bot.data.people import CountyContacts, Dialogue, Officer
from bot.render import cards
from tests import factories
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES, schema_errors

# Any text, including control characters, right-to-left marks, emoji and markup.
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
ANSWERER = Answerer(factories.directory())


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=ANY_TEXT, title=ANY_TEXT, summary=ANY_TEXT, link=st.one_of(st.none(), ANY_TEXT))
def test_county_card_is_valid_whatever_the_data_says(name: str, title: str, summary: str, link: str | None):
    officer = Officer(name, title, title, name, f"{name[:20]}@tillvaxtverket.se", summary[:20])
    dialogue = Dialogue("x", "04", factories.TODAY, title, summary, link)
    item = dataclasses.replace(
        factories.county_answer("04"),
        contacts=CountyContacts("04", (officer,), officer, "https://x.example"),
        recent=(dialogue,) * 3,
        upcoming=dialogue,
    )

    card = cards.county_card(item, factories.answer("04"))

    assert schema_errors(card) == []
    assert cards.json_size(card) < TEAMS_CARD_LIMIT_BYTES
    assert json.loads(json.dumps(card)) == card


@settings(max_examples=100, deadline=None)
@given(question=ANY_TEXT, locale=st.one_of(st.none(), st.sampled_from(["sv-SE", "en-US", "fi-FI", ""])))
def test_any_message_gets_a_decision_and_never_raises(question: str, locale: str | None):
    intent = decide(question, ANSWERER, factories.TODAY, locale)

    assert intent.language in ("sv", "en")
