"""The county channel at work: follow, post, publish, forget, on the store and the served data.

Plain Python and asyncio (no botbuilder, no aiohttp). The Teams handler hands over the parsed
command or card action, the Sender and a way to look the sender up in Teams; this module decides
with bot.core (authority, the form's rules) and the store, and returns a bot.core.channel reply.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import assert_never

from bot.core.answers import Answer
from bot.core.authors import NOBODY, Authority, Member, authority, role_label, who_may_post
from bot.core.channel import (
    ChannelReply,
    Follower,
    FollowerList,
    ListedPost,
    PostForm,
    PostList,
    PostPreview,
    Said,
    Sender,
)
from bot.core.clock import Clock
from bot.core.messages import format_date, join_words, text
from bot.core.posts import FIELDS, Draft, Post, PostKind, PostState, read_form, with_posts
from bot.core.voice import Voice, VoiceCommand
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.runtime.live import LiveData
from bot.store.channel import ChannelStore, FollowRecord, MemberRecord, PostRecord
from bot.store.database import StoreError, utc_now

logger = logging.getLogger(__name__)

# A cached member look-up is trusted this long: long enough that an officer posting a few times
# a day asks Teams once, short enough that a changed sign-in name is noticed the same day.
MEMBER_MAX_AGE = dt.timedelta(hours=12)
# "inlägg Sörmland" lists this many of the county's latest posts: about two months of an active
# officer's news, and a card that still fits a Teams message.
COUNTY_POSTS_SHOWN = 10
# How long delivered notifications and member look-ups are kept when RETENTION_DAYS is unset.
DEFAULT_RETENTION_DAYS = 90

# How old the county cards' posts may be when another instance (or `python -m bot`) published,
# edited or withdrew one: each county's posts are read again after this long. What this process
# does to a post shows at once (every change through the channel empties the cache).
POSTS_MAX_AGE = dt.timedelta(seconds=5)

# The command, written out for one county, that a "which county?" answer gives as its example.
EXAMPLE_WORDS = {
    Voice.FOLLOW: "follow_word",
    Voice.UNFOLLOW: "unfollow_word",
    Voice.FOLLOWERS: "followers_word",
    Voice.COUNTY_POSTS: "county_posts_word",
}

MemberLookup = Callable[[], Awaitable[Member | None]]


class PublishedPosts:
    """Each county's published posts as last read from the store, for at most POSTS_MAX_AGE.

    Every county answer shows its county's posts; reading them from the store for each answer
    cost three round trips a question. Holds at most one entry per county code asked about.
    """

    def __init__(
        self,
        read: Callable[[tuple[str, ...]], Awaitable[list[PostRecord]]],
        now: Callable[[], dt.datetime],
        max_age: dt.timedelta = POSTS_MAX_AGE,
    ) -> None:
        self._read = read
        self._now = now
        self._max_age = max_age
        self._entries: dict[str, tuple[dt.datetime, tuple[Post, ...]]] = {}
        self._generation = 0  # bumped by forget(): a read begun before it is not kept

    def forget(self) -> None:
        """Drop every county's posts: the next answer reads them from the store."""
        self._entries.clear()
        self._generation += 1

    async def posts_for(self, codes: tuple[str, ...]) -> dict[str, tuple[Post, ...]]:
        """Return the published posts of these counties that have any, by county."""
        now = self._now()
        known = {
            code: entry[1]
            for code in codes
            if (entry := self._entries.get(code)) and dt.timedelta(0) <= now - entry[0] < self._max_age
        }
        missing = tuple(code for code in dict.fromkeys(codes) if code not in known)
        if missing:
            generation = self._generation
            read: dict[str, list[Post]] = {code: [] for code in missing}
            for record in await self._read(missing):
                read.setdefault(record.county, []).append(post_of(record))
            for code, posts in read.items():
                known[code] = tuple(posts)
                if generation == self._generation:
                    self._entries[code] = (now, known[code])
        return {code: posts for code, posts in known.items() if posts}


class LookupFailed(RuntimeError):
    """Teams could not say who the sender is (the connector failed); nothing is decided on a guess."""


def post_of(record: PostRecord) -> Post:
    """Return the core's Post for a stored row."""
    return Post(
        id=record.id,
        kind=PostKind(record.kind),
        county=record.county,
        title=record.title,
        text=record.body,
        link=record.link,
        date=dt.date.fromisoformat(record.event_date) if record.event_date else None,
        author_id=record.author_id,
        author_name=record.author_name,
        state=PostState(record.state),
        created_at=record.created_at,
        published_at=record.published_at,
    )


