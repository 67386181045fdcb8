"""HTML that Teams wraps messages in is read as plain words."""

from __future__ import annotations

import pytest

from bot.core.markup import plain_text


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("<p>Peter Axelsson</p>", "Peter Axelsson"),
        ("<div><p>vem har <b>Gotland</b>?</p></div>", "vem har Gotland ?"),
        ("vem&nbsp;har Sörmland&#63;", "vem har Sörmland?"),
        ("Sörmland < Gotland > Skåne", "Sörmland < Gotland > Skåne"),  # not tags
        ("  vem   har\nSörmland ", "vem har Sörmland"),
        ("", ""),
    ],
)
def test_plain_text(message: str, plain: str):
    assert plain_text(message) == plain


def test_a_stray_angle_bracket_on_a_long_message_costs_nothing():
    assert plain_text("<a" + "x" * 100_000).startswith("<a")
