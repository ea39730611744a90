"""Huge texts are refused by size before big structures are built (issue 11, item 10)."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable

import pytest

from app.data import DataError, SequenceData, TokenizerSpec, checks
from app.data.checks import Problem, check_text

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
    # Counting stops at the line that passes the limit: "more than".
    with pytest.raises(DataError, match=r"^more than 51,000 symbols in all; the limit is 50,000"):
        SequenceData.from_text(text, TokenizerSpec("chars"))
    assert _peak(lambda: SequenceData.from_text(text, TokenizerSpec("chars"))) < 25_000_000


def test_a_usable_text_shares_one_string_per_symbol() -> None:
    text = _greek(200_000, 100)
    data = SequenceData.from_text(text, TokenizerSpec("chars"))
    assert data.n_tokens == 200_000 and len(data.vocabulary) == len(GREEK)
    assert len({id(t) for seq in data.tokens for t in seq}) == len(GREEK)


def test_millions_of_lines_are_refused_before_one_is_read() -> None:
    text = "a\n" * (checks.MAX_TEXT_LINES + 1)
    message = f"the text has {checks.MAX_TEXT_LINES + 2:,} lines; the limit is 500,000"
    with pytest.raises(DataError, match=f"^{message}"):
        SequenceData.from_text(text, TokenizerSpec("words"))
    assert _peak(lambda: check_text(text, TokenizerSpec("words"))) < 1_000_000


def test_many_bad_lines_keep_only_what_a_list_can_show() -> None:
    """One message per bad line (30,000 here) took 12.4 MB, now 0.1 MB; counts stay exact."""
    text = "a\n" * 30_000 + ",,\n" * 1_000
    spec = TokenizerSpec("sep", ",")
    one_symbol = r"^line 1: only one symbol.*\(and 29,999 more error\(s\)\)$"
    with pytest.raises(DataError, match=one_symbol):
        SequenceData.from_text(text, spec)
    problems = check_text(text, spec)
    assert len(problems) == checks.MAX_REPORTED + 1 and all(p.is_error for p in problems[:-1])
    assert problems[-1] == Problem(None, "… and 30,800 more problem(s) not listed", "error")
    assert _peak(lambda: check_text(text, spec)) < 2_000_000
