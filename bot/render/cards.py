"""Adaptive Cards (schema 1.5) for every reply the Teams bot gives: pure functions from core results
to card dicts. No botbuilder, no aiohttp; the handler wraps the dicts in attachments.

Text from data goes into RichTextBlock/TextRun, which Teams shows as plain text on every client;
TextBlock (which renders a subset of markdown, and whose backslash escapes some Teams clients
show literally) carries only the bot's own messages and the county name heading. User text is
never shown at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote

from bot.core.answers import Answer, CountyAnswer
from bot.core.messages import format_date, join_words, text
from bot.core.search import PLACE_MATCHES, MatchKind, SearchResult
from bot.data.directory import STRATEGIC_SITE_URL, Directory
from bot.data.geography import County
from bot.data.people import Dialogue, Officer
from bot.render.maps import MAP_CREDIT, MAP_DISPLAY_WIDTH, MAX_CANDIDATES, MapLinks
from bot.render.summary import mention_lines, officer_names, render_text, vacancy_note

# Teams renders Adaptive Cards up to 1.5 on desktop, web and mobile.
CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Deep link that opens a 1:1 chat with the given users, named by their sign-in name (UPN), which
# is not always the e-mail address (Teams deep-link documentation, "Deep link to start a chat").
TEAMS_CHAT_URL = "https://teams.microsoft.com/l/chat/0/0?users="
# Outlook on the web's new-message link. Teams opens only http(s) links from Action.OpenUrl
# (mailto: does nothing in its desktop client, docs/teams.md), so "Mejla" opens this instead and
# the address itself stays on the card as text to copy.
OUTLOOK_COMPOSE_URL = "https://outlook.office.com/mail/deeplink/compose?to="
# Teams' people component: the person's photo, presence and profile card on click ("Format cards
# in Teams", People icon in an Adaptive Card). Other hosts render the element's fallback.
PERSONA_COMPONENT = "graph.microsoft.com/user"
# More counties than this in one answer get a compact card each (officers with their chat and
# mail buttons, no dialogues, a button for the full card): a full card is 10-20 KB of UTF-16, so
# five or more would take several Teams messages, and a colleague who names many counties at
# once wants the people first. Up to four (the widest area answered at once is three) stay full.
MAX_FULL_CARDS = 4
# At most this many "why this county" lines under a card's heading; more would push the officer
# below the fold.
MAX_MENTION_LINES = 3
# The Action.Execute verb of a county card's refresh (bot.teams.handler answers it).
REFRESH_VERB = "refreshCounty"
# TextRun styles.
BOLD: dict[str, object] = {"weight": "Bolder"}
SUBTLE: dict[str, object] = {"isSubtle": True}
SMALL: dict[str, object] = {"size": "Small"}
# The markdown characters that make links and emphasis in a TextBlock (kept few: some Teams
# clients show a backslash escape literally, so only what would otherwise turn into markup).
MARKDOWN_SPECIALS = re.compile(r"([\\*_\[\]])")
# A line that starts like a list item ("1. ", "- ") would become a list; escape its marker.
LIST_START = re.compile(r"^(\s*)(\d+)\.(\s)|^(\s*)-(\s)", re.MULTILINE)


def escape_markdown(value: str) -> str:
    """Return `value` so that a TextBlock shows it literally (no links, bold, lists)."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", value)
    return LIST_START.sub(lambda m: f"{m[1]}{m[2]}\\.{m[3]}" if m[2] else f"{m[4]}\\-{m[5]}", escaped)


def chat_url(email: str) -> str:
    """Return the Teams deep link that opens a chat with `email`."""
    return TEAMS_CHAT_URL + quote(email, safe="@")


def mail_url(email: str) -> str:
    """Return the link that starts a new e-mail to `email` in Outlook."""
    return OUTLOOK_COMPOSE_URL + quote(email, safe="@")


