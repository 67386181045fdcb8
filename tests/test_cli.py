"""The command line: ask (text, JSON, stdin lines, interactive) and check-data."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import FIXTURE_DATA, TODAY

ROOT = Path(__file__).resolve().parent.parent
ASK = ["ask", "--data", str(FIXTURE_DATA), "--today", TODAY.isoformat()]


class Terminal(io.StringIO):
    """Standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def run(argv: list[str], stdin: str | io.StringIO = "") -> tuple[int, str, str]:
    stdin_stream = stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=stdin_stream, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_ask_prints_the_answer_as_text() -> None:
    code, out, _ = run([*ASK, "vem har Sörmland?"])
    assert code == 0
    assert out.startswith("Södermanlands län\nLänsansvarig: Isabelle Canderskog")


def test_ask_joins_unquoted_words_into_one_question() -> None:
    _, out, _ = run([*ASK, "vem", "har", "Norrbotten?"])
    assert "Maja Nilsson" in out


def test_ask_json_prints_one_object() -> None:
    code, out, _ = run([*ASK, "--json", "who covers Gothenburg?"])
    record = json.loads(out)
    assert code == 0 and out.count("\n") == 1
    assert record["status"] == "answer" and record["language"] == "en"
    assert record["counties"][0]["code"] == "14" and record["counties"][0]["name"] == "Västra Götalands län"
    assert record["counties"][0]["officers"][0] == {
        "name": "Anna Berg",
        "title": "Länsansvarig handläggare",
        "unit": "Regional tillväxt södra Sverige",
        "office": "Göteborg",
        "email": "anna.berg@tillvaxtverket.se",
        "phone": "+46 31 10 20 30",
    }


def test_ask_json_reads_one_question_per_line_in_order() -> None:
    lines = ["vem har Sörmland?", "", "Luleå", "hej hopp", "Göteborg", "x" * 100_000 + " Kiruna"]
    code, out, _ = run([*ASK, "--json"], "\n".join(lines) + "\n")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == len(lines)
    assert [r["status"] for r in records] == ["answer", "none", "answer", "none", "answer", "none"]
    assert [[c["code"] for c in r["counties"]] for r in records][:5] == [["04"], [], ["25"], [], ["14"]]
    assert records[5]["truncated"] is True  # only the start of the 100 kB line was read


def test_ask_json_counts_a_last_line_without_newline() -> None:
    _, out, _ = run([*ASK, "--json"], "Luleå\nKalmar")
    assert len(out.splitlines()) == 2


def test_ask_reads_piped_questions_as_text_too() -> None:
    _, out, _ = run(ASK, "Luleå\nKalmar\n")
    assert "Maja Nilsson" in out and "Kalmar län saknar länsansvarig" in out


def test_ask_interactive_answers_until_an_empty_line() -> None:
    code, out, _ = run(ASK, Terminal("Luleå\n\nKalmar\n"))
    assert code == 0
    assert "Regiondörren på kommandoraden" in out and "Maja Nilsson" in out
    assert "Kalmar län" not in out  # the empty line ended the session


# --- the CLI answers as the Teams bot decides: commands and people too ---------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "vilket län har Isabelle Canderskog?",
            "Isabelle Canderskog är länsansvarig för Södermanlands län.\n\n"
            "Södermanlands län\nLänsansvarig: Isabelle Canderskog",
        ),
        ("who is Maja Nilsson?", "Maja Nilsson is the county officer for Norrbottens län.\n\nNorrbottens län\n"),
        ("hjälp", "Jag är Regiondörren."),
        ("help", "I am Regiondörren."),
        ("lista", "Alla 4 län\n"),
        ("tack", "Varsågod – fråga igen när du vill."),
        ("thanks", "You're welcome – ask again any time."),
        ("avbryt", "Okej, jag avbryter."),
        ("vilket län har Kalle Anka?", "Jag hittar ingen länsansvarig med det namnet."),
    ],
)
def test_ask_answers_as_the_bot_would(question: str, expected: str) -> None:
    code, out, _ = run([*ASK, question])
    assert code == 0
    assert out.startswith(expected)
    assert "Jag hittade inget län" not in out and "I could not find a county" not in out


