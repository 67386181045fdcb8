"""The county channel's replies: what a voice command or a form action leads to, before rendering.

Plain Python, frozen dataclasses, one class per kind of reply; bot.render.channel turns each into
a card or a sentence, and the Teams handler dispatches on them with `match`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.posts import FieldProblem, Post, PostKind


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote, and where: what the channel needs of one Teams activity."""

    user_id: str  # activity.from.id
    name: str  # activity.from.name
    conversation_id: str  # without a channel thread's ";messageid=..."
    channel: bool  # a channel or group chat (the conversation follows), not a 1:1 chat (the person follows)
    reference: str  # the ConversationReference as JSON, for notifications
    language: str
    group_chat: bool = False  # of the shared conversations, a group chat rather than a team's channel

    def says(self, key: str) -> str:
        """Return the message key for this conversation: `key`, or its channel or group chat form."""
        return f"{key}_chat" if self.group_chat else f"{key}_channel" if self.channel else key


@dataclass(frozen=True, slots=True)
class Said:
    """A reply in words (already in the sender's language)."""

    text: str


@dataclass(frozen=True, slots=True)
class PostForm:
    """The form for a new post, or the same form again with its problems beside the fields."""

    kind: PostKind
    language: str
    counties: tuple[tuple[str, str], ...]  # (code, name) the writer may post for
    values: tuple[tuple[str, str], ...] = ()  # what was typed, to fill the fields again
    problems: tuple[FieldProblem, ...] = ()
    post_id: int | None = None  # editing this post (a draft or a published one)

    def value(self, field: str) -> str:
        """Return what was typed in `field` ("" when nothing)."""
        return dict(self.values).get(field, "")


@dataclass(frozen=True, slots=True)
class PostPreview:
    """A draft as followers will see it, with publish, edit and discard."""

    post: Post
    county: str  # the county's name
    followers: int
    language: str
    signature: str


@dataclass(frozen=True, slots=True)
class ListedPost:
    """One post in a list, with what the reader may do with it."""

    post: Post
    county: str  # the county's name
    signature: str  # who wrote it, as the county card signs it
    may_edit: bool = False  # the writer only
    may_withdraw: bool = False  # the writer, or an editor
    may_see_status: bool = False  # whoever may post for the county


@dataclass(frozen=True, slots=True)
class PostList:
    """Posts, newest first: the writer's own ("mina inlägg") or one county's ("inlägg Sörmland")."""

    posts: tuple[ListedPost, ...]
    language: str
    county: str = ""  # for a county's list, its name; "" for the writer's own


@dataclass(frozen=True, slots=True)
class Follower:
    """One follower as the county's officers see them."""

    name: str  # a person's name, or the channel's label; "" once they asked to be forgotten
    reason: str
    channel: bool
    since: dt.date
    group_chat: bool = False  # of the shared conversations, a group chat rather than a team's channel


@dataclass(frozen=True, slots=True)
class FollowerList:
    """Who follows a county, with their lines: only for that county's officers and the editors."""

    county: str
    followers: tuple[Follower, ...]
    language: str


ChannelReply = Said | PostForm | PostPreview | PostList | FollowerList
