"""The county channel's tables on both backends: follows, the outbox's claims, "forget me" and retention.

Every test runs on SQLite and on a real PostgreSQL (the `database` fixture), on a clock the test moves.
"""

from __future__ import annotations

import datetime as dt
import json

from bot.store import Database
from bot.store.channel import ChannelStore, FollowRecord, MemberRecord, count_rows
from tests.databases import StoreClock

TABLES = ("members", "follows", "posts", "deliveries")


def follow(conversation: str, county: str, user: str | None, *, channel: bool = False, reason: str | None = None):
    return FollowRecord(
        conversation_id=conversation,
        county=county,
        channel=channel,
        user_id=user,
        name=f"Name of {user}" if user else None,
        reason=reason,
        language="sv",
        reference=json.dumps({"conversation": {"id": conversation}}),
        followed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )


FIELDS = {
    "kind": "update",
    "county": "04",
    "title": "Ny strategi",
    "body": "Regionen antar en ny RUS.",
    "link": None,
    "event_date": None,
}


async def snapshot(database: Database) -> dict[str, list[tuple]]:
    """Return every row of the channel's tables, sorted, to compare before and after."""
    rows = {}
    async with database.transaction(readonly=True) as tx:
        for table in TABLES:
            rows[table] = sorted(
                (tuple(sorted(row.items())) for row in await tx.fetchall(f"SELECT * FROM {table}")), key=repr
            )
    return rows


async def test_following_twice_keeps_one_follow_and_the_newest_line(database: Database) -> None:
    store = ChannelStore(database)
    assert await store.follow(follow("a:1", "04", "29:anna"))
    assert not await store.follow(follow("a:1", "04", "29:anna", reason="tre ERUF-projekt"))
    [record] = await store.followers("04")
    assert record.reason == "tre ERUF-projekt"
    assert await store.follower_count("04") == 1


