"""Reading one data file: what an editor's tool or hand does to it is named so the editor can fix it,
and a hostile file (an alias bomb, a FIFO, a huge file) is refused without blocking."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.data.directory import data_version
from bot.data.validation import (
    MAX_FILE_BYTES,
    MarkedList,
    MarkedMap,
    _DataLoader,
    _FastDataLoader,
    load_yaml,
    read_yaml,
)

ROOT = Path(__file__).resolve().parent.parent

OFFICERS = """\
example_data: true
counties:
  - county: "04"
    officers:
      - name: Isabelle Canderskog
        title: Länsansvarig handläggare
        email: isabelle.canderskog@tillvaxtverket.se
"""


def data_file(tmp_path: Path, text: str | bytes, name: str = "officers.yaml") -> Path:
    path = tmp_path / "data" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def sentences(path: Path, language: str = "sv") -> list[str]:
    data, issues = read_yaml(path)
    assert data is None or issues == []
    return [issue.sentence(language) for issue in issues]


@pytest.mark.parametrize(("encoding", "line"), [("latin-1", 3), ("cp1252", 3), ("utf-16", 1)])
def test_file_not_saved_as_utf8_says_so_and_where(tmp_path: Path, encoding: str, line: int) -> None:
    # Notepad's "ANSI" and "Unicode" save as cp1252 and UTF-16; PyYAML and the editor then disagree.
    path = data_file(tmp_path, "example_data: true\ncounties:\n  - county: '04'  # Sörmland\n".encode(encoding))

    assert sentences(path) == [
        f"data/officers.yaml, rad {line}: filen är inte sparad som UTF-8 (å, ä och ö blir fel); "
        "spara den igen med kodningen UTF-8"
    ]
    assert sentences(path, "en") == [
        f"data/officers.yaml, line {line}: the file is not saved as UTF-8 (å, ä and ö come out wrong); "
        "save it again with the encoding UTF-8"
    ]


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_reads(tmp_path: Path) -> None:
    path = data_file(tmp_path, b"\xef\xbb\xbfexample_data: true\r\ncounties: []\r\n")

    assert read_yaml(path) == ({"example_data": True, "counties": []}, [])


# How people break YAML by hand: (what they did to OFFICERS, the sentence check-data prints).
BROKEN_BY_HAND = [
    pytest.param(
        ("    officers:", "\tofficers:"),
        "data/officers.yaml, rad 4: en tabb i början av raden; använd mellanslag",
        id="tab-at-the-start-of-a-line",
    ),
    pytest.param(
        ("        email:", "       email:"),
        "data/officers.yaml, rad 7: raden är indragen annorlunda än raderna ovanför; "
        "rada upp den med de andra fälten i samma post",
        id="one-space-too-few",
    ),
    pytest.param(
        ("title: Länsansvarig handläggare", "title: Länsansvarig: Sörmland"),
        "data/officers.yaml, rad 6: värdet innehåller \u201d: \u201d och läses då som ett nytt fält; "
        'sätt citattecken runt värdet: title: "Länsansvarig: Sörmland"',
        id="colon-and-space-in-a-value",
    ),
    pytest.param(
        ("title: Länsansvarig handläggare", 'title: Länsansvarig "nya": Sörmland'),
        "data/officers.yaml, rad 6: värdet innehåller \u201d: \u201d och läses då som ett nytt fält; "
        "sätt citattecken runt värdet: title: 'Länsansvarig \"nya\": Sörmland'",
        id="colon-in-a-value-that-has-double-quotes",
    ),
    pytest.param(
        ("email: isabelle.canderskog@tillvaxtverket.se", "email: @isabelle.canderskog"),
        "data/officers.yaml, rad 7: ett värde kan inte börja med @ utan citattecken; "
        'skriv email: "@isabelle.canderskog"',
        id="value-starting-with-at",
    ),
    pytest.param(
        ("title: Länsansvarig handläggare", "title: *Ny* länsansvarig"),
        'data/officers.yaml, rad 6: ett värde kan inte börja med * utan citattecken; skriv title: "*Ny* länsansvarig"',
        id="value-starting-with-star",
    ),
    pytest.param(
        ("title: Länsansvarig handläggare", "title Länsansvarig handläggare"),
        "data/officers.yaml, rad 6: \u201dtitle Länsansvarig handläggare\u201d saknar kolon efter fältnamnet; "
        "skriv title: Länsansvarig handläggare",
        id="missing-colon-named-on-its-own-line",
    ),
    pytest.param(
        ('county: "04"', 'county: "04'),
        "data/officers.yaml, rad 3: citattecknet som börjar på raden avslutas aldrig; "
        "sätt samma citattecken i slutet av värdet",
        id="unclosed-quote",
    ),
    pytest.param(
        ("name: Isabelle Canderskog", "name: 'Isabelle Canderskog"),
        "data/officers.yaml, rad 5: citattecknet som börjar på raden avslutas aldrig; "
        "sätt samma citattecken i slutet av värdet",
        id="unclosed-single-quote",
    ),
    pytest.param(
        ("name: Isabelle Canderskog", "name: [Isabelle Canderskog"),
        "data/officers.yaml, rad 5: en [ eller { som börjar på raden stängs aldrig; avsluta med ] eller } på samma rad",
        id="unclosed-bracket",
    ),
    pytest.param(
        ("        email: isabelle", "        title: Handläggare\n        email: isabelle"),
        "data/officers.yaml, rad 7: title: står två gånger i samma post (första gången på rad 6); "
        "har en rad som börjar med \u201d- \u201d försvunnit emellan?",
        id="a-key-written-twice",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), BROKEN_BY_HAND)
def test_yaml_broken_by_hand_is_named_in_plain_words_on_the_right_line(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in OFFICERS
    path = data_file(tmp_path, OFFICERS.replace(old, new, 1))

    assert sentences(path) == [expected]


def test_yaml_errors_speak_english_from_start_to_end(tmp_path: Path) -> None:
    path = data_file(tmp_path, OFFICERS.replace("    officers:", "\tofficers:"))

    assert sentences(path, "en") == ["data/officers.yaml, line 4: a tab at the start of the line; use spaces"]


def test_a_deleted_list_line_does_not_merge_two_officers_into_one(tmp_path: Path) -> None:
    # Deleting "- name: Johan Ek" hands Johan's title and e-mail to the officer above him:
    # PyYAML keeps the last of two equal keys, so the directory would show a wrong officer.
    two = OFFICERS + "      - name: Johan Ek\n        title: Handläggare\n        email: johan.ek@tillvaxtverket.se\n"
    path = data_file(tmp_path, two.replace("      - name: Johan Ek\n", ""))

    assert sentences(path) == [
        "data/officers.yaml, rad 8: title: står två gånger i samma post (första gången på rad 6); "
        "har en rad som börjar med \u201d- \u201d försvunnit emellan?"
    ]


def test_an_alias_is_refused_where_it_is_written(tmp_path: Path) -> None:
    path = data_file(tmp_path, OFFICERS + "editors: &samma\n  - name: A\nother: *samma\n")

    assert sentences(path) == [
        "data/officers.yaml, rad 10: *samma hänvisar till en annan del av filen, och sådana hänvisningar "
        "används inte här; skriv ut värdet"
    ]


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    # "Billion laughs": each line doubles nine times the one before, so walking `bomb` visits 9**12
    # strings. Refusing the first alias while composing builds none of it.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 13)]
    path = data_file(tmp_path, "\n".join(lines) + "\ncounties:\n  - county: *a12\n")

    assert sentences(path) == [
        "data/officers.yaml, rad 2: *a0 hänvisar till en annan del av filen, och sådana hänvisningar "
        "används inte här; skriv ut värdet"
    ]


def test_a_fifo_in_place_of_a_data_file_is_reported_without_blocking(tmp_path: Path) -> None:
    # Opening a FIFO for reading waits for a writer for ever; the loader and the watcher's hash
    # must both return at once. Run in a thread so a regression fails the test instead of hanging it.
    path = tmp_path / "data" / "officers.yaml"
    path.parent.mkdir()
    os.mkfifo(path)
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.extend([sentences(path), data_version(path.parent)]))
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        with open(os.open(path, os.O_WRONLY | os.O_NONBLOCK), "wb"):  # release the blocked reader
            pass
        worker.join()
        pytest.fail("reading a FIFO blocked")
    assert results[0] == [
        "data/officers.yaml: är ingen vanlig fil (utan t.ex. en mapp eller en namngiven pipe); "
        "lägg en vanlig textfil där"
    ]


def test_a_folder_in_place_of_a_data_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "data" / "officers.yaml").mkdir(parents=True)

    assert sentences(tmp_path / "data" / "officers.yaml", "en") == [
        "data/officers.yaml: is not an ordinary file (but a folder or a named pipe, say); put an ordinary text file "
        "there"
    ]


def test_a_file_larger_than_the_cap_is_refused_unread(tmp_path: Path) -> None:
    path = data_file(tmp_path, OFFICERS + "#" * MAX_FILE_BYTES)

    assert sentences(path) == [
        "data/officers.yaml: filen är större än 1000 kB, mycket större än en datafil blir; "
        "kontrollera att det är rätt fil"
    ]


def test_a_symbolic_link_to_a_regular_file_reads(tmp_path: Path) -> None:
    # Kubernetes mounts a ConfigMap as links into a hidden folder; those must keep working.
    target = data_file(tmp_path, OFFICERS, "real-officers.yaml")
    link = tmp_path / "data" / "officers.yaml"
    link.symlink_to(target)

    data, issues = read_yaml(link)
    assert issues == [] and isinstance(data, dict) and data["counties"][0]["county"] == "04"


def test_line_numbers_are_kept_for_every_field(tmp_path: Path) -> None:
    data, _ = read_yaml(data_file(tmp_path, OFFICERS))
    assert isinstance(data, dict)
    officer = data["counties"][0]["officers"][0]
    assert (officer.line, officer.lines["email"]) == (5, 7)


def test_brackets_nested_thousands_deep_are_a_data_error_not_a_crash(tmp_path: Path) -> None:
    # 40 kB of "[" exhausted Python's stack inside PyYAML, and the RecursionError escaped the loader.
    path = data_file(tmp_path, "counties: " + "[" * 20_000 + "]" * 20_000 + "\n")

    assert sentences(path, "en") == [
        "data/officers.yaml: lists and fields are nested deeper than any data file needs; check that it is the right "
        "file"
    ]


def _values_and_lines(value: object) -> object:
    """Return a YAML value with the lines the loader kept, as plain data that compares with ==."""
    if isinstance(value, MarkedMap):
        return ("map", value.line, value.lines, {key: _values_and_lines(item) for key, item in value.items()})
    if isinstance(value, MarkedList):
        return ("list", value.line, value.lines, [_values_and_lines(item) for item in value])
    return value


DATA_FILES = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_shipped_data_and_fixtures_read_alike_by_the_fast_and_the_careful_loader_lines_included(path: Path) -> None:
    # Files without problems are read by libyaml (ten times faster); the careful pure-Python
    # loader is what every problem is reported by, so both must give the same values and lines.
    text = path.read_text(encoding="utf-8")

    fast = load_yaml(text)
    careful = yaml.load(text, Loader=_DataLoader)

    assert _values_and_lines(fast) == _values_and_lines(careful)
    assert isinstance(fast, MarkedMap)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x {b: 1}\nc: *x\n",  # an alias to a mapping
        "a: &x 1\nc: [*x]\n",  # an alias to a text, in a list
        "a: &x [1]\nc:\n  <<: {d: 2}\n",  # an anchor with no alias, and a merge key
        "a: &x [*x]\n",  # an alias inside the node it names
    ],
)
def test_a_file_with_an_alias_or_merge_is_read_as_the_careful_loader_reads_it(text: str) -> None:
    def outcome(load: Callable[[], object]) -> object:
        try:
            return _values_and_lines(load())
        except yaml.YAMLError as error:
            return (type(error), getattr(error, "line", None))

    assert outcome(lambda: load_yaml(text)) == outcome(lambda: yaml.load(text, Loader=_DataLoader))


def test_shipped_data_is_built_by_the_fast_loader_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # A change that made every file fall back to the careful loader would keep every other test
    # green and only make start-up slower again; this says which loader built the shipped files.
    loaders: list[object] = []
    real_load = yaml.load

    def recording_load(text: str, Loader: type) -> object:
        loaders.append(Loader)
        return real_load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", recording_load)
    for path in sorted((ROOT / "data").glob("*.yaml")):
        load_yaml(path.read_text(encoding="utf-8"))

    assert loaders and set(loaders) == {_FastDataLoader}
