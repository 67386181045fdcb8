"""The county channel end to end: the real app on a real port, Teams-shaped activities, the stub
Bot Connector (which answers the member look-up and records proactive sends), on SQLite and on a
real PostgreSQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import time
from typing import Any

import pytest

from app import CHANNEL_KEY, create_app
from bot.runtime.channel import POSTS_MAX_AGE
from bot.settings import Settings
from bot.store import Database, open_database
from bot.store.channel import ChannelStore, FollowRecord, count_rows
from tests.card_schema import schema_errors
from tests.conftest import FIXTURE_DATA, TODAY, RunningBot, StubConnector, start_bot
from tests.databases import DatabaseTarget, StoreClock
from tests.teams_activities import TENANT_ID, USER, channel_message, group_chat_message, personal_message
from tests.test_search_extension import compose_query, select_item, typed

ISABELLE = {
    "id": "29:isabelle",
    "name": "Isabelle Canderskog",
    "aadObjectId": "0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b",
    "userPrincipalName": "isabelle.canderskog@tillvaxtverket.se",
    "email": "isabelle.canderskog@tillvaxtverket.se",
}
ANNA = {**USER, "userPrincipalName": "anna.andersson@tillvaxtverket.se", "email": "anna.andersson@tillvaxtverket.se"}
OLLE = {
    "id": "29:olle",
    "name": "Olle Svensson",
    "aadObjectId": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
    "userPrincipalName": "olle.svensson@tillvaxtverket.se",
    "email": "olle.svensson@tillvaxtverket.se",
}
EVA = {  # an editor (officers.yaml's editors:): posts for every county
    "id": "29:eva",
    "name": "Eva Samordnare",
    "aadObjectId": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
    "userPrincipalName": "es01@tillvaxtverket.se",
    "email": "eva.samordnare@tillvaxtverket.se",
}
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
# The stub answers in milliseconds; Teams' own pace would make a 1 000-follower test take a minute.
TEST_NOTIFY_RATE = 2000.0


@dataclasses.dataclass
class Channel:
    """The running bot, its stub connector and the database it writes to."""

    bot: RunningBot
    connector: StubConnector
    database: Database
    app: Any

    @property
    def store(self) -> ChannelStore:
        return ChannelStore(self.database)

    async def say(self, text: str, who: dict[str, Any] = ANNA, *, locale: str = "sv-SE") -> list[dict[str, Any]]:
        """Send a 1:1 message as `who`; return the bot's replies."""
        activity = personal_message(self.connector.url, text, locale=locale, conversation_id=f"a:{who['id']}")
        activity["from"] = {key: who[key] for key in ("id", "name", "aadObjectId")}
        before = len(self.connector.replies)
        response = await self.bot.post(activity)
        assert response.status == 201, await response.text()
        # Only the answers to this message: a notification may arrive at the same moment.
        return [reply for reply in self.connector.replies[before:] if reply.get("replyToId") == activity["id"]]

    async def press(
        self, verb: str, data: dict[str, Any], who: dict[str, Any] = ISABELLE, *, locale: str = "sv-SE"
    ) -> dict[str, Any]:
        """Press an Action.Execute button as `who`; return the card that replaces it."""
        activity = personal_message(self.connector.url, "", locale=locale, conversation_id=f"a:{who['id']}")
        del activity["text"]
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        )
        activity["from"] = {key: who[key] for key in ("id", "name", "aadObjectId")}
        response = await self.bot.post(activity)
        assert response.status == 200, await response.text()
        body = await response.json()
        assert body["statusCode"] == 200 and body["type"] == ADAPTIVE
        assert schema_errors(body["value"]) == []
        return body["value"]

    async def rows(self, table: str) -> int:
        async with self.database.transaction(readonly=True) as tx:
            return await count_rows(tx, table)

    async def settled(self, post_id: int, timeout: float = 120.0) -> None:
        """Wait until none of the post's notifications is waiting."""
        deadline = time.monotonic() + timeout
        while (await self.store.delivery_counts(post_id)).waiting:
            assert time.monotonic() < deadline, "notifications still waiting"
            await asyncio.sleep(0.1)