def persona(officer: Officer, fallback: dict[str, object]) -> dict[str, object]:
    """Return Teams' people component for `officer` (who must have an Entra object id), showing
    `fallback` wherever the component is not rendered."""
    return {
        "type": "Component",
        "name": PERSONA_COMPONENT,
        "view": "compact",
        "properties": {"id": officer.entra_id, "displayName": officer.name, "userPrincipalName": officer.sign_in},
        "fallback": fallback,
    }


def question_action(title: str, question: str, shown: str | None = None) -> dict[str, object]:
    """Return a button that asks `question` for the user.

    In Teams a messageBack shows `shown` (by default the question) as the user's message, which in
    a channel everyone reads, and sends the question as the text; an imBack could only show the
    text it sends. Other channels (the Emulator) post the data, whose "question" the handler reads.
    """
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {
            "msteams": {
                "type": "messageBack",
                "displayText": shown or question,
                "text": question,
                "value": {"question": question},
            },
            "question": question,
        },
    }


def hint(key: str, lang: str, mention: str | None) -> str:
    """Return the typing hint `key`; in a channel or group chat (`mention` is the bot's name), the
    variant that says to @mention the bot, since Teams delivers nothing else there."""
    return text(f"{key}_group", lang, bot=mention) if mention else text(key, lang)


def answer_cards(answer: Answer, maps: MapLinks | None = None) -> list[dict[str, object]]:
    """Return one card per county in `answer` (compact ones, without a map, when there are many);
    a cut-short question is noted on the first."""
    return [_answer_card(*parts) for parts in _card_parts(answer, maps)]


def shared_answer_cards(answer: Answer, maps: MapLinks | None = None) -> list[tuple[dict[str, object], str]]:
    """Return answer_cards(answer, maps) with each card's JSON (wire_json), for the reply to send.

    The same county answer gives the same card objects as last time while they are among the
    CARD_CACHE_SIZE most recent: they are shared, so nothing may change them.
    """
    return [_shared_answer_card(*parts) for parts in _card_parts(answer, maps)]


# Cards recently rendered for replies, with their JSON. Colleagues ask about the same counties
# all day, and a card is the same for the same county answer (officers, dialogues and posts as
# of the day, why it was found, the language); rendering and measuring one cost about a tenth of
# a question's CPU. Each entry holds a card of a few kB (some 60 kB as Python objects).
CARD_CACHE_SIZE = 32

CardParts = tuple[bool, CountyAnswer, Answer, str | None, MapLinks | None]


def _card_parts(answer: Answer, maps: MapLinks | None) -> list[CardParts]:
    note = text("question_truncated", answer.language) if answer.truncated else None
    compact = len(answer.counties) > MAX_FULL_CARDS
    return [
        (compact, item, answer, note if index == 0 else None, None if compact else maps)
        for index, item in enumerate(answer.counties)
    ]


def _answer_card(
    compact: bool, item: CountyAnswer, answer: Answer, note: str | None, maps: MapLinks | None
) -> dict[str, object]:
    return compact_county_card(item, answer, note) if compact else county_card(item, answer, note, maps)


@lru_cache(maxsize=CARD_CACHE_SIZE)
def _shared_answer_card(
    compact: bool, item: CountyAnswer, answer: Answer, note: str | None, maps: MapLinks | None
) -> tuple[dict[str, object], str]:
    card = _answer_card(compact, item, answer, note, maps)
    return card, wire_json(card)


