"""Every intent has a reply, and a new intent that a renderer forgets fails the type check."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.answers import Answerer
from bot.core.intents import AnswerCounties, AnswerPerson, AskWhichCounty, decide
from bot.render.replies import Cards, CountyCards, reply_for
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
# A kind of intent that no renderer knows yet, as a developer adding a command would start it.
NEW_INTENT = '''@dataclass(frozen=True, slots=True)
class ShowOffices:
    """List the offices."""

    language: str


'''
UNION_END = "    | UnknownPerson\n)"
# A command that shows the directory, as "kontor" (list the offices) would start.
COMMAND_END = '    THANKS = "thanks"\n'


def test_a_person_answer_leads_with_what_the_person_covers():
    intent = decide("vilket län har Isabelle Canderskog?", Answerer(factories.directory()), factories.TODAY, None)

    assert isinstance(intent, AnswerPerson)
    reply = reply_for(intent)
    assert isinstance(reply, CountyCards)
    assert reply.lead == "Isabelle Canderskog är länsansvarig för Södermanlands län."
    assert reply.text.startswith(reply.lead + "\n\n")


def test_candidates_are_asked_for_on_a_card_and_as_text():
    intent = decide("Östersjökusten", Answerer(factories.directory()), factories.TODAY, None)

    assert isinstance(intent, AskWhichCounty)
    reply = reply_for(intent)
    assert isinstance(reply, Cards)
    card = json.dumps(reply.cards[0], ensure_ascii=False)
    assert all(item.county.name in card for item in intent.answer.counties)
    assert "Vilket menar du" in reply.text


def test_an_answer_without_counties_is_the_not_recognised_reply():
    intent = decide("vad blir det för väder?", Answerer(factories.directory()), factories.TODAY, None)

    assert isinstance(intent, AnswerCounties)
    assert "Jag hittade inget län" in reply_for(intent).text


@pytest.mark.slow  # runs mypy over a copy of the code: about 20 s
def test_an_intent_or_command_the_renderers_do_not_know_fails_the_type_check(tmp_path: Path):
    pytest.importorskip("mypy", reason="mypy is not installed: the exhaustiveness check needs it")
    for package in ("bot", "dialogs"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    intents = tmp_path / "bot" / "core" / "intents.py"
    source = intents.read_text(encoding="utf-8")
    assert source.count(UNION_END) == 1, "the Intent union changed shape: update this test"
    union = source.index("Intent = (")
    source = (
        source[:union] + NEW_INTENT + source[union:].replace(UNION_END, "    | UnknownPerson\n    | ShowOffices\n)")
    )
    intents.write_text(source, encoding="utf-8")
    commands = tmp_path / "bot" / "core" / "commands.py"
    source = commands.read_text(encoding="utf-8")
    assert source.count(COMMAND_END) == 1, "the Command enum changed shape: update this test"
    commands.write_text(source.replace(COMMAND_END, COMMAND_END + '    OFFICES = "offices"\n'), encoding="utf-8")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--ignore-missing-imports",
            "--follow-imports=silent",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "bot/render/replies.py",
            "bot/cli/main.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    unknown = [
        line for line in result.stdout.splitlines() if '"assert_never" has incompatible type "ShowOffices"' in line
    ]
    assert {line.split(":", 1)[0] for line in unknown} == {"bot/render/replies.py", "bot/cli/main.py"}, result.stdout
    no_view = [
        line for line in result.stdout.splitlines() if "Literal[Command.OFFICES]" in line and "assert_never" in line
    ]
    assert [line.split(":", 1)[0] for line in no_view] == ["bot/render/replies.py"], result.stdout