def signature(post: Post, directory: Directory, language: str) -> str:
    """Return who a post is signed by: the writer's name, or the role once they were forgotten."""
    return post.author_name or role_label(post.county, directory, language)


def draft_fields(draft: Draft) -> dict[str, str | None]:
    """Return a checked draft as the store's columns."""
    return {
        "kind": draft.kind.value,
        "county": draft.county,
        "title": draft.title,
        "body": draft.text,
        "link": draft.link,
        "event_date": draft.date.isoformat() if draft.date else None,
    }


class CountyChannel:
    """Follows, posts and personal data for one running bot."""

    def __init__(
        self,
        store: ChannelStore,
        live: LiveData,
        today: Clock,
        *,
        on_publish: Callable[[], None] = lambda: None,
        now: Callable[[], dt.datetime] = utc_now,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.store = store
        self._live = live
        self._today = today
        self.on_publish = on_publish  # wakes the outbox sender
        self._now = now
        self.retention_days = retention_days
        self._posts = PublishedPosts(store.published, now)

    # --- commands ------------------------------------------------------------------------------

    async def command(self, command: VoiceCommand, sender: Sender, lookup: MemberLookup) -> ChannelReply:
        """Carry out one voice command for `sender`; the county cards show what it changed at once."""
        try:
            return await self._command(command, sender, lookup)
        finally:
            self._posts.forget()

    async def _command(self, command: VoiceCommand, sender: Sender, lookup: MemberLookup) -> ChannelReply:
        directory = self._directory()
        language = command.language
        if directory is None:
            return Said(text("data_unavailable", language, url=STRATEGIC_SITE_URL))
        lookup = self._cached(sender.user_id, lookup)
        match command.voice:
            case Voice.NEW_UPDATE | Voice.NEW_DIALOGUE:
                kind = PostKind.UPDATE if command.voice is Voice.NEW_UPDATE else PostKind.DIALOGUE
                return await self._new_form(kind, directory, language, lookup)
            case Voice.MY_POSTS:
                return await self._my_posts(sender, directory, language)
            case Voice.COUNTY_POSTS:
                code = self._county(command.place, language, command.voice)
                if isinstance(code, Said):
                    return code
                return await self._county_posts(code, sender, directory, language, lookup)
            case Voice.FOLLOW | Voice.UNFOLLOW | Voice.FOLLOWERS:
                code = self._county(command.place, language, command.voice)
                if isinstance(code, Said):
                    return code
                if command.voice is Voice.FOLLOW:
                    return await self._follow(code, command.reason, sender, directory, language)
                if command.voice is Voice.UNFOLLOW:
                    return await self._unfollow(code, sender, directory, language)
                return await self._followers(code, directory, language, lookup)
            case Voice.FOLLOWING:
                return await self._following(sender, directory, language)
            case Voice.STATUS:  # a named post may be any of a county the sender posts for
                rights = NOBODY if command.post_id is None else await self._rights(lookup)
                return await self._status(command.post_id, sender, language, rights=rights)
            case Voice.FORGET_ME:
                return await self._forget(sender, language)
            case Voice.ABOUT_ME:
                return await self._about(sender, directory, language)
            case _:
                assert_never(command.voice)

    def _directory(self) -> Directory | None:
        snapshot = self._live.snapshot
        return snapshot.directory if snapshot else None

    def _county(self, place: str, language: str, voice: Voice) -> str | Said:
        """Return the one county `place` names, or the sentence saying it names none or several
        (with an example of the same command for one of them)."""
        answerer = self._live.current
        if answerer is None:
            return Said(text("data_unavailable", language, url=STRATEGIC_SITE_URL))
        answer = answerer.answer(place, self._today(), None)
        codes = [item.county.code for item in answer.counties]
        if len(codes) == 1:
            return codes[0]
        if not codes:
            return Said(text("place_unknown", language))
        names = [item.county.name for item in answer.counties]
        example = text(EXAMPLE_WORDS.get(voice, "follow_word"), language, county=names[0])
        return Said(text("place_ambiguous", language, options=join_words(names, language, "or"), example=example))

    def _county_name(self, code: str, directory: Directory) -> str:
        county = directory.geography.by_code.get(code)
        return county.name if county else code

    # --- who the sender is -------------------------------------------------------------------

    async def member(self, user_id: str, lookup: MemberLookup) -> Member | None:
        """Return the sender as Teams knows them: from the cache, else asked (and cached)."""
        cached = await self.store.member(user_id, self._now() - MEMBER_MAX_AGE)
        if cached is not None:
            return Member(cached.user_id, cached.aad_object_id, cached.name, cached.upn, cached.email)
        found = await lookup()
        if found is None:
            return None
        await self.store.remember_member(
            MemberRecord(found.user_id, found.aad_object_id, found.name, found.upn, found.email, self._now())
        )
        return found

    def _cached(self, user_id: str, lookup: MemberLookup) -> MemberLookup:
        """Return `lookup` behind the member cache, so a turn asks Teams at most once in a while."""

        async def cached() -> Member | None:
            return await self.member(user_id, lookup)

        return cached

    # --- following -----------------------------------------------------------------------------

    async def _follow(self, code: str, reason: str, sender: Sender, directory: Directory, language: str) -> Said:
        record = FollowRecord(
            conversation_id=sender.conversation_id,
            county=code,
            channel=sender.channel,
            user_id=sender.user_id,
            name=sender.name,
            reason=reason or None,
            language=language,
            reference=sender.reference,
            followed_at=self._now(),
        )
        new = await self.store.follow(record)
        county = self._county_name(code, directory)
        if not new:
            lines = [text(sender.says("follow_already"), language, county=county)]
        else:
            lines = [text(sender.says("follow_done"), language, county=county)]
        lines.append(
            text("follow_reason_saved", language) if reason else text("follow_reason_hint", language, county=county)
        )
        return Said(" ".join(lines))

    async def _unfollow(self, code: str, sender: Sender, directory: Directory, language: str) -> Said:
        county = self._county_name(code, directory)
        if await self.store.unfollow(sender.conversation_id, code):
            return Said(text(sender.says("unfollow_done"), language, county=county))
        return Said(text(sender.says("unfollow_not_following"), language, county=county))

    async def _following(self, sender: Sender, directory: Directory, language: str) -> Said:
        follows = await self.store.following(sender.conversation_id)
        if not follows:
            return Said(text(sender.says("following_none"), language))
        names = join_words([self._county_name(item.county, directory) for item in follows], language, "and")
        return Said(text(sender.says("following_list"), language, counties=names))

    async def _followers(self, code: str, directory: Directory, language: str, lookup: MemberLookup) -> ChannelReply:
        county = self._county_name(code, directory)
        follows = await self.store.followers(code)
        if not follows:
            return Said(text("followers_none", language, county=county))
        try:
            member = await lookup()
        except LookupFailed:
            member = None  # not knowing who asks means showing only the count
        if not authority(member, directory).may_see_followers(code):
            return Said(text("followers_count_only", language, count=len(follows), county=county))
        followers = tuple(
            Follower(item.name or "", item.reason or "", item.channel, item.followed_at.date(), _group_chat(item))
            for item in follows
        )
        return FollowerList(county, followers, language)

    # --- posting -------------------------------------------------------------------------------

    async def _new_form(
        self, kind: PostKind, directory: Directory, language: str, lookup: MemberLookup
    ) -> ChannelReply:
        try:
            member = await lookup()
        except LookupFailed:
            return Said(text("member_lookup_failed", language))
        rights = authority(member, directory)
        if not rights.may_post:
            return Said(who_may_post(None, directory, language))
        counties = tuple((code, self._county_name(code, directory)) for code in rights.counties)
        return PostForm(kind, language, counties)

    async def form_action(
        self, verb: str, data: Mapping[str, object], sender: Sender, lookup: MemberLookup
    ) -> ChannelReply:
        """Carry out a press on one of the channel's cards (preview, publish, edit, withdraw ...);
        the county cards show what it changed at once."""
        try:
            return await self._form_action(verb, data, sender, lookup)
        finally:
            self._posts.forget()

    async def _form_action(
        self, verb: str, data: Mapping[str, object], sender: Sender, lookup: MemberLookup
    ) -> ChannelReply:
        language = sender.language
        directory = self._directory()
        if directory is None:
            return Said(text("data_unavailable", language, url=STRATEGIC_SITE_URL))
        try:
            member = await self._cached(sender.user_id, lookup)()
        except LookupFailed:
            return Said(text("member_lookup_failed", language))
        rights = authority(member, directory)
        if not rights.may_post:
            return Said(who_may_post(_text(data, "county") or None, directory, language))
        post_id = _number(data.get("post"))
        if verb == "preview":
            return await self._preview(data, sender, member, rights, directory, language, post_id)
        if post_id is None:
            return Said(text("post_not_found", language))
        record = await self.store.post(post_id)
        if verb == "status" and record is not None:  # the county's officers follow every post for it
            return await self._status(record.id, sender, language, rights=rights)
        if record is None or (record.author_id != sender.user_id and not rights.editor):
            return Said(text("post_not_found", language))
        post = post_of(record)
        if verb == "publish":
            return await self._publish(post, sender, directory, language)
        if verb == "edit":
            values = (("title", post.title), ("text", post.text), ("link", post.link or ""))
            dated = (("date", post.date.isoformat()),) if post.date else ()
            county = ((post.county, self._county_name(post.county, directory)),)
            return PostForm(post.kind, language, county, (*values, *dated, ("county", post.county)), (), post.id)
        if verb == "withdraw":
            done = await self.store.withdraw(post.id, None if rights.editor else sender.user_id)
            key = "post_discarded" if post.state is PostState.DRAFT else "post_withdrawn"
            return Said(text(key if done else "post_not_found", language))
        return Said(text("post_not_found", language))

    async def _preview(
        self,
        data: Mapping[str, object],
        sender: Sender,
        member: Member | None,
        rights: Authority,
        directory: Directory,
        language: str,
        post_id: int | None,
    ) -> ChannelReply:
        kind = PostKind.DIALOGUE if _text(data, "kind") == PostKind.DIALOGUE else PostKind.UPDATE
        existing = await self.store.post(post_id) if post_id is not None else None
        allowed = (existing.county,) if existing is not None else rights.counties
        checked = read_form(data, kind, tuple(code for code in allowed if rights.may_post_for(code)), self._today())
        if not isinstance(checked, Draft):
            counties = tuple((code, self._county_name(code, directory)) for code in allowed)
            values = tuple((field, _text(data, field)) for field in FIELDS)
            return PostForm(kind, language, counties, values, checked, post_id)
        name = member.name if member and member.name else sender.name
        if existing is not None:
            if existing.author_id != sender.user_id or not await self.store.update_post(
                existing.id, sender.user_id, draft_fields(checked)
            ):
                return Said(text("post_not_found", language))
            if existing.state == PostState.PUBLISHED:
                return Said(text("post_updated", language))
            post_id = existing.id
        else:
            post_id = await self.store.create_draft(draft_fields(checked), sender.user_id, name)
        record = await self.store.post(post_id)
        if record is None:
            return Said(text("post_not_found", language))
        post = post_of(record)
        followers = await self.store.follower_count(post.county)
        county = self._county_name(post.county, directory)
        return PostPreview(post, county, followers, language, signature(post, directory, language))

    async def _publish(self, post: Post, sender: Sender, directory: Directory, language: str) -> Said:
        if post.state is not PostState.DRAFT or post.author_id != sender.user_id:
            return Said(text("post_not_draft", language))
        queued = await self.store.publish(post.id, sender.user_id)
        if queued is None:
            return Said(text("post_not_draft", language))
        logger.info("post %d published for county %s: %d notification(s) queued", post.id, post.county, queued)
        self.on_publish()
        return Said(text("post_published", language, county=self._county_name(post.county, directory), count=queued))

    async def _my_posts(self, sender: Sender, directory: Directory, language: str) -> ChannelReply:
        records = await self.store.posts_by(sender.user_id)
        if not records:
            return Said(text("my_posts_none", language))
        posts = tuple(
            ListedPost(
                post,
                self._county_name(post.county, directory),
                signature(post, directory, language),
                may_edit=True,
                may_withdraw=True,
                may_see_status=True,
            )
            for post in map(post_of, records)
        )
        return PostList(posts, language)

    async def _rights(self, lookup: MemberLookup) -> Authority:
        """Return what the sender may do; nothing special when Teams cannot say who they are."""
        directory = self._directory()
        if directory is None:
            return NOBODY
        try:
            return authority(await lookup(), directory)
        except LookupFailed:
            return NOBODY  # not knowing who asks means allowing what everyone may

    async def _county_posts(
        self, code: str, sender: Sender, directory: Directory, language: str, lookup: MemberLookup
    ) -> ChannelReply:
        """Return a county's recent posts: to read for anyone; to manage for whoever may post for it."""
        county = self._county_name(code, directory)
        rights = await self._rights(lookup)
        manager = rights.may_post_for(code)
        records = await self.store.county_posts(code, COUNTY_POSTS_SHOWN, withdrawn=manager)
        if not records:
            return Said(text("county_posts_none", language, county=county))
        posts = tuple(
            ListedPost(
                post,
                county,
                signature(post, directory, language),
                may_edit=post.author_id == sender.user_id,
                may_withdraw=post.author_id == sender.user_id or rights.editor,
                may_see_status=manager,
            )
            for post in map(post_of, records)
        )
        return PostList(posts, language, county)

    async def _status(self, post_id: int | None, sender: Sender, language: str, *, rights: Authority = NOBODY) -> Said:
        if post_id is not None:  # a post of theirs, or of a county they may post for
            found = await self.store.post(post_id)
            mine = found is not None and (found.author_id == sender.user_id or rights.may_post_for(found.county))
            records = [found] if found is not None and mine and found.state != PostState.DRAFT else []
        else:
            records = [r for r in await self.store.posts_by(sender.user_id) if r.state != PostState.DRAFT]
        if not records:
            return Said(text("status_none" if post_id is None else "post_not_found", language))
        record = records[0]  # newest first
        counts = await self.store.delivery_counts(record.id)
        line = text(
            "delivery_status",
            language,
            title=record.title,
            id=record.id,
            delivered=counts.delivered,
            waiting=counts.waiting,
            gone=counts.gone,
        )
        return Said(f"{line} {text('delivery_gone_hint', language)}" if counts.gone else line)

    async def with_posts(self, answer: Answer, today: dt.date) -> Answer:
        """Return `answer` with its counties' published posts; unchanged when the store fails,
        because the directory answers even while the store is down."""
        codes = tuple(item.county.code for item in answer.counties)
        if not codes:
            return answer
        try:
            posts = await self.posts_for(codes)
        except StoreError as error:
            logger.warning("answer without posts: the store failed (%s)", error)
            return answer
        return with_posts(answer, posts, today)

    async def posts_for(self, codes: tuple[str, ...]) -> dict[str, tuple[Post, ...]]:
        """Return the published posts of these counties, by county, for the county cards
        (at most POSTS_MAX_AGE old when another instance changed them)."""
        return await self._posts.posts_for(codes)

    # --- personal data -------------------------------------------------------------------------

    async def _forget(self, sender: Sender, language: str) -> Said:
        done = await self.store.forget(sender.user_id)
        logger.info("forgot a user on request: %s", done)
        if not done.anything:
            return Said(text("forget_nothing", language))
        parts = []
        if done.follows:
            parts.append(text("forget_follows", language, count=done.follows))
        if done.channel_follows:
            parts.append(text("forget_channel_follows", language, count=done.channel_follows))
        if done.deliveries:
            parts.append(text("forget_deliveries", language, count=done.deliveries))
        if done.drafts:
            parts.append(text("forget_drafts", language, count=done.drafts))
        if done.members:
            parts.append(text("forget_members", language))
        lines = [text("forget_done", language, removed=join_words(parts, language, "and"))] if parts else []
        if done.posts_kept:
            lines.append(text("forget_posts_kept", language, count=done.posts_kept))
        return Said(" ".join(lines))

    async def _about(self, sender: Sender, directory: Directory, language: str) -> Said:
        member, follows, deliveries, posts = await self.store.about(sender.user_id)
        lines = []
        if member is not None:
            lines.append(
                text(
                    "about_me_member",
                    language,
                    name=member.name,
                    upn=member.upn,
                    email=member.email,
                    date=format_date(member.fetched_at.date(), language),
                )
            )
        for item in follows:
            reason = text("about_me_reason", language, reason=item.reason) if item.reason else ""
            since = format_date(item.followed_at.date(), language)
            county = self._county_name(item.county, directory)
            lines.append(text("about_me_follow", language, county=county, date=since, reason=reason))
        if deliveries:
            lines.append(text("about_me_deliveries", language, count=deliveries, days=self.retention_days))
        if posts:
            lines.append(text("about_me_posts", language, count=posts))
        if not lines:
            return Said(text("about_me_nothing", language))
        return Said("\n".join([text("about_me_title", language) + ":", *lines, text("about_me_footer", language)]))

    async def purge(self) -> int:
        """Remove settled notifications and member look-ups older than the retention time; return how many."""
        purged = await self.store.purge(self._now() - dt.timedelta(days=self.retention_days))
        return purged.deliveries + purged.members


def _group_chat(follow: FollowRecord) -> bool:
    """Say whether a follow is a group chat's (its stored conversation reference says so)."""
    try:
        reference = json.loads(follow.reference)
    except ValueError:
        return False
    conversation = reference.get("conversation") if isinstance(reference, dict) else None
    return isinstance(conversation, dict) and conversation.get("conversationType") == "groupChat"


def _text(data: Mapping[str, object], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return None
