"""What officers post from Teams: updates and regional dialogues, the form's rules, and how posts
join the county answer.

Plain Python. The form is checked with the rules check-data applies to dialogues.yaml (a title
and text on one line each, a real date, a web link) and a few more a form needs (lengths, https
only, a date near enough to be a typo-free one); every problem is named per field, so the card
can show it beside the field in the writer's language. Nothing half-valid becomes a Draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import urlsplit

from bot.core.answers import RECENT_DIALOGUES, Answer, CountyAnswer
from bot.data.people import Dialogue

# The card shows at most this many updates per county ("Aktuellt från länsansvarig").
LATEST_UPDATES = 3
# A title fits one line of a card on a phone; a text is a short notice, not an article: the link
# carries the rest. An address longer than this is a paste accident, not a link.
MAX_TITLE_CHARS = 100
MAX_TEXT_CHARS = 500
MAX_LINK_CHARS = 500
# A dialogue is dated within this window around today: wider is a typo (2062 for 2026).
MAX_DAYS_BACK = 366
MAX_DAYS_AHEAD = 3 * 366
# The form's input ids (also the keys of the submitted values).
FIELDS = ("county", "title", "text", "link", "date")


class PostKind(StrEnum):
    """What a post is."""

    UPDATE = "update"  # news from the county ("Aktuellt från länsansvarig")
    DIALOGUE = "dialogue"  # a regional dialogue, shown with those in dialogues.yaml


class PostState(StrEnum):
    """Where a post is in its life."""

    DRAFT = "draft"  # previewed by its writer, seen by no one else
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Draft:
    """A checked form: everything a post needs, nothing half-valid."""

    kind: PostKind
    county: str
    title: str
    text: str
    link: str | None
    date: dt.date | None  # a dialogue's date; None for an update


@dataclass(frozen=True, slots=True)
class Post:
    """A post as stored."""

    id: int
    kind: PostKind
    county: str
    title: str
    text: str
    link: str | None
    date: dt.date | None
    author_id: str | None  # the writer's Teams user id; None once the writer asked to be forgotten
    author_name: str | None  # shown as the signature; None: signed with the role instead
    state: PostState
    created_at: dt.datetime
    published_at: dt.datetime | None

    @property
    def shown_date(self) -> dt.date:
        """Return the date a card shows: the dialogue's own, else the day it was published."""
        moment = self.published_at or self.created_at
        return self.date or moment.date()

    def as_dialogue(self) -> Dialogue:
        """Return a posted dialogue as the directory's Dialogue, to merge with dialogues.yaml."""
        return Dialogue(f"post-{self.id}", self.county, self.shown_date, self.title, self.text, self.link)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field, as a message key and the values it needs."""

    field: str
    key: str  # in bot.core.messages
    limit: int = 0  # for "too long" messages


def read_form(
    values: Mapping[str, object], kind: PostKind, allowed: tuple[str, ...], today: dt.date
) -> Draft | tuple[FieldProblem, ...]:
    """Return the Draft the form describes, or every problem with it (none is stored then)."""
    problems: list[FieldProblem] = []
    county = _text(values, "county")
    if len(allowed) == 1 and not county:
        county = allowed[0]  # the form has no choice when there is only one county
    if county not in allowed:
        problems.append(FieldProblem("county", "form_county_missing" if not county else "form_county_not_yours"))
    title = _one_line(values, "title", MAX_TITLE_CHARS, problems)
    body = _one_line(values, "text", MAX_TEXT_CHARS, problems, fold=True)  # exported as one YAML line
    link = _link(values, problems)
    date = _date(values, today, problems) if kind is PostKind.DIALOGUE else None
    if problems:
        return tuple(problems)
    return Draft(kind, county, title, body, link, date)


def _text(values: Mapping[str, object], field: str) -> str:
    value = values.get(field)
    return value.strip() if isinstance(value, str) else ""


def _one_line(
    values: Mapping[str, object], field: str, limit: int, problems: list[FieldProblem], *, fold: bool = False
) -> str:
    """Return a field as one line; `fold` joins a multi-line text (the text box) instead of refusing it."""
    raw = _text(values, field)
    if fold:
        raw = " ".join(raw.split())
    if not raw:
        problems.append(FieldProblem(field, "form_missing"))
        return ""
    if "\n" in raw or "\r" in raw:
        problems.append(FieldProblem(field, "form_one_line"))
        return ""
    if len(raw) > limit:
        problems.append(FieldProblem(field, "form_too_long", limit))
        return ""
    return " ".join(raw.split())


def _link(values: Mapping[str, object], problems: list[FieldProblem]) -> str | None:
    raw = _text(values, "link")
    if not raw:
        return None
    if len(raw) > MAX_LINK_CHARS:
        problems.append(FieldProblem("link", "form_too_long", MAX_LINK_CHARS))
        return None
    parts = urlsplit(raw)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in raw):
        problems.append(FieldProblem("link", "form_link"))
        return None
    return raw


def _date(values: Mapping[str, object], today: dt.date, problems: list[FieldProblem]) -> dt.date | None:
    raw = _text(values, "date")
    if not raw:
        problems.append(FieldProblem("date", "form_missing"))
        return None
    try:
        date = dt.date.fromisoformat(raw)
    except ValueError:
        problems.append(FieldProblem("date", "form_date"))
        return None
    if not -MAX_DAYS_BACK <= (date - today).days <= MAX_DAYS_AHEAD:
        problems.append(FieldProblem("date", "form_date_range"))
        return None
    return date


def with_posts(answer: Answer, posts: Mapping[str, tuple[Post, ...]], today: dt.date) -> Answer:
    """Return `answer` with each county's published posts: the latest updates, and posted
    dialogues merged with those from dialogues.yaml (recent and upcoming recomputed)."""
    if not posts:
        return answer
    counties = tuple(_county_with_posts(item, posts.get(item.county.code, ()), today) for item in answer.counties)
    return replace(answer, counties=counties)


def _county_with_posts(item: CountyAnswer, posts: tuple[Post, ...], today: dt.date) -> CountyAnswer:
    published = [post for post in posts if post.state is PostState.PUBLISHED]
    if not published:
        return item
    updates = sorted(
        (post for post in published if post.kind is PostKind.UPDATE),
        key=lambda post: (post.published_at or post.created_at, post.id),
        reverse=True,
    )
    dialogues = [post.as_dialogue() for post in published if post.kind is PostKind.DIALOGUE]
    recent, upcoming = item.recent, item.upcoming
    if dialogues:
        past = [*item.recent, *(d for d in dialogues if d.date < today)]
        recent = tuple(sorted(past, key=lambda d: d.date, reverse=True)[:RECENT_DIALOGUES])
        coming = [d for d in (item.upcoming, *dialogues) if d is not None and d.date >= today]
        upcoming = min(coming, key=lambda d: d.date, default=None)
    return replace(item, recent=recent, upcoming=upcoming, updates=tuple(updates[:LATEST_UPDATES]))
