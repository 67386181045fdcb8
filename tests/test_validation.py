"""Reading one data file: problems an editor's tool causes are named so the editor can fix them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.data.validation import read_yaml


@pytest.mark.parametrize(("encoding", "line"), [("latin-1", 3), ("cp1252", 3), ("utf-16", 1)])
def test_file_not_saved_as_utf8_says_so_and_where(tmp_path: Path, encoding: str, line: int) -> None:
    # Notepad's "ANSI" and "Unicode" save as cp1252 and UTF-16; PyYAML and the editor then disagree.
    path = tmp_path / "data" / "officers.yaml"
    path.parent.mkdir()
    path.write_bytes("example_data: true\ncounties:\n  - county: '04'  # Sörmland\n".encode(encoding))

    data, issues = read_yaml(path)

    assert data is None
    [issue] = issues
    assert (issue.file, issue.entry, issue.field) == ("data/officers.yaml", f"line {line}", "-")
    assert issue.problem == "is not saved as UTF-8: save it again with the encoding UTF-8"


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_reads(tmp_path: Path) -> None:
    path = tmp_path / "officers.yaml"
    path.write_bytes(b"\xef\xbb\xbfexample_data: true\r\ncounties: []\r\n")

    assert read_yaml(path) == ({"example_data": True, "counties": []}, [])
