"""A reply must reach Teams: however many counties a message names, the message stays under the
size Teams accepts, and no county's officer is left out."""

from __future__ import annotations

import datetime as dt
import json

from bot.answers import Answerer
from bot.directory import load_directory
from bot.replies import MAX_MESSAGE_UTF16_BYTES, answer_reply

TODAY = dt.date(2026, 11, 26)


def _utf16_size(reply: dict) -> int:
    return len(json.dumps(reply, ensure_ascii=False, separators=(",", ":")).encode("utf-16-le", "surrogatepass"))


def test_shipped_data_reply_naming_every_county_fits_in_one_teams_message_and_names_every_officer():
    """Regression: 14 named counties made a 59 kB (UTF-8) carousel, beyond Teams' 100 KB UTF-16
    limit, so the connector refused it with 413 and the user got nothing."""
    directory = load_directory()
    question = ", ".join(county.name for county in directory.geography.counties)
    answer = Answerer(directory).answer(question, TODAY)
    assert len(answer.counties) == 21

    reply = answer_reply(answer).serialize()

    assert _utf16_size(reply) <= MAX_MESSAGE_UTF16_BYTES
    shown = json.dumps(reply, ensure_ascii=False)
    for item in answer.counties:
        assert item.county.name in shown
        for officer in item.contacts.officers:
            assert officer.name in shown


def test_shipped_data_reply_for_a_few_counties_keeps_every_card():
    directory = load_directory()
    answer = Answerer(directory).answer("Sörmland, Uppsala och Kalmar", TODAY)

    reply = answer_reply(answer)

    assert len(reply.attachments) == len(answer.counties) == 3
    assert not reply.text