def card_text(card: dict[str, Any]) -> str:
    """Return every text on a card, as one string."""
    return json.dumps(card, ensure_ascii=False)


class RunningClock(StoreClock):
    """The store's clock for a running bot: real time goes by (backoffs and leases end), and a test
    can still jump ahead by days (retention)."""

    def __init__(self) -> None:
        super().__init__()
        self._started = time.monotonic()

    def __call__(self) -> dt.datetime:
        return self.now + dt.timedelta(seconds=time.monotonic() - self._started)


@pytest.fixture
def store_clock() -> StoreClock:
    """Override the standing clock of tests/databases.py with one that runs."""
    return RunningClock()


@pytest.fixture
async def channel(
    database: Database, database_target: DatabaseTarget, store_clock: StoreClock, connector: StubConnector
) -> Channel:
    connector.members.update({ISABELLE["id"]: ISABELLE, ANNA["id"]: ANNA, OLLE["id"]: OLLE, EVA["id"]: EVA})
    settings = Settings.from_env({"DATA_DIR": str(FIXTURE_DATA), **database_target.environ()}, env_file=None)
    settings = dataclasses.replace(settings, notify_rate=TEST_NOTIFY_RATE)
    database_on_clock = open_database(settings.state_dir, settings.database_url, store_clock)
    app = create_app(settings, clock=lambda: TODAY, database=database_on_clock)
    server, bot = await start_bot(app)
    yield Channel(bot, connector, database, app)
    await bot.session.close()
    await server.close()


def follower(number: int, connector: StubConnector, county: str = "04") -> FollowRecord:
    conversation = f"a:follower-{number}"
    reference = {
        "activityId": None,
        "user": {"id": f"29:follower-{number}", "name": f"Följare {number}"},
        "bot": {"id": "28:bot", "name": "Regiondörren"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT_ID},
        "channelId": "msteams",
        "serviceUrl": connector.url,
    }
    return FollowRecord(
        conversation, county, False, f"29:follower-{number}", f"Följare {number}", None, "sv",
        json.dumps(reference), TODAY_UTC,
    )  # fmt: skip


TODAY_UTC = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


async def draft(channel: Channel, who: dict[str, Any] = ISABELLE, **values: str) -> int:
    """Fill the update form as `who` (Isabelle) and press Preview; return the draft's id."""
    fields = {"kind": "update", "title": "Ny regional utvecklingsstrategi", "text": "Regionen har antagit RUS 2030."}
    preview = await channel.press("channel.preview", {**fields, **values}, who)
    [publish] = [a for a in preview["actions"] if a.get("verb") == "channel.publish"]
    return int(publish["data"]["post"])


# --- who may post -----------------------------------------------------------------------------


async def test_a_colleague_who_is_no_officer_is_told_who_can_post_and_nothing_is_stored(channel: Channel) -> None:
    [reply] = await channel.say("ny nyhet")

    assert "attachments" not in reply
    assert "länsansvariga" in reply["text"] and reply["text"].count(".") <= 3
    assert await channel.rows("posts") == 0


async def test_a_press_of_preview_by_someone_else_stores_nothing(channel: Channel) -> None:
    card = await channel.press("channel.preview", {"kind": "update", "title": "x", "text": "y", "county": "04"}, ANNA)

    assert "Isabelle Canderskog" in card_text(card)  # who can post for Sörmland
    assert await channel.rows("posts") == 0


async def test_an_officer_gets_the_form_for_her_county(channel: Channel) -> None:
    [reply] = await channel.say("ny nyhet", ISABELLE)

    [attachment] = reply["attachments"]
    card = attachment["content"]
    assert schema_errors(card) == []
    assert "Södermanlands län" in card_text(card)
    assert {block.get("id") for block in card["body"]} >= {"title", "text", "link"}


