"""Stream mode: the whole text as one sequence, line breaks as symbols, excerpts for views."""

from __future__ import annotations

import numpy as np
import pytest

from app.data import NEWLINE, checks, display_symbol, stream_cut
from app.data.checks import MAX_LINE_TOKENS, check_text
from app.data.dataset import SequenceData, excerpt_starts
from app.data.errors import DataError
from app.data.tokenize import CHARS, WORDS, TokenizerSpec, stream_tokens

TEXT = "pizza sushi\n\nwaffles\r\n  x  y \n"


def test_line_breaks_are_symbols_and_blank_lines_stay() -> None:
    data = SequenceData.from_text(TEXT, WORDS, mode="stream")
    symbols = data.vocabulary.decode(data.stream)
    assert symbols == ["pizza", "sushi", NEWLINE, NEWLINE, "waffles", NEWLINE, "x", "y", NEWLINE]
    assert data.vocabulary.symbols == ("pizza", "sushi", NEWLINE, "waffles", "x", "y")
    assert data.mode == "stream" and data.stream.dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        data.stream[0] = 1
    assert (data.n_tokens, data.n_predictions) == (9, 8)
    # A one-symbol line ("waffles") is refused in lines mode, not in a stream.
    with pytest.raises(DataError, match="line 3: only one symbol"):
        SequenceData.from_text(TEXT, WORDS)


def test_no_final_line_break_adds_none_and_chars_keep_inner_spaces() -> None:
    data = SequenceData.from_text("ab c  \n d", CHARS, mode="stream")
    assert data.vocabulary.decode(data.stream) == ["a", "b", " ", "c", NEWLINE, " ", "d"]


def test_chars_keep_the_indentation_of_a_stream() -> None:
    """Leading spaces and tabs are a code file's (or a poem's) indentation: symbols in a
    stream; trailing ones are invisible and dropped, except at a prompt's very end."""
    text = "def f():\n    return 1\n\t\tx = 2   \n"
    data = SequenceData.from_text(text, CHARS, mode="stream")
    assert "".join(data.vocabulary.decode(data.stream)) == text.replace("   \n", "\n")
    assert stream_tokens("  if x⏎    y ", CHARS) == [" ", " ", "i", "f", " ", "x", NEWLINE,
                                                     " ", " ", " ", " ", "y", " "]  # fmt: skip
    assert stream_tokens("a b⏎c d", TokenizerSpec("words")) == ["a", "b", NEWLINE, "c", "d"]


def test_newline_is_shown_as_a_return_sign() -> None:
    assert NEWLINE == "\n" and display_symbol(NEWLINE) == "⏎"


@pytest.mark.parametrize(("text", "n"), [("", 0), ("   ", 0), ("pizza", 1), ("\n", 1)])
def test_a_stream_needs_two_symbols(text: str, n: int) -> None:
    message = f"a stream needs at least two symbols; this text has {n}"
    with pytest.raises(DataError, match=f"^{message}$"):
        SequenceData.from_text(text, WORDS, mode="stream")
    assert [p.message for p in check_text(text, WORDS, "stream") if p.is_error] == [message]


def test_two_symbols_are_enough() -> None:
    data = SequenceData.from_text("pizza\n", WORDS, mode="stream")
    assert data.tokens == (("pizza", NEWLINE),) and data.line_numbers == (1,)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(DataError, match="unknown sequences 'poem': use 'lines' or 'stream'"):
        SequenceData.from_text(TEXT, WORDS, mode="poem")  # type: ignore[arg-type]


def test_a_line_longer_than_the_lines_limit_is_fine_in_a_stream() -> None:
    text = "a " * (MAX_LINE_TOKENS + 5)
    assert any(p.is_error for p in check_text(text, WORDS))
    data = SequenceData.from_text(text, WORDS, mode="stream")
    assert len(data.stream) == MAX_LINE_TOKENS + 5
    assert all(len(t) == 64 for t in data.tokens[:-1])


def test_excerpts_are_whole_lines_that_cover_the_stream() -> None:
    rng = np.random.default_rng(0)
    lines = [" ".join(f"w{k}" for k in rng.integers(0, 9, size=n)) for n in rng.integers(0, 90, 60)]
    data = SequenceData.from_text("\n".join(lines), WORDS, mode="stream")
    assert data.stream is not None and data.excerpt_starts is not None
    joined = np.concatenate(data.ids)
    np.testing.assert_array_equal(joined, data.stream)
    assert data.excerpt_starts.tolist() == np.cumsum([0, *map(len, data.ids[:-1])]).tolist()
    assert all(2 <= len(t) <= 64 + 1 for t in data.tokens)
    newline = data.vocabulary.index(NEWLINE)
    for ids, tokens, number in zip(data.ids, data.tokens, data.line_numbers, strict=True):
        assert data.vocabulary.decode(ids) == list(tokens)
        start = sum(len(t) for t in data.tokens[: data.tokens.index(tokens)])
        # The line an excerpt starts on: the line breaks before it, plus one.
        assert number == int((data.stream[:start] == newline).sum()) + 1
        if len(ids) < 64 and ids is not data.ids[-1]:
            assert ids[-1] == newline  # packed whole lines end at a line break


def test_excerpt_starts_merge_a_short_last_one_and_cut_long_lines() -> None:
    assert excerpt_starts([0], 130) == [0, 64, 128]  # 64 + 64 + 2
    assert excerpt_starts([0], 129) == [0, 64]  # 64 + 65: a last piece of 1 joins
    assert excerpt_starts([0, 3, 5, 20], 29, size=8) == [0, 5, 13, 20]
    assert excerpt_starts([0, 1, 2], 3) == [0]


def test_stream_cut_holds_out_the_last_fraction() -> None:
    assert stream_cut(100, 0.0) == 100
    assert stream_cut(100, 0.25) == 75
    assert stream_cut(10, 0.05) == 8  # at least two symbols held out
    assert stream_cut(10, 0.95) == 2  # at least two train
    assert stream_cut(3, 0.5) == 3  # too short: nothing held out
    with pytest.raises(DataError):
        stream_cut(10, 1.0)


def test_sep_line_of_separators_keeps_its_line_break() -> None:
    data = SequenceData.from_text("a,b\n,,\na,b", TokenizerSpec("sep", ","), mode="stream")
    assert data.vocabulary.decode(data.stream) == ["a", "b", NEWLINE, NEWLINE, "a", "b"]
    problems = check_text("a,b\n,,\na,b", TokenizerSpec("sep", ","), "stream")
    assert [(p.line, p.severity) for p in problems] == [(2, "warning")]


def test_a_stream_keeps_the_limits_on_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_TOTAL_TOKENS", 100)
    text = "pizza sushi\n" + "a " * (MAX_LINE_TOKENS + 1)  # a long line: counted, not listed
    with pytest.raises(DataError, match=r"^10,004 symbols in all; the limit is 100$"):
        SequenceData.from_text(text, WORDS, mode="stream")
    with pytest.raises(DataError, match=r"^more than 10,004 symbols in all; the limit is 100$"):
        SequenceData.from_text(text + "\nmore", WORDS, mode="stream")
    monkeypatch.setattr(checks, "MAX_VOCAB", 3)
    with pytest.raises(DataError, match="more than 3 different symbols"):
        SequenceData.from_text("a b\nc d", WORDS, mode="stream")
