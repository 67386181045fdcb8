"""Loading the place files: a broken counties.yaml is reported once, not once per place."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import load_directory
from bot.validation import DataError


@pytest.mark.parametrize("broken", ["", "counties: [\n", "counties:\n\t- code: '04'\n", "counties: 4\n"])
def test_unreadable_counties_file_is_one_issue_not_one_per_municipality_and_area(data_dir: Path,
                                                                                 broken: str) -> None:
    # With the shipped data an empty counties.yaml gave 344 issues: 343 municipalities and areas
    # "starting with no county" buried the one line the editor needs in the log and /healthz.
    (data_dir / "counties.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    issues = [str(issue) for issue in caught.value.issues]
    assert len(issues) == 1, issues
    assert issues[0].startswith("data/counties.yaml: ")


def test_municipality_of_a_county_removed_from_a_readable_file_is_still_reported(data_dir: Path) -> None:
    path = data_dir / "counties.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('  - code: "08"', '  - code: "04"'), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_directory(data_dir)
    issues = [str(issue) for issue in caught.value.issues]
    assert "data/counties.yaml: county 04: 'code' is listed twice" in issues
    assert any(issue.startswith("data/municipalities.yaml: municipality 0880 (Kalmar): 'code' starts with 08")
               for issue in issues)