# --- the form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "swedish"),
    [
        ({"title": ""}, "title", "Fyll i"),
        ({"title": "x" * 101}, "title", "högst 100"),
        ({"link": "http://example.se"}, "link", "https://"),
        ({"link": "javascript:alert(1)"}, "link", "https://"),
    ],
)
async def test_a_bad_form_comes_back_with_the_problem_beside_the_field_and_nothing_stored(
    channel: Channel, values: dict[str, str], field: str, swedish: str
) -> None:
    fields = {"kind": "update", "title": "Rubrik", "text": "Text", **values}
    card = await channel.press("channel.preview", fields)

    ids = [block.get("id") for block in card["body"]]
    after = card["body"][ids.index(field) + 1]
    assert after.get("color") == "Attention" and swedish in after["text"]
    assert await channel.rows("posts") == 0


async def test_an_english_writer_gets_the_problems_in_english(channel: Channel) -> None:
    [reply] = await channel.say("new update", ISABELLE, locale="en-GB")
    assert "New update from the county" in card_text(reply)
    card = await channel.press(
        "channel.preview", {"kind": "update", "title": "", "text": "x", "link": "ftp://x"}, locale="en-GB"
    )
    shown = card_text(card)
    assert "Fill in this field." in shown and "starting with https://" in shown
    assert "Fyll i" not in shown


async def test_a_dialogue_needs_a_real_date(channel: Channel) -> None:
    card = await channel.press(
        "channel.preview", {"kind": "dialogue", "title": "Dialog", "text": "Om RUS", "date": "2026-13-01"}
    )
    assert "Välj ett datum" in card_text(card)
    assert await channel.rows("posts") == 0


# --- a county's posts -------------------------------------------------------------------------


def buttons(card: dict[str, Any], post: int) -> set[str]:
    """Return the verbs of the buttons a post list shows for post `post`."""
    return {
        action["verb"]
        for container in card["body"]
        if container.get("type") == "Container"
        for item in container["items"]
        if item.get("type") == "ActionSet"
        for action in item["actions"]
        if action.get("data", {}).get("post") == post
    }


async def published(channel: Channel, who: dict[str, Any], title: str, **values: str) -> int:
    post = await draft(channel, who, title=title, county="04", **values)
    await channel.press("channel.publish", {"post": post}, who)
    return post


async def test_an_editor_sees_every_recent_post_of_a_county_and_her_own_with_mina_inlagg(channel: Channel) -> None:
    officers = await published(channel, ISABELLE, "Isabelles nyhet")
    editors = await published(channel, EVA, "Evas nyhet")
    withdrawn = await published(channel, ISABELLE, "Indragen nyhet")
    await channel.press("channel.withdraw", {"post": withdrawn})
    await draft(channel, title="Isabelles utkast", county="04")

    [mine] = await channel.say("mina inlägg", EVA)
    [county] = await channel.say("inlägg Sörmland", EVA)

    mine_card, card = mine["attachments"][0]["content"], county["attachments"][0]["content"]
    assert "Evas nyhet" in card_text(mine_card) and "Isabelles nyhet" not in card_text(mine_card)
    shown = card_text(card)
    assert "Inlägg för Södermanlands län" in shown and schema_errors(card) == []
    assert shown.index("Indragen nyhet") < shown.index("Evas nyhet") < shown.index("Isabelles nyhet")  # newest first
    assert "Isabelles utkast" not in shown  # a draft is its writer's own until published
    assert "Isabelle Canderskog" in shown and "Eva Samordnare" in shown  # who wrote each
    assert buttons(card, editors) == {"channel.edit", "channel.withdraw", "channel.status"}
    assert buttons(card, officers) == {
        "channel.withdraw",
        "channel.status",
    }  # an editor withdraws, only the writer edits
    assert buttons(card, withdrawn) == set()

    status = await channel.press("channel.status", {"post": officers}, EVA)
    assert "Isabelles nyhet" in card_text(status) and "levererade" in card_text(status)


async def test_the_officer_sees_the_editors_posts_for_her_county_and_their_status(channel: Channel) -> None:
    editors = await published(channel, EVA, "Evas nyhet")

    [county] = await channel.say("inlägg Sörmland", ISABELLE)

    card = county["attachments"][0]["content"]
    assert "Evas nyhet" in card_text(card)
    assert buttons(card, editors) == {"channel.status"}
    status = await channel.press("channel.status", {"post": editors}, ISABELLE)
    assert "levererade" in card_text(status)
    [typed] = await channel.say(f"status {editors}", ISABELLE)  # the same, typed
    assert "Evas nyhet" in typed["text"] and "levererade" in typed["text"]
    [other] = await channel.say(f"status {editors}", OLLE)  # a colleague: not his to follow up
    assert "Jag hittar inget sådant inlägg" in other["text"]


