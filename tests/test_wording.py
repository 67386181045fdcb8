"""The words of data problems: every problem in both languages, and every code the loaders use has words."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from bot.data import wording
from bot.data.validation import DataIssue

DATA_PACKAGE = Path(wording.__file__).parent
RUNTIME = [DATA_PACKAGE.parent / "runtime" / name for name in ("live.py", "watcher.py")]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("problem", sorted(wording.PROBLEMS))
def test_every_problem_is_said_in_both_languages_with_the_same_values(problem: str) -> None:
    said = wording.PROBLEMS[problem]
    assert set(said) == {wording.SWEDISH, wording.ENGLISH}
    assert placeholders(said[wording.SWEDISH]) == placeholders(said[wording.ENGLISH])


def problem_codes_used() -> set[str]:
    """Return the literals the loaders name problems with: report(field, code), DataIssue(file, code)."""
    used: set[str] = set()
    for path in [*DATA_PACKAGE.glob("*.py"), *RUNTIME]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            position = {"report": 1, "DataIssue": 1, "_Refused": 0}.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                used.add(argument.value)
            if isinstance(argument, ast.IfExp):  # "not_upn" if ... else "not_email"
                used |= {
                    branch.value for branch in (argument.body, argument.orelse) if isinstance(branch, ast.Constant)
                }
    return used


def test_every_problem_the_loaders_name_has_words() -> None:
    used = problem_codes_used()
    assert len(used) > 30 and "reload_failed" in used, used  # the scan found the calls
    assert used <= set(wording.PROBLEMS), used - set(wording.PROBLEMS)


def test_a_problem_missing_a_value_still_reads_instead_of_failing() -> None:
    issue = DataIssue("data/officers.yaml", "not_email", line=3, field="email")
    assert issue.sentence() == (
        "data/officers.yaml, rad 3: email: \u201d?\u201d är ingen e-postadress; "
        "skriv den som fornamn.efternamn@tillvaxtverket.se"
    )


def test_the_banner_names_the_first_problem_and_how_many_more() -> None:
    assert wording.first_of(("a",), "sv") == "a"
    assert wording.first_of(("a", "b", "c"), "sv") == "a (och 2 fel till)"
    assert wording.first_of(("a", "b"), "en") == "a (and 1 more)"
