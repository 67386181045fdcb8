"""The words of every data problem, Swedish and English side by side.

The people who keep data/ are not programmers: each sentence names the line, the value that is
wrong and what to write instead, in one language from start to end. These sentences live here,
beside the loader, rather than in bot.core.messages, because the data layer may import nothing
else of the project (tests/test_boundaries.py) and check-data, the logs and the chat page all
need them. Every other user-facing text is in bot.core.messages.
"""

from __future__ import annotations

SWEDISH = "sv"
ENGLISH = "en"
LANGUAGES = (SWEDISH, ENGLISH)

Part = tuple[str, str]  # one step of where an entry is: ("county", "04"), ("name", "Anna Berg")
Values = tuple[tuple[str, str], ...]  # what a problem's sentence quotes, by name

# How the place of a problem begins: the file, then the line when it is known.
AT_LINE = {SWEDISH: "{file}, rad {line}", ENGLISH: "{file}, line {line}"}

# After the first problem, when there are more (the chat page's banner shows only the first).
AND_MORE = {SWEDISH: "{first} (och {count} fel till)", ENGLISH: "{first} (and {count} more)"}

# One step of the entry's label, outermost first; "name" follows the step before it in brackets.
PARTS: dict[str, dict[str, str]] = {
    "county": {SWEDISH: "län {0}", ENGLISH: "county {0}"},
    "officer": {SWEDISH: "handläggare {0}", ENGLISH: "officer {0}"},
    "deputy": {SWEDISH: "ersättare", ENGLISH: "deputy"},
    "editor": {SWEDISH: "redaktör {0}", ENGLISH: "editor {0}"},
    "dialogue": {SWEDISH: "dialog {0}", ENGLISH: "dialogue {0}"},
    "municipality": {SWEDISH: "kommun {0}", ENGLISH: "municipality {0}"},
    "provinces": {SWEDISH: "landskap {0}", ENGLISH: "province {0}"},
    "programme_areas": {SWEDISH: "programområde {0}", ENGLISH: "programme area {0}"},
    "regions": {SWEDISH: "region {0}", ENGLISH: "region {0}"},
    "counties": {SWEDISH: "post {0} under counties", ENGLISH: "entry {0} under counties"},
    "municipalities": {SWEDISH: "post {0} under municipalities", ENGLISH: "entry {0} under municipalities"},
    "dialogues": {SWEDISH: "post {0} under dialogues", ENGLISH: "entry {0} under dialogues"},
    "editors": {SWEDISH: "post {0} under editors", ENGLISH: "entry {0} under editors"},
    "name": {SWEDISH: "({0})", ENGLISH: "({0})"},
}

# Nouns a problem names by key ("what" in lost_entries).
NOUNS: dict[str, dict[str, str]] = {
    "municipalities": {SWEDISH: "kommuner", ENGLISH: "municipalities"},
    "dialogues": {SWEDISH: "dialoger", ENGLISH: "dialogues"},
    "staffed_counties": {SWEDISH: "län med handläggare", ENGLISH: "counties with an officer"},
}

