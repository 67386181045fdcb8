"""The search messaging extension end to end: a real Teams composeExtension/query invoke posted to
the real aiohttp app on a free port, answered with 200 and the results in the body."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from app import create_app
from bot.render.cards import json_size
from bot.runtime.live import LiveData
from bot.teams.handler import SearchRequest, search_request
from tests import factories
from tests.card_schema import TEAMS_CARD_LIMIT_BYTES, schema_errors
from tests.conftest import RunningBot, ServeBot, StubConnector, test_settings
from tests.teams_activities import BOT_ID, BOT_NAME, TENANT_ID, USER

ADAPTIVE = "application/vnd.microsoft.card.adaptive"
THUMBNAIL = "application/vnd.microsoft.card.thumbnail"
_ids = itertools.count(1)


def compose_query(
    service_url: str,
    parameters: list[dict[str, str]],
    *,
    skip: int = 0,
    count: int = 25,
    locale: str = "sv-SE",
    source: str = "compose",
) -> dict[str, Any]:
    """Return the invoke Teams posts while the user types in the search command."""
    return {
        "name": "composeExtension/query",
        "type": "invoke",
        "timestamp": "2026-11-26T16:40:00.1234567Z",
        "localTimestamp": "2026-11-26T17:40:00.1234567+01:00",
        "id": f"f:{7000000000000000000 + next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": USER,
        "conversation": {
            "conversationType": "personal",
            "tenantId": TENANT_ID,
            "id": "a:1vE3Wq9Kp0Zr8Tn7Ym6Xl5Bk4Jh3Gf2Dd1Ss0Aa9",
        },
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "entities": [
            {
                "locale": locale,
                "country": locale.split("-")[-1],
                "platform": "Web",
                "timezone": "Europe/Stockholm",
                "type": "clientInfo",
            }
        ],
        "channelData": {"tenant": {"id": TENANT_ID}, "source": {"name": source}},
        "value": {
            "commandId": "searchCounty",
            "parameters": parameters,
            "queryOptions": {"skip": skip, "count": count},
        },
        "locale": locale,
    }


def typed(text: str) -> list[dict[str, str]]:
    return [{"name": "query", "value": text}]


INITIAL_RUN = [{"name": "initialRun", "value": "true"}]


async def _search(bot: RunningBot, connector: StubConnector, activity: dict[str, Any]) -> dict[str, Any]:
    response = await bot.post(activity)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert connector.replies == []  # the results travel in the HTTP response, not as messages
    return body["composeExtension"]


def _blocks(node: Any) -> list[dict[str, Any]]:
    """Return every element of a card, nested ones (columns, containers) included, in reading order."""
    if isinstance(node, list):
        return [block for item in node for block in _blocks(item)]
    if not isinstance(node, dict):
        return []
    inner = [block for key in ("body", "items", "columns") for block in _blocks(node.get(key))]
    return [node, *inner] if "type" in node and node.get("type") != "AdaptiveCard" else inner


def select_item(query: dict[str, Any], attachment: dict[str, Any]) -> dict[str, Any]:
    """Return the invoke Teams posts when the user picks a listed preview: the tap's value."""
    return {
        **query,
        "name": "composeExtension/selectItem",
        "id": f"f:{7000000000000000000 + next(_ids)}",
        "value": attachment["preview"]["content"]["tap"]["value"],
    }


