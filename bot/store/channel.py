"""The county channel's tables: follows, posts, the delivery outbox and the member cache.

One method per thing the feature does, each in one transaction, so that what belongs together
is committed together: a publication and its deliveries, a "forget me" and everything it
removes. Rows come back as small records of plain values; bot.runtime.channel turns them into
the core's dataclasses. SQL is the dialect SQLite and PostgreSQL share (bot.store.database).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.store.database import Database, DuplicateKey, Row, Transaction, Value, from_millis

logger = logging.getLogger(__name__)

# Delivery states. WAITING and SENDING count as "waiting" for the writer; GONE and FAILED as gone.
WAITING, SENDING, DELIVERED, GONE, FAILED = "waiting", "sending", "delivered", "gone", "failed"
# Post states, as in bot.core.posts.PostState.
DRAFT, PUBLISHED, WITHDRAWN = "draft", "published", "withdrawn"
# Post kinds, as in bot.core.posts.PostKind.
UPDATE_KIND, DIALOGUE_KIND = "update", "dialogue"
# Two writers creating a post at the same moment on PostgreSQL may pick the same next id; the
# loser tries again (posting is rare, so a second clash is rarer still).
ID_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A cached member look-up."""

    user_id: str
    aad_object_id: str
    name: str
    upn: str
    email: str
    fetched_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FollowRecord:
    """One conversation following one county."""

    conversation_id: str
    county: str
    channel: bool
    user_id: str | None
    name: str | None
    reason: str | None
    language: str
    reference: str  # JSON
    followed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PostRecord:
    """A post row."""

    id: int
    kind: str
    county: str
    title: str
    body: str
    link: str | None
    event_date: str | None
    author_id: str | None
    author_name: str | None
    state: str
    created_at: dt.datetime
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A notification a sender has claimed: where to send which post."""

    post_id: int
    conversation_id: str
    county: str
    attempts: int
    reference: str  # the follower's ConversationReference as JSON
    language: str
    channel: bool


@dataclass(frozen=True, slots=True)
class DeliveryCounts:
    """How a post's notifications stand."""

    delivered: int
    waiting: int
    gone: int


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What "forget me" removed (and how many posts stay, signed with the role)."""

    follows: int
    channel_follows: int
    deliveries: int
    members: int
    drafts: int
    posts_kept: int

    @property
    def anything(self) -> bool:
        """Say whether anything at all was held."""
        return any((self.follows, self.channel_follows, self.deliveries, self.members, self.drafts, self.posts_kept))


@dataclass(frozen=True, slots=True)
class Purged:
    """What one retention purge removed."""

    deliveries: int
    members: int


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _member(row: Row) -> MemberRecord:
    return MemberRecord(
        str(row["user_id"]),
        str(row["aad_object_id"]),
        str(row["name"]),
        str(row["upn"]),
        str(row["email"]),
        from_millis(int(row["fetched_at"] or 0)),
    )


def _follow(row: Row) -> FollowRecord:
    return FollowRecord(
        str(row["conversation_id"]),
        str(row["county"]),
        bool(row["channel"]),
        None if row["user_id"] is None else str(row["user_id"]),
        None if row["name"] is None else str(row["name"]),
        None if row["reason"] is None else str(row["reason"]),
        str(row["language"]),
        str(row["reference"]),
        from_millis(int(row["followed_at"] or 0)),
    )


def _post(row: Row) -> PostRecord:
    return PostRecord(
        int(row["id"] or 0),
        str(row["kind"]),
        str(row["county"]),
        str(row["title"]),
        str(row["body"]),
        None if row["link"] is None else str(row["link"]),
        None if row["event_date"] is None else str(row["event_date"]),
        None if row["author_id"] is None else str(row["author_id"]),
        None if row["author_name"] is None else str(row["author_name"]),
        str(row["state"]),
        from_millis(int(row["created_at"] or 0)),
        None if row["published_at"] is None else from_millis(int(row["published_at"])),
    )


POST_COLUMNS = (
    "id, kind, county, title, body, link, event_date, author_id, author_name, state, created_at, published_at"
)
FOLLOW_COLUMNS = "conversation_id, county, channel, user_id, name, reason, language, reference, followed_at"


class ChannelStore:
    """The county channel's data in one Database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def _now(self) -> int:
        return self.database.now_millis()

    # --- the member cache ----------------------------------------------------------------------

    async def member(self, user_id: str, fresh_after: dt.datetime) -> MemberRecord | None:
        """Return the cached look-up of `user_id` if it was fetched after `fresh_after`."""
        async with self.database.transaction(readonly=True) as tx:
            row = await tx.fetchone(
                "SELECT * FROM members WHERE user_id = :user_id AND fetched_at > :after",
                {"user_id": user_id, "after": _ms(fresh_after)},
            )
        return _member(row) if row else None

    async def remember_member(self, member: MemberRecord) -> None:
        """Cache a member look-up (replacing an older one)."""
        async with self.database.transaction() as tx:
            await tx.execute(
                "INSERT INTO members (user_id, aad_object_id, name, upn, email, fetched_at) "
                "VALUES (:user_id, :aad, :name, :upn, :email, :at) ON CONFLICT (user_id) DO UPDATE SET "
                "aad_object_id = excluded.aad_object_id, name = excluded.name, upn = excluded.upn, "
                "email = excluded.email, fetched_at = excluded.fetched_at",
                {
                    "user_id": member.user_id,
                    "aad": member.aad_object_id,
                    "name": member.name,
                    "upn": member.upn,
                    "email": member.email,
                    "at": _ms(member.fetched_at),
                },
            )

    # --- follows -------------------------------------------------------------------------------

    async def follow(self, record: FollowRecord) -> bool:
        """Follow a county from a conversation (a new reason replaces the old); True when new."""
        params: dict[str, Value] = {
            "conversation_id": record.conversation_id,
            "county": record.county,
            "channel": int(record.channel),
            "user_id": record.user_id,
            "name": record.name,
            "reason": record.reason,
            "language": record.language,
            "reference": record.reference,
            "at": _ms(record.followed_at),
        }
        async with self.database.transaction() as tx:
            existing = await tx.fetchone(
                "SELECT reason FROM follows WHERE conversation_id = :conversation_id AND county = :county", params
            )
            if existing is None:
                await tx.execute(
                    f"INSERT INTO follows ({FOLLOW_COLUMNS}) VALUES (:conversation_id, :county, :channel, "
                    ":user_id, :name, :reason, :language, :reference, :at)",
                    params,
                )
                return True
            # Following again refreshes the reference (Teams may move a conversation) and the line.
            await tx.execute(
                "UPDATE follows SET reference = :reference, user_id = :user_id, name = :name, language = :language, "
                "reason = COALESCE(:reason, reason) WHERE conversation_id = :conversation_id AND county = :county",
                params,
            )
            return False

    async def unfollow(self, conversation_id: str, county: str) -> bool:
        """Stop following, and drop that conversation's notifications not yet sent; True if it followed."""
        params: dict[str, Value] = {"conversation_id": conversation_id, "county": county, "waiting": WAITING}
        async with self.database.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM follows WHERE conversation_id = :conversation_id AND county = :county", params
            )
            await tx.execute(
                "DELETE FROM deliveries WHERE conversation_id = :conversation_id AND county = :county "
                "AND state = :waiting",
                params,
            )
        return removed > 0

    async def following(self, conversation_id: str) -> list[FollowRecord]:
        """Return what one conversation follows."""
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(
                f"SELECT {FOLLOW_COLUMNS} FROM follows WHERE conversation_id = :id ORDER BY county",
                {"id": conversation_id},
            )
        return [_follow(row) for row in rows]

    async def followers(self, county: str) -> list[FollowRecord]:
        """Return every conversation that follows `county`, oldest first."""
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(
                f"SELECT {FOLLOW_COLUMNS} FROM follows WHERE county = :county ORDER BY followed_at, conversation_id",
                {"county": county},
            )
        return [_follow(row) for row in rows]

    async def follower_count(self, county: str) -> int:
        """Count the conversations that follow `county`."""
        async with self.database.transaction(readonly=True) as tx:
            row = await tx.fetchone("SELECT COUNT(*) AS n FROM follows WHERE county = :county", {"county": county})
        return int(row["n"] or 0) if row else 0

    # --- posts ---------------------------------------------------------------------------------

    async def create_draft(self, fields: dict[str, str | None], author_id: str, author_name: str) -> int:
        """Store a checked draft; return its id."""
        now = self._now()
        for _ in range(ID_ATTEMPTS):
            try:
                async with self.database.transaction() as tx:
                    row = await tx.fetchone("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM posts")
                    post_id = int(row["next"] or 1) if row else 1
                    await tx.execute(
                        "INSERT INTO posts (id, kind, county, title, body, link, event_date, author_id, "
                        "author_name, state, created_at, published_at, updated_at) VALUES (:id, :kind, :county, "
                        ":title, :body, :link, :event_date, :author_id, :author_name, :state, :now, NULL, :now)",
                        {
                            **fields,
                            "id": post_id,
                            "author_id": author_id,
                            "author_name": author_name,
                            "state": DRAFT,
                            "now": now,
                        },
                    )
                return post_id
            except DuplicateKey:
                logger.info("post id clash with another writer; trying the next id")
        raise DuplicateKey(f"no free post id after {ID_ATTEMPTS} attempts")

    async def update_post(self, post_id: int, author_id: str, fields: dict[str, str | None]) -> bool:
        """Change a draft or published post of `author_id` (county and kind stay); True if it did."""
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE posts SET title = :title, body = :body, link = :link, event_date = :event_date, "
                "updated_at = :now WHERE id = :id AND author_id = :author_id AND state <> :withdrawn",
                {**fields, "id": post_id, "author_id": author_id, "now": self._now(), "withdrawn": WITHDRAWN},
            )
        return changed > 0

    async def post(self, post_id: int) -> PostRecord | None:
        """Return one post."""
        async with self.database.transaction(readonly=True) as tx:
            row = await tx.fetchone(f"SELECT {POST_COLUMNS} FROM posts WHERE id = :id", {"id": post_id})
        return _post(row) if row else None

    async def posts_by(self, author_id: str) -> list[PostRecord]:
        """Return an author's posts, newest first."""
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(
                f"SELECT {POST_COLUMNS} FROM posts WHERE author_id = :author ORDER BY id DESC",
                {"author": author_id},
            )
        return [_post(row) for row in rows]

    async def county_posts(self, county: str, limit: int, *, withdrawn: bool) -> list[PostRecord]:
        """Return a county's latest posts, newest first: published ones, and withdrawn ones if asked
        (those once published: a discarded draft was never anybody's news)."""
        states = {"published": PUBLISHED, "withdrawn": WITHDRAWN if withdrawn else PUBLISHED}
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(
                f"SELECT {POST_COLUMNS} FROM posts WHERE county = :county AND state IN (:published, :withdrawn) "
                "AND published_at IS NOT NULL ORDER BY id DESC LIMIT :limit",
                {"county": county, "limit": limit, **states},
            )
        return [_post(row) for row in rows]

    async def published(self, counties: tuple[str, ...] = ()) -> list[PostRecord]:
        """Return the published posts of `counties` (all counties when empty), oldest first."""
        if not counties:
            sql = f"SELECT {POST_COLUMNS} FROM posts WHERE state = :state ORDER BY id"
            params: dict[str, Value] = {"state": PUBLISHED}
        else:
            names = {f"c{index}": code for index, code in enumerate(counties)}
            listed = ", ".join(f":{name}" for name in names)
            sql = f"SELECT {POST_COLUMNS} FROM posts WHERE state = :state AND county IN ({listed}) ORDER BY id"
            params = {"state": PUBLISHED, **names}
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(sql, params)
        return [_post(row) for row in rows]

    async def publish(self, post_id: int, author_id: str) -> int | None:
        """Publish a draft and queue one notification per follower, in one transaction.

        Return how many notifications were queued, or None when it is no draft of `author_id`.
        The delivery key (post, conversation) makes a second publication queue nothing twice.
        """
        now = self._now()
        params: dict[str, Value] = {
            "id": post_id,
            "author_id": author_id,
            "draft": DRAFT,
            "published": PUBLISHED,
            "now": now,
            "waiting": WAITING,
        }
        async with self.database.transaction() as tx:
            changed = await tx.execute(
                "UPDATE posts SET state = :published, published_at = :now, updated_at = :now "
                "WHERE id = :id AND author_id = :author_id AND state = :draft",
                params,
            )
            if changed == 0:
                return None
            await tx.execute(
                "INSERT INTO deliveries (post_id, conversation_id, county, user_id, state, attempts, due_at, "
                "claimed_until, last_status, updated_at) "
                "SELECT :id, f.conversation_id, f.county, CASE WHEN f.channel = 0 THEN f.user_id END, :waiting, 0, "
                ":now, NULL, NULL, :now FROM follows f JOIN posts p ON p.id = :id AND f.county = p.county "
                "ON CONFLICT (post_id, conversation_id) DO NOTHING",
                params,
            )
            row = await tx.fetchone("SELECT COUNT(*) AS n FROM deliveries WHERE post_id = :id", params)
        return int(row["n"] or 0) if row else 0

    async def withdraw(self, post_id: int, author_id: str | None) -> bool:
        """Withdraw a post (of `author_id`, or any with None: an editor) and stop unsent notifications."""
        params: dict[str, Value] = {
            "id": post_id,
            "author_id": author_id,
            "withdrawn": WITHDRAWN,
            "now": self._now(),
            "waiting": WAITING,
            "draft": DRAFT,
        }
        mine = "" if author_id is None else " AND author_id = :author_id"
        async with self.database.transaction() as tx:
            draft = await tx.execute(f"DELETE FROM posts WHERE id = :id AND state = :draft{mine}", params)
            if draft:
                return True
            changed = await tx.execute(
                f"UPDATE posts SET state = :withdrawn, updated_at = :now WHERE id = :id AND state <> :withdrawn{mine}",
                params,
            )
            if changed:
                await tx.execute("DELETE FROM deliveries WHERE post_id = :id AND state = :waiting", params)
        return changed > 0

    async def delivery_counts(self, post_id: int) -> DeliveryCounts:
        """Count a post's notifications: delivered, waiting (or being sent), gone (or failed)."""
        async with self.database.transaction(readonly=True) as tx:
            rows = await tx.fetchall(
                "SELECT state, COUNT(*) AS n FROM deliveries WHERE post_id = :id GROUP BY state", {"id": post_id}
            )
        counts = {str(row["state"]): int(row["n"] or 0) for row in rows}
        return DeliveryCounts(
            counts.get(DELIVERED, 0),
            counts.get(WAITING, 0) + counts.get(SENDING, 0),
            counts.get(GONE, 0) + counts.get(FAILED, 0),
        )

    # --- the outbox ----------------------------------------------------------------------------

    async def claim_due(self, limit: int, lease: dt.timedelta) -> list[DueDelivery]:
        """Claim up to `limit` notifications that are due (or whose sender died), oldest first.

        A claimed row is SENDING until its lease ends; a sender that crashes leaves it in doubt,
        and once the lease ends any sender takes it up again: nothing is lost. The claim is one
        UPDATE that re-checks each row, so two instances never claim the same one.
        """
        now = self._now()
        params: dict[str, Value] = {
            "now": now,
            "until": now + int(lease.total_seconds() * 1000),
            "limit": limit,
            "waiting": WAITING,
            "sending": SENDING,
        }
        due = "((state = :waiting AND due_at <= :now) OR (state = :sending AND claimed_until <= :now))"
        async with self.database.transaction() as tx:
            rows = await tx.fetchall(
                f"UPDATE deliveries SET state = :sending, claimed_until = :until, updated_at = :now "
                f"WHERE (post_id, conversation_id) IN (SELECT post_id, conversation_id FROM deliveries "
                f"WHERE {due} ORDER BY due_at, post_id, conversation_id LIMIT :limit) AND {due} "
                f"RETURNING post_id, conversation_id, county, attempts",
                params,
            )
            if not rows:
                return []
            keys = {f"c{index}": row["conversation_id"] for index, row in enumerate(rows)}
            follows = await tx.fetchall(
                "SELECT conversation_id, county, reference, language, channel FROM follows "
                f"WHERE conversation_id IN ({', '.join(':' + key for key in keys)})",
                keys,
            )
            found = {(str(row["conversation_id"]), str(row["county"])): row for row in follows}
            claimed: list[DueDelivery] = []
            for row in rows:
                follow = found.get((str(row["conversation_id"]), str(row["county"])))
                if follow is None:  # unfollowed since the post was published
                    await tx.execute(
                        "DELETE FROM deliveries WHERE post_id = :post_id AND conversation_id = :conversation_id",
                        {"post_id": row["post_id"], "conversation_id": row["conversation_id"]},
                    )
                    continue
                claimed.append(
                    DueDelivery(
                        int(row["post_id"] or 0),
                        str(row["conversation_id"]),
                        str(row["county"]),
                        int(row["attempts"] or 0),
                        str(follow["reference"]),
                        str(follow["language"]),
                        bool(follow["channel"]),
                    )
                )
        claimed.sort(key=lambda item: (item.post_id, item.conversation_id))
        return claimed

    async def unclaim(self, keys: list[tuple[int, str]]) -> None:
        """Hand back claimed notifications that were never sent (the sender is stopping): due at once."""
        async with self.database.transaction() as tx:
            for post_id, conversation_id in keys:
                await tx.execute(
                    "UPDATE deliveries SET state = :waiting, claimed_until = NULL, updated_at = :now "
                    "WHERE post_id = :post_id AND conversation_id = :conv AND state = :sending",
                    {
                        "waiting": WAITING,
                        "sending": SENDING,
                        "now": self._now(),
                        "post_id": post_id,
                        "conv": conversation_id,
                    },
                )

    async def delivered(self, post_id: int, conversation_id: str, status: int) -> None:
        """Record a notification as delivered."""
        await self._settle(post_id, conversation_id, DELIVERED, status)

    async def failed(self, post_id: int, conversation_id: str, status: int) -> None:
        """Record a notification that can never be delivered (a refusal other than "gone")."""
        await self._settle(post_id, conversation_id, FAILED, status)

    async def _settle(self, post_id: int, conversation_id: str, state: str, status: int) -> None:
        async with self.database.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET state = :state, last_status = :status, claimed_until = NULL, "
                "attempts = attempts + 1, updated_at = :now WHERE post_id = :post_id AND conversation_id = :conv",
                {"state": state, "status": status, "now": self._now(), "post_id": post_id, "conv": conversation_id},
            )

    async def retry_later(self, post_id: int, conversation_id: str, status: int, due: dt.datetime) -> None:
        """Put a notification back in the queue until `due` (backoff, Retry-After)."""
        async with self.database.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET state = :waiting, last_status = :status, claimed_until = NULL, "
                "attempts = attempts + 1, due_at = :due, updated_at = :now "
                "WHERE post_id = :post_id AND conversation_id = :conv",
                {
                    "waiting": WAITING,
                    "status": status,
                    "due": _ms(due),
                    "now": self._now(),
                    "post_id": post_id,
                    "conv": conversation_id,
                },
            )

    async def gone(self, post_id: int, conversation_id: str, status: int) -> None:
        """Record that a conversation is gone (403, 404): it follows nothing any more, and its
        person's data goes with it; the delivery rows stay, without the person, for the counts."""
        params: dict[str, Value] = {
            "gone": GONE,
            "status": status,
            "now": self._now(),
            "post_id": post_id,
            "conv": conversation_id,
            "waiting": WAITING,
        }
        async with self.database.transaction() as tx:
            people = await tx.fetchall(
                "SELECT DISTINCT user_id FROM follows WHERE conversation_id = :conv AND channel = 0 "
                "AND user_id IS NOT NULL",
                params,
            )
            await tx.execute(
                "UPDATE deliveries SET state = :gone, last_status = :status, claimed_until = NULL, user_id = NULL, "
                "attempts = attempts + 1, updated_at = :now WHERE post_id = :post_id AND conversation_id = :conv",
                params,
            )
            await tx.execute(
                "UPDATE deliveries SET state = :gone, user_id = NULL, updated_at = :now "
                "WHERE conversation_id = :conv AND state = :waiting",
                params,
            )
            await tx.execute("DELETE FROM follows WHERE conversation_id = :conv", params)
            for person in people:
                await tx.execute("DELETE FROM members WHERE user_id = :user_id", {"user_id": person["user_id"]})

    # --- personal data -------------------------------------------------------------------------

    async def forget(self, user_id: str) -> Forgotten:
        """Remove everything held about `user_id` in one transaction; their posts stay, unsigned."""
        params: dict[str, Value] = {"user_id": user_id, "draft": DRAFT}
        async with self.database.transaction() as tx:
            follows = await tx.execute("DELETE FROM follows WHERE user_id = :user_id AND channel = 0", params)
            channel_follows = await tx.execute(
                "UPDATE follows SET user_id = NULL, name = NULL, reason = NULL "
                "WHERE user_id = :user_id AND channel = 1",
                params,
            )
            deliveries = await tx.execute("DELETE FROM deliveries WHERE user_id = :user_id", params)
            members = await tx.execute("DELETE FROM members WHERE user_id = :user_id", params)
            drafts = await tx.execute("DELETE FROM posts WHERE author_id = :user_id AND state = :draft", params)
            posts = await tx.execute(
                "UPDATE posts SET author_id = NULL, author_name = NULL WHERE author_id = :user_id", params
            )
        return Forgotten(follows, channel_follows, deliveries, members, drafts, posts)

    async def about(self, user_id: str) -> tuple[MemberRecord | None, list[FollowRecord], int, int]:
        """Return what is held about `user_id`: member look-up, follows, queued/sent messages, signed posts."""
        params: dict[str, Value] = {"user_id": user_id}
        async with self.database.transaction(readonly=True) as tx:
            member = await tx.fetchone("SELECT * FROM members WHERE user_id = :user_id", params)
            follows = await tx.fetchall(
                f"SELECT {FOLLOW_COLUMNS} FROM follows WHERE user_id = :user_id ORDER BY county", params
            )
            deliveries = await tx.fetchone("SELECT COUNT(*) AS n FROM deliveries WHERE user_id = :user_id", params)
            posts = await tx.fetchone("SELECT COUNT(*) AS n FROM posts WHERE author_id = :user_id", params)
        return (
            _member(member) if member else None,
            [_follow(row) for row in follows],
            int(deliveries["n"] or 0) if deliveries else 0,
            int(posts["n"] or 0) if posts else 0,
        )

    async def purge(self, before: dt.datetime) -> Purged:
        """Remove settled notifications and member look-ups older than `before` (retention)."""
        params: dict[str, Value] = {"before": _ms(before), "delivered": DELIVERED, "gone": GONE, "failed": FAILED}
        async with self.database.transaction() as tx:
            deliveries = await tx.execute(
                "DELETE FROM deliveries WHERE state IN (:delivered, :gone, :failed) AND updated_at < :before", params
            )
            members = await tx.execute("DELETE FROM members WHERE fetched_at < :before", params)
        return Purged(deliveries, members)


async def count_rows(tx: Transaction, table: str) -> int:
    """Count a table's rows (tests and the benchmark)."""
    row = await tx.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    return int(row["n"] or 0) if row else 0
