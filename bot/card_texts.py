"""The Teams bot's user-facing texts, Swedish first and English beside it.

Kept apart until bot/messages.py (the one module for all user-facing text) lands on main; then
these entries move there in its structure. Every message says what happened and what to try next.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"  # the agency works in Swedish; English only when the user writes it

TEXTS: Mapping[str, Mapping[str, str]] = {
    "example_data": {
        "sv": "Obs: exempeldata – kontrollera uppgifterna innan du hör av dig.",
        "en": "Note: example data – check the details before you get in touch.",
    },
    "lies_in": {
        "sv": "{place} ligger i {county}.",
        "en": "{place} is in {county}.",
    },
    "vacant": {
        "sv": "Tjänsten som länsansvarig är vakant just nu. Hör av dig till ersättaren nedan eller se SharePoint-sidan.",
        "en": "The county officer post is vacant at the moment. Contact the deputy below or see the SharePoint page.",
    },
    "vacant_short": {"sv": "vakant", "en": "vacant"},
    "officer_heading": {"sv": "Länsansvarig", "en": "County officer"},
    "deputy_heading": {"sv": "Ersättare", "en": "Deputy"},
    "fact_title": {"sv": "Titel", "en": "Title"},
    "fact_unit": {"sv": "Enhet", "en": "Unit"},
    "fact_office": {"sv": "Kontor", "en": "Office"},
    "fact_email": {"sv": "E-post", "en": "E-mail"},
    "fact_phone": {"sv": "Telefon", "en": "Phone"},
    "chat_button": {"sv": "Chatta i Teams", "en": "Chat in Teams"},
    "mail_button": {"sv": "Mejla", "en": "Send e-mail"},
    "sharepoint_button": {"sv": "Strategiskt regionarbete på SharePoint", "en": "Strategic regional work on SharePoint"},
    "upcoming_heading": {"sv": "Nästa regionala dialog", "en": "Next regional dialogue"},
    "recent_heading": {"sv": "Senaste regionala dialoger", "en": "Recent regional dialogues"},
    "no_dialogues": {
        "sv": "Inga regionala dialoger är registrerade för länet ännu. Se SharePoint-sidan.",
        "en": "No regional dialogues are recorded for this county yet. See the SharePoint page.",
    },
    "dialogue_link": {"sv": "Läs mer", "en": "Read more"},
    "clarify_question": {"sv": "Vilket län menar du?", "en": "Which county do you mean?"},
    "clarify_hint": {
        "sv": "Välj en knapp, skriv länets namn eller nummer – eller skriv ”avbryt”.",
        "en": "Pick a button, type the county's name or number – or type “cancel”.",
    },
    "clarify_retry": {
        "sv": "Jag förstod inte vilket av länen du menar. Välj en knapp, skriv ett nummer eller ”avbryt”.",
        "en": "I didn't catch which of the counties you mean. Pick a button, type a number or “cancel”.",
    },
    "cancelled": {
        "sv": "Okej, jag avbryter. Ställ en ny fråga när du vill, eller skriv ”hjälp”.",
        "en": "OK, cancelled. Ask a new question whenever you like, or type “help”.",
    },
    "cancel_button": {"sv": "Avbryt", "en": "Cancel"},
    "cancel_word": {"sv": "avbryt", "en": "cancel"},
    "person_clarify_question": {"sv": "Vilken av dem menar du?", "en": "Which of them do you mean?"},
    "person_clarify_hint": {
        "sv": "Flera länsansvariga passar namnet. Välj en knapp eller skriv hela namnet.",
        "en": "Several county officers fit that name. Pick a button or type the full name.",
    },
    "person_question": {"sv": "Vilket län har {name}?", "en": "Which county does {name} cover?"},
    "person_counties": {
        "sv": "{name} är länsansvarig för {counties}.",
        "en": "{name} is the county officer for {counties}.",
    },
    "person_deputy": {
        "sv": "{name} är ersättare för {counties}.",
        "en": "{name} is the deputy for {counties}.",
    },
    "person_unknown": {
        "sv": "Jag hittar ingen länsansvarig med det namnet. Skriv ”lista” för att se alla län och deras handläggare.",
        "en": "I can't find a county officer by that name. Type “list” to see every county and its officer.",
    },
    "help_title": {"sv": "Regiondörren", "en": "Regiondörren"},
    "help_body": {
        "sv": "Fråga mig om ett län, en kommun, en ort eller ett landskap, så får du Tillväxtverkets "
              "länsansvariga handläggare med chatt- och mejlknappar, länets regionala dialoger och "
              "länken till det strategiska regionarbetet på SharePoint.",
        "en": "Ask me about a county, a municipality, a town or a province and you get Tillväxtverket's "
              "county officer with chat and e-mail buttons, the county's regional dialogues and the "
              "link to strategic regional work on SharePoint.",
    },
    "help_commands": {
        "sv": "Skriv ”lista” för alla 21 län, eller ”vilket län har …?” med en handläggares namn.",
        "en": "Type “list” for all 21 counties, or “what does … cover?” with an officer's name.",
    },
    "example_1": {"sv": "Vem är vår ingång till Sörmland?", "en": "Who covers Gothenburg?"},
    "example_2": {"sv": "Jag ska till Eskilstuna nästa vecka", "en": "I'm visiting Kiruna next week"},
    "example_3": {"sv": "Vem har Gotland?", "en": "Who is our contact for Skåne?"},
    "list_title": {"sv": "Alla {count} län", "en": "All {count} counties"},
    "list_hint": {
        "sv": "Fråga om ett län, en kommun eller en ort för fullständiga kontaktuppgifter.",
        "en": "Ask about a county, municipality or town for full contact details.",
    },
    "list_button": {"sv": "Visa alla län", "en": "Show all counties"},
    "list_word": {"sv": "lista", "en": "list"},
    "help_button": {"sv": "Hjälp", "en": "Help"},
    "help_word": {"sv": "hjälp", "en": "help"},
    "not_recognised": {
        "sv": "Jag hittade inget län, ingen kommun och ingen ort i din fråga.",
        "en": "I couldn't find a county, municipality or town in your question.",
    },
    "not_recognised_hint": {
        "sv": "Nämn en plats, till exempel ”Vem har Västerbotten?” eller ”Jag ska till Kalmar”, eller visa alla län.",
        "en": "Name a place, for example “Who covers Västerbotten?” or “I'm going to Kalmar”, or show all counties.",
    },
    "unavailable": {
        "sv": "Jag kan inte svara just nu eftersom kataloguppgifterna inte gick att läsa in. Försök igen om en stund.",
        "en": "I can't answer right now because the directory data could not be loaded. Please try again in a while.",
    },
    "turn_error": {
        "sv": "Något gick fel när jag skulle svara. Försök igen om en stund.",
        "en": "Something went wrong while I was answering. Please try again in a moment.",
    },
    "months": {
        "sv": "januari februari mars april maj juni juli augusti september oktober november december",
        "en": "January February March April May June July August September October November December",
    },
}


def text(key: str, language: str, **fields: str) -> str:
    """Return the text `key` in `language` (Swedish when unknown), with `fields` filled in."""
    entry = TEXTS[key]
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return template.format(**fields) if fields else template