async def _pick(bot: RunningBot, connector: StubConnector, query: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """Search, pick result `index`, and return the one card Teams would insert."""
    listed = await _search(bot, connector, query)
    picked = await _search(bot, connector, select_item(query, listed["attachments"][index]))
    (attachment,) = picked["attachments"]
    assert attachment["contentType"] == ADAPTIVE
    return attachment["content"]


async def test_typed_query_lists_previews_and_the_pick_inserts_the_full_card(
    running_bot: RunningBot, connector: StubConnector
) -> None:
    query = compose_query(connector.url, typed("sörml"))
    result = await _search(running_bot, connector, query)
    assert result["type"] == "result"
    assert result["attachmentLayout"] == "list"
    (attachment,) = result["attachments"]
    assert attachment["contentType"] == THUMBNAIL  # no full card until one is picked
    preview = attachment["preview"]
    assert preview["contentType"] == THUMBNAIL
    assert preview["content"]["title"] == "Södermanlands län"
    assert preview["content"]["subtitle"] == "Isabelle Canderskog"
    assert preview["content"]["text"] == "Kontor: Eskilstuna"
    assert preview["content"]["tap"]["type"] == "invoke"

    card = await _pick(running_bot, connector, query)
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Södermanlands län"
    assert "isabelle.canderskog@tillvaxtverket.se" in str(card)


async def test_municipality_says_which_county_it_lies_in(running_bot: RunningBot, connector: StubConnector) -> None:
    query = compose_query(connector.url, typed("Eskilstuna"))
    result = await _search(running_bot, connector, query)
    (attachment,) = result["attachments"]
    assert "Eskilstuna ligger i Södermanlands län." in attachment["preview"]["content"]["text"]
    card = await _pick(running_bot, connector, query)
    runs = [block["inlines"] for block in _blocks(card) if block.get("type") == "RichTextBlock"]
    assert ["Eskilstuna ligger i Södermanlands län."] in [[run["text"] for run in inlines] for inlines in runs]


async def test_every_inserted_card_is_a_valid_adaptive_card_teams_accepts(
    running_bot: RunningBot, connector: StubConnector
) -> None:
    query = compose_query(connector.url, INITIAL_RUN)
    result = await _search(running_bot, connector, query)
    assert len(result["attachments"]) == 4
    for index in range(4):
        card = await _pick(running_bot, connector, query, index)
        assert schema_errors(card) == []
        assert json_size(card) < TEAMS_CARD_LIMIT_BYTES


@pytest.mark.parametrize(
    "pick",
    [
        {"county": "99", "matched": "Atlantis"},
        {"county": "04"},
        "04",
        None,
    ],
)
async def test_a_pick_for_no_known_county_is_told_so_not_an_error(
    running_bot: RunningBot, connector: StubConnector, pick: object
) -> None:
    query = compose_query(connector.url, typed("sörml"))
    response = await running_bot.post({**select_item(query, {"preview": {"content": {"tap": {"value": pick}}}})})
    assert response.status == 200
    result = (await response.json())["composeExtension"]
    assert result["type"] == "message"
    assert connector.replies == []


async def test_a_pick_whose_name_no_longer_finds_the_county_gets_the_county_alone(
    running_bot: RunningBot, connector: StubConnector
) -> None:
    query = compose_query(connector.url, typed("sörml"))
    forged = {"preview": {"content": {"tap": {"value": {"county": "04", "matched": "Göteborg ligger här"}}}}}
    result = await _search(running_bot, connector, select_item(query, forged))
    (attachment,) = result["attachments"]
    assert attachment["content"]["body"][0]["text"] == "Södermanlands län"
    assert "Göteborg" not in str(attachment["content"])


async def test_officer_surname_finds_the_county(running_bot: RunningBot, connector: StubConnector) -> None:
    result = await _search(running_bot, connector, compose_query(connector.url, typed("Canderskog")))
    assert [a["preview"]["content"]["title"] for a in result["attachments"]] == ["Södermanlands län"]


async def test_initial_run_lists_every_county_in_code_order(running_bot: RunningBot, connector: StubConnector) -> None:
    result = await _search(running_bot, connector, compose_query(connector.url, INITIAL_RUN))
    titles = [a["preview"]["content"]["title"] for a in result["attachments"]]
    assert titles == ["Stockholms län", "Uppsala län", "Södermanlands län", "Gotlands län"]


async def test_initial_run_pages_with_skip_and_count(running_bot: RunningBot, connector: StubConnector) -> None:
    first = await _search(running_bot, connector, compose_query(connector.url, INITIAL_RUN, skip=0, count=3))
    second = await _search(running_bot, connector, compose_query(connector.url, INITIAL_RUN, skip=3, count=3))
    assert [a["preview"]["content"]["title"] for a in first["attachments"]] == [
        "Stockholms län",
        "Uppsala län",
        "Södermanlands län",
    ]
    assert [a["preview"]["content"]["title"] for a in second["attachments"]] == ["Gotlands län"]


@pytest.mark.parametrize("query", ["xyzzy", "Oslo", "?!", "x" * 5000])
async def test_no_match_is_an_empty_result_list(running_bot: RunningBot, connector: StubConnector, query: str) -> None:
    result = await _search(running_bot, connector, compose_query(connector.url, typed(query)))
    assert result == {"type": "result", "attachmentLayout": "list", "attachments": []}


async def test_vacant_county_preview_says_so(running_bot: RunningBot, connector: StubConnector) -> None:
    result = await _search(running_bot, connector, compose_query(connector.url, typed("Uppsala")))
    preview = result["attachments"][0]["preview"]["content"]
    assert preview["title"] == "Uppsala län"
    assert preview["subtitle"] == "Länsansvarig saknas just nu"


async def test_english_client_gets_english_previews_and_card(running_bot: RunningBot, connector: StubConnector) -> None:
    activity = compose_query(connector.url, typed("Torshälla"), locale="en-GB")
    (attachment,) = (await _search(running_bot, connector, activity))["attachments"]
    assert attachment["preview"]["content"]["text"] == "Office: Eskilstuna · Torshälla is in Södermanlands län."
    assert "Chat in Teams" in str(await _pick(running_bot, connector, activity))


async def test_without_data_the_user_is_told_not_shown_an_error(connector: StubConnector, serve_bot: ServeBot) -> None:
    bot = await serve_bot(
        create_app(test_settings(), store=LiveData(Path("/nonexistent")), clock=lambda: factories.TODAY)
    )
    response = await bot.post(compose_query(connector.url, typed("sörml")))
    assert response.status == 200
    result = (await response.json())["composeExtension"]
    assert result["type"] == "message"
    assert "Försök igen" in result["text"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "sörml",
        {"commandId": "searchCounty", "parameters": [42]},
        {"parameters": "oops"},
        {"parameters": [{"name": "query", "value": 42}], "queryOptions": {"skip": "x"}},
    ],
)
async def test_malformed_query_value_gets_a_clear_answer_not_a_500(
    running_bot: RunningBot, connector: StubConnector, value: object
) -> None:
    activity = compose_query(connector.url, typed("sörml"))
    activity["value"] = value
    response = await running_bot.post(activity)
    assert response.status == 400
    assert "composeExtension/query" in (await response.json())["error"]
    assert connector.replies == []  # no "something went wrong" message dropped into the chat


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"parameters": [{"name": "query", "value": "  sörml "}], "queryOptions": {"skip": 0, "count": 25}},
            ("sörml", 0, 10),
        ),
        (
            {"parameters": [{"name": "initialRun", "value": "true"}], "queryOptions": {"skip": 10, "count": 25}},
            ("", 10, 25),
        ),
        ({"parameters": [{"name": "query", "value": "Ale"}], "queryOptions": {"skip": 10, "count": 5}}, ("Ale", 10, 5)),
        ({"parameters": [{"name": "query", "value": "Ale"}]}, ("Ale", 0, 10)),
        ({}, ("", 0, 25)),
        ({"parameters": [{"name": "searchText", "value": "Ale"}]}, ("Ale", 0, 10)),  # a renamed parameter
    ],
)
def test_search_request_reads_text_and_paging(value: dict[str, Any], expected: tuple[str, int, int]) -> None:
    assert search_request(value) == SearchRequest(*expected)