def test_ask_list_shows_every_county_and_its_officer() -> None:
    _, out, _ = run([*ASK, "lista"])
    assert "Södermanlands län: Isabelle Canderskog" in out
    assert "Kalmar län: vakant" in out
    assert "Västra Götalands län: Anna Berg, Johan Ek" in out


def test_ask_help_names_the_commands_in_english() -> None:
    _, out, _ = run([*ASK, "help"])
    assert "Type \u201clist\u201d for all 21 counties" in out


def test_ask_when_several_people_fit_lists_them(data_dir: Path) -> None:
    path = data_dir / "officers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Johan Ek", "name: Anna Ek"), encoding="utf-8")
    _, out, _ = run(["ask", "--data", str(data_dir), "--today", TODAY.isoformat(), "vilket län har Anna?"])
    assert out.startswith("Flera länsansvariga passar namnet. Vem menar du?")
    assert "Anna Berg" in out and "Anna Ek" in out


def test_ask_json_person_answer_reports_the_officers_counties() -> None:
    _, out, _ = run([*ASK, "--json", "vilket län har Isabelle Canderskog?"])
    record = json.loads(out)
    assert record["status"] == "answer"
    assert [county["code"] for county in record["counties"]] == ["04"]
    assert record["counties"][0]["officers"][0]["name"] == "Isabelle Canderskog"
    assert record["person"] == {
        "name": "Isabelle Canderskog",
        "email": "isabelle.canderskog@tillvaxtverket.se",
        "counties": ["04"],
        "deputy_for": [],
    }
    assert record["lead"] == "Isabelle Canderskog är länsansvarig för Södermanlands län."


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("hjälp", "help"),
        ("lista", "list"),
        ("tack", "thanks"),
        ("thanks", "thanks"),
        ("avbryt", "cancel"),
    ],
)
def test_ask_json_commands_are_status_none_with_the_command_named(question: str, command: str) -> None:
    _, out, _ = run([*ASK, "--json", question])
    record = json.loads(out)
    assert (record["status"], record["command"], record["counties"]) == ("none", command, [])
    assert record["message"]  # the reply's text, as the text mode prints it


def test_ask_json_list_says_example_data_as_its_text_does() -> None:
    # The fixture officers.yaml is example data, and the list's text says so on its second line.
    _, out, _ = run([*ASK, "--json", "lista"])
    record = json.loads(out)
    assert "exempeldata" in record["message"].splitlines()[1]
    assert record["example_data"] is True


def test_ask_json_unknown_person_is_none_and_says_so() -> None:
    _, out, _ = run([*ASK, "--json", "vilket län har Kalle Anka?"])
    record = json.loads(out)
    assert (record["status"], record["counties"], record["person"]) == ("none", [], None)
    assert record["message"].startswith("Jag hittar ingen länsansvarig")


def test_ask_json_county_questions_keep_their_shape() -> None:
    _, out, _ = run([*ASK, "--json", "vem har Sörmland?"])
    assert set(json.loads(out)) == {"status", "language", "counties", "mentions", "example_data", "truncated"}


def test_ask_json_stdin_mixes_commands_people_and_counties_one_line_each() -> None:
    lines = ["hjälp", "vem har Sörmland?", "vem är Maja Nilsson?", "tack", "lista"]
    _, out, _ = run([*ASK, "--json"], "\n".join(lines) + "\n")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in records] == ["none", "answer", "answer", "none", "none"]
    assert [r.get("command") for r in records] == ["help", None, None, "thanks", "list"]


@pytest.mark.slow
def test_shipped_data_python_m_bot_ask_a_person() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "vilket län har Isabelle Canderskog?"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Isabelle Canderskog är länsansvarig för Södermanlands län.")