def county_card(
    item: CountyAnswer, answer: Answer, note: str | None = None, maps: MapLinks | None = None
) -> dict[str, object]:
    """Return the card for one county: officers, deputy, dialogues and the SharePoint page, and
    with `maps` a small map beside the heading. Teams refreshes it with today's data when someone
    opens it (Universal Actions, `refresh_action`)."""
    lang = answer.language
    head = _county_head(item, answer, note)
    if maps is not None:
        alt = text("map_alt_county", lang, county=item.county.name)
        head = [head[0], _beside_map(head[1:], maps.county(item.county.code), alt)]
    card = _card(
        [*head, *_officer_section(item, lang), *_updates_section(item, lang), *_dialogue_section(item, lang)],
        actions=[_open_url(text("sharepoint_button", lang), item.contacts.sharepoint_url), follow_action(item, lang)],
        fallback=render_text(replace(answer, counties=(item,))),
    )
    card["refresh"] = refresh_action(item.county, answer)
    return card


def refresh_action(county: County, answer: Answer) -> dict[str, object]:
    """Return the card's refresh: an Action.Execute that Teams sends as an adaptiveCard/action
    invoke when the card is shown, with the county and the name it was found by (so the fresh
    card says again why). No userIds: Teams then refreshes automatically in conversations of up
    to 60 people, and offers "Refresh card" in its menu in larger ones, which keeps a busy
    channel from calling the bot for every reader."""
    found_by = next((m.name for m in answer.mentions if m.counties == (county.code,)), county.name)
    return {
        "action": {
            "type": "Action.Execute",
            "verb": REFRESH_VERB,
            "data": {"county": county.code, "matched": found_by, "language": answer.language},
        }
    }


def follow_action(item: CountyAnswer, lang: str) -> dict[str, object]:
    """Return the "Följ" button: it asks to follow the county as if the user had typed it."""
    name = item.county.name
    return question_action(text("follow_button", lang, county=name), text("follow_word", lang, county=name))


def _updates_section(item: CountyAnswer, lang: str) -> list[dict[str, object]]:
    """Return "Aktuellt från länsansvarig": the latest updates (date, title, text, author), if any."""
    if not item.updates:
        return []
    blocks: list[dict[str, object]] = [
        _text(text("updates_heading", lang), weight="Bolder", separator=True, spacing="Medium")
    ]
    for post in item.updates:
        signature = post.author_name or text("role_signature", lang, county=item.county.name)
        items: list[dict[str, object]] = [
            _plain((f"{format_date(post.shown_date, lang)} · {post.title}", {**BOLD, **SMALL})),
            _plain((post.text, SMALL), spacing="None"),
            _plain((signature, {**SUBTLE, **SMALL}), spacing="None"),
        ]
        container: dict[str, object] = {"type": "Container", "spacing": "Small", "items": items}
        if post.link:
            items.append(_text(text("dialogue_link_button", lang), size="Small", color="Accent", spacing="None"))
            container["selectAction"] = _open_url(text("dialogue_link_button", lang), post.link)
        blocks.append(container)
    return blocks


def compact_county_card(item: CountyAnswer, answer: Answer, note: str | None = None) -> dict[str, object]:
    """Return the short card for one county of many: officers and deputy with their buttons, the
    SharePoint page, and a button that asks for the full card (with the dialogues)."""
    lang = answer.language
    more = question_action(
        text("county_more_button", lang, county=item.county.name),
        text("county_question", lang, county=item.county.name),
    )
    return _card(
        [*_county_head(item, answer, note), *_officer_section(item, lang)],
        actions=[_open_url(text("sharepoint_button", lang), item.contacts.sharepoint_url), more],
        fallback=render_text(replace(answer, counties=(item,)), brief=True),
    )


def _county_head(item: CountyAnswer, answer: Answer, note: str | None) -> list[dict[str, object]]:
    """Return the county name, its regional body, and why and how the answer came about."""
    county = item.county
    head: list[dict[str, object]] = [
        _text(escape_markdown(county.name), size="Large", weight="Bolder", style="heading"),
        _plain((county.region, SUBTLE), spacing="None"),
    ]
    if note:
        head.append(_text(note, size="Small", color="Warning"))
    why = mention_lines(answer, county.code)[:MAX_MENTION_LINES]
    head += [_plain((line, SUBTLE), spacing="Small") for line in why]
    if answer.example_data:
        head.append(_text(text("example_data", answer.language), color="Attention", size="Small"))
    return head


