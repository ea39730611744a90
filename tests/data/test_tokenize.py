"""Tokenizers: words with punctuation, characters, literal separators, line handling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.data.errors import DataError
from app.data.tokenize import (
    CHARS,
    WORDS,
    TokenizerSpec,
    iter_numbered,
    split_lines,
    tokenize_line,
    tokenize_text,
)

SEP_COMMA = TokenizerSpec("sep", ",")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Doug saw Jane.", ["Doug", "saw", "Jane", "."]),
        ("Jane saw Spot.Spot", ["Jane", "saw", "Spot", ".", "Spot"]),
        ("pizza  sushi\twaffles", ["pizza", "sushi", "waffles"]),
        ("Hi!? ok;a:b,c", ["Hi", "!", "?", "ok", ";", "a", ":", "b", ",", "c"]),
        ("  spaced out  ", ["spaced", "out"]),
        ("3.14", ["3", ".", "14"]),  # documented: every '.' is a symbol
        ("café au lait", ["café", "au", "lait"]),
        ("a\u00a0b", ["a", "b"]),  # a no-break space is whitespace too
        ("", []),
    ],
)
def test_words(line: str, expected: list[str]) -> None:
    assert tokenize_line(line, WORDS) == expected


def test_words_normalises_unicode() -> None:
    # "é" typed as e + combining accent is the same symbol as the precomposed "é".
    assert tokenize_line("cafe\u0301 café", WORDS) == ["café", "café"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ab c", ["a", "b", " ", "c"]),
        ("  ab  ", ["a", "b"]),  # whitespace at the ends is dropped
        ("a, b!", ["a", ",", " ", "b", "!"]),
        ("ab\r\n", ["a", "b"]),
        ("héllo", ["h", "é", "l", "l", "o"]),
        ("a🙂b", ["a", "🙂", "b"]),
        ("a\tb", ["a", "\t", "b"]),
    ],
)
def test_chars(line: str, expected: list[str]) -> None:
    assert tokenize_line(line, CHARS) == expected


@pytest.mark.parametrize(
    ("spec", "line", "expected"),
    [
        (SEP_COMMA, "a, b,,c ,", ["a", "b", "c"]),
        (SEP_COMMA, "New York, Boston", ["New York", "Boston"]),
        (TokenizerSpec("sep", " -> "), "a -> b -> c", ["a", "b", "c"]),
        (TokenizerSpec("sep", ":"), "x:y", ["x", "y"]),
        (TokenizerSpec("sep", "|"), " | | ", []),
        (SEP_COMMA, "C4, D4", ["C4", "D4"]),
    ],
)
def test_sep(spec: TokenizerSpec, line: str, expected: list[str]) -> None:
    assert tokenize_line(line, spec) == expected


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("words", WORDS),
        ("chars", CHARS),
        ("sep:,", SEP_COMMA),
        ("sep: ", TokenizerSpec("sep", " ")),
        ("sep::", TokenizerSpec("sep", ":")),
        ("sep:;;", TokenizerSpec("sep", ";;")),
    ],
)
def test_parse_and_to_string_round_trip(text: str, spec: TokenizerSpec) -> None:
    assert TokenizerSpec.parse(text) == spec
    assert spec.to_string() == text


def test_parse_is_lenient_about_the_kind_only() -> None:
    assert TokenizerSpec.parse(" Words ") == WORDS
    assert TokenizerSpec.parse("CHARS") == CHARS
    assert TokenizerSpec.parse("SEP: ,") == TokenizerSpec("sep", " ,")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "unknown tokenizer"),
        ("word", "unknown tokenizer 'word'"),
        ("sep", "no separator"),
        ("sep:", "no separator"),
        ("words:x", "takes no"),
        ("chars:", "takes no"),
        ("sep:a\nb", "line break"),
    ],
)
def test_parse_rejects_bad_strings(text: str, fragment: str) -> None:
    with pytest.raises(DataError, match=fragment):
        TokenizerSpec.parse(text)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(DataError):
        TokenizerSpec.parse(None)  # type: ignore[arg-type]


def test_spec_validates_itself() -> None:
    with pytest.raises(DataError):
        TokenizerSpec("sep", "")
    with pytest.raises(DataError):
        TokenizerSpec("words", ",")
    with pytest.raises(DataError):
        TokenizerSpec("bytes")  # type: ignore[arg-type]


def test_text_one_sequence_per_line_blank_lines_skipped() -> None:
    text = "pizza sushi\n\n   \nwaffles pizza\n"
    assert tokenize_text(text, WORDS) == [["pizza", "sushi"], ["waffles", "pizza"]]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_newline_convention(newline: str) -> None:
    text = newline.join(["ab", "", "cd", ""])
    assert tokenize_text(text, CHARS) == [["a", "b"], ["c", "d"]]
    assert [n for n, _ in iter_numbered(text, CHARS)] == [1, 3]


def test_empty_text() -> None:
    assert tokenize_text("", WORDS) == []
    assert tokenize_text(" \n\t\n", CHARS) == []


def test_line_of_only_separators_is_kept_empty_by_iter_numbered() -> None:
    text = "a,b\n,,\nc,d"
    assert list(iter_numbered(text, SEP_COMMA)) == [(1, ["a", "b"]), (2, []), (3, ["c", "d"])]
    assert tokenize_text(text, SEP_COMMA) == [["a", "b"], ["c", "d"]]


def test_split_lines_keeps_empty_lines_for_numbering() -> None:
    assert split_lines("a\r\n\rb\n") == ["a", "", "b", ""]


_line = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"))


@given(_line)
def test_words_never_contain_whitespace_and_lose_nothing(line: str) -> None:
    tokens = tokenize_line(line, WORDS)
    assert all(t and not any(c.isspace() for c in t) for t in tokens)
    assert all(len(t) == 1 for t in tokens if set(t) & set(".,!?;:"))


@given(_line)
def test_chars_rebuild_the_stripped_line(line: str) -> None:
    import unicodedata

    assert "".join(tokenize_line(line, CHARS)) == unicodedata.normalize("NFC", line).strip()


@given(_line, st.text(st.characters(exclude_characters="\r\n"), min_size=1, max_size=3))
def test_sep_tokens_are_trimmed_and_non_empty(line: str, separator: str) -> None:
    spec = TokenizerSpec("sep", separator)
    assert TokenizerSpec.parse(spec.to_string()) == spec
    for t in tokenize_line(line, spec):
        assert t and t == t.strip()
