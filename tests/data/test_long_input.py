"""A message about a huge symbol quotes a readable piece of it, and still names the line."""

from __future__ import annotations

import pytest

from app.data import DataError, SequenceData, TokenizerSpec, Vocabulary, check_text

HUGE = "x" * 5_000_000


def test_a_huge_symbol_alone_on_its_line_gives_a_short_message() -> None:
    text = f"pizza sushi\n{HUGE}\n"
    with pytest.raises(DataError) as info:
        SequenceData.from_text(text, TokenizerSpec("words"))
    message = str(info.value)
    assert message.startswith("line 2: only one symbol, 'xxx")
    assert "(5,000,000 characters)" in message and len(message) < 300
    assert all(len(str(p)) < 300 for p in check_text(text, TokenizerSpec("words")))


def test_unknown_symbols_and_bad_tokenizers_are_quoted_short() -> None:
    with pytest.raises(DataError) as info:
        Vocabulary(("a", "b")).encode(["a", HUGE])
    assert len(str(info.value)) < 300
    with pytest.raises(DataError) as info:
        TokenizerSpec.parse(HUGE)
    assert len(str(info.value)) < 300