async def test_publishing_queues_one_notification_per_follower_once(database: Database) -> None:
    store = ChannelStore(database)
    for number in range(5):
        await store.follow(follow(f"a:{number}", "04", f"29:{number}"))
    await store.follow(follow("a:other", "14", "29:other"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")

    assert await store.publish(post, "29:isabelle") == 5
    assert await store.publish(post, "29:isabelle") is None  # not a draft any more: nothing twice
    counts = await store.delivery_counts(post)
    assert (counts.delivered, counts.waiting, counts.gone) == (0, 5, 0)


async def test_only_the_writer_publishes_a_draft(database: Database) -> None:
    store = ChannelStore(database)
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    assert await store.publish(post, "29:someone-else") is None
    assert (await store.post(post)).state == "draft"


async def test_a_claim_is_held_for_its_lease_and_then_taken_up_again(
    database: Database, store_clock: StoreClock
) -> None:
    store = ChannelStore(database)
    await store.follow(follow("a:1", "04", "29:1"))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")

    [claimed] = await store.claim_due(10, dt.timedelta(seconds=60))
    assert await store.claim_due(10, dt.timedelta(seconds=60)) == []  # held: no second sender takes it
    store_clock.advance(seconds=61)  # the sender died: its claim runs out
    [again] = await store.claim_due(10, dt.timedelta(seconds=60))
    assert (again.post_id, again.conversation_id) == (claimed.post_id, claimed.conversation_id)
    await store.delivered(again.post_id, again.conversation_id, 201)
    store_clock.advance(seconds=61)
    assert await store.claim_due(10, dt.timedelta(seconds=60)) == []
    assert (await store.delivery_counts(post)).delivered == 1


async def test_a_gone_conversation_stops_following_and_its_person_is_removed(database: Database) -> None:
    store = ChannelStore(database)
    await store.follow(follow("a:1", "04", "29:1"))
    await store.follow(follow("a:1", "14", "29:1"))
    await store.remember_member(
        MemberRecord("29:1", "aad", "Anna", "anna@x.se", "anna@x.se", dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    )
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    [claimed] = await store.claim_due(10, dt.timedelta(seconds=60))

    await store.gone(claimed.post_id, claimed.conversation_id, 403)

    assert await store.following("a:1") == []
    assert (await store.delivery_counts(post)).gone == 1
    member, follows, deliveries, posts = await store.about("29:1")
    assert (member, follows, deliveries, posts) == (None, [], 0, 0)


async def test_forget_me_removes_every_row_about_the_user_and_nothing_else(database: Database) -> None:
    store = ChannelStore(database)
    # Someone else's data, which must survive untouched.
    await store.follow(follow("a:other", "04", "29:other", reason="vi har projekt"))
    await store.remember_member(
        MemberRecord("29:other", "aad-o", "Olle", "olle@x.se", "olle@x.se", dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    )
    kept_post = await store.create_draft(FIELDS, "29:other", "Olle")
    # Anna's data: a follow of her own, a channel follow she asked for, her member look-up,
    # a draft, a published post and a notification queued to her.
    await store.follow(follow("a:anna", "04", "29:anna", reason="jag bor där"))
    await store.follow(follow("19:channel", "14", "29:anna", channel=True, reason="enheten följer"))
    await store.remember_member(
        MemberRecord("29:anna", "aad-a", "Anna", "anna@x.se", "anna@x.se", dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    )
    await store.create_draft(FIELDS, "29:anna", "Anna")
    published = await store.create_draft(FIELDS, "29:anna", "Anna")
    await store.publish(published, "29:anna")
    before_other = [row for row in (await snapshot(database))["follows"] if "29:other" in str(row)]

    forgotten = await store.forget("29:anna")

    assert (
        forgotten.follows,
        forgotten.channel_follows,
        forgotten.members,
        forgotten.drafts,
        forgotten.posts_kept,
    ) == (1, 1, 1, 1, 1)
    assert forgotten.deliveries == 1  # the notification to her own follow of 04
    after = await snapshot(database)
    assert "29:anna" not in json.dumps(after, default=str)
    assert "Anna" not in json.dumps(after, default=str)
    assert "jag bor där" not in json.dumps(after, default=str) and "enheten följer" not in json.dumps(
        after, default=str
    )
    assert [row for row in after["follows"] if "29:other" in str(row)] == before_other
    assert await store.follower_count("14") == 1  # the channel still follows, anonymously
    assert (await store.post(published)).author_name is None  # the post stays, signed with the role
    assert (await store.post(kept_post)).author_name == "Olle"
    assert (await store.member("29:other", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))).name == "Olle"


async def test_retention_purges_settled_notifications_and_old_lookups_only(
    database: Database, store_clock: StoreClock
) -> None:
    store = ChannelStore(database)
    await store.follow(follow("a:1", "04", "29:1"))
    await store.follow(follow("a:2", "04", "29:2"))
    await store.remember_member(MemberRecord("29:1", "aad", "Anna", "a@x.se", "a@x.se", store_clock()))
    post = await store.create_draft(FIELDS, "29:isabelle", "Isabelle Canderskog")
    await store.publish(post, "29:isabelle")
    first, second = await store.claim_due(10, dt.timedelta(seconds=60))
    await store.delivered(first.post_id, first.conversation_id, 201)
    await store.retry_later(second.post_id, second.conversation_id, 429, store_clock() + dt.timedelta(days=200))

    store_clock.advance(days=89)
    early = await store.purge(store_clock() - dt.timedelta(days=90))
    assert (early.deliveries, early.members) == (0, 0)
    store_clock.advance(days=2)
    purged = await store.purge(store_clock() - dt.timedelta(days=90))

    async with database.transaction(readonly=True) as tx:
        assert await count_rows(tx, "deliveries") == 1  # the one still waiting is kept
        assert await count_rows(tx, "members") == 0
        assert await count_rows(tx, "posts") == 1
    assert purged.deliveries == 1 and purged.members == 1
