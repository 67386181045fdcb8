"""An Answer as plain text (command line, and the cards' plain-text fallback) and as a JSON record.

Only data text and canonical place names are shown, never the user's own words, so nothing a
user types can turn into markup in whatever renders this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.answers import Answer, CountyAnswer
from bot.core.lookup import PersonMatch
from bot.core.messages import format_date, join_words, text
from bot.core.names import AREA_KINDS, PLACE_KINDS, MentionKind
from bot.core.recognition import Mention, Status
from bot.data.directory import Directory
from bot.data.people import CountyContacts, Dialogue, Officer

INDENT = "  "


def render_text(answer: Answer, *, brief: bool = False) -> str:
    """Return the whole answer as plain text, in the answer's language (`brief`: no dialogues)."""
    language = answer.language
    blocks = ["\n".join(mention_lines(answer))]
    if answer.status is Status.NONE:
        blocks.extend(not_recognised_lines(answer))
    elif answer.status is Status.CLARIFY:
        blocks.append(_clarify_text(answer))
    else:
        blocks.extend(_county_text(county, language, brief) for county in answer.counties)
        if answer.example_data:
            blocks.append(text("example_data", language))
    if answer.truncated:
        blocks.append(text("question_truncated", language))
    return "\n\n".join(block for block in blocks if block)


def not_recognised_lines(answer: Answer) -> tuple[str, ...]:
    """Say why no county is shown: a place abroad ("Kristiansand ligger inte i Sverige"), a place
    the question may mean ("Menar du Sjöbo kommun i Skåne län?"), or that no place was found.
    Only the gazetteer's and the data's own names are shown, never the user's words."""
    language = answer.language
    if answer.foreign:
        places = join_words([place.name for place in answer.foreign], language, "and")
        return (text("not_in_sweden", language, place=places),)
    if answer.suggestion is not None:
        mention, county = answer.suggestion.mention, answer.suggestion.county.name
        place = mention.name
        if mention.kind is MentionKind.MUNICIPALITY:
            place = text("municipality_name", language, name=mention.name)
        return (text("did_you_mean", language, place=place, county=county, name=mention.name),)
    return (text("not_recognised", language),)


def mention_lines(answer: Answer, code: str | None = None) -> tuple[str, ...]:
    """Say why the answer's counties are in it, once each ("Eskilstuna ligger i Södermanlands
    län.", "Småland omfattar ..."); with `code`, only the lines about that county."""
    if answer.status is Status.NONE:
        return ()
    names = {county.county.code: county.county.name for county in answer.counties}
    lines = (
        mention_line(mention, names, answer.language)
        for mention in answer.mentions
        if code is None or code in mention.counties
    )
    return tuple(dict.fromkeys(line for line in lines if line))


def mention_line(mention: Mention, names: Mapping[str, str], language: str) -> str:
    """Return the line that says where `mention` lies among the answered counties (`names`, by
    code), or "" when a line would say nothing or mislead."""
    # County names and letter codes need no line: the heading says it, and an ambiguous name
    # ("Ekeby (Uppsala) / Ekeby (Gotland)") would read as nonsense. A single-county area reads like a place.
    if mention.kind not in PLACE_KINDS and mention.kind not in AREA_KINDS:
        return ""
    counties = [names[code] for code in mention.counties if code in names]
    if not counties or any(county.startswith(mention.name) for county in counties):
        return ""  # "Kalmar ligger i Kalmar län" says nothing
    if len(counties) < len(mention.counties):
        return ""  # the answer kept only some of the area's counties; a partial list would mislead
    if len(counties) == 1:
        return text("place_in_county", language, place=mention.name, county=counties[0])
    if mention.kind in AREA_KINDS:
        return text("area_covers", language, place=mention.name, counties=join_words(counties, language, "and"))
    return ""


def _clarify_text(answer: Answer) -> str:
    language = answer.language
    names = [county.county.name for county in answer.counties]
    question = text("clarify_question", language, options=join_words(names, language, "or"))
    return f"{question}\n{text('clarify_hint', language, example=names[0])}"


def officer_names(contacts: CountyContacts | None, language: str, vacant_key: str = "vacant_short") -> str:
    """Return a county's officers for one line ("Isabelle Canderskog, Sara Mattsson"), or the
    message `vacant_key` ("vakant") when it has none."""
    names = ", ".join(officer.name for officer in contacts.officers) if contacts else ""
    return names or text(vacant_key, language)


def vacancy_note(item: CountyAnswer, language: str) -> str | None:
    """Say that the county has no officer and who helps meanwhile; None when it has one."""
    if not item.contacts.vacant:
        return None
    key = "vacant_with_deputy" if item.contacts.deputy else "vacant"
    return text(key, language, county=item.county.name)


def county_line(answer: CountyAnswer, language: str) -> str:
    """Return one line for notifications: "Södermanlands län: Isabelle Canderskog"."""
    return f"{answer.county.name}: {officer_names(answer.contacts, language)}"


