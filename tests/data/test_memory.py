"""Huge texts are refused by size before big structures are built (issue 11, item 10)."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable

import pytest

from app.data import DataError, SequenceData, TokenizerSpec, checks

GREEK = "αβγδεζηθικλμνξοπρστυφχψω"  # not Latin-1: every character a new str object


def _peak(build: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(DataError):
            build()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _greek(n: int, line: int) -> str:
    row = (GREEK * (line // len(GREEK) + 1))[:line]
    return "\n".join([row] * (n // line))


@pytest.mark.parametrize("kind", ["chars", "words", "sep:,"])
def test_one_huge_line_is_counted_not_built(kind: str) -> None:
    sep = {"chars": "", "words": " ", "sep:,": ","}[kind]
    text = sep.join(GREEK * 8_400)  # 201,600 symbols on one line
    spec = TokenizerSpec.parse(kind)
    with pytest.raises(DataError, match=r"^line 1: 201,600 symbols on one line"):
        SequenceData.from_text(text, spec)
    # Before: a list of 201,600 one-character strings, ~17 MB.
    assert _peak(lambda: SequenceData.from_text(text, spec)) < 8_000_000


def test_past_the_total_limit_nothing_more_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_TOTAL_TOKENS", 50_000)
    text = _greek(1_000_000, 1_000)
    with pytest.raises(DataError, match=r"^1,000,000 symbols in all; the limit is 50,000"):
        SequenceData.from_text(text, TokenizerSpec("chars"))
    assert _peak(lambda: SequenceData.from_text(text, TokenizerSpec("chars"))) < 25_000_000


def test_a_usable_text_shares_one_string_per_symbol() -> None:
    text = _greek(200_000, 100)
    data = SequenceData.from_text(text, TokenizerSpec("chars"))
    assert data.n_tokens == 200_000 and len(data.vocabulary) == len(GREEK)
    assert len({id(t) for seq in data.tokens for t in seq}) == len(GREEK)