def search_preview(result: SearchResult, lang: str) -> dict[str, object]:
    """Return the Thumbnail card Teams lists for one search result: county, officer, office, why."""
    contacts = result.contacts
    offices = ", ".join(dict.fromkeys(officer.office for officer in contacts.officers if officer.office))
    lines = [text("search_office", lang, office=offices)] if offices else []
    if result.kind in PLACE_MATCHES:
        lines.append(text("place_in_county", lang, place=result.matched, county=result.county.name))
    elif result.kind is MatchKind.AREA:
        lines.append(text("search_in_area", lang, area=result.matched))
    elif result.kind is MatchKind.DEPUTY and contacts.deputy is not None:
        lines.append(text("search_deputy", lang, name=contacts.deputy.name))
    return {
        "title": escape_markdown(result.county.name),
        "subtitle": escape_markdown(officer_names(contacts, lang, "search_vacant")),
        "text": escape_markdown(" · ".join(lines)),
    }


def _officer_section(item: CountyAnswer, lang: str) -> list[dict[str, object]]:
    contacts = item.contacts
    blocks: list[dict[str, object]] = []
    note = vacancy_note(item, lang)
    if note:
        blocks.append(_plain((note, {"color": "Warning"}), spacing="Medium"))
    for officer in contacts.officers:
        blocks.append(_officer_block(officer, text("officer", lang), lang))
    if contacts.deputy is not None:
        blocks.append(_officer_block(contacts.deputy, text("deputy", lang), lang))
    return blocks


def _officer_block(officer: Officer, heading: str, lang: str) -> dict[str, object]:
    facts = [
        (text("title_label", lang), officer.title),
        (text("unit_label", lang), officer.unit),
        (text("office_label", lang), officer.office),
        (text("email_label", lang), officer.email),
        (text("phone_label", lang), officer.phone),
    ]
    name = _plain((officer.name, BOLD), spacing="None")
    return {
        "type": "Container",
        "separator": True,
        "spacing": "Medium",
        "items": [
            _text(heading, size="Small", subtle=True),
            persona(officer, name) if officer.entra_id else name,
            *(_plain((f"{label}: ", SUBTLE), value, spacing="None") for label, value in facts if value),
            {
                "type": "ActionSet",
                "actions": [
                    _open_url(text("chat_button", lang), chat_url(officer.sign_in)),
                    _open_url(text("email_button", lang), mail_url(officer.email)),
                ],
            },
        ],
    }


def _dialogue_section(item: CountyAnswer, lang: str) -> list[dict[str, object]]:
    blocks: list[dict[str, object]] = [
        _text(text("upcoming_dialogue", lang), weight="Bolder", separator=True, spacing="Medium")
    ]
    if item.upcoming is not None:
        blocks.append(_dialogue_block(item.upcoming, lang))
    else:
        blocks.append(_text(text("no_upcoming_dialogue", lang), subtle=True, size="Small", spacing="Small"))
    blocks.append(_text(text("recent_dialogues", lang), weight="Bolder", separator=True, spacing="Medium"))
    blocks += [_dialogue_block(dialogue, lang) for dialogue in item.recent]
    if not item.recent:
        blocks.append(_text(text("no_recent_dialogues", lang), subtle=True, size="Small", spacing="Small"))
    return blocks


def _dialogue_block(dialogue: Dialogue, lang: str) -> dict[str, object]:
    items: list[dict[str, object]] = [
        _plain((f"{format_date(dialogue.date, lang)} · {dialogue.title}", {**BOLD, **SMALL})),
    ]
    if dialogue.summary:
        items.append(_plain((dialogue.summary, SMALL), spacing="None"))
    container: dict[str, object] = {"type": "Container", "spacing": "Small", "items": items}
    if dialogue.link:
        items.append(_text(text("dialogue_link_button", lang), size="Small", color="Accent", spacing="None"))
        container["selectAction"] = _open_url(text("dialogue_link_button", lang), dialogue.link)
    return container


