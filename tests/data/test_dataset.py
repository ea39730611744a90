"""SequenceData: building from text, the errors it raises, and what it holds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.data import checks
from app.data.checks import check_text
from app.data.dataset import SequenceData
from app.data.errors import DataError
from app.data.tokenize import CHARS, WORDS, TokenizerSpec
from app.data.vocab import UnknownSymbolError, Vocabulary
from app.engine.batch import make_batch
from app.engine.config import MAX_VOCAB

DINNER = "pizza sushi waffles pizza\n\nsushi waffles pizza\n"


def test_from_text() -> None:
    data = SequenceData.from_text(DINNER, WORDS)
    assert data.spec == WORDS
    assert data.tokens == (("pizza", "sushi", "waffles", "pizza"), ("sushi", "waffles", "pizza"))
    assert data.line_numbers == (1, 3)
    assert data.vocabulary.symbols == ("pizza", "sushi", "waffles")
    assert [ids.tolist() for ids in data.ids] == [[0, 1, 2, 0], [1, 2, 0]]
    assert all(ids.dtype == np.int64 for ids in data.ids)
    assert (data.n_sequences, data.n_tokens, data.n_predictions) == (2, 7, 5)


def test_ids_are_read_only_and_batchable() -> None:
    data = SequenceData.from_text(DINNER, WORDS)
    with pytest.raises(ValueError, match="read-only"):
        data.ids[0][0] = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.tokens = ()  # type: ignore[misc]
    batch = make_batch(list(data.ids))
    assert batch.n_tokens == data.n_predictions


def test_with_a_given_vocabulary() -> None:
    vocab = Vocabulary(("waffles", "sushi", "pizza", "tacos"))
    data = SequenceData.from_text(DINNER, WORDS, vocabulary=vocab)
    assert data.vocabulary is vocab
    assert data.ids[0].tolist() == [2, 1, 0, 2]
    with pytest.raises(UnknownSymbolError, match="'burgers'"):
        SequenceData.from_text("pizza burgers", WORDS, vocabulary=vocab)


@pytest.mark.parametrize("text", ["", "\n  \n\t", "\r\n"])
def test_no_sequences(text: str) -> None:
    with pytest.raises(DataError, match="no sequences"):
        SequenceData.from_text(text, WORDS)


def test_one_symbol_line_names_its_line() -> None:
    text = "pizza sushi\r\n\r\nwaffles\r\nsushi pizza"
    with pytest.raises(DataError, match=r"^line 3: only one symbol, 'waffles'"):
        SequenceData.from_text(text, WORDS)


def test_several_errors_are_counted() -> None:
    with pytest.raises(DataError, match=r"line 1: .*\(and 2 more error\(s\)\)$"):
        SequenceData.from_text("a\nb\nc d\ne", WORDS)


def test_single_char_line() -> None:
    with pytest.raises(DataError, match=r"line 2: only one symbol, 'x'"):
        SequenceData.from_text("ab\n x \n", CHARS)


def test_too_many_symbols() -> None:
    text = "\n".join(f"s{2 * i} s{2 * i + 1}" for i in range(MAX_VOCAB // 2 + 1))
    with pytest.raises(DataError, match=f"more than {MAX_VOCAB:,} different symbols"):
        SequenceData.from_text(text, WORDS)


def test_too_many_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_SEQUENCES", 2)
    with pytest.raises(DataError, match="3 lines; the limit is 2 sequences"):
        SequenceData.from_text("a b\na b\na b", WORDS)


def test_too_many_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_TOTAL_TOKENS", 5)
    with pytest.raises(DataError, match="6 symbols in all; the limit is 5"):
        SequenceData.from_text("a b c\na b c", WORDS)


def test_line_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_LINE_TOKENS", 4)
    with pytest.raises(DataError, match=r"^line 2: 5 symbols on one line; the limit is 4"):
        SequenceData.from_text("a b\na b c d e", WORDS)


def test_text_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "MAX_TEXT_CHARS", 10)
    with pytest.raises(DataError, match="11 characters"):
        SequenceData.from_text("abcde fghij", WORDS)


def test_warnings_do_not_stop_training() -> None:
    text, spec = "a,b\n,,\na,b,piza", TokenizerSpec("sep", ",")
    assert [p.severity for p in check_text(text, spec)] == ["warning", "warning"]
    assert SequenceData.from_text(text, spec).line_numbers == (1, 3)


def test_read_text_remembers_a_text_and_shares_its_immutable_data() -> None:
    from app.data.dataset import read_text
    from app.data.tokenize import TokenizerSpec

    spec = TokenizerSpec.parse("words")
    text = "pizza sushi waffles\nsushi pizza waffles\n"
    first = read_text(text, spec, "lines")
    assert read_text(text, spec, "lines") is first
    assert read_text(text, spec, "stream") is not first  # the mode is part of the key
    assert not first.ids[0].flags.writeable  # shared, so it must be read-only
    with pytest.raises(DataError):
        read_text("pizza\n", spec, "lines")  # a refused text raises every time
    with pytest.raises(DataError):
        read_text("pizza\n", spec, "lines")