@pytest.fixture
async def shipped_bot(serve_bot: ServeBot) -> RunningBot:
    """Run the real app on the shipped data/ (loaded at start-up, as in production)."""
    bot = await serve_bot(create_app(test_settings(), clock=lambda: factories.TODAY))
    return bot


async def test_shipped_data_initial_run_lists_all_21_counties(
    shipped_bot: RunningBot, connector: StubConnector
) -> None:
    everything = await _search(shipped_bot, connector, compose_query(connector.url, INITIAL_RUN, count=25))
    assert len(everything["attachments"]) == 21
    # Previews only on the first open: measured 118 KB of JSON with all 21 full cards, now under 10 KB.
    assert len(json.dumps(everything, ensure_ascii=False).encode("utf-8")) < 10 * 1024
    pages = [
        await _search(shipped_bot, connector, compose_query(connector.url, INITIAL_RUN, skip=skip, count=10))
        for skip in (0, 10, 20)
    ]
    titles = [a["preview"]["content"]["title"] for page in pages for a in page["attachments"]]
    assert titles == [a["preview"]["content"]["title"] for a in everything["attachments"]]
    assert titles[0] == "Stockholms län" and titles[-1] == "Norrbottens län"


@pytest.mark.parametrize(
    ("query", "county"),
    [
        ("sörml", "Södermanlands län"),
        ("Eskilstuna", "Södermanlands län"),
        ("Canderskog", "Södermanlands län"),
        ("Kiruna", "Norrbottens län"),
    ],
)
async def test_shipped_data_finds_what_colleagues_type(
    shipped_bot: RunningBot, connector: StubConnector, query: str, county: str
) -> None:
    result = await _search(shipped_bot, connector, compose_query(connector.url, typed(query)))
    assert result["attachments"][0]["preview"]["content"]["title"] == county


async def test_shipped_data_typed_query_shows_at_most_10(shipped_bot: RunningBot, connector: StubConnector) -> None:
    result = await _search(shipped_bot, connector, compose_query(connector.url, typed("s"), count=25))
    assert len(result["attachments"]) == 10
