"""Adaptive Cards (1.5) for the county channel: the post form, the preview, the notification
followers get, the writer's own posts and a county's followers. Pure functions from the
bot.core.channel replies to card dicts.

What officers and followers wrote goes into TextRuns (shown literally, never as markdown). The
form's buttons are Universal Actions (Action.Execute): Teams sends them to the bot as an
adaptiveCard/action invoke, and the card the bot answers with replaces the form in place, so
problems show on the form itself and a published preview turns into its receipt.
"""

from __future__ import annotations

from bot.core.channel import FollowerList, ListedPost, PostForm, PostList, PostPreview
from bot.core.messages import format_date, text
from bot.core.posts import MAX_LINK_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Post, PostKind, PostState
from bot.render.cards import BOLD, SMALL, SUBTLE, _card, _open_url, _plain, _text, question_action

# The verbs of the channel's Action.Execute buttons; the handler routes every verb with this prefix here.
VERB_PREFIX = "channel."
PREVIEW, PUBLISH, EDIT, WITHDRAW, STATUS = (
    f"{VERB_PREFIX}{name}" for name in ("preview", "publish", "edit", "withdraw", "status")
)


def execute(title: str, verb: str, data: dict[str, object], *, style: str | None = None) -> dict[str, object]:
    """Return a Universal Action button (it carries the card's inputs along with `data`)."""
    action: dict[str, object] = {"type": "Action.Execute", "title": title, "verb": verb, "data": data}
    if style:
        action["style"] = style
    return action


def post_form_card(form: PostForm) -> dict[str, object]:
    """Return the form for a post, filled with what was typed and each problem under its field."""
    lang = form.language
    title_key = "form_title_dialogue" if form.kind is PostKind.DIALOGUE else "form_title_update"
    body: list[dict[str, object]] = [
        _text(text(title_key, lang), size="Large", weight="Bolder", style="heading"),
        _text(text("form_intro", lang), subtle=True, size="Small", spacing="None"),
    ]
    if form.problems:
        body.append(_text(text("form_problems", lang), color="Attention", weight="Bolder"))
    if len(form.counties) > 1:
        body += _field(
            form,
            "county",
            {
                "type": "Input.ChoiceSet",
                "id": "county",
                "label": text("form_county_label", lang),
                "isRequired": True,
                "errorMessage": text("form_county_missing", lang),
                "choices": [{"title": name, "value": code} for code, name in form.counties],
                "value": form.value("county"),
            },
        )
    elif form.counties:
        body.append(_plain((f"{text('form_county_label', lang)}: ", SUBTLE), form.counties[0][1]))
    body += _field(
        form, "title", _input(form, "title", text("form_title_label", lang, limit=MAX_TITLE_CHARS), MAX_TITLE_CHARS)
    )
    text_input = _input(form, "text", text("form_text_label", lang, limit=MAX_TEXT_CHARS), MAX_TEXT_CHARS)
    body += _field(form, "text", {**text_input, "isMultiline": True})
    link = _input(form, "link", text("form_link_label", lang), MAX_LINK_CHARS, required=False)
    body += _field(form, "link", {**link, "style": "Url"})
    if form.kind is PostKind.DIALOGUE:
        date: dict[str, object] = {
            "type": "Input.Date",
            "id": "date",
            "label": text("form_date_label", lang),
            "isRequired": True,
            "errorMessage": text("form_date", lang),
        }
        if form.value("date"):
            date["value"] = form.value("date")
        body += _field(form, "date", date)
    data: dict[str, object] = {"kind": form.kind.value}
    if form.post_id is not None:
        data["post"] = form.post_id
    if len(form.counties) == 1:
        data["county"] = form.counties[0][0]
    actions = [execute(text("preview_button", lang), PREVIEW, data, style="positive")]
    return _card(body, actions=actions, fallback=text(title_key, lang))


def _input(form: PostForm, field: str, label: str, limit: int, *, required: bool = True) -> dict[str, object]:
    block: dict[str, object] = {"type": "Input.Text", "id": field, "label": label, "maxLength": limit}
    if required:
        block["isRequired"] = True
        block["errorMessage"] = text("form_missing", form.language)
    if form.value(field):
        block["value"] = form.value(field)
    return block


def _field(form: PostForm, field: str, block: dict[str, object]) -> list[dict[str, object]]:
    """Return an input and, under it, what is wrong with it (from the bot's own check)."""
    blocks = [block]
    for problem in form.problems:
        if problem.field == field:
            message = (
                text(problem.key, form.language, limit=problem.limit)
                if problem.limit
                else text(problem.key, form.language)
            )
            blocks.append(_text(message, color="Attention", size="Small", spacing="None"))
    return blocks


def post_blocks(post: Post, county: str, signature: str, lang: str) -> list[dict[str, object]]:
    """Return a post as followers see it: kind and county, date, title, text, link, signature."""
    heading = "notification_dialogue" if post.kind is PostKind.DIALOGUE else "notification_update"
    blocks: list[dict[str, object]] = [
        _text(text(heading, lang, county=county), size="Medium", weight="Bolder", style="heading"),
        _plain((f"{format_date(post.shown_date, lang)} · ", SUBTLE), (post.title, BOLD), spacing="Small"),
        _plain(post.text, spacing="Small"),
        _plain((signature, {**SUBTLE, **SMALL}), spacing="Small"),
    ]
    if post.link:
        blocks.append({"type": "ActionSet", "actions": [_open_url(text("dialogue_link_button", lang), post.link)]})
    return blocks