async def test_a_colleague_reads_a_countys_recent_posts_without_buttons(channel: Channel) -> None:
    post = await published(channel, ISABELLE, "Nyhet för alla")
    withdrawn = await published(channel, ISABELLE, "Indragen nyhet")
    await channel.press("channel.withdraw", {"post": withdrawn})

    [county] = await channel.say("posts for Sörmland", ANNA, locale="en-GB")

    card = county["attachments"][0]["content"]
    shown = card_text(card)
    assert "Posts for Södermanlands län" in shown and "Nyhet för alla" in shown and "Indragen nyhet" not in shown
    assert "Regionen har antagit RUS 2030." in shown  # the text itself, not only the title
    assert buttons(card, post) == set()
    assert schema_errors(card) == []


@pytest.mark.parametrize(
    ("typed", "example"),
    [
        ("inlägg Östersjökusten", "”inlägg Södermanlands län”"),
        ("sluta följa Östersjökusten", "”sluta följa Södermanlands län”"),
        ("vem följer Östersjökusten?", "”vem följer Södermanlands län?”"),
    ],
)
async def test_a_place_in_several_counties_gets_an_example_of_the_command_that_was_typed(
    channel: Channel, typed: str, example: str
) -> None:
    [reply] = await channel.say(typed)

    assert "flera län" in reply["text"] and example in reply["text"]


async def test_a_county_without_posts_says_so_and_how_to_follow_it(channel: Channel) -> None:
    [reply] = await channel.say("inlägg Sörmland", ANNA)

    assert "Inga inlägg för Södermanlands län än" in reply["text"]
    assert "följ Södermanlands län" in reply["text"]


# --- following and publishing ---------------------------------------------------------------


async def test_follow_publish_and_the_follower_is_told_once(channel: Channel) -> None:
    [followed] = await channel.say("följ Sörmland: vi har tre ERUF-projekt där")
    assert "Du följer nu Södermanlands län" in followed["text"]
    post = await draft(channel)

    receipt = await channel.press("channel.publish", {"post": post})
    await channel.settled(post)
    assert "1 följare" in card_text(receipt)
    assert await channel.press("channel.publish", {"post": post})  # a second press publishes nothing again
    await channel.settled(post)

    sent = [
        r for r in channel.connector.replies if r["conversation"]["id"] == f"a:{ANNA['id']}" and r.get("attachments")
    ]
    [notification] = [r for r in sent if "Ny regional utvecklingsstrategi" in card_text(r)]
    card = notification["attachments"][0]["content"]
    assert schema_errors(card) == []
    assert "Isabelle Canderskog" in card_text(card) and "Nytt från Södermanlands län" in card_text(card)
    [status] = await channel.say("status", ISABELLE)
    assert "1 levererade, 0 väntar, 0 nås inte längre" in status["text"]


async def test_the_county_card_shows_the_latest_updates_and_a_follow_button(channel: Channel) -> None:
    for number in range(4):
        post = await draft(channel, title=f"Nyhet {number}")
        await channel.press("channel.publish", {"post": post})

    [reply] = await channel.say("vem har Sörmland?")

    card = reply["attachments"][0]["content"]
    shown = card_text(card)
    assert "Aktuellt från länsansvarig" in shown
    assert all(f"Nyhet {n}" in shown for n in (1, 2, 3)) and "Nyhet 0" not in shown  # three, newest first
    assert shown.index("Nyhet 3") < shown.index("Nyhet 2")
    assert any(a.get("title") == "Följ Södermanlands län" for a in card["actions"])
    assert schema_errors(card) == []