def clarify_card(
    candidates: Sequence[County], lang: str, mention: str | None = None, maps: MapLinks | None = None
) -> dict[str, object]:
    """Return the card that asks which of several counties the user means: one numbered button
    each (the buttons first: in a channel typing needs an @mention), with `maps` a map with the
    candidates numbered beside them, then how to type instead."""
    names = [county.name for county in candidates]
    question = text("clarify_question", lang, options=join_words(names, lang, "or"))
    typing = escape_markdown(hint("clarify_card_hint", lang, mention))
    actions = [question_action(f"{number}. {name}", name, name) for number, name in enumerate(names, start=1)]
    actions.append(question_action(text("cancel_button", lang), text("cancel_word", lang)))
    buttons = _stacked(actions)
    if maps is not None and len(candidates) <= MAX_CANDIDATES:
        numbered = ", ".join(f"{number} {name}" for number, name in enumerate(names, start=1))
        alt = text("map_alt_candidates", lang, counties=numbered)
        buttons = [_beside_map(buttons, maps.candidates([county.code for county in candidates]), alt)]
    body = [_text(text("clarify_card_question", lang), weight="Bolder"), *buttons]
    body.append(_text(typing, subtle=True, size="Small"))
    return _card(body, fallback=f"{question} {hint('clarify_card_hint', lang, mention)}")


def person_clarify_card(officers: Sequence[Officer], lang: str, mention: str | None = None) -> dict[str, object]:
    """Return the card that asks which of several people the user means, one button each."""
    actions = [question_action(officer.name, text("person_question", lang, name=officer.name)) for officer in officers]
    body = [
        _text(text("person_clarify_question", lang), weight="Bolder"),
        *_stacked(actions),
        _text(escape_markdown(hint("person_clarify_hint", lang, mention)), subtle=True, size="Small"),
    ]
    summary = text("person_clarify_question", lang) + " " + ", ".join(o.name for o in officers)
    return _card(body, fallback=summary)


def help_card(lang: str, mention: str | None = None) -> dict[str, object]:
    """Return what the bot does, with three example questions as buttons."""
    examples = [text(f"example_question_{number}", lang) for number in (1, 2, 3)]
    commands = hint("help_commands", lang, mention)
    follow = hint("help_follow", lang, mention)
    body = [
        _text(text("help_title", lang), size="Large", weight="Bolder", style="heading"),
        _text(text("help", lang)),
        _text(escape_markdown(follow)),
        _text(escape_markdown(commands), subtle=True, size="Small"),
    ]
    actions = [question_action(example, example) for example in examples]
    return _card([*body, *_stacked(actions)], fallback=f"{text('help', lang)} {follow} {commands}")


def list_card(directory: Directory, lang: str, mention: str | None = None) -> dict[str, object]:
    """Return one compact card with all counties and their officers."""
    lines = [
        (county.name, officer_names(directory.contacts.get(county.code), lang))
        for county in directory.geography.counties
    ]
    body: list[dict[str, object]] = [
        _text(text("list_title", lang, count=str(len(lines))), size="Large", weight="Bolder", style="heading"),
        *(_plain((f"{county}: ", BOLD), names, spacing="None") for county, names in lines),
        _text(escape_markdown(hint("list_hint", lang, mention)), subtle=True, size="Small"),
    ]
    if directory.example_data:
        body.insert(1, _text(text("example_data", lang), color="Attention", size="Small"))
    return _card(
        body,
        actions=[_open_url(text("sharepoint_button", lang), STRATEGIC_SITE_URL)],
        fallback="\n".join(f"{county}: {names}" for county, names in lines),
    )