def preview_card(preview: PostPreview) -> dict[str, object]:
    """Return the draft as followers will see it, with publish, edit and discard."""
    lang, post = preview.language, preview.post
    body: list[dict[str, object]] = [
        _text(text("preview_title", lang), color="Accent", weight="Bolder", size="Small"),
        {
            "type": "Container",
            "style": "emphasis",
            "items": post_blocks(post, preview.county, preview.signature, lang),
        },
        _text(text("preview_followers", lang, count=preview.followers, county=preview.county), size="Small"),
    ]
    data: dict[str, object] = {"post": post.id}
    actions = [
        execute(text("publish_button", lang), PUBLISH, data, style="positive"),
        execute(text("edit_button", lang), EDIT, data),
        execute(text("discard_button", lang), WITHDRAW, data, style="destructive"),
    ]
    return _card(body, actions=actions, fallback=f"{text('preview_title', lang)}: {post.title}")


def notification_card(
    post: Post, county: str, signature: str, lang: str, *, channel: bool, group_chat: bool = False
) -> dict[str, object]:
    """Return the one card a follower gets when a post is published, with a way to stop following."""
    why_key = "notification_why_chat" if group_chat else "notification_why_channel" if channel else "notification_why"
    why = text(why_key, lang, county=county)
    body = [*post_blocks(post, county, signature, lang), _text(why, subtle=True, size="Small", separator=True)]
    unfollow = question_action(text("unfollow_button", lang, county=county), text("unfollow_word", lang, county=county))
    heading = "notification_dialogue" if post.kind is PostKind.DIALOGUE else "notification_update"
    return _card(body, actions=[unfollow], fallback=f"{text(heading, lang, county=county)}: {post.title}. {post.text}")


def post_list_card(posts: PostList) -> dict[str, object]:
    """Return posts, newest first, each with its state and the buttons its reader may use.

    The writer's own list names each post's county; a county's list names each post's writer
    and shows its text, so it reads as the county's recent news.
    """
    lang = posts.language
    title = text("county_posts_title", lang, county=posts.county) if posts.county else text("my_posts_title", lang)
    body: list[dict[str, object]] = [_text(title, size="Large", weight="Bolder", style="heading")]
    for listed in posts.posts:
        body.append(_listed_post(listed, lang, in_county_list=bool(posts.county)))
    summary = "; ".join(f"{listed.post.id}: {listed.post.title}" for listed in posts.posts)
    return _card(body, fallback=f"{title}: {summary}")


def _listed_post(listed: ListedPost, lang: str, *, in_county_list: bool) -> dict[str, object]:
    post = listed.post
    kind = text("kind_dialogue" if post.kind is PostKind.DIALOGUE else "kind_update", lang)
    about = [str(post.id), kind, listed.signature if in_county_list else listed.county]
    if listed.may_edit or listed.may_withdraw or listed.may_see_status or not in_county_list:
        about.append(text(f"state_{post.state.value}", lang))  # a reader sees published posts only
    items: list[dict[str, object]] = [
        _plain((" · ".join(about), {**SUBTLE, **SMALL})),
        _plain((f"{format_date(post.shown_date, lang)} · ", SUBTLE), (post.title, BOLD), spacing="None"),
    ]
    if in_county_list:
        items.append(_plain(post.text, spacing="None"))
    data: dict[str, object] = {"post": post.id}
    actions = []
    if post.state is not PostState.WITHDRAWN:
        if listed.may_edit:
            actions.append(execute(text("edit_button", lang), EDIT, data))
        if listed.may_withdraw:
            actions.append(execute(text("withdraw_button", lang), WITHDRAW, data, style="destructive"))
    if post.state is PostState.PUBLISHED and listed.may_see_status:
        actions.append(execute(text("status_button", lang), STATUS, data))
    if actions:
        items.append({"type": "ActionSet", "actions": actions})
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def follower_list_card(followers: FollowerList) -> dict[str, object]:
    """Return who follows a county and why: the map of other units' needs, for its officers."""
    lang = followers.language
    count = len(followers.followers)
    body: list[dict[str, object]] = [
        _text(text("followers_title", lang, count=count, county=followers.county), size="Large", weight="Bolder")
    ]
    for follower in followers.followers:
        kind = "followers_chat_label" if follower.group_chat else "followers_channel_label"
        label = f" ({text(kind, lang)})" if follower.channel else ""
        name = (follower.name or "–") + label
        runs: list[str | tuple[str, dict[str, object]]] = [
            (name, BOLD),
            (f" · {format_date(follower.since, lang)}", SUBTLE),
        ]
        body.append(_plain(*runs, separator=True))
        if follower.reason:
            body.append(_plain(follower.reason, spacing="None"))
    fallback = text("followers_title", lang, count=count, county=followers.county)
    return _card(body, fallback=fallback)


def said_card(sentence: str) -> dict[str, object]:
    """Return a card that only says `sentence` (what a pressed form turns into)."""
    return _card([_plain(line) for line in sentence.split("\n")], fallback=sentence)
