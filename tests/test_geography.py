"""Loading the place files: a broken counties.yaml is reported once, not once per place."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.data.directory import load_directory
from bot.data.validation import DataError


@pytest.mark.parametrize("broken", ["", "counties: [\n", "counties:\n\t- code: '04'\n", "counties: 4\n"])
def test_unreadable_counties_file_is_one_issue_not_one_per_municipality_and_area(data_dir: Path, broken: str) -> None:
    # With the shipped data an empty counties.yaml gave 344 issues: 343 municipalities and areas
    # "starting with no county" buried the one line the editor needs in the log and /healthz.
    (data_dir / "counties.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    issues = [str(issue) for issue in caught.value.issues]
    assert len(issues) == 1, issues
    assert issues[0].startswith("data/counties.yaml")


def test_municipality_of_a_county_removed_from_a_readable_file_is_still_reported(data_dir: Path) -> None:
    path = data_dir / "counties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('  - code: "08"', '  - code: "04"'), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    issues = [str(issue) for issue in caught.value.issues]
    assert "data/counties.yaml, rad 13, län 04: code: 04 finns redan på rad 3; ta bort den ena posten" in issues
    assert (
        "data/municipalities.yaml, rad 5, kommun 0880 (Kalmar): code: 0880 börjar med 08, "
        "som inte är någon länskod i data/counties.yaml"
    ) in issues


def cut_at_line_end(text: str, share: float) -> str:
    """Return the first `share` of the file's lines: a save caught halfway, ending at a line end."""
    lines = text.splitlines(keepends=True)
    return "".join(lines[: int(len(lines) * share)])


def test_municipalities_file_cut_at_a_line_end_names_each_county_left_without_municipalities(data_dir: Path) -> None:
    # Cut at a line end the file is still valid YAML: without this check the bot served it and
    # "jag ska till Kiruna" found no county.
    path = data_dir / "municipalities.yaml"
    path.write_text(cut_at_line_end(path.read_text(encoding="utf-8"), 0.6), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    issues = [str(issue) for issue in caught.value.issues]
    assert issues == [
        f"data/municipalities.yaml: län {county} har ingen kommun här; varje län behöver minst en "
        "(sparades filen bara till hälften?)"
        for county in ("14 (Västra Götalands län)", "25 (Norrbottens län)")
    ]


def test_seat_that_is_none_of_the_countys_municipalities_or_towns_is_reported(data_dir: Path) -> None:
    path = data_dir / "counties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("seat: Luleå", "seat: Kalmar"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    assert [str(issue) for issue in caught.value.issues] == [
        "data/counties.yaml, rad 34, län 25: seat: \u201dKalmar\u201d är ingen av länets kommuner eller orter "
        "i data/municipalities.yaml"
    ]


@pytest.mark.parametrize("seat", ["Öland", "gothenburg"])
def test_seat_may_be_a_place_or_an_alias_in_any_case(data_dir: Path, seat: str) -> None:
    path = data_dir / "counties.yaml"
    county = "Kalmar" if seat == "Öland" else "Göteborg"
    path.write_text(path.read_text(encoding="utf-8").replace(f"seat: {county}", f"seat: {seat}"), encoding="utf-8")
    assert load_directory(data_dir).geography.counties


def test_unreadable_municipalities_file_is_one_issue_not_one_per_county(data_dir: Path) -> None:
    (data_dir / "municipalities.yaml").write_text("municipalities: [\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    assert len(caught.value.issues) == 1, caught.value.issues


# A misspelt field in a place file once passed check-data and silently dropped names from recognition.
MISSPELT_PLACE_FIELDS = [
    pytest.param(
        "counties.yaml",
        "short:",
        "shrot:",
        "data/counties.yaml, rad 6, län 04: shrot: är inget känt fält; menade du short:?",
        id="county-shrot",
    ),
    pytest.param(
        "municipalities.yaml",
        "places:",
        "place:",
        "data/municipalities.yaml, rad 6, kommun 0885 (Borgholm): place: är inget känt fält; menade du places:?",
        id="municipality-place",
    ),
    pytest.param(
        "areas.yaml",
        'counties: ["14"]',
        'countys: ["14"]',
        "data/areas.yaml, rad 3, landskap 1 (Bohuslän): countys: är inget känt fält; menade du counties:?",
        id="area-countys",
    ),
    pytest.param(
        "areas.yaml",
        "provinces:",
        "province: []\nprovinces:",
        "data/areas.yaml, rad 2: province: är inget känt fält; menade du provinces:?",
        id="area-top-level",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISSPELT_PLACE_FIELDS)
def test_misspelt_field_in_a_place_file_is_named_with_the_field_it_meant(
    data_dir: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = data_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    assert expected in [str(issue) for issue in caught.value.issues]


def test_place_files_speak_english_with_lang_en(data_dir: Path) -> None:
    path = data_dir / "counties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short:", "shrot:", 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    assert [issue.sentence("en") for issue in caught.value.issues] == [
        "data/counties.yaml, line 6, county 04: shrot: is not a known field; did you mean short:?"
    ]
