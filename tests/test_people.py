"""Loading and validating officers.yaml and dialogues.yaml: every kind of bad edit is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.data.directory import STRATEGIC_SITE_URL, check_data, load_directory
from bot.data.validation import DataError


def edit(data_dir: Path, file: str, old: str, new: str) -> None:
    """Replace `old` (which must occur) with `new` in one data file."""
    path = data_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def issues_of(data_dir: Path, language: str = "sv") -> list[str]:
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    return [issue.sentence(language) for issue in caught.value.issues]


BAD_EDITS = [
    pytest.param(
        "officers.yaml",
        "email: isabelle.canderskog@tillvaxtverket.se",
        "email: isabelle.canderskog(at)tillvaxtverket.se",
        "data/officers.yaml, rad 10, län 04, handläggare 1 (Isabelle Canderskog): email: "
        "”isabelle.canderskog(at)tillvaxtverket.se” är ingen e-postadress; skriv den som "
        "fornamn.efternamn@tillvaxtverket.se",
        id="bad-email",
    ),
    pytest.param(
        "officers.yaml",
        "email: erik.lind@tillvaxtverket.se",
        "email: erik lind@tillvaxtverket",
        "data/officers.yaml, rad 15, län 04, ersättare (Erik Lind): email: ”erik lind@tillvaxtverket” är ingen "
        "e-postadress; skriv den som fornamn.efternamn@tillvaxtverket.se",
        id="bad-deputy-email",
    ),
    pytest.param(
        "officers.yaml",
        "phone: +46 16 15 19 00",
        "phone: 016-15 19 00",
        "data/officers.yaml, rad 11, län 04, handläggare 1 (Isabelle Canderskog): phone: ”016-15 19 00” är inget "
        "telefonnummer i internationell form; skriv t.ex. +46 8 681 91 00",
        id="phone-not-international",
    ),
    pytest.param(
        "officers.yaml",
        "phone: +46 16 15 19 00",
        "phone: +46 016 15 19 00",
        "data/officers.yaml, rad 11, län 04, handläggare 1 (Isabelle Canderskog): phone: ”+46 016 15 19 00” är inget "
        "telefonnummer i internationell form; skriv t.ex. +46 8 681 91 00",
        id="phone-keeps-trunk-zero",
    ),
    pytest.param(
        "officers.yaml",
        "phone: +46 920 10 20 30",
        "phone: 0920102030",
        "data/officers.yaml, rad 38, län 25, handläggare 1 (Maja Nilsson): phone: ”0920102030” är inget "
        "telefonnummer i internationell form; skriv t.ex. +46 8 681 91 00",
        id="phone-read-as-number",
    ),
    pytest.param(
        "officers.yaml",
        "sharepoint: https://tillvaxten.sharepoint.com/sites/vastragotaland",
        "sharepoint: tillvaxten.sharepoint.com/sites/vastragotaland",
        "data/officers.yaml, rad 19, län 14: sharepoint: ”tillvaxten.sharepoint.com/sites/vastragotaland” är ingen "
        "webbadress; skriv hela adressen med https://",
        id="bad-sharepoint-url",
    ),
    pytest.param(
        "dialogues.yaml",
        'link: "https://example.org/d5"',
        'link: "see the minutes"',
        "data/dialogues.yaml, rad 7, dialog 5 (d-04-5): link: ”see the minutes” är ingen webbadress; skriv hela "
        "adressen med https://",
        id="bad-dialogue-link",
    ),
    pytest.param(
        "dialogues.yaml",
        "date: 2026-09-10",
        "date: 2026-13-40",
        "data/dialogues.yaml, rad 5, dialog 3 (d-04-3): date: ”2026-13-40” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. "
        "2026-09-10",
        id="impossible-date",
    ),
    pytest.param(
        "dialogues.yaml",
        "date: 2026-09-10",
        "date: 10 september 2026",
        "data/dialogues.yaml, rad 5, dialog 3 (d-04-3): date: ”10 september 2026” är inget datum; skriv ÅÅÅÅ-MM-DD, "
        "t.ex. 2026-09-10",
        id="date-written-as-text",
    ),
    pytest.param(
        "dialogues.yaml",
        "date: 2026-09-10",
        "date: 20260910",
        "data/dialogues.yaml, rad 5, dialog 3 (d-04-3): date: ”20260910” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. "
        "2026-09-10",
        id="date-read-as-number",
    ),
    pytest.param(
        "dialogues.yaml",
        "id: d-04-2,",
        "id: d-04-1,",
        "data/dialogues.yaml, rad 4, dialog 2 (d-04-1): id: ”d-04-1” används redan på rad 3; ge varje dialog ett "
        "eget id",
        id="duplicate-dialogue-id",
    ),
    pytest.param(
        "dialogues.yaml",
        'county: "25"',
        'county: "4x"',
        "data/dialogues.yaml, rad 10, dialog 8 (d-25-1): county: ”4x” är ingen länskod; skriv länets två siffror "
        'inom citattecken, t.ex. "04"',
        id="malformed-county-code-in-dialogue",
    ),
    pytest.param(
        "dialogues.yaml",
        'county: "25"',
        'county: "11"',
        "data/dialogues.yaml, rad 10, dialog 8 (d-25-1): county: län 11 finns inte i data/counties.yaml; kontrollera "
        "länskoden",
        id="dialogue-for-county-that-does-not-exist",
    ),
    pytest.param(
        "officers.yaml",
        '- county: "25"',
        '- county: "11"',
        "data/officers.yaml, rad 31, län 11: county: län 11 finns inte i data/counties.yaml; kontrollera länskoden",
        id="officer-for-county-that-does-not-exist",
    ),
    pytest.param(
        "officers.yaml",
        '- county: "25"',
        '- county: "99"',
        "data/officers.yaml, rad 31, län 99: county: ”99” är ingen länskod; skriv länets två siffror inom "
        'citattecken, t.ex. "04"',
        id="unknown-county-code",
    ),
    pytest.param(
        "officers.yaml",
        '- county: "25"',
        '- county: "04"',
        "data/officers.yaml, rad 31: län 04 finns redan på rad 4; ta bort det ena blocket",
        id="county-listed-twice",
    ),
    pytest.param(
        "officers.yaml",
        '  - county: "08"\n    officers: []\n',
        "",
        "data/officers.yaml: län 08 (Kalmar län) saknas; varje län ska ha ett block (skriv officers: [] om tjänsten "
        "är vakant)",
        id="county-missing",
    ),
    pytest.param(
        "officers.yaml",
        "    officers: []",
        "    officers:",
        "data/officers.yaml, rad 17, län 08: officers: saknas; skriv officers: [] om tjänsten är vakant",
        id="officers-left-empty",
    ),
    pytest.param(
        "officers.yaml",
        "    officers: []",
        "    officers: vacant",
        "data/officers.yaml, rad 17, län 08: officers: ska vara en lista; börja varje handläggare med ”- ” (eller "
        "skriv officers: [] om tjänsten är vakant)",
        id="officers-not-a-list",
    ),
    pytest.param(
        "officers.yaml",
        "      title: Handläggare\n      email: erik",
        "      email: erik",
        "data/officers.yaml, rad 13, län 04, ersättare (Erik Lind): title: saknas; lägg till title: med ett värde",
        id="missing-title",
    ),
    pytest.param(
        "officers.yaml",
        "        email: maja.nilsson@tillvaxtverket.se\n",
        "",
        "data/officers.yaml, rad 33, län 25, handläggare 1 (Maja Nilsson): email: saknas; lägg till email: med ett "
        "värde",
        id="missing-email",
    ),
    pytest.param(
        "officers.yaml",
        "name: Maja Nilsson",
        "name: [Maja, Nilsson]",
        "data/officers.yaml, rad 33, län 25, handläggare 1: name: ska vara text, men här står ”[...]”",
        id="name-not-text",
    ),
    pytest.param(
        "officers.yaml",
        "      - name: Johan Ek",
        "      - Johan Ek\n      - name: Johan Ek",
        "data/officers.yaml, rad 28, län 14, handläggare 2: ”Johan Ek” ska vara fält med värden, t.ex. name: Anna "
        "Berg och email: ... på var sin rad",
        id="officer-not-a-mapping",
    ),
    pytest.param(
        "officers.yaml",
        "phone: +46 16 15 19 00",
        "phon: +46 16 15 19 00",
        "data/officers.yaml, rad 11, län 04, handläggare 1 (Isabelle Canderskog): phon: är inget känt fält; menade "
        "du phone:?",
        id="misspelt-field",
    ),
    pytest.param(
        "officers.yaml",
        "example_data: true",
        "example_data: maybe",
        "data/officers.yaml, rad 2: example_data: ska vara true eller false, men här står ”maybe”",
        id="example-flag-not-bool",
    ),
    pytest.param(
        "dialogues.yaml",
        ", summary: Andra.",
        "",
        "data/dialogues.yaml, rad 4, dialog 2 (d-04-2): summary: saknas; lägg till summary: med ett värde",
        id="missing-summary",
    ),
    pytest.param(
        "dialogues.yaml",
        "title: Dialog 2,",
        "title: {a: b},",
        "data/dialogues.yaml, rad 4, dialog 2 (d-04-2): title: ska vara text, men här står ”{...}”",
        id="title-not-text",
    ),
    pytest.param(
        "officers.yaml",
        "    officers:\n      - name: Isabelle",
        "\tofficers:\n      - name: Isabelle",
        "data/officers.yaml, rad 5: en tabb i början av raden; använd mellanslag",
        id="tab-indented",
    ),
    pytest.param(
        "officers.yaml",
        "upn: ab14@tillvaxtverket.se",
        "upn: ab14",
        "data/officers.yaml, rad 26, län 14, handläggare 1 (Anna Berg): upn: ”ab14” är inget inloggningsnamn; skriv "
        "det som en e-postadress, t.ex. ab01@tillvaxtverket.se",
        id="upn-not-address-shaped",
    ),
    pytest.param(
        "officers.yaml",
        "upn: ab14@tillvaxtverket.se",
        "upn: ab14@tillvaxtverket.se\n        entra_id: ab14@tillvaxtverket.se",
        "data/officers.yaml, rad 27, län 14, handläggare 1 (Anna Berg): entra_id: ”ab14@tillvaxtverket.se” är "
        "inget objekt-id; kopiera det från personens profil i Entra ID, t.ex. 00000000-0000-0000-0000-000000000000",
        id="entra-id-not-a-guid",
    ),
    pytest.param(
        "officers.yaml",
        "upn: es01@tillvaxtverket.se",
        "upn: es01 tillvaxtverket.se",
        "data/officers.yaml, rad 42, redaktör 1 (Eva Samordnare): upn: ”es01 tillvaxtverket.se” är inget "
        "inloggningsnamn; skriv det som en e-postadress, t.ex. ab01@tillvaxtverket.se",
        id="editor-upn-not-address-shaped",
    ),
    pytest.param(
        "officers.yaml",
        "    email: eva.samordnare@tillvaxtverket.se\n",
        "",
        "data/officers.yaml, rad 40, redaktör 1 (Eva Samordnare): email: saknas; lägg till email: med ett värde",
        id="editor-without-email",
    ),
    pytest.param(
        "officers.yaml",
        "    upn: es01@tillvaxtverket.se\n",
        "    upn: es01@tillvaxtverket.se\n  - name: Eva Samordnare\n    email: Eva.Samordnare@tillvaxtverket.se\n",
        "data/officers.yaml, rad 44, redaktör 2 (Eva Samordnare): email: ”Eva.Samordnare@tillvaxtverket.se” står "
        "redan som redaktör på rad 40; ta bort den ena",
        id="editor-listed-twice",
    ),
    pytest.param(
        "officers.yaml",
        "    upn: es01@tillvaxtverket.se\n",
        "    upm: es01@tillvaxtverket.se\n",
        "data/officers.yaml, rad 42, redaktör 1 (Eva Samordnare): upm: är inget känt fält; menade du upn:?",
        id="editor-misspelt-field",
    ),
    pytest.param(
        "officers.yaml",
        "editors:\n",
        "editors: Eva Samordnare\nold_editors:\n",
        "data/officers.yaml, rad 40: old_editors: är inget känt fält; menade du editors:?",
        id="editors-not-a-list",
    ),
    pytest.param(
        "officers.yaml",
        '- county: "25"',
        "- county: {code: '25', names: [Norrbotten, Norrbottens län, Norrbotten County, BD]}",
        "data/officers.yaml, rad 31, post 4 under counties: county: \u201d{...}\u201d är ingen länskod; "
        'skriv länets två siffror inom citattecken, t.ex. "04"',
        id="county-written-as-a-mapping-is-not-quoted-whole",
    ),
    pytest.param(
        "dialogues.yaml",
        "dialogues:",
        "dialogues: [",
        "data/dialogues.yaml, rad 2: en [ eller { som börjar på raden stängs aldrig; avsluta med ] eller } på samma "
        "rad",
        id="broken-yaml",
    ),
    pytest.param(
        "dialogues.yaml",
        "dialogues:",
        "dialogs:",
        "data/dialogues.yaml: dialogues: saknas högst upp i filen; filen ska ha en rad som börjar med dialogues:",
        id="wrong-top-level-key",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_EDITS)
def test_bad_edit_is_named_with_line_entry_value_and_what_to_write(
    data_dir: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(data_dir, file, old, new)
    issues = issues_of(data_dir)
    assert issues[0] == expected, issues


def test_fixture_data_is_clean() -> None:
    from tests.conftest import FIXTURE_DATA

    assert check_data(FIXTURE_DATA) == ()


def test_every_issue_in_every_file_is_reported_at_once(data_dir: Path) -> None:
    edit(data_dir, "officers.yaml", "email: anna.berg@tillvaxtverket.se", "email: anna.berg")
    edit(data_dir, "dialogues.yaml", "date: 2026-09-10", "date: 2026-02-30")
    edit(data_dir, "dialogues.yaml", "id: d-04-2,", "id: d-04-1,")
    edit(data_dir, "counties.yaml", "letter: BD", "letter: bd1")
    issues = issues_of(data_dir)
    assert len(issues) == 4, issues
    assert {issue.split(",")[0] for issue in issues} == {
        "data/officers.yaml",
        "data/dialogues.yaml",
        "data/counties.yaml",
    }


def test_people_files_are_checked_even_when_place_data_is_broken(data_dir: Path) -> None:
    (data_dir / "counties.yaml").write_text("counties: [\n", encoding="utf-8")
    edit(data_dir, "officers.yaml", "email: anna.berg@tillvaxtverket.se", "email: anna.berg")
    issues = issues_of(data_dir)
    assert any(issue.startswith("data/counties.yaml, rad 1:") for issue in issues)
    assert any("län 14, handläggare 1 (Anna Berg): email: \u201danna.berg\u201d" in issue for issue in issues)


def test_missing_file_is_an_issue_not_a_crash(data_dir: Path) -> None:
    (data_dir / "dialogues.yaml").unlink()
    assert issues_of(data_dir) == ["data/dialogues.yaml: filen saknas; lägg tillbaka den"]


def test_unquoted_county_code_and_quoted_date_are_accepted(data_dir: Path) -> None:
    edit(data_dir, "officers.yaml", '- county: "04"', "- county: 04")
    edit(data_dir, "officers.yaml", '- county: "08"', "- county: 08")
    edit(data_dir, "dialogues.yaml", "date: 2026-09-10", 'date: "2026-09-10"')
    loaded = load_directory(data_dir)
    assert loaded.contacts["04"].officers[0].name == "Isabelle Canderskog"
    assert loaded.contacts["08"].vacant
    assert [d.id for d in loaded.dialogues["04"]][2] == "d-04-3"


def test_vacant_county_and_sharepoint_fallback(directory) -> None:
    assert directory.contacts["08"].vacant
    assert directory.contacts["08"].sharepoint_url == STRATEGIC_SITE_URL
    assert directory.contacts["04"].sharepoint_url == STRATEGIC_SITE_URL
    assert directory.contacts["14"].sharepoint_url == "https://tillvaxten.sharepoint.com/sites/vastragotaland"
    assert [officer.name for officer in directory.contacts["14"].officers] == ["Anna Berg", "Johan Ek"]
    assert directory.contacts["04"].deputy is not None and directory.contacts["04"].deputy.name == "Erik Lind"


def test_dialogues_are_kept_oldest_first_per_county(directory) -> None:
    dates = [d.date for d in directory.dialogues["04"]]
    assert dates == sorted(dates) and len(dates) == 6
    assert directory.dialogues["04"][4].link == "https://example.org/d5"


def test_upn_and_editors_are_loaded(directory) -> None:
    anna = directory.contacts["14"].officers[0]
    assert anna.upn == "ab14@tillvaxtverket.se"
    assert directory.contacts["04"].officers[0].upn == ""  # optional: absent means the e-mail
    assert [(e.name, e.email, e.upn) for e in directory.editors] == [
        ("Eva Samordnare", "eva.samordnare@tillvaxtverket.se", "es01@tillvaxtverket.se")
    ]


def test_editors_list_is_optional(data_dir: Path) -> None:
    path = data_dir / "officers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("editors:")], encoding="utf-8")
    assert load_directory(data_dir).editors == ()


@pytest.mark.parametrize(
    ("sign_in", "counties"),
    [
        pytest.param("ab14@tillvaxtverket.se", ("14",), id="officer-by-upn"),
        pytest.param("Anna.Berg@Tillvaxtverket.se", ("14",), id="officer-by-email-any-case"),
        pytest.param("erik.lind@tillvaxtverket.se", ("04",), id="deputy-posts-for-own-county"),
        pytest.param("es01@tillvaxtverket.se", ("04", "08", "14", "25"), id="editor-by-upn-posts-anywhere"),
        pytest.param("eva.samordnare@tillvaxtverket.se", ("04", "08", "14", "25"), id="editor-by-email"),
        pytest.param("someone.else@tillvaxtverket.se", (), id="stranger"),
        pytest.param("", (), id="empty-sign-in-matches-no-one"),
        pytest.param("  ", (), id="blank-sign-in-matches-no-one"),
    ],
)
def test_counties_a_sign_in_name_may_post_for(directory, sign_in: str, counties: tuple[str, ...]) -> None:
    assert directory.counties_of(sign_in) == counties