# Every problem: what is wrong, then (after ";") what to write instead. {field} is the field's
# name as written in the file; the other names are the values.
PROBLEMS: dict[str, dict[str, str]] = {
    # --- the file as a whole ---
    "file_missing": {
        SWEDISH: "filen saknas; lägg tillbaka den",
        ENGLISH: "the file is missing; put it back",
    },
    "not_regular_file": {
        SWEDISH: "är ingen vanlig fil (utan t.ex. en mapp eller en namngiven pipe); lägg en vanlig textfil där",
        ENGLISH: "is not an ordinary file (but a folder or a named pipe, say); put an ordinary text file there",
    },
    "file_too_large": {
        SWEDISH: "filen är större än {limit} kB, mycket större än en datafil blir; kontrollera att det är rätt fil",
        ENGLISH: "the file is larger than {limit} kB, far larger than a data file gets; check that it is the right "
        "file",
    },
    "file_unreadable": {
        SWEDISH: "filen går inte att läsa ({reason}); kontrollera att boten får läsa den",
        ENGLISH: "the file cannot be read ({reason}); check that the bot may read it",
    },
    "file_empty": {
        SWEDISH: "filen är tom; lägg tillbaka innehållet",
        ENGLISH: "the file is empty; put its contents back",
    },
    "not_utf8": {
        SWEDISH: "filen är inte sparad som UTF-8 (å, ä och ö blir fel); spara den igen med kodningen UTF-8",
        ENGLISH: "the file is not saved as UTF-8 (å, ä and ö come out wrong); save it again with the encoding UTF-8",
    },
    # --- how it is written (YAML) ---
    "tab_at_start": {
        SWEDISH: "en tabb i början av raden; använd mellanslag",
        ENGLISH: "a tab at the start of the line; use spaces",
    },
    "tab": {
        SWEDISH: "en tabb på raden; använd mellanslag",
        ENGLISH: "a tab on the line; use spaces",
    },
    "colon_in_value": {
        SWEDISH: "värdet innehåller \u201d: \u201d och läses då som ett nytt fält; sätt citattecken runt värdet: "
        "{suggestion}",
        ENGLISH: "the value contains \u201c: \u201d, which reads as a new field; put the value in quotes: {suggestion}",
    },
    "reserved_start": {
        SWEDISH: "ett värde kan inte börja med {char} utan citattecken; skriv {suggestion}",
        ENGLISH: "a value cannot start with {char} unless it is in quotes; write {suggestion}",
    },
    "missing_colon": {
        SWEDISH: "\u201d{written}\u201d saknar kolon efter fältnamnet; skriv {suggestion}",
        ENGLISH: "\u201c{written}\u201d lacks the colon after the field name; write {suggestion}",
    },
    "unclosed_quote": {
        SWEDISH: "citattecknet som börjar på raden avslutas aldrig; sätt samma citattecken i slutet av värdet",
        ENGLISH: "the quote that starts on this line is never closed; put the same quote mark at the end of the value",
    },
    "unclosed_bracket": {
        SWEDISH: "en [ eller {{ som börjar på raden stängs aldrig; avsluta med ] eller }} på samma rad",
        ENGLISH: "a [ or {{ that starts on this line is never closed; end it with ] or }} on the same line",
    },
    "indentation": {
        SWEDISH: "raden är indragen annorlunda än raderna ovanför; rada upp den med de andra fälten i samma post",
        ENGLISH: "the line is indented differently from the lines above; line it up with the other fields of its entry",
    },
    "alias": {
        SWEDISH: "{alias} hänvisar till en annan del av filen, och sådana hänvisningar används inte här; skriv ut "
        "värdet",
        ENGLISH: "{alias} refers to another part of the file, and such references are not used here; write the value "
        "out",
    },
    "nested_too_deep": {
        SWEDISH: "listor och fält ligger i varandra i fler nivåer än någon datafil behöver; kontrollera att det är "
        "rätt fil",
        ENGLISH: "lists and fields are nested deeper than any data file needs; check that it is the right file",
    },
    "key_not_text": {
        SWEDISH: "ett fältnamn ska vara ett ord följt av kolon; skriv t.ex. name: Anna Berg",
        ENGLISH: "a field name must be a word followed by a colon; write, say, name: Anna Berg",
    },
    "repeated_key": {
        SWEDISH: "{field}: står två gånger i samma post (första gången på rad {first}); "
        "har en rad som börjar med \u201d- \u201d försvunnit emellan?",
        ENGLISH: "{field}: appears twice in the same entry (first on line {first}); "
        "has a line starting with \u201c- \u201d been deleted in between?",
    },
    "yaml_other": {
        SWEDISH: "raden går inte att läsa (tolkaren säger: {detail}); jämför den med raderna runt omkring",
        ENGLISH: "the line cannot be read (the parser says: {detail}); compare it with the lines around it",
    },
    # --- the shape of the file ---
    "top_level_missing": {
        SWEDISH: "{field}: saknas högst upp i filen; filen ska ha en rad som börjar med {field}:",
        ENGLISH: "{field}: is missing at the top of the file; the file needs a line starting with {field}:",
    },
    "not_a_list": {
        SWEDISH: "{field}: ska vara en lista; börja varje post på en ny rad med \u201d- \u201d",
        ENGLISH: "{field}: must be a list; start each entry on a new line with \u201c- \u201d",
    },
    "entry_not_mapping": {
        SWEDISH: "\u201d{value}\u201d ska vara fält med värden, t.ex. name: Anna Berg och email: ... på var sin rad",
        ENGLISH: "\u201c{value}\u201d must be fields with values, such as name: Anna Berg and email: ... on lines of "
        "their own",
    },
    # --- one field ---
    "missing": {
        SWEDISH: "{field}: saknas; lägg till {field}: med ett värde",
        ENGLISH: "{field}: is missing; add {field}: with a value",
    },
    "not_text": {
        SWEDISH: "{field}: ska vara text, men här står \u201d{value}\u201d",
        ENGLISH: "{field}: must be text, but it says \u201c{value}\u201d",
    },
    "not_text_list": {
        SWEDISH: "{field}: ska vara en lista med text, t.ex. {field}: [Sörmland, Södermanland]",
        ENGLISH: "{field}: must be a list of texts, such as {field}: [Sörmland, Södermanland]",
    },
    "not_bool": {
        SWEDISH: "{field}: ska vara true eller false, men här står \u201d{value}\u201d",
        ENGLISH: "{field}: must be true or false, but it says \u201c{value}\u201d",
    },
    "unknown_field_near": {
        SWEDISH: "{field}: är inget känt fält; menade du {suggestion}:?",
        ENGLISH: "{field}: is not a known field; did you mean {suggestion}:?",
    },
    "unknown_field": {
        SWEDISH: "{field}: är inget känt fält; här kan stå {known}",
        ENGLISH: "{field}: is not a known field; the fields here are {known}",
    },
    "not_email": {
        SWEDISH: "{field}: \u201d{value}\u201d är ingen e-postadress; skriv den som "
        "fornamn.efternamn@tillvaxtverket.se",
        ENGLISH: "{field}: \u201c{value}\u201d is not an e-mail address; write it as "
        "firstname.lastname@tillvaxtverket.se",
    },
    "not_upn": {
        SWEDISH: "{field}: \u201d{value}\u201d är inget inloggningsnamn; skriv det som en e-postadress, t.ex. "
        "ab01@tillvaxtverket.se",
        ENGLISH: "{field}: \u201c{value}\u201d is not a sign-in name; write it like an e-mail address, such as "
        "ab01@tillvaxtverket.se",
    },
    "not_entra_id": {
        SWEDISH: "{field}: \u201d{value}\u201d är inget objekt-id; kopiera det från personens profil i Entra ID, "
        "t.ex. 00000000-0000-0000-0000-000000000000",
        ENGLISH: "{field}: \u201c{value}\u201d is not an object id; copy it from the person's profile in Entra ID, "
        "such as 00000000-0000-0000-0000-000000000000",
    },
    "not_phone": {
        SWEDISH: "{field}: \u201d{value}\u201d är inget telefonnummer i internationell form; skriv t.ex. +46 8 681 "
        "91 00",
        ENGLISH: "{field}: \u201c{value}\u201d is not a phone number in international form; write, say, +46 8 681 91 "
        "00",
    },
    "not_url": {
        SWEDISH: "{field}: \u201d{value}\u201d är ingen webbadress; skriv hela adressen med https://",
        ENGLISH: "{field}: \u201c{value}\u201d is not a web address; write the whole address with https://",
    },
    "not_date": {
        SWEDISH: "{field}: \u201d{value}\u201d är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-09-10",
        ENGLISH: "{field}: \u201c{value}\u201d is not a date; write YYYY-MM-DD, such as 2026-09-10",
    },
    "not_one_line": {
        SWEDISH: "{field}: ska vara en enda rad; ta bort radbrytningen",
        ENGLISH: "{field}: must be one line; remove the line break",
    },
    "not_county_code": {
        SWEDISH: '{field}: \u201d{value}\u201d är ingen länskod; skriv länets två siffror inom citattecken, t.ex. "04"',
        ENGLISH: "{field}: \u201c{value}\u201d is not a county code; write the county's two digits in quotes, such "
        'as "04"',
    },
    "county_not_known": {
        SWEDISH: "{field}: län {value} finns inte i data/counties.yaml; kontrollera länskoden",
        ENGLISH: "{field}: county {value} is not in data/counties.yaml; check the county code",
    },
    "county_listed_twice": {
        SWEDISH: "län {value} finns redan på rad {first}; ta bort det ena blocket",
        ENGLISH: "county {value} is already listed on line {first}; remove one of the two blocks",
    },
    "code_listed_twice": {
        SWEDISH: "{field}: {value} finns redan på rad {first}; ta bort den ena posten",
        ENGLISH: "{field}: {value} is already listed on line {first}; remove one of the two entries",
    },
    "id_used_twice": {
        SWEDISH: "{field}: \u201d{value}\u201d används redan på rad {first}; ge varje dialog ett eget id",
        ENGLISH: "{field}: \u201c{value}\u201d is already used on line {first}; give each dialogue an id of its own",
    },
    "editor_listed_twice": {
        SWEDISH: "{field}: \u201d{value}\u201d står redan som redaktör på rad {first}; ta bort den ena",
        ENGLISH: "{field}: \u201c{value}\u201d is already an editor on line {first}; remove one of them",
    },
    "county_without_block": {
        SWEDISH: "län {value} ({name}) saknas; varje län ska ha ett block (skriv officers: [] om tjänsten är vakant)",
        ENGLISH: "county {value} ({name}) is missing; every county needs a block (write officers: [] if the post is "
        "vacant)",
    },
    "officers_missing": {
        SWEDISH: "officers: saknas; skriv officers: [] om tjänsten är vakant",
        ENGLISH: "officers: is missing; write officers: [] if the post is vacant",
    },
    "officers_not_list": {
        SWEDISH: "officers: ska vara en lista; börja varje handläggare med \u201d- \u201d (eller skriv officers: [] "
        "om tjänsten är vakant)",
        ENGLISH: "officers: must be a list; start each officer with \u201c- \u201d (or write officers: [] if the "
        "post is vacant)",
    },
    "not_municipality_code": {
        SWEDISH: "{field}: \u201d{value}\u201d är ingen kommunkod; skriv kommunens fyra siffror inom citattecken, "
        't.ex. "0484"',
        ENGLISH: "{field}: \u201c{value}\u201d is not a municipality code; write its four digits in quotes, such as "
        '"0484"',
    },
    "not_county_letter": {
        SWEDISH: "{field}: \u201d{value}\u201d är ingen länsbokstav; skriv t.ex. AB, C eller D",
        ENGLISH: "{field}: \u201c{value}\u201d is not a county letter; write, say, AB, C or D",
    },
    "code_outside_counties": {
        SWEDISH: "{field}: {value} börjar med {prefix}, som inte är någon länskod i data/counties.yaml",
        ENGLISH: "{field}: {value} starts with {prefix}, which is no county code in data/counties.yaml",
    },
    "not_county_list": {
        SWEDISH: '{field}: ska vara en lista med länskoder, t.ex. {field}: ["04", "05"]',
        ENGLISH: '{field}: must be a list of county codes, such as {field}: ["04", "05"]',
    },
    "unknown_counties": {
        SWEDISH: "{field}: {value} finns inte bland länen i data/counties.yaml",
        ENGLISH: "{field}: {value} is not among the counties in data/counties.yaml",
    },
    "county_without_municipality": {
        SWEDISH: "län {value} ({name}) har ingen kommun här; varje län behöver minst en (sparades filen bara till "
        "hälften?)",
        ENGLISH: "county {value} ({name}) has no municipality here; every county needs one (was the file saved only "
        "in part?)",
    },
    "seat_not_a_place": {
        SWEDISH: "{field}: \u201d{value}\u201d är ingen av länets kommuner eller orter i data/municipalities.yaml",
        ENGLISH: "{field}: \u201c{value}\u201d is none of the county's municipalities or places in "
        "data/municipalities.yaml",
    },
    # --- a reload (bot.runtime.live, bot.runtime.watcher) ---
    "reload_failed": {
        SWEDISH: "omläsningen misslyckades oväntat ({reason}), så boten svarar med förra versionen; "
        "kör make check-data och titta i loggen",
        ENGLISH: "the reload failed unexpectedly ({reason}), so the bot answers from the previous version; "
        "run make check-data and look in the log",
    },
    "lost_entries": {
        SWEDISH: "{lost} av {count} {what} försvann i en och samma sparning, som ser ut som en halvsparad fil, så "
        "boten "
        "svarar med förra versionen; spara filen igen i sin helhet, eller om borttagningen är avsiktlig: kontrollera "
        "med make check-data och ladda om med SIGHUP (kill -HUP <pid>) eller en omstart",
        ENGLISH: "{lost} of {count} {what} went in one save, which looks like a save caught halfway, so the bot "
        "answers "
        "from the previous version; save the file again in full, or if the removal is intended: check it with "
        "make check-data and reload with SIGHUP (kill -HUP <pid>) or a restart",
    },
}