def person_lead(person: PersonMatch, answer: Answer) -> str:
    """Say what a person covers: "Isabelle Canderskog är länsansvarig för Södermanlands län."."""
    language = answer.language
    names = {item.county.code: item.county.name for item in answer.counties}
    sentences = []
    for key, codes in (("person_counties", person.counties), ("person_deputy", person.deputy_for)):
        counties = [names[code] for code in codes if code in names]
        if counties:
            joined = join_words(counties, language, "and")
            sentences.append(text(key, language, name=person.officer.name, counties=joined))
    return " ".join(sentences)


def help_text(language: str) -> str:
    """Return what the bot does and its commands, as plain text."""
    return f"{text('help', language)}\n\n{text('help_commands', language)}"


def list_text(directory: Directory, language: str) -> str:
    """Return every county and its officers, one line each, as plain text."""
    lines = [text("list_title", language, count=len(directory.geography.counties))]
    if directory.example_data:
        lines.append(text("example_data", language))
    for county in directory.geography.counties:
        lines.append(f"{county.name}: {officer_names(directory.contacts.get(county.code), language)}")
    lines.append(text("list_hint", language))
    return "\n".join(lines)


def which_person_text(officers: Sequence[Officer], language: str) -> str:
    """Ask which of `officers` the user means, one name and address a line."""
    names = "\n".join(f"{INDENT}{officer.name} ({officer.email})" for officer in officers)
    return "\n".join((text("person_clarify_question", language), names, text("person_clarify_hint", language)))


def _county_text(answer: CountyAnswer, language: str, brief: bool = False) -> str:
    lines = [answer.county.name]
    contacts = answer.contacts
    note = vacancy_note(answer, language)
    if note:
        lines.append(note)
    for officer in contacts.officers:
        lines += _officer_lines(text("officer", language), officer, language)
    if contacts.deputy:
        lines += _officer_lines(text("deputy", language), contacts.deputy, language)
    if not brief:
        lines += _dialogue_lines(answer, language)
    lines.append(text("sharepoint_line", language, url=contacts.sharepoint_url))
    return "\n".join(lines)


def _officer_lines(label: str, officer: Officer, language: str) -> list[str]:
    about = ", ".join(part for part in (officer.name, officer.title, officer.unit, officer.office) if part)
    lines = [f"{label}: {about}", f"{INDENT}{text('email_label', language)}: {officer.email}"]
    if officer.phone:
        lines.append(f"{INDENT}{text('phone_label', language)}: {officer.phone}")
    return lines


def _dialogue_lines(answer: CountyAnswer, language: str) -> list[str]:
    """Return the next dialogue, then the recent ones: the order the card shows them in."""
    lines = [f"{text('upcoming_dialogue', language)}:"]
    if answer.upcoming:
        lines.append(INDENT + _dialogue_line(answer.upcoming, language))
    else:
        lines.append(INDENT + text("no_upcoming_dialogue", language))
    lines.append(f"{text('recent_dialogues', language)}:")
    lines += [INDENT + _dialogue_line(dialogue, language) for dialogue in answer.recent]
    if not answer.recent:
        lines.append(INDENT + text("no_recent_dialogues", language))
    return lines


def _dialogue_line(dialogue: Dialogue, language: str) -> str:
    line = f"{format_date(dialogue.date, language)}: {dialogue.title} \u2013 {dialogue.summary}"
    return f"{line} ({dialogue.link})" if dialogue.link else line


# --- JSON --------------------------------------------------------------------------------------

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


def answer_record(answer: Answer) -> dict[str, JsonValue]:
    """Return the answer as a JSON-ready dict: status, counties (answers or candidates), mentions."""
    return {
        "status": answer.status.value,
        "language": answer.language,
        "counties": [_county_record(county) for county in answer.counties],
        "mentions": [_mention_record(mention) for mention in answer.mentions],
        "example_data": answer.example_data,
        "truncated": answer.truncated,
    }


def _county_record(answer: CountyAnswer) -> dict[str, JsonValue]:
    contacts = answer.contacts
    return {
        "code": answer.county.code,
        "name": answer.county.name,
        "vacant": contacts.vacant,
        "officers": [_officer_record(officer) for officer in contacts.officers],
        "deputy": _officer_record(contacts.deputy) if contacts.deputy else None,
        "sharepoint_url": contacts.sharepoint_url,
        "recent_dialogues": [_dialogue_record(dialogue) for dialogue in answer.recent],
        "upcoming_dialogue": _dialogue_record(answer.upcoming) if answer.upcoming else None,
    }


def _officer_record(officer: Officer) -> dict[str, JsonValue]:
    return {
        "name": officer.name,
        "title": officer.title,
        "unit": officer.unit,
        "office": officer.office,
        "email": officer.email,
        "phone": officer.phone,
    }


def _dialogue_record(dialogue: Dialogue) -> dict[str, JsonValue]:
    return {
        "id": dialogue.id,
        "date": dialogue.date.isoformat(),
        "title": dialogue.title,
        "summary": dialogue.summary,
        "link": dialogue.link,
    }


def _mention_record(mention: Mention) -> dict[str, JsonValue]:
    return {"surface": mention.surface, "name": mention.name, "kind": mention.kind, "counties": list(mention.counties)}
