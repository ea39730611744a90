"""quoted: a user's input in a message, cut to a readable length with its size."""

from __future__ import annotations

from app.engine.text import QUOTE_LIMIT, quoted


def test_short_input_is_its_repr() -> None:
    assert quoted("pizza") == "'pizza'"
    assert quoted("it's") == '"it\'s"'
    assert quoted(0.5) == "0.5"


def test_long_input_is_cut_and_says_how_long_it_was() -> None:
    shown = quoted("é" * 5_000_000)
    assert shown == "'" + "é" * QUOTE_LIMIT + "…' (5,000,000 characters)"
    assert len(quoted(10**500)) < 2 * QUOTE_LIMIT
