"""Vocabulary: order of first appearance, encoding, and errors that name the symbol."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.data.errors import DataError
from app.data.vocab import UnknownSymbolError, Vocabulary

DINNER = [["sushi", "waffles", "pizza"], ["pizza", "sushi"]]


def test_order_of_first_appearance() -> None:
    vocab = Vocabulary.from_sequences([["pizza", "sushi", "waffles", "pizza"], ["sushi"]])
    assert vocab.symbols == ("pizza", "sushi", "waffles")
    assert Vocabulary.from_sequences(DINNER).symbols == ("sushi", "waffles", "pizza")


def test_container_protocol() -> None:
    vocab = Vocabulary(("a", "b", " "))
    assert len(vocab) == 3
    assert "b" in vocab and " " in vocab
    assert "c" not in vocab and 1 not in vocab
    assert list(vocab) == ["a", "b", " "]
    assert vocab.index(" ") == 2


def test_encode_decode() -> None:
    vocab = Vocabulary(("pizza", "sushi", "waffles"))
    ids = vocab.encode(["waffles", "pizza", "sushi", "pizza"])
    assert ids.dtype == np.int64
    assert ids.tolist() == [2, 0, 1, 0]
    assert vocab.decode(ids) == ["waffles", "pizza", "sushi", "pizza"]
    assert vocab.decode([1]) == ["sushi"]
    assert vocab.encode([]).shape == (0,)
    assert vocab.decode([]) == []


def test_unknown_symbol_message_names_it_and_the_vocabulary() -> None:
    vocab = Vocabulary(("pizza", "sushi", "waffles"))
    with pytest.raises(UnknownSymbolError) as info:
        vocab.index("piza")
    message = str(info.value)
    assert "'piza'" in message
    assert "'pizza', 'sushi', 'waffles'" in message
    assert info.value.unknown == ("piza",)
    assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)


def test_encode_lists_each_unknown_symbol_once_in_order() -> None:
    vocab = Vocabulary(("a", "b"))
    with pytest.raises(UnknownSymbolError) as info:
        vocab.encode(["a", " ", "z", " ", "b", "z"])
    assert info.value.unknown == (" ", "z")
    assert "unknown symbols ' ', 'z'" in str(info.value)  # repr makes a space visible


def test_long_vocabulary_is_truncated_in_messages() -> None:
    vocab = Vocabulary(tuple(f"w{i}" for i in range(500)))
    with pytest.raises(UnknownSymbolError) as info:
        vocab.index("nope")
    message = str(info.value)
    assert "'w0'" in message and "'w499'" not in message
    assert "500 symbols in all" in message
    assert len(message) < 400


def test_many_unknown_symbols_are_truncated() -> None:
    vocab = Vocabulary(("a",))
    with pytest.raises(UnknownSymbolError, match=r"\(80 more\)"):
        vocab.encode([f"x{i}" for i in range(100)])


@pytest.mark.parametrize("symbols", [("a", "b", "a"), ("a", ""), ("a", 1)])
def test_invalid_symbols(symbols: tuple[str, ...]) -> None:
    with pytest.raises(DataError):
        Vocabulary(symbols)


def test_decode_refuses_ids_out_of_range() -> None:
    vocab = Vocabulary(("a", "b"))
    cases: list[list[Any]] = [[2], [-1], [0.5]]
    for bad in cases:
        with pytest.raises(DataError, match="out of range"):
            vocab.decode(bad)


def test_immutable_hashable_comparable() -> None:
    vocab = Vocabulary(("a", "b"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        vocab.symbols = ("c",)  # type: ignore[misc]
    assert vocab == Vocabulary(("a", "b"))
    assert hash(vocab) == hash(Vocabulary(("a", "b")))
    assert vocab != Vocabulary(("b", "a"))
    assert Vocabulary(["a", "b"]).symbols == ("a", "b")  # type: ignore[arg-type]


def test_empty_vocabulary() -> None:
    vocab = Vocabulary.from_sequences([])
    assert len(vocab) == 0
    with pytest.raises(UnknownSymbolError, match="vocabulary is empty"):
        vocab.index("a")


@given(st.lists(st.lists(st.text(min_size=1, max_size=3), max_size=8), max_size=8))
def test_round_trip_and_first_appearance(sequences: list[list[str]]) -> None:
    vocab = Vocabulary.from_sequences(sequences)
    flat = [s for seq in sequences for s in seq]
    assert set(vocab.symbols) == set(flat)
    assert sorted(vocab.symbols, key=flat.index) == list(vocab.symbols)
    for seq in sequences:
        assert vocab.decode(vocab.encode(seq)) == seq
