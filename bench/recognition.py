"""Recognition benchmark: accuracy per kind of question and time per question, beside a naive
baseline measured in the same run.

    python -m bench.recognition [QUESTIONS.jsonl]

The baseline is what one would write first: rapidfuzz `process.extractOne` of each word
against every county and municipality name. Both run on the same questions, repeated until at
least MIN_TIMED_QUESTIONS have been timed.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bot.core.recognition import Recogniser
from bot.data.directory import DEFAULT_DATA_DIR
from bot.data.geography import Geography, load_geography

DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "dev_questions.jsonl"
# Ordinary Teams small talk that names no county: every message that gets a county is a wrong card.
SMALL_TALK = Path(__file__).resolve().parent.parent / "tests" / "small_talk.txt"
# The generalisation check edits every name the same way in every run, so runs compare.
EDIT_SEED = 20261126
# The issue asks for median and p99 over at least this many questions.
MIN_TIMED_QUESTIONS = 10_000
# The baseline's cut-off: WRatio 85 lets one typo through in a name of eight letters or so.
BASELINE_CUTOFF = 85
# Repeats for the long-message comparison, enough for a stable median.
HUGE_REPEATS = 200
WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    codes: tuple[str, ...]
    status: str  # "answer", "clarify", "none" or "any" (answer or clarify)
    kind: str


Guess = tuple[str, tuple[str, ...]]  # (status, sorted county codes)


def load_questions(path: Path) -> list[Question]:
    """Read one JSON object a line: {"q", "codes", "status", "kind"}."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(row["q"], tuple(sorted(row["codes"])), row["status"], row.get("kind", "?")) for row in rows]


def is_correct(question: Question, guess: Guess) -> bool:
    """Exact: same status (any = answer or clarify) and the same set of counties."""
    status, codes = guess
    if tuple(sorted(codes)) != question.codes:
        return False
    return status == question.status or (question.status == "any" and status in ("answer", "clarify"))


def ours(recogniser: Recogniser) -> Callable[[str], Guess]:
    def guess(text: str) -> Guess:
        result = recogniser.recognise(text)
        return result.status.value, result.counties

    return guess


def baseline(geography: Geography) -> Callable[[str], Guess]:
    """extractOne of each word against all county and municipality names."""
    names: dict[str, str] = {}
    for county in geography.counties:
        for name in (county.name, *county.short_names):
            names[name] = county.code
    for municipality in geography.municipalities:
        names[municipality.name] = municipality.county
    choices = list(names)

    def guess(text: str) -> Guess:
        codes: set[str] = set()
        for word in WORDS.findall(text[:2000]):
            hit = process.extractOne(
                word, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=BASELINE_CUTOFF
            )
            if hit is not None:
                codes.add(names[hit[0]])
        return ("answer" if codes else "none"), tuple(sorted(codes))

    return guess


