"""The load benchmark refuses a run too short to compare memory, instead of passing it silently."""

from __future__ import annotations

import pytest

from bench import load


@pytest.mark.parametrize("seconds", ["1", "15", "22.9"])
def test_a_run_shorter_than_warm_up_and_two_memory_windows_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seconds: str
) -> None:
    monkeypatch.setattr("sys.argv", ["bench.load", "--seconds", seconds])
    with pytest.raises(SystemExit) as exited:
        load.main()
    assert exited.value.code == 2
    assert "at least 23 s" in capsys.readouterr().err


def test_a_run_cut_short_by_max_questions_fails_its_memory_check() -> None:
    assert load.memory_check_problem(12.0) == (
        "the run lasted 12.0 s, too short for separate first and last 10 s memory windows after 3 s "
        "of warm-up (at least 23 s): memory not compared"
    )
    assert load.memory_check_problem(23.0) is None