def not_recognised_card(lang: str, mention: str | None = None, lines: Sequence[str] = ()) -> dict[str, object]:
    """Return the reply for a question with no county in it (`lines`: what to say instead of the
    plain "no county found", from summary.not_recognised_lines); it never repeats the question."""
    lines = tuple(lines) or (text("not_recognised", lang),)
    body = [_text(line) for line in lines]
    if mention:
        body.append(_text(escape_markdown(hint("not_recognised_hint", lang, mention)), subtle=True, size="Small"))
    actions = [
        question_action(text("list_button", lang), text("list_word", lang)),
        question_action(text("help_button", lang), text("help_word", lang)),
    ]
    return _card(body, actions=actions, fallback="\n".join(lines))


# One encoder for every reply: json.dumps builds a new one for each call with these options.
_WIRE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def wire_json(value: object) -> str:
    """Return `value` as the JSON replies are sent in (bot.teams.connector): compact, with å, ä and ö
    as themselves. Teams counts a message's characters, so \\u escapes (six characters for one)
    and spaces after separators would only bring a message closer to its limit."""
    return _WIRE_ENCODER.encode(value)


def json_size(value: object) -> int:
    """Return the size of `value` as Teams counts it: its JSON as sent, in UTF-16 bytes."""
    return text_size(wire_json(value))


def text_size(text: str) -> int:
    """Return the size of JSON text as Teams counts it, in UTF-16 bytes."""
    return len(text.encode("utf-16-le", "surrogatepass"))


def _card(
    body: Iterable[dict[str, object]], *, actions: Sequence[dict[str, object]] = (), fallback: str
) -> dict[str, object]:
    card: dict[str, object] = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": list(body),
        "fallbackText": fallback,  # what notifications and clients without card support show
    }
    if actions:
        card["actions"] = list(actions)
    return card


def _text(
    value: str,
    *,
    size: str | None = None,
    weight: str | None = None,
    subtle: bool = False,
    color: str | None = None,
    spacing: str | None = None,
    separator: bool = False,
    style: str | None = None,
) -> dict[str, object]:
    block: dict[str, object] = {"type": "TextBlock", "text": value, "wrap": True}
    for key, setting in (("size", size), ("weight", weight), ("color", color), ("spacing", spacing), ("style", style)):
        if setting:
            block[key] = setting
    if subtle:
        block["isSubtle"] = True
    if separator:
        block["separator"] = True
    return block


def _beside_map(items: Sequence[dict[str, object]], url: str, alt: str) -> dict[str, object]:
    """Return `items` in a column with the map to their right, credited under it (CC BY 4.0)."""
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": "stretch", "items": list(items)},
            {
                "type": "Column",
                "width": MAP_DISPLAY_WIDTH,
                "items": [
                    {"type": "Image", "url": url, "altText": alt, "width": MAP_DISPLAY_WIDTH},
                    _text(MAP_CREDIT, size="Small", subtle=True, spacing="None"),
                ],
            },
        ],
    }


def _stacked(actions: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Return one ActionSet per button, so long titles (questions, county names) stack in full
    instead of being cut short side by side."""
    return [{"type": "ActionSet", "actions": [action], "spacing": "Small"} for action in actions]


def _plain(
    *runs: str | tuple[str, dict[str, object]], spacing: str | None = None, separator: bool = False
) -> dict[str, object]:
    """Return a RichTextBlock of TextRuns: text shown exactly as given, styled per run."""
    inlines = []
    for run in runs:
        value, style = (run, {}) if isinstance(run, str) else run
        inlines.append({"type": "TextRun", "text": value, **style})
    block: dict[str, object] = {"type": "RichTextBlock", "inlines": inlines}
    if spacing:
        block["spacing"] = spacing
    if separator:
        block["separator"] = True
    return block


def _open_url(title: str, url: str) -> dict[str, object]:
    return {"type": "Action.OpenUrl", "title": title, "url": url}