async def test_a_county_chosen_after_a_question_back_shows_its_updates_too(channel: Channel) -> None:
    post = await draft(channel, title="Nyhet efter val")
    await channel.press("channel.publish", {"post": post})
    [question] = await channel.say("vem har Östersjökusten?")
    assert "Södermanlands län" in card_text(question["attachments"][0]["content"])

    [reply] = await channel.say("1")

    card = reply["attachments"][0]["content"]
    assert "Södermanlands län" in card_text(card)
    assert "Aktuellt från länsansvarig" in card_text(card) and "Nyhet efter val" in card_text(card)


async def test_a_county_card_refreshed_by_teams_shows_its_updates_too(channel: Channel) -> None:
    post = await draft(channel, title="Nyhet vid uppdatering")
    await channel.press("channel.publish", {"post": post})

    card = await channel.press("refreshCounty", {"county": "04", "matched": "Södermanlands län", "language": "sv"})

    assert "Aktuellt från länsansvarig" in card_text(card) and "Nyhet vid uppdatering" in card_text(card)


async def test_a_county_card_inserted_from_the_search_extension_shows_its_updates_at_once(channel: Channel) -> None:
    post = await draft(channel, title="Nyhet i sökningen")
    await channel.press("channel.publish", {"post": post})
    query = compose_query(channel.connector.url, typed("sörml"))
    listed = await channel.bot.post(query)
    [preview] = (await listed.json())["composeExtension"]["attachments"]

    picked = await channel.bot.post(select_item(query, preview))

    assert picked.status == 200
    [inserted] = (await picked.json())["composeExtension"]["attachments"]
    card = inserted["content"]
    assert "Aktuellt från länsansvarig" in card_text(card) and "Nyhet i sökningen" in card_text(card)
    assert schema_errors(card) == []


async def test_a_posted_dialogue_joins_those_from_dialogues_yaml(channel: Channel) -> None:
    post = await draft(channel, kind="dialogue", title="Dialog om RUS", date="2026-11-20")
    await channel.press("channel.publish", {"post": post})

    [reply] = await channel.say("vem har Sörmland?")
    card = reply["attachments"][0]["content"]
    assert "20 november 2026 · Dialog om RUS" in card_text(card)


async def test_withdrawing_takes_the_post_off_the_card(channel: Channel) -> None:
    post = await draft(channel, title="Fel nyhet")
    await channel.press("channel.publish", {"post": post})
    await channel.press("channel.withdraw", {"post": post})

    [reply] = await channel.say("vem har Sörmland?")
    assert "Fel nyhet" not in card_text(reply)


async def test_the_card_shows_a_post_at_once_when_it_is_published_edited_and_withdrawn(channel: Channel) -> None:
    [before] = await channel.say("vem har Sörmland?")
    assert "Aktuellt från länsansvarig" not in card_text(before)
    post = await draft(channel, title="Färsk nyhet")
    await channel.press("channel.publish", {"post": post})

    [published] = await channel.say("vem har Sörmland?")
    await channel.press(
        "channel.preview", {"kind": "update", "title": "Rättad nyhet", "text": "Ny text.", "post": post}
    )
    [edited] = await channel.say("vem har Sörmland?")
    await channel.press("channel.withdraw", {"post": post})
    [withdrawn] = await channel.say("vem har Sörmland?")

    assert "Färsk nyhet" in card_text(published)
    assert "Rättad nyhet" in card_text(edited) and "Färsk nyhet" not in card_text(edited)
    assert "Rättad nyhet" not in card_text(withdrawn)


async def test_a_post_published_by_another_instance_shows_within_the_cache_bound(
    channel: Channel, store_clock: StoreClock
) -> None:
    [before] = await channel.say("vem har Sörmland?")
    assert "Från en annan instans" not in card_text(before)
    other = ChannelStore(channel.database)  # another instance on the same store
    post = await other.create_draft(
        {
            "kind": "update",
            "county": "04",
            "title": "Från en annan instans",
            "body": "Text.",
            "link": None,
            "event_date": None,
        },
        ISABELLE["id"],
        ISABELLE["name"],
    )
    assert await other.publish(post, ISABELLE["id"]) == 0

    store_clock.advance(seconds=POSTS_MAX_AGE.total_seconds())
    [after] = await channel.say("vem har Sörmland?")

    assert "Från en annan instans" in card_text(after)