def accuracy_by_kind(questions: Sequence[Question], guess: Callable[[str], Guess]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        counts[question.kind][0] += is_correct(question, guess(question.text))
        counts[question.kind][1] += 1
    return {kind: (right, total) for kind, (right, total) in sorted(counts.items())}


def timings(questions: Sequence[Question], guess: Callable[[str], Guess]) -> list[float]:
    """Seconds per question, over at least MIN_TIMED_QUESTIONS calls."""
    rounds = -(-MIN_TIMED_QUESTIONS // len(questions))
    seconds: list[float] = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            guess(question.text)
            seconds.append(time.perf_counter() - started)
    return seconds


def _time_once(recogniser: Recogniser, text: str) -> float:
    started = time.perf_counter()
    recogniser.recognise(text)
    return time.perf_counter() - started


def small_talk(path: Path = SMALL_TALK) -> list[str]:
    """Read the small-talk messages: one a line, lines starting with # are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def negatives(recogniser: Recogniser, messages: Sequence[str]) -> list[str]:
    """Return the messages that get a county (an answer or a question back): each is a wrong card."""
    return [message for message in messages if recogniser.recognise(message).counties]


def edited_names(geography: Geography, seed: int = EDIT_SEED) -> list[tuple[str, str]]:
    """One random edit (deletion, swap or substitution) in each county and municipality name."""
    rng = random.Random(seed)
    names = [(county.name, county.code) for county in geography.counties]
    names += [(municipality.name, municipality.county) for municipality in geography.municipalities]
    names += [(name, county.code) for county in geography.counties for name in county.short_names]
    edited = []
    for name, code in names:
        letters = [index for index, char in enumerate(name) if char.isalpha()]
        at = rng.choice(letters[1:-1] or letters)
        kind = rng.choice(("delete", "swap", "substitute"))
        if kind == "delete":
            typo = name[:at] + name[at + 1 :]
        elif kind == "swap" and at + 1 < len(name):
            typo = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
        else:
            typo = name[:at] + rng.choice("abcdefghijklmnoprstuvyäö") + name[at + 1 :]
        edited.append((typo, code))
    return edited


def generalisation(recogniser: Recogniser, edited: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Count, for "Vem har <typo>?", answers right, questions back with the right county, nothing, wrong."""
    counts = {"right": 0, "asked": 0, "nothing": 0, "wrong": 0}
    for typo, code in edited:
        result = recogniser.recognise(f"Vem har {typo}?")
        if result.counties == (code,) and result.status.value == "answer":
            counts["right"] += 1
        elif code in result.counties and result.status.value == "clarify":
            counts["asked"] += 1
        elif not result.counties:
            counts["nothing"] += 1
        else:
            counts["wrong"] += 1
    return counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    questions = load_questions(Path(args[0]) if args else DEFAULT_QUESTIONS)
    geography = load_geography(DEFAULT_DATA_DIR)
    started = time.perf_counter()
    recogniser = Recogniser(geography)
    build_ms = (time.perf_counter() - started) * 1000
    contenders = {"regiondörren": ours(recogniser), "baseline": baseline(geography)}
    print(f"{len(questions)} questions; recogniser built in {build_ms:.0f} ms\n")
    scores = {name: accuracy_by_kind(questions, guess) for name, guess in contenders.items()}
    print(f"{'kind':<20}{'regiondörren':>16}{'baseline':>16}")
    for kind in scores["regiondörren"]:
        cells = [
            f"{right}/{total} {right / total:>5.0%}" for right, total in (scores[name][kind] for name in contenders)
        ]
        print(f"{kind:<20}{cells[0]:>16}{cells[1]:>16}")
    totals = {name: (sum(r for r, _ in s.values()), sum(t for _, t in s.values())) for name, s in scores.items()}
    cells = [f"{right}/{total} {right / total:>5.0%}" for right, total in totals.values()]
    print(f"{'all':<20}{cells[0]:>16}{cells[1]:>16}\n")
    counts = generalisation(recogniser, edited_names(geography))
    print(
        f"generalisation, one random edit in each of {sum(counts.values())} names: right {counts['right']}, "
        f"question back {counts['asked']}, nothing {counts['nothing']}, wrong {counts['wrong']}"
    )
    messages = small_talk()
    wrong = negatives(recogniser, messages)
    print(f"negatives: {len(wrong)} of {len(messages)} small-talk messages get a county (must be 0)")
    for message in wrong:
        print(f"    {message}")
    print()
    times = {name: timings(questions, guess) for name, guess in contenders.items()}
    for name, seconds in times.items():
        print(
            f"{name:<14} {len(seconds)} questions: median {statistics.median(seconds) * 1e6:7.1f} µs, "
            f"p99 {percentile(seconds, 0.99) * 1e6:7.1f} µs"
        )
    ratio = statistics.median(times["baseline"]) / statistics.median(times["regiondörren"])
    print(f"median time, baseline / regiondörren: {ratio:.1f}×")
    longest = max(questions, key=lambda question: len(question.text)).text
    huge = "Vem har Sörmland? " + "bla " * 25_000
    for label, text in (("the longest question", longest), ("a 100 kB message", huge)):
        seconds = [_time_once(recogniser, text) for _ in range(HUGE_REPEATS)]
        print(f"{label} ({len(text)} characters): median {statistics.median(seconds) * 1e6:.0f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
