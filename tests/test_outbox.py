"""The outbox's pacing rules: Teams' per-conversation windows, the overall pace, backoff."""

from __future__ import annotations

import random

import pytest

from bot.runtime.outbox import BACKOFF_CAP_S, ConversationWindows, Pace, backoff


def test_a_conversation_gets_at_most_seven_messages_a_second_and_eight_in_two() -> None:
    windows = ConversationWindows()
    for moment in range(7):
        assert windows.wait("a:1", moment / 100) == 0
        windows.record("a:1", moment / 100)
    assert windows.wait("a:1", 0.07) == pytest.approx(0.93)  # the eighth waits for the first to leave the second
    assert windows.wait("a:other", 0.07) == 0  # other conversations are not held up
    windows.record("a:1", 1.0)
    assert windows.wait("a:1", 1.01) == pytest.approx(0.99)  # eight in two seconds: wait for the first to age out


def test_a_conversation_gets_at_most_sixty_messages_in_thirty_seconds() -> None:
    windows = ConversationWindows()
    for number in range(60):
        windows.record("a:1", number * 0.4)  # 2.5 a second: within the short windows
    assert windows.wait("a:1", 24.0) == pytest.approx(6.0)


def test_idle_conversations_are_forgotten() -> None:
    windows = ConversationWindows()
    windows.record("a:1", 0.0)
    windows.forget_idle(3601.0)
    assert windows.wait("a:1", 3601.0) == 0 and not windows._sent


def test_the_pace_spaces_sends_evenly() -> None:
    pace = Pace(25.0)
    waits = [pace.slot(0.0) for _ in range(50)]
    assert waits[0] == 0 and waits[-1] == pytest.approx(49 / 25)


def test_a_few_429s_leave_the_pace_alone_and_a_wall_of_them_halves_it_once_a_second() -> None:
    pace = Pace(25.0)
    for _ in range(9):
        pace.succeeded()
        pace.throttled(0.0)
    assert pace.rate == 25.0
    for number in range(40):
        pace.throttled(1.0 + number / 100)
    assert pace.rate == 12.5


@pytest.mark.parametrize("attempts", range(12))
def test_backoff_grows_with_jitter_and_honours_retry_after(attempts: int) -> None:
    rng = random.Random(attempts)
    delay = backoff(attempts, None, rng)
    ceiling = min(BACKOFF_CAP_S, 2.0 * 2**attempts)
    assert ceiling / 2 <= delay <= ceiling
    assert backoff(attempts, 900.0, rng) >= 900.0