def sentence(
    file: str, line: int | None, where: tuple[Part, ...], field: str, problem: str, values: Values, language: str
) -> str:
    """Say one data problem in `language` (Swedish for anything but "en"): place, then what and what to do."""
    language = ENGLISH if language == ENGLISH else SWEDISH
    place = AT_LINE[language].format(file=file, line=line) if line else file
    label = entry_label(where, language)
    if label:
        place = f"{place}, {label}"
    named = _Values({key: NOUNS[value][language] if key == "what" else value for key, value in values})
    named["field"] = field
    return f"{place}: {PROBLEMS[problem][language].format_map(named)}"


class _Values(dict[str, str]):
    """A problem's values; one the issue lacks reads as "?" rather than failing the report."""

    def __missing__(self, key: str) -> str:
        return "?"


def entry_label(where: tuple[Part, ...], language: str) -> str:
    """Say which entry: "län 04, handläggare 1 (Isabelle Canderskog)"."""
    label = ""
    for kind, value in where:
        text = PARTS[kind][language].format(value)
        if not label:
            label = text
        elif kind == "name":
            label = f"{label} {text}"
        else:
            label = f"{label}, {text}"
    return label


def first_of(sentences: tuple[str, ...], language: str) -> str:
    """Say the first problem, and how many more there are: one line for a banner."""
    if len(sentences) == 1:
        return sentences[0]
    return AND_MORE[ENGLISH if language == ENGLISH else SWEDISH].format(first=sentences[0], count=len(sentences) - 1)