def test_ask_with_broken_data_says_so_and_fails(data_dir: Path) -> None:
    (data_dir / "officers.yaml").write_text("counties: [\n", encoding="utf-8")
    code, out, err = run(["ask", "--data", str(data_dir), "Luleå"])
    assert code == 1 and out == ""
    assert "Kör \u201dmake check-data\u201d i projektets mapp" in err and "Traceback" not in err


def test_check_data_clean_prints_counts_and_exits_0() -> None:
    code, out, _ = run(["--lang", "en", "check-data", str(FIXTURE_DATA)])
    assert code == 0
    assert "are fine: 4 counties, 4 county officers, 8 regional dialogues; vacant counties: 1." in out


def test_check_data_prints_every_issue_and_exits_1(data_dir: Path) -> None:
    for name, old, new in [
        ("officers.yaml", "email: anna.berg@", "email: anna.berg "),
        ("dialogues.yaml", "date: 2026-09-10", "date: 2026-13-40"),
    ]:
        path = data_dir / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    code, out, _ = run(["check-data", str(data_dir)])
    assert code == 1
    assert out.splitlines() == [
        "data/officers.yaml, rad 25, län 14, handläggare 1 (Anna Berg): email: \u201danna.berg tillvaxtverket.se\u201d "
        "är ingen e-postadress; skriv den som fornamn.efternamn@tillvaxtverket.se",
        "data/dialogues.yaml, rad 5, dialog 3 (d-04-3): date: \u201d2026-13-40\u201d är inget datum; "
        "skriv ÅÅÅÅ-MM-DD, t.ex. 2026-09-10",
        f"2 fel i datafilerna i {data_dir}. Rätta raderna ovan och kör check-data igen.",
    ]


def test_check_data_speaks_english_from_start_to_end_with_lang_en(data_dir: Path) -> None:
    path = data_dir / "officers.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("email: anna.berg@", "email: anna.berg "), encoding="utf-8"
    )
    code, out, _ = run(["check-data", "--lang", "en", str(data_dir)])
    assert code == 1
    assert out.splitlines()[0] == (
        "data/officers.yaml, line 25, county 14, officer 1 (Anna Berg): email: \u201canna.berg tillvaxtverket.se\u201d "
        "is not an e-mail address; write it as firstname.lastname@tillvaxtverket.se"
    )
    assert (
        out.splitlines()[-1]
        == f"Problems in the data files in {data_dir}: 1. Fix the lines above and run check-data again."
    )


def test_check_data_on_a_missing_folder_exits_1(tmp_path: Path) -> None:
    code, out, _ = run(["check-data", str(tmp_path / "nowhere")])
    assert code == 1 and "finns inte" in out


def test_bad_arguments_exit_with_usage_not_a_traceback() -> None:
    with pytest.raises(SystemExit) as caught:
        run([*ASK[:3], "--today", "2026-13-40", "Luleå"])
    assert caught.value.code == 2


@pytest.mark.slow
def test_shipped_data_python_m_bot_ask_json() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "vem har Sörmland?"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "answer"
    assert record["counties"][0]["code"] == "04"
    assert record["counties"][0]["officers"][0]["name"] == "Isabelle Canderskog"


@pytest.mark.slow
def test_shipped_data_python_m_bot_check_data() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "21 län" in result.stdout


@pytest.mark.slow
def test_shipped_data_output_piped_into_a_closed_reader_ends_quietly() -> None:
    result = subprocess.run(
        f"yes 'vem har Sörmland?' | head -n 200 | {sys.executable} -m bot ask --json | head -n 1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_shipped_data_ask_interactive_takes_a_number_after_which_county_as_the_bot_does() -> None:
    shipped = ["ask", "--today", TODAY.isoformat()]

    code, out, _ = run(shipped, Terminal("Vem har Norrland?\n2\n2\n\n"))

    assert code == 0
    turns = out.split("Fråga> ")[1:4]
    assert "Vilket menar du: Gävleborgs län, Västernorrlands län" in turns[0]
    assert turns[1].startswith("Västernorrlands län\n")
    assert "Västernorrlands län" not in turns[2]  # after an answer, "2" is no choice any more