async def test_a_channel_follows_when_mentioned_and_gets_news_as_a_new_post(channel: Channel) -> None:
    activity = channel_message(channel.connector.url, "följ Sörmland: enheten driver tre projekt där")
    activity["from"] = {key: OLLE[key] for key in ("id", "name", "aadObjectId")}
    response = await channel.bot.post(activity)
    assert response.status == 201
    [followed] = [r for r in channel.connector.replies if r.get("replyToId") == activity["id"]]
    assert "Den här kanalen följer nu Södermanlands län" in followed["text"]
    channel_id = activity["conversation"]["id"].split(";")[0]

    post = await draft(channel)
    await channel.press("channel.publish", {"post": post})
    await channel.settled(post)

    [notification] = [r for r in channel.connector.replies if "Ny regional utvecklingsstrategi" in card_text(r)]
    assert notification["conversation"]["id"] == channel_id  # the channel, not the thread of "följ"
    assert "Kanalen får det här" in card_text(notification)
    [names] = await channel.say("vem följer Sörmland?", ISABELLE)
    assert "enheten driver tre projekt där" in card_text(names)


async def mention(channel: Channel, activity: dict[str, Any], who: dict[str, Any]) -> str:
    """Post a message that @mentions the bot in a channel or group chat as `who`; return the reply's text."""
    activity["from"] = {key: who[key] for key in ("id", "name", "aadObjectId")}
    response = await channel.bot.post(activity)
    assert response.status == 201, await response.text()
    [reply] = [r for r in channel.connector.replies if r.get("replyToId") == activity["id"]]
    return str(reply.get("text", "")) + card_text(reply)


def notifications(channel: Channel, title: str) -> list[dict[str, Any]]:
    """Return what the connector received about the post titled `title` (previews are invoke answers)."""
    return [reply for reply in channel.connector.replies if title in card_text(reply)]


@pytest.mark.parametrize("where", ["channel", "groupChat"])
async def test_a_shared_conversation_not_the_person_follows_and_gets_each_post_exactly_once(
    channel: Channel, where: str
) -> None:
    def message(text: str) -> dict[str, Any]:
        if where == "channel":
            return channel_message(channel.connector.url, text)  # each in a thread of its own
        return group_chat_message(channel.connector.url, text)

    here = "Den här kanalen" if where == "channel" else "Den här chatten"
    followed = await mention(channel, message("följ Sörmland"), OLLE)
    again = await mention(channel, message("följ Sörmland"), ANNA)  # a second member, same conversation
    listed = await mention(channel, message("vad följer jag?"), ANNA)
    conversation = message("x")["conversation"]["id"].split(";")[0]

    assert f"{here} följer nu Södermanlands län" in followed
    assert f"{here} följer redan Södermanlands län" in again
    assert f"{here} följer Södermanlands län" in listed
    assert await channel.store.follower_count("04") == 1
    [follow] = await channel.store.followers("04")
    assert follow.conversation_id == conversation and follow.channel
    [mine] = await channel.say("vad följer jag?", OLLE)  # Olle himself, in his 1:1 chat, follows nothing
    assert "Södermanlands län" not in mine["text"]
    [names] = await channel.say("vem följer Sörmland?", ISABELLE)
    assert ("(kanal)" if where == "channel" else "(gruppchatt)") in card_text(names)

    post = await draft(channel, title="Nyhet till gruppen")
    await channel.press("channel.publish", {"post": post})
    await channel.settled(post)

    [notification] = notifications(channel, "Nyhet till gruppen")
    assert notification["conversation"]["id"] == conversation
    assert ("Kanalen får det här" if where == "channel" else "Chatten får det här") in card_text(notification)
    assert schema_errors(notification["attachments"][0]["content"]) == []
    stopped = await mention(channel, message("sluta följa Sörmland"), ANNA)
    assert f"{here} följer inte längre Södermanlands län" in stopped
    assert await channel.store.follower_count("04") == 0


# --- who follows ------------------------------------------------------------------------------


