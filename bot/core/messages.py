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
            "länsansvariga, de senaste och nästa regionala dialogerna och länken till strategiskt "
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
    "help_follow": {
        "sv": "Följ ett län så kommer länsansvarigas nyheter hit: \u201dfölj Sörmland\u201d. \u201dinlägg Sörmland\u201d visar de senaste och \u201dvad följer jag?\u201d det du följer.",
        "en": "Follow a county and its officers' news comes here: \u201cfollow Skåne\u201d. \u201cposts for Skåne\u201d shows the latest and \u201cwhat do I follow?\u201d what you follow.",
    },
    "help_follow_group": {
        "sv": "Följ ett län så kommer länsansvarigas nyheter till den här konversationen: \u201d@{bot} följ Sörmland\u201d. \u201d@{bot} inlägg Sörmland\u201d visar de senaste.",
        "en": "Follow a county and its officers' news comes to this conversation: \u201c@{bot} follow Skåne\u201d. \u201c@{bot} posts for Skåne\u201d shows the latest.",
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
        "sv": "Datafilerna i {path} har {count} fel, så jag kan inte svara. Kör \u201dmake check-data\u201d i projektets mapp för att se dem och rätta filerna.",
        "en": "The data files in {path} have problems ({count}), so I cannot answer. Run \u201cmake check-data\u201d in the project folder to see them and fix the files.",
    },
    "check_ok": {
        "sv": "Datafilerna i {path} är i ordning: {counties} län, {officers} länsansvariga, {dialogues} regionala dialoger; vakanta län: {vacant}.",
        "en": "The data files in {path} are fine: {counties} counties, {officers} county officers, {dialogues} regional dialogues; vacant counties: {vacant}.",
    },
    "check_failed": {
        "sv": "{count} fel i datafilerna i {path}. Rätta raderna ovan och kör check-data igen.",
        "en": "Problems in the data files in {path}: {count}. Fix the lines above and run check-data again.",
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
    "package_missing": {
        "sv": "{name} saknas: ange {meaning}",
        "en": "{name} is missing: set it to {meaning}",
    },
    "package_not_guid": {
        "sv": "{name} är inget GUID (som 00000000-0000-0000-0000-000000000000): ange {meaning}",
        "en": "{name} is not a GUID (like 00000000-0000-0000-0000-000000000000): set it to {meaning}",
    },
    "package_meaning_bot_id": {
        "sv": "botens Microsoft App ID från dess Azure Bot-resurs",
        "en": "the bot's Microsoft App ID from its Azure Bot resource",
    },
    "package_meaning_teams_app_id": {
        "sv": "Teams-appens id (låt den vara osatt för att använda MicrosoftAppId)",
        "en": "the Teams app id (leave it unset to use MicrosoftAppId)",
    },
    "package_domain_missing": {
        "sv": "BOT_DOMAIN saknas: ange värdnamnet som tar emot /api/messages, som {example}",
        "en": "BOT_DOMAIN is missing: set it to the host name that serves /api/messages, like {example}",
    },
    "package_domain_not_bare": {
        "sv": "BOT_DOMAIN ska vara bara ett värdnamn: skriv det som {example}, utan https://, port eller sökväg",
        "en": "BOT_DOMAIN is not a bare host name: write it like {example}, without https://, port or path",
    },
    "package_not_https": {
        "sv": "{name} måste vara en https://-adress (Teams visar den på appens sida)",
        "en": "{name} must be an https:// address (Teams shows it on the app's page)",
    },
    "package_bad_version": {
        "sv": "APP_VERSION ska se ut som 1.2.3 (Teams kräver en högre version för varje uppdatering)",
        "en": "APP_VERSION must look like 1.2.3 (Teams needs a higher version for every update)",
    },
    "package_no_version": {
        "sv": "APP_VERSION saknas och projektet är inte installerat: ange APP_VERSION=1.0.0",
        "en": "APP_VERSION is missing and the project is not installed: set APP_VERSION=1.0.0",
    },
    "package_template_unreadable": {
        "sv": "{path}: manifestmallen går inte att läsa ({reason})",
        "en": "{path}: cannot read the manifest template ({reason})",
    },
    "package_template_not_object": {
        "sv": "{path}: manifestmallen är inget JSON-objekt",
        "en": "{path}: the manifest template is not a JSON object",
    },
    "package_unknown_placeholder": {
        "sv": "{path}: okänd platshållare ${{{{{name}}}}}",
        "en": "{path}: unknown placeholder ${{{{{name}}}}}",
    },
    "package_file_missing": {
        "sv": "{path} saknas (manifestet hänvisar till den)",
        "en": "{path} is missing (the manifest refers to it)",
    },
    "package_default_links": {
        "sv": (
            "Obs: {names} pekar fortfarande på Tillväxtverkets startsida. Teams visar länkarna på appens sida; ange "
            "myndighetens integritetsmeddelande och användarvillkor innan paketet laddas upp för alla."
        ),
        "en": (
            "Note: Tillväxtverket's home page is still the address in {names}. Teams shows the links on the app's page; set "
            "the agency's privacy notice and terms of use before the package is uploaded for everyone."
        ),
    },
    "package_written": {
        "sv": "Skrev {path} (app {app}, domän {domain}, version {version}). Ladda upp den i Teams: Appar > Hantera dina appar > Ladda upp en app.",
        "en": "Wrote {path} (app {app}, domain {domain}, version {version}). Upload it in Teams: Apps > Manage your apps > Upload an app.",
    },
    "export_written": {
        "sv": "Skrev inläggen till {path}. Klistra in dialogerna i data/dialogues.yaml och kör \u201dmake check-data\u201d.",
        "en": "Wrote the posts to {path}. Paste the dialogues into data/dialogues.yaml and run \u201cmake check-data\u201d.",
    },
    "export_write_failed": {
        "sv": "Jag kan inte skriva till {path}: {reason}. Välj en annan fil med --output.",
        "en": "Cannot write to {path}: {reason}. Choose another file with --output.",
    },
    "export_store_failed": {
        "sv": "Jag kommer inte åt lagringen: {error}. Kontrollera STATE_DIR eller DATABASE_URL och försök igen.",
        "en": "Cannot reach the store: {error}. Check STATE_DIR or DATABASE_URL and try again.",
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
    # --- the county's own voice: posting ----------------------------------------------------
    "post_refused": {
        "sv": "Bara länsansvariga, deras ersättare och redaktörerna kan posta nyheter här. Vill du sprida något om ett län, hör av dig till länets länsansvariga (skriv \u201dlista\u201d så ser du vem).",
        "en": "Only county officers, their deputies and the editors can post news here. To spread something about a county, contact its county officer (type \u201clist\u201d to see who).",
    },
    "post_refused_county": {
        "sv": "Det är {names} som kan posta för {county}. Hör av dig till dem om du vill sprida något därifrån.",
        "en": "{names} can post for {county}. Contact them if you want to spread something from there.",
    },
    "post_refused_vacant": {
        "sv": "{county} saknar länsansvarig just nu, så ingen kan posta därifrån. Se sidan för strategiskt regionarbete på SharePoint.",
        "en": "{county} has no county officer at the moment, so no one can post from there. See the strategic regional work page on SharePoint.",
    },
    "member_lookup_failed": {
        "sv": "Jag kunde inte ta reda på vem du är i Teams just nu, så jag kan inte låta dig posta. Försök igen om en stund.",
        "en": "I could not find out who you are in Teams just now, so I cannot let you post. Please try again in a moment.",
    },
    "role_signature": {
        "sv": "Länsansvarig för {county}",
        "en": "County officer for {county}",
    },
    "form_title_update": {
        "sv": "Ny nyhet från länet",
        "en": "New update from the county",
    },
    "form_title_dialogue": {
        "sv": "Ny regional dialog",
        "en": "New regional dialogue",
    },
    "form_intro": {
        "sv": "Följarna av länet får ett meddelande när du publicerar. Du ser en förhandsvisning först.",
        "en": "The county's followers get a message when you publish. You see a preview first.",
    },
    "form_county_label": {
        "sv": "Län",
        "en": "County",
    },
    "form_title_label": {
        "sv": "Rubrik (högst {limit} tecken)",
        "en": "Title (at most {limit} characters)",
    },
    "form_text_label": {
        "sv": "Kort text (högst {limit} tecken, visas som ett stycke)",
        "en": "Short text (at most {limit} characters, shown as one paragraph)",
    },
    "form_link_label": {
        "sv": "Länk (valfri, https://...)",
        "en": "Link (optional, https://...)",
    },
    "form_date_label": {
        "sv": "Datum för dialogen",
        "en": "Date of the dialogue",
    },
    "form_problems": {
        "sv": "Något behöver rättas innan du kan gå vidare; se fälten nedan. Inget är sparat än.",
        "en": "Something needs fixing before you can go on; see the fields below. Nothing is saved yet.",
    },
    "form_missing": {
        "sv": "Fyll i det här fältet.",
        "en": "Fill in this field.",
    },
    "form_one_line": {
        "sv": "Skriv på en rad.",
        "en": "Write it on one line.",
    },
    "form_too_long": {
        "sv": "För långt: högst {limit} tecken. Korta texten och lägg resten bakom en länk.",
        "en": "Too long: at most {limit} characters. Shorten it and put the rest behind a link.",
    },
    "form_link": {
        "sv": "Skriv en hel webbadress som börjar med https://",
        "en": "Write a whole web address starting with https://",
    },
    "form_date": {
        "sv": "Välj ett datum (ÅÅÅÅ-MM-DD).",
        "en": "Pick a date (YYYY-MM-DD).",
    },
    "form_date_range": {
        "sv": "Datumet ligger mer än ett år bakåt eller tre år framåt. Kontrollera årtalet.",
        "en": "The date is more than a year back or three years ahead. Check the year.",
    },
    "form_county_missing": {
        "sv": "Välj vilket län inlägget gäller.",
        "en": "Choose which county the post is about.",
    },
    "form_county_not_yours": {
        "sv": "Du kan bara posta för dina egna län.",
        "en": "You can only post for your own counties.",
    },
    "preview_button": {
        "sv": "Förhandsvisa",
        "en": "Preview",
    },
    "preview_title": {
        "sv": "Förhandsvisning: så här ser följarna det",
        "en": "Preview: this is what followers will see",
    },
    "preview_followers": {
        "sv": "{count} följer {county} och får ett meddelande när du publicerar.",
        "en": "{count} follow {county} and get a message when you publish.",
    },
    "publish_button": {
        "sv": "Publicera",
        "en": "Publish",
    },
    "edit_button": {
        "sv": "Redigera",
        "en": "Edit",
    },
    "discard_button": {
        "sv": "Släng utkastet",
        "en": "Discard the draft",
    },
    "withdraw_button": {
        "sv": "Dra tillbaka",
        "en": "Withdraw",
    },
    "status_button": {
        "sv": "Leveransstatus",
        "en": "Delivery status",
    },
    "save_button": {
        "sv": "Spara ändringen",
        "en": "Save the change",
    },
    "post_published": {
        "sv": "Publicerat på länskortet för {county}. {count} följare får ett meddelande; skriv \u201dstatus\u201d för att se hur leveransen går.",
        "en": "Published on the card for {county}. {count} followers get a message; type \u201cstatus\u201d to see how delivery is going.",
    },
    "post_updated": {
        "sv": "Ändringen är sparad och syns på länskortet. Följarna får inget nytt meddelande för en ändring.",
        "en": "The change is saved and shows on the county card. Followers get no new message for a change.",
    },
    "post_discarded": {
        "sv": "Utkastet är borta. Skriv \u201dny nyhet\u201d när du vill börja om.",
        "en": "The draft is gone. Type \u201cnew update\u201d when you want to start again.",
    },
    "post_withdrawn": {
        "sv": "Inlägget är tillbakadraget och syns inte längre på länskortet. Meddelanden som redan skickats går inte att ta tillbaka; de som inte hunnit skickas stoppas.",
        "en": "The post is withdrawn and no longer shows on the county card. Messages already sent cannot be taken back; those not yet sent are stopped.",
    },
    "post_not_found": {
        "sv": "Jag hittar inget sådant inlägg av dig. Skriv \u201dmina inlägg\u201d för att se dina.",
        "en": "I cannot find such a post of yours. Type \u201cmy posts\u201d to see yours.",
    },
    "post_not_draft": {
        "sv": "Det inlägget är redan publicerat eller slängt. Skriv \u201dmina inlägg\u201d för att se dina.",
        "en": "That post is already published or discarded. Type \u201cmy posts\u201d to see yours.",
    },
    "my_posts_title": {
        "sv": "Dina inlägg",
        "en": "Your posts",
    },
    "my_posts_none": {
        "sv": "Du har inte postat något än. Skriv \u201dny nyhet\u201d eller \u201dny dialog\u201d för att börja.",
        "en": "You have not posted anything yet. Type \u201cnew update\u201d or \u201cnew dialogue\u201d to start.",
    },
    "county_posts_title": {
        "sv": "Inlägg för {county}",
        "en": "Posts for {county}",
    },
    "county_posts_none": {
        "sv": "Inga inlägg för {county} än. Skriv \u201dfölj {county}\u201d så får du nästa.",
        "en": "No posts for {county} yet. Type \u201cfollow {county}\u201d to get the next one.",
    },
    "state_draft": {
        "sv": "utkast",
        "en": "draft",
    },
    "state_published": {
        "sv": "publicerat",
        "en": "published",
    },
    "state_withdrawn": {
        "sv": "tillbakadraget",
        "en": "withdrawn",
    },
    "kind_update": {
        "sv": "Nyhet",
        "en": "Update",
    },
    "kind_dialogue": {
        "sv": "Regional dialog",
        "en": "Regional dialogue",
    },
    "delivery_status": {
        "sv": "\u201d{title}\u201d (nr {id}): {delivered} levererade, {waiting} väntar, {gone} nås inte längre.",
        "en": "\u201c{title}\u201d (no. {id}): {delivered} delivered, {waiting} waiting, {gone} no longer reachable.",
    },
    "delivery_gone_hint": {
        "sv": "De som inte nås har tagit bort eller blockerat appen; de följer inte längre länet.",
        "en": "Those not reachable have removed or blocked the app; they no longer follow the county.",
    },
    "status_none": {
        "sv": "Du har inget publicerat inlägg att visa status för.",
        "en": "You have no published post to show the status of.",
    },
    # --- the county card's news, and notifications ------------------------------------------
    "updates_heading": {
        "sv": "Aktuellt från länsansvarig",
        "en": "News from the county officer",
    },
    "follow_button": {
        "sv": "Följ {county}",
        "en": "Follow {county}",
    },
    "follow_word": {
        "sv": "följ {county}",
        "en": "follow {county}",
    },
    "unfollow_word": {
        "sv": "sluta följa {county}",
        "en": "unfollow {county}",
    },
    "followers_word": {
        "sv": "vem följer {county}?",
        "en": "who follows {county}?",
    },
    "county_posts_word": {
        "sv": "inlägg {county}",
        "en": "posts for {county}",
    },
    "unfollow_button": {
        "sv": "Sluta följa {county}",
        "en": "Unfollow {county}",
    },
    "notification_update": {
        "sv": "Nytt från {county}",
        "en": "News from {county}",
    },
    "notification_dialogue": {
        "sv": "Ny regional dialog i {county}",
        "en": "New regional dialogue in {county}",
    },
    "notification_why": {
        "sv": "Du får det här för att du följer {county}.",
        "en": "You get this because you follow {county}.",
    },
    "notification_why_channel": {
        "sv": "Kanalen får det här för att den följer {county}.",
        "en": "This channel gets this because it follows {county}.",
    },
    "notification_why_chat": {
        "sv": "Chatten får det här för att den följer {county}.",
        "en": "This chat gets this because it follows {county}.",
    },
    # --- following ----------------------------------------------------------------------------
    "follow_done": {
        "sv": "Du följer nu {county}. När länsansvarig publicerar något nytt får du ett meddelande här. Skriv \u201dsluta följa {county}\u201d för att sluta.",
        "en": "You now follow {county}. When the county officer publishes something new, you get a message here. Type \u201cunfollow {county}\u201d to stop.",
    },
    "follow_done_channel": {
        "sv": "Den här kanalen följer nu {county}. Nyheter från länsansvarig kommer hit. Skriv \u201dsluta följa {county}\u201d för att sluta.",
        "en": "This channel now follows {county}. News from the county officer will come here. Type \u201cunfollow {county}\u201d to stop.",
    },
    "follow_done_chat": {
        "sv": "Den här chatten följer nu {county}. Nyheter från länsansvarig kommer hit. Skriv \u201dsluta följa {county}\u201d för att sluta.",
        "en": "This chat now follows {county}. News from the county officer will come here. Type \u201cunfollow {county}\u201d to stop.",
    },
    "follow_reason_saved": {
        "sv": "Din rad om varför är sparad; länsansvarig ser den.",
        "en": "Your line on why is saved; the county officer sees it.",
    },
    "follow_reason_hint": {
        "sv": "Vill du berätta varför för länsansvarig? Skriv t.ex. \u201dfölj {county}: vi har tre ERUF-projekt där\u201d.",
        "en": "Want to tell the county officer why? Write e.g. \u201cfollow {county}: we run three ERDF projects there\u201d.",
    },
    "follow_already": {
        "sv": "Du följer redan {county}.",
        "en": "You already follow {county}.",
    },
    "follow_already_channel": {
        "sv": "Den här kanalen följer redan {county}.",
        "en": "This channel already follows {county}.",
    },
    "follow_already_chat": {
        "sv": "Den här chatten följer redan {county}.",
        "en": "This chat already follows {county}.",
    },
    "unfollow_done": {
        "sv": "Du följer inte längre {county}, och din rad om varför är borttagen.",
        "en": "You no longer follow {county}, and your line on why is removed.",
    },
    "unfollow_done_channel": {
        "sv": "Den här kanalen följer inte längre {county}, och raden om varför är borttagen.",
        "en": "This channel no longer follows {county}, and its line on why is removed.",
    },
    "unfollow_done_chat": {
        "sv": "Den här chatten följer inte längre {county}, och raden om varför är borttagen.",
        "en": "This chat no longer follows {county}, and its line on why is removed.",
    },
    "unfollow_not_following": {
        "sv": "Du följer inte {county}. Skriv \u201dvad följer jag?\u201d för att se vad du följer.",
        "en": "You do not follow {county}. Type \u201cwhat do I follow?\u201d to see what you follow.",
    },
    "unfollow_not_following_channel": {
        "sv": "Den här kanalen följer inte {county}. Skriv \u201dvad följer jag?\u201d för att se vad den följer.",
        "en": "This channel does not follow {county}. Type \u201cwhat do I follow?\u201d to see what it follows.",
    },
    "unfollow_not_following_chat": {
        "sv": "Den här chatten följer inte {county}. Skriv \u201dvad följer jag?\u201d för att se vad den följer.",
        "en": "This chat does not follow {county}. Type \u201cwhat do I follow?\u201d to see what it follows.",
    },
    "following_none": {
        "sv": "Du följer inget län än. Skriv t.ex. \u201dfölj Sörmland\u201d, eller tryck Följ på ett länskort.",
        "en": "You do not follow any county yet. Type e.g. \u201cfollow Skåne\u201d, or press Follow on a county card.",
    },
    "following_none_channel": {
        "sv": "Den här kanalen följer inget län än. Skriv t.ex. \u201dfölj Sörmland\u201d med @Regiondörren först.",
        "en": "This channel does not follow any county yet. Type e.g. \u201cfollow Skåne\u201d after @Regiondörren.",
    },
    "following_none_chat": {
        "sv": "Den här chatten följer inget län än. Skriv t.ex. \u201dfölj Sörmland\u201d med @Regiondörren först.",
        "en": "This chat does not follow any county yet. Type e.g. \u201cfollow Skåne\u201d after @Regiondörren.",
    },
    "following_list": {
        "sv": "Du följer {counties}.",
        "en": "You follow {counties}.",
    },
    "following_list_channel": {
        "sv": "Den här kanalen följer {counties}.",
        "en": "This channel follows {counties}.",
    },
    "following_list_chat": {
        "sv": "Den här chatten följer {counties}.",
        "en": "This chat follows {counties}.",
    },
    "followers_title": {
        "sv": "{count} följer {county}",
        "en": "{count} follow {county}",
    },
    "followers_none": {
        "sv": "Ingen följer {county} än.",
        "en": "No one follows {county} yet.",
    },
    "followers_count_only": {
        "sv": "{count} personer och kanaler följer {county}. Vilka de är ser bara länets länsansvariga, ersättare och redaktörer.",
        "en": "{count} people and channels follow {county}. Only the county's officers, deputy and the editors see who they are.",
    },
    "followers_channel_label": {
        "sv": "kanal",
        "en": "channel",
    },
    "followers_chat_label": {
        "sv": "gruppchatt",
        "en": "group chat",
    },
    "place_unknown": {
        "sv": "Jag hittade inget län i det du skrev. Skriv länets namn, t.ex. \u201dfölj Sörmland\u201d.",
        "en": "I could not find a county in what you wrote. Write the county's name, e.g. \u201cfollow Skåne\u201d.",
    },
    "place_ambiguous": {
        "sv": "Det passar flera län: {options}. Skriv ett av dem, t.ex. \u201d{example}\u201d.",
        "en": "That fits several counties: {options}. Write one of them, e.g. \u201c{example}\u201d.",
    },
    "store_unavailable": {
        "sv": "Jag kommer inte åt mitt minne just nu, så jag kan inte spara eller läsa följningar och inlägg. Försök igen om en stund.",
        "en": "I cannot reach my storage right now, so I cannot save or read follows and posts. Please try again in a moment.",
    },
    # --- personal data ---------------------------------------------------------------------------
    "forget_done": {
        "sv": "Klart, jag har glömt dig. Borttaget: {removed}.",
        "en": "Done, I have forgotten you. Removed: {removed}.",
    },
    "forget_nothing": {
        "sv": "Jag har inget sparat om dig, så det fanns inget att ta bort.",
        "en": "I hold nothing about you, so there was nothing to remove.",
    },
    "forget_posts_kept": {
        "sv": "Dina {count} inlägg ligger kvar, signerade med rollen i stället för ditt namn. En redaktör kan ta bort dem helt.",
        "en": "Your {count} posts stay, signed with the role instead of your name. An editor can remove them entirely.",
    },
    "forget_follows": {
        "sv": "{count} följningar",
        "en": "{count} follows",
    },
    "forget_channel_follows": {
        "sv": "ditt namn och din rad på {count} kanalers följningar (kanalerna följer fortfarande)",
        "en": "your name and line on {count} channel follows (the channels still follow)",
    },
    "forget_deliveries": {
        "sv": "{count} meddelanden till dig (skickade och väntande)",
        "en": "{count} messages to you (sent and waiting)",
    },
    "forget_members": {
        "sv": "uppgifterna från Teams om vem du är",
        "en": "the details from Teams about who you are",
    },
    "forget_drafts": {
        "sv": "{count} utkast",
        "en": "{count} drafts",
    },
    "about_me_title": {
        "sv": "Det här har jag sparat om dig",
        "en": "This is what I hold about you",
    },
    "about_me_nothing": {
        "sv": "Jag har inget sparat om dig. Dina frågor sparas aldrig; loggarna innehåller bara länskoder och utfall.",
        "en": "I hold nothing about you. Your questions are never stored; the logs hold only county codes and outcomes.",
    },
    "about_me_member": {
        "sv": "Från Teams: namn {name}, inloggning {upn}, e-post {email} (hämtat {date}).",
        "en": "From Teams: name {name}, sign-in {upn}, email {email} (fetched {date}).",
    },
    "about_me_follow": {
        "sv": "Följer {county} sedan {date}{reason}.",
        "en": "Follows {county} since {date}{reason}.",
    },
    "about_me_reason": {
        "sv": ", med raden \u201d{reason}\u201d",
        "en": ", with the line \u201c{reason}\u201d",
    },
    "about_me_deliveries": {
        "sv": "{count} meddelanden till dig i leveranslistan (rensas efter {days} dagar).",
        "en": "{count} messages to you in the delivery list (purged after {days} days).",
    },
    "about_me_posts": {
        "sv": "{count} inlägg skrivna av dig, signerade med ditt namn.",
        "en": "{count} posts written by you, signed with your name.",
    },
    "about_me_footer": {
        "sv": "Dina frågor sparas aldrig. Skriv \u201dglöm mig\u201d för att ta bort allt ovan.",
        "en": "Your questions are never stored. Type \u201cforget me\u201d to remove everything above.",
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
