"""Every user-facing text, Swedish and English side by side.

Add a message as one more entry in MESSAGES with both languages and the same {placeholders};
a test checks that every entry has both. Each message says what happened and what to try next.
Texts are plain (no markdown); whoever renders them escapes for their medium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

SWEDISH = "sv"
ENGLISH = "en"
LANGUAGES = (SWEDISH, ENGLISH)

MESSAGES: dict[str, dict[str, str]] = {
    # --- the answer --------------------------------------------------------------------------
    "officer": {
        "sv": "Länsansvarig",
        "en": "County officer",
    },
    "deputy": {
        "sv": "Ersättare",
        "en": "Deputy",
    },
    "email_label": {
        "sv": "E-post",
        "en": "Email",
    },
    "phone_label": {
        "sv": "Telefon",
        "en": "Phone",
    },
    "recent_dialogues": {
        "sv": "Senaste regionala dialoger",
        "en": "Recent regional dialogues",
    },
    "upcoming_dialogue": {
        "sv": "Nästa regionala dialog",
        "en": "Next regional dialogue",
    },
    "no_recent_dialogues": {
        "sv": "Inga tidigare regionala dialoger finns registrerade. Fråga länsansvarig om du behöver historiken.",
        "en": "No past regional dialogues are recorded. Ask the county officer if you need the history.",
    },
    "no_upcoming_dialogue": {
        "sv": "Ingen kommande regional dialog är inplanerad än. Länsansvarig vet när nästa blir av.",
        "en": "No upcoming regional dialogue is scheduled yet. The county officer knows when the next one is.",
    },
    "vacant": {
        "sv": "{county} saknar länsansvarig just nu. Se sidan för strategiskt regionarbete på SharePoint för vem som hjälper till under tiden.",
        "en": "{county} has no county officer at the moment. See the strategic regional work page on SharePoint for who helps in the meantime.",
    },
    "vacant_with_deputy": {
        "sv": "{county} saknar länsansvarig just nu. Hör av dig till ersättaren nedan under tiden.",
        "en": "{county} has no county officer at the moment. Contact the deputy below in the meantime.",
    },
    "place_in_county": {
        "sv": "{place} ligger i {county}.",
        "en": "{place} is in {county}.",
    },
    "area_covers": {
        "sv": "{place} omfattar {counties}.",
        "en": "{place} covers {counties}.",
    },
    "sharepoint_line": {
        "sv": "Strategiskt regionarbete på SharePoint: {url}",
        "en": "Strategic regional work on SharePoint: {url}",
    },
    "example_data": {
        "sv": "Obs: exempeldata, inte den riktiga förteckningen. Kontrollera kontakten på SharePoint innan du hör av dig.",
        "en": "Note: example data, not the real directory. Check the contact on SharePoint before you get in touch.",
    },
    # --- when there is no single answer ------------------------------------------------------
    "not_recognised": {
        "sv": "Jag hittade inget län i din fråga. Skriv ett län, en kommun eller en ort, till exempel \u201dvem har Sörmland?\u201d eller \u201djag ska till Eskilstuna\u201d.",
        "en": "I could not find a county in your question. Name a county, municipality or town, for example \u201cwho covers Sörmland?\u201d or \u201cI'm going to Eskilstuna\u201d.",
    },
    "not_in_sweden": {
        "sv": "{place} ligger inte i Sverige, så ingen av Tillväxtverkets länsansvariga har den. Skriv en ort, kommun eller ett län i Sverige, till exempel \u201dvem har Norrbotten?\u201d.",
        "en": "{place} is not in Sweden, so none of Tillväxtverket's county officers covers it. Name a town, municipality or county in Sweden, for example \u201cwho covers Norrbotten?\u201d.",
    },
    "did_you_mean": {
        "sv": "Menar du {place} i {county}? Skriv i så fall \u201d{name}\u201d så visar jag länsansvarig.",
        "en": "Do you mean {place} in {county}? Then write \u201c{name}\u201d and I will show the county officer.",
    },
    "municipality_name": {
        "sv": "{name} kommun",
        "en": "{name} Municipality",
    },
    "clarify_question": {
        "sv": "Din fråga passar flera län. Vilket menar du: {options}?",
        "en": "Your question fits several counties. Which one do you mean: {options}?",
    },
    "clarify_hint": {
        "sv": "Skriv länets namn, till exempel \u201d{example}\u201d, så svarar jag direkt.",
        "en": "Write the county's name, for example \u201c{example}\u201d, and I will answer straight away.",
    },
    "question_truncated": {
        "sv": "Din fråga var mycket lång, så jag läste bara början. Skriv en kortare fråga om svaret inte stämmer.",
        "en": "Your question was very long, so I only read the beginning. Ask a shorter question if the answer is off.",
    },
    "help": {
        "sv": (
            "Jag är Regiondörren. Skriv ett län, en kommun eller en ort så visar jag Tillväxtverkets "
            "länsansvariga, de senaste och nästa regionala dialoger och länken till strategiskt "
            "regionarbete. Prova: \u201dvem har Sörmland?\u201d, \u201dvem är vår ingång till Norrbotten?\u201d "
            "eller \u201djag ska till Kalmar nästa vecka\u201d."
        ),
        "en": (
            "I am Regiondörren. Name a county, municipality or town and I will show Tillväxtverket's "
            "county officer, the recent and next regional dialogues and the link to strategic "
            "regional work. Try: \u201cwho covers Sörmland?\u201d, \u201cwho is our contact for Norrbotten?\u201d "
            "or \u201cI'm going to Kalmar next week\u201d."
        ),
    },
    "error_neutral": {
        "sv": "Något gick fel hos mig, och det är inte ditt fel. Försök igen om en stund.",
        "en": "Something went wrong on my side, not yours. Please try again in a moment.",
    },
    "data_unavailable": {
        "sv": "Jag kan inte läsa förteckningen just nu. Försök igen om en stund, eller se sidan för strategiskt regionarbete på SharePoint: {url}",
        "en": "I cannot read the directory right now. Try again in a moment, or see the strategic regional work page on SharePoint: {url}",
    },
    "tenant_refused": {
        "sv": "Regiondörren är bara öppen för Tillväxtverkets medarbetare, och din organisation har inte "
        "tillgång till den. Vill du nå en länsansvarig, kontakta Tillväxtverket via tillvaxtverket.se.",
        "en": "Regiondörren is open only to Tillväxtverket's staff, and your organisation does not have "
        "access to it. To reach a county officer, contact Tillväxtverket through tillvaxtverket.se.",
    },
    # --- buttons (Teams cards) ---------------------------------------------------------------
    "chat_button": {
        "sv": "Chatta i Teams",
        "en": "Chat in Teams",
    },
    "email_button": {
        "sv": "Mejla",
        "en": "Email",
    },
    "county_more_button": {
        "sv": "Dialoger och mer om {county}",
        "en": "Dialogues and more on {county}",
    },
    "county_question": {
        "sv": "Vem har {county}?",
        "en": "Who covers {county}?",
    },
    "answer_parts": {
        "sv": "Svaret om {count} län kommer i {parts} meddelanden.",
        "en": "The answer about {count} counties comes in {parts} messages.",
    },
    "sharepoint_button": {
        "sv": "Strategiskt regionarbete på SharePoint",
        "en": "Strategic regional work on SharePoint",
    },
    "dialogue_link_button": {
        "sv": "Läs mer",
        "en": "Read more",
    },
    # --- the Teams bot ------------------------------------------------------------------------
    "title_label": {
        "sv": "Titel",
        "en": "Title",
    },
    "unit_label": {
        "sv": "Enhet",
        "en": "Unit",
    },
    "office_label": {
        "sv": "Kontor",
        "en": "Office",
    },
    "vacant_short": {
        "sv": "vakant",
        "en": "vacant",
    },
    "clarify_card_question": {
        "sv": "Din fråga passar flera län. Vilket menar du?",
        "en": "Your question fits several counties. Which one do you mean?",
    },
    "clarify_card_hint": {
        "sv": "Välj en knapp, skriv länets namn eller nummer \u2013 eller skriv \u201davbryt\u201d.",
        "en": "Pick a button, type the county's name or number \u2013 or type \u201ccancel\u201d.",
    },
    "clarify_card_hint_group": {
        "sv": "Välj en knapp. Skriver du i stället, börja med @{bot}: \u201d@{bot} 1\u201d för det första länet, \u201d@{bot} avbryt\u201d för att avbryta.",
        "en": "Pick a button. To type instead, start with @{bot}: \u201c@{bot} 1\u201d for the first county, \u201c@{bot} cancel\u201d to cancel.",
    },
    "clarify_retry_group": {
        "sv": "Jag förstod inte vilket av länen du menar. Välj en knapp, eller skriv @{bot} och ett nummer eller \u201davbryt\u201d.",
        "en": "I did not catch which of the counties you mean. Pick a button, or type @{bot} and a number or \u201ccancel\u201d.",
    },
    "clarify_retry": {
        "sv": "Jag förstod inte vilket av länen du menar. Välj en knapp, skriv ett nummer eller \u201davbryt\u201d.",
        "en": "I did not catch which of the counties you mean. Pick a button, type a number or \u201ccancel\u201d.",
    },
    "cancelled": {
        "sv": "Okej, jag avbryter. Ställ en ny fråga när du vill, eller skriv \u201dhjälp\u201d.",
        "en": "OK, cancelled. Ask a new question whenever you like, or type \u201chelp\u201d.",
    },
    "thanks": {
        "sv": "Varsågod \u2013 fråga igen när du vill.",
        "en": "You're welcome \u2013 ask again any time.",
    },
    "cancel_button": {
        "sv": "Avbryt",
        "en": "Cancel",
    },
    "cancel_word": {
        "sv": "avbryt",
        "en": "cancel",
    },
    "person_clarify_question": {
        "sv": "Flera länsansvariga passar namnet. Vem menar du?",
        "en": "Several county officers fit that name. Whom do you mean?",
    },
    "person_clarify_hint": {
        "sv": "Välj en knapp eller skriv hela namnet.",
        "en": "Pick a button or type the full name.",
    },
    "person_clarify_hint_group": {
        "sv": "Välj en knapp, eller skriv @{bot} och hela namnet.",
        "en": "Pick a button, or type @{bot} and the full name.",
    },
    "person_question": {
        "sv": "Vilket län har {name}?",
        "en": "Which county does {name} cover?",
    },
    "person_counties": {
        "sv": "{name} är länsansvarig för {counties}.",
        "en": "{name} is the county officer for {counties}.",
    },
    "person_deputy": {
        "sv": "{name} är ersättare för {counties}.",
        "en": "{name} is the deputy for {counties}.",
    },
    "person_unknown": {
        "sv": "Jag hittar ingen länsansvarig med det namnet. Skriv \u201dlista\u201d för att se alla län och deras handläggare.",
        "en": "I cannot find a county officer by that name. Type \u201clist\u201d to see every county and its officer.",
    },
    "help_title": {
        "sv": "Regiondörren",
        "en": "Regiondörren",
    },
    "help_commands": {
        "sv": "Skriv \u201dlista\u201d för alla 21 län, eller \u201dvilket län har \u2026?\u201d med en handläggares namn.",
        "en": "Type \u201clist\u201d for all 21 counties, or \u201cwhat does \u2026 cover?\u201d with an officer's name.",
    },
    "help_commands_group": {
        "sv": "Här läser jag bara det som nämner mig: börja med @{bot}, till exempel \u201d@{bot} lista\u201d för alla 21 län eller \u201d@{bot} vem har Sörmland?\u201d.",
        "en": "Here I only read what mentions me: start with @{bot}, for example \u201c@{bot} list\u201d for all 21 counties or \u201c@{bot} who covers Sörmland?\u201d.",
    },
    "example_question_1": {
        "sv": "Vem är vår ingång till Sörmland?",
        "en": "Who covers Gothenburg?",
    },
    "example_question_2": {
        "sv": "Jag ska till Eskilstuna nästa vecka",
        "en": "I'm visiting Kiruna next week",
    },
    "example_question_3": {
        "sv": "Vem har Gotland?",
        "en": "Who is our contact for Skåne?",
    },
    "list_title": {
        "sv": "Alla {count} län",
        "en": "All {count} counties",
    },
    "list_hint": {
        "sv": "Fråga om ett län, en kommun eller en ort för fullständiga kontaktuppgifter.",
        "en": "Ask about a county, municipality or town for full contact details.",
    },
    "list_hint_group": {
        "sv": "Fråga om ett län, en kommun eller en ort för fullständiga kontaktuppgifter: börja med @{bot}.",
        "en": "Ask about a county, municipality or town for full contact details: start with @{bot}.",
    },
    "not_recognised_hint_group": {
        "sv": "Här läser jag bara det som nämner mig, så börja med @{bot}.",
        "en": "Here I only read what mentions me, so start with @{bot}.",
    },
    "map_alt_county": {
        "sv": "Karta över Sverige där {county} är markerat.",
        "en": "Map of Sweden with {county} highlighted.",
    },
    "map_alt_candidates": {
        "sv": "Karta över Sverige med länen numrerade: {counties}.",
        "en": "Map of Sweden with the counties numbered: {counties}.",
    },
    "list_button": {
        "sv": "Visa alla län",
        "en": "Show all counties",
    },
    "list_word": {
        "sv": "lista",
        "en": "list",
    },
    "help_button": {
        "sv": "Hjälp",
        "en": "Help",
    },
    "help_word": {
        "sv": "hjälp",
        "en": "help",
    },
    # --- command line ------------------------------------------------------------------------
    "cli_welcome": {
        "sv": "Regiondörren på kommandoraden. Skriv en fråga och tryck Enter; en tom rad eller Ctrl-D avslutar.",
        "en": "Regiondörren on the command line. Type a question and press Enter; an empty line or Ctrl-D quits.",
    },
    "cli_prompt": {
        "sv": "Fråga> ",
        "en": "Question> ",
    },
    "cli_data_error": {
        "sv": "Datafilerna i {path} har {count} fel, så jag kan inte svara. Kör \u201dpython -m bot check-data\u201d för att se dem och rätta filerna.",
        "en": "The data files in {path} have {count} issue(s), so I cannot answer. Run \u201cpython -m bot check-data\u201d to see them and fix the files.",
    },
    "check_ok": {
        "sv": "Datafilerna i {path} är i ordning: {counties} län, {officers} länsansvariga, {dialogues} regionala dialoger; vakanta län: {vacant}.",
        "en": "The data files in {path} are fine: {counties} counties, {officers} county officers, {dialogues} regional dialogues; vacant counties: {vacant}.",
    },
    "check_failed": {
        "sv": "{count} fel i datafilerna i {path}. Rätta raderna ovan och kör check-data igen.",
        "en": "{count} issue(s) in the data files in {path}. Fix the lines above and run check-data again.",
    },
    "no_data_dir": {
        "sv": "Mappen {path} finns inte. Ange en mapp med counties.yaml, officers.yaml och de andra datafilerna.",
        "en": "The folder {path} does not exist. Give a folder holding counties.yaml, officers.yaml and the other data files.",
    },
    "package_bad_settings": {
        "sv": "Jag kan inte bygga Teams-paketet: {error}",
        "en": "Cannot build the Teams package: {error}",
    },
    "package_write_failed": {
        "sv": "Jag kan inte skriva Teams-paketet till {path}: {reason}. Välj en mapp du kan skriva i med --output och kör igen.",
        "en": "Cannot write the Teams package to {path}: {reason}. Choose a folder you can write to with --output and run it again.",
    },
    "package_written": {
        "sv": "Skrev {path} (app {app}, domän {domain}, version {version}). Ladda upp den i Teams: Appar > Hantera dina appar > Ladda upp en app.",
        "en": "Wrote {path} (app {app}, domain {domain}, version {version}). Upload it in Teams: Apps > Manage your apps > Upload an app.",
    },
    "migrate_done": {
        "sv": "Databasen ({backend}, {location}) har schemaversion {version}.",
        "en": "The database ({backend}, {location}) is at schema version {version}.",
    },
    "migrate_bad_settings": {
        "sv": "Jag kan inte migrera databasen: {error}",
        "en": "Cannot migrate the database: {error}",
    },
    "migrate_unreachable": {
        "sv": "Databasen ({backend}, {location}) går inte att använda: {error}. Kontrollera DATABASE_URL eller STATE_DIR och att servern är igång, och försök igen.",
        "en": "The database ({backend}, {location}) cannot be used: {error}. Check DATABASE_URL or STATE_DIR and that the server is running, then try again.",
    },
    "migrate_failed": {
        "sv": "Migreringen misslyckades och databasen är oförändrad: {error}",
        "en": "The migration failed and the database is unchanged: {error}",
    },
    # --- the search messaging extension (previews in Teams' result list) ----------------------
    "search_vacant": {
        "sv": "Länsansvarig saknas just nu",
        "en": "No county officer at the moment",
    },
    "search_office": {
        "sv": "Kontor: {office}",
        "en": "Office: {office}",
    },
    "search_in_area": {
        "sv": "Del av {area}.",
        "en": "Part of {area}.",
    },
    "search_deputy": {
        "sv": "Ersättare: {name}",
        "en": "Deputy: {name}",
    },
    "search_unavailable": {
        "sv": "Sökningen fungerar inte just nu eftersom kataloguppgifterna inte gick att läsa in. Försök igen om en stund.",
        "en": "Search is not available right now because the directory data could not be loaded. Please try again in a while.",
    },
}

MONTHS = {
    "sv": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
CONJUNCTIONS = {
    "or": {"sv": "eller", "en": "or"},
    "and": {"sv": "och", "en": "and"},
}


def text(key: str, language: str, **values: object) -> str:
    """Return message `key` in `language` (Swedish for anything but "en"), filled with `values`."""
    message = MESSAGES[key]
    template = message[ENGLISH] if language == ENGLISH else message[SWEDISH]
    return template.format(**values) if values else template


def format_date(date: dt.date, language: str) -> str:
    """Write a date the way people read it: "3 december 2026" / "3 December 2026"."""
    months = MONTHS[ENGLISH] if language == ENGLISH else MONTHS[SWEDISH]
    return f"{date.day} {months[date.month - 1]} {date.year}"


def join_words(items: Sequence[str], language: str, conjunction: str = "or") -> str:
    """Join names for a sentence: "A, B eller C" / "A, B or C"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    word = CONJUNCTIONS[conjunction][ENGLISH if language == ENGLISH else SWEDISH]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