async def test_a_colleague_sees_only_how_many_follow_and_the_officer_sees_who(channel: Channel) -> None:
    await channel.say("följ Sörmland: vi har tre ERUF-projekt där", OLLE)

    [count] = await channel.say("vem följer Sörmland?", ANNA)
    [names] = await channel.say("vem följer Sörmland?", ISABELLE)

    assert "1 personer och kanaler följer" in count["text"]
    assert "Olle" not in json.dumps(count, ensure_ascii=False)
    assert "ERUF" not in json.dumps(count, ensure_ascii=False)
    shown = card_text(names["attachments"][0]["content"])
    assert "Olle Svensson" in shown and "vi har tre ERUF-projekt där" in shown


async def test_unfollow_and_what_do_i_follow(channel: Channel) -> None:
    await channel.say("följ Sörmland")
    await channel.say("follow Norrbotten", locale="en-GB")
    [following] = await channel.say("vad följer jag?")
    assert "Norrbottens län" in following["text"] and "Södermanlands län" in following["text"]
    [stopped] = await channel.say("sluta följa Sörmland")
    assert "inte längre" in stopped["text"]
    [following] = await channel.say("vad följer jag?")
    assert "Södermanlands län" not in following["text"]


# --- the fan-out ------------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_fan_out_to_1000_followers_with_throttling_and_gone_followers(channel: Channel) -> None:
    connector = channel.connector
    for number in range(1000):
        await channel.store.follow(follower(number, connector))
    throttled = {f"a:follower-{n}" for n in range(0, 1000, 10)}
    gone = {f"a:follower-{n}" for n in range(5, 1000, 25)}
    for conversation in throttled:
        connector.scripted[conversation] = [429, 503]
    connector.gone.update(gone)
    post = await draft(channel)

    await channel.press("channel.publish", {"post": post})
    await channel.settled(post)

    received: dict[str, int] = {}
    for body in connector.replies:
        if "Ny regional utvecklingsstrategi" in card_text(body):
            received[body["conversation"]["id"]] = received.get(body["conversation"]["id"], 0) + 1
    live = {f"a:follower-{n}" for n in range(1000)} - gone
    assert received == dict.fromkeys(live, 1)
    assert {status for _, status in connector.refused_sends} == {429, 503, 403}
    counts = await channel.store.delivery_counts(post)
    assert (counts.delivered, counts.waiting, counts.gone) == (len(live), 0, len(gone))
    assert await channel.store.follower_count("04") == len(live)  # the gone ones follow no more


# --- personal data ----------------------------------------------------------------------------


async def test_forget_me_says_what_went_and_the_officer_post_stays_signed_with_the_role(channel: Channel) -> None:
    await channel.say("följ Sörmland: vi har tre ERUF-projekt där")
    [about] = await channel.say("vad vet du om mig?")
    assert "Södermanlands län" in about["text"] and "ERUF" in about["text"]
    post = await draft(channel)
    await channel.press("channel.publish", {"post": post})

    [forgot] = await channel.say("glöm mig")
    [forgot_officer] = await channel.say("glöm mig", ISABELLE)

    assert "1 följningar" in forgot["text"]
    assert "ligger kvar" in forgot_officer["text"]
    [about] = await channel.say("vad vet du om mig?")
    assert "inget sparat" in about["text"]
    [card] = await channel.say("vem har Sörmland?")
    shown = card_text(card)
    assert "Länsansvarig för Södermanlands län" in shown and "Isabelle Canderskog" in shown  # the card's officer
    assert await channel.rows("members") == 0


async def test_the_bot_purges_delivered_notifications_after_the_retention_time(
    channel: Channel, store_clock: StoreClock
) -> None:
    await channel.say("följ Sörmland")
    post = await draft(channel)
    await channel.press("channel.publish", {"post": post})
    await channel.settled(post)
    assert await channel.rows("deliveries") == 1

    store_clock.advance(days=91)
    await channel.app[CHANNEL_KEY].purge()

    assert await channel.rows("deliveries") == 0
    assert await channel.rows("members") == 0
    assert await channel.store.follower_count("04") == 1  # following is not subject to retention
