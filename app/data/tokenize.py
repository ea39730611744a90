"""Turning typed text into sequences of symbols: one sequence per line.

Three tokenizers, named by the strings a project file stores:

``"words"``
    Split on whitespace; each of ``. , ! ? ; :`` is a symbol of its own, so
    ``"Doug saw Jane."`` gives ``["Doug", "saw", "Jane", "."]``.
``"chars"``
    Every character is a symbol, spaces inside the line included.  Whitespace at
    the *ends* of a line is dropped: it is invisible in an editor, and a stray
    trailing space would otherwise become a symbol the learner never meant to type.
``"sep:X"``
    Split on the literal separator ``X`` (e.g. ``"sep:,"``); whitespace around each
    symbol is dropped and empty symbols (``"a,,b"``) are skipped.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (like Python's universal newlines),
so line numbers agree with what an editor shows.  Every line is NFC-normalised first,
so an ``é`` typed as one code point or as ``e`` + combining accent is the same symbol.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

from app.data.errors import DataError
from app.engine.text import quoted

TokenizerKind = Literal["words", "chars", "sep"]
TOKENIZER_KINDS: tuple[TokenizerKind, ...] = ("words", "chars", "sep")

PUNCTUATION = ".,!?;:"
"""Characters the words tokenizer splits off as symbols of their own."""

# A punctuation mark alone, or a run of anything that is neither space nor punctuation.
_WORD_RE = re.compile(rf"[{re.escape(PUNCTUATION)}]|[^\s{re.escape(PUNCTUATION)}]+")
NEWLINE = "\n"
"""The symbol a line break becomes in stream mode (shown as ``⏎``: :func:`display_symbol`)."""

SequenceMode = Literal["lines", "stream"]
SEQUENCE_MODES: tuple[SequenceMode, ...] = ("lines", "stream")
"""How a text becomes sequences: one per line, or the whole text as one stream."""


def check_mode(mode: object) -> SequenceMode:
    """``mode`` if it names a way to read a text; else a :class:`DataError` saying the choices."""
    if isinstance(mode, str) and mode in SEQUENCE_MODES:
        return cast(SequenceMode, mode)
    raise DataError(f"unknown sequences {quoted(mode)}: use 'lines' or 'stream'")


_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_SPACE_RE = re.compile(r"\s")
_SLICE = 2**16  # characters tokenised at a time when a line is only counted


@dataclass(frozen=True)
class TokenizerSpec:
    """How a line of text becomes symbols.

    Parameters
    ----------
    kind
        ``"words"``, ``"chars"`` or ``"sep"``.
    separator
        The literal separator for ``"sep"`` (non-empty, no line breaks); must be
        empty for the other kinds.
    """

    kind: TokenizerKind = "words"
    separator: str = ""

    def __post_init__(self) -> None:
        if self.kind not in TOKENIZER_KINDS:
            raise DataError(
                f"unknown tokenizer {quoted(self.kind)}: use one of 'words', 'chars' or 'sep:X'"
            )
        if self.kind == "sep":
            if not self.separator:
                raise DataError("the 'sep' tokenizer needs a separator, e.g. 'sep:,'")
            if "\n" in self.separator or "\r" in self.separator:
                raise DataError("a separator cannot contain a line break: each line is a sequence")
        elif self.separator:
            raise DataError(f"the {self.kind!r} tokenizer takes no separator")

    def to_string(self) -> str:
        """The stored form: ``"words"``, ``"chars"`` or ``"sep:X"``."""
        return f"sep:{self.separator}" if self.kind == "sep" else self.kind

    @classmethod
    def parse(cls, text: str) -> TokenizerSpec:
        """Read the stored form back; inverse of :meth:`to_string`.

        The kind is case-insensitive and may carry surrounding spaces (``" Words "``),
        but everything after ``"sep:"`` is taken literally, so ``"sep: "`` splits on a
        space and ``"sep::"`` on a colon.

        Raises
        ------
        DataError
            If the string names no tokenizer or ``"sep:"`` has no separator.
        """
        if not isinstance(text, str):
            raise DataError(f"a tokenizer is given as a string, got {quoted(text)}")
        head, colon, rest = text.partition(":")
        kind = head.strip().lower()
        if kind == "sep":
            if not colon or not rest:
                raise DataError(
                    f"tokenizer {quoted(text)} has no separator: write it after the colon, "
                    "e.g. 'sep:,'"
                )
            return cls("sep", rest)
        if kind in ("words", "chars"):
            if colon:
                raise DataError(
                    f"tokenizer {quoted(text)}: {quoted(kind)} takes no ':' or separator"
                )
            return cls("words") if kind == "words" else cls("chars")
        raise DataError(f"unknown tokenizer {quoted(text)}: use one of 'words', 'chars' or 'sep:X'")


WORDS = TokenizerSpec("words")
CHARS = TokenizerSpec("chars")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line endings (``\\n``, ``\\r\\n`` or ``\\r``)."""
    return _NEWLINE_RE.split(text)


def tokenize_line(line: str, spec: TokenizerSpec) -> list[str]:
    """The symbols of one line (no line breaks inside); ``[]`` for a blank line.

    Examples
    --------
    >>> tokenize_line("Jane saw Spot.Spot", WORDS)
    ['Jane', 'saw', 'Spot', '.', 'Spot']
    >>> tokenize_line(" a b ", CHARS)
    ['a', ' ', 'b']
    """
    # Tolerate a line that still carries its ending, e.g. read with readline().
    line = unicodedata.normalize("NFC", line.rstrip("\r\n"))
    if spec.kind == "words":
        return _WORD_RE.findall(line)
    if spec.kind == "chars":
        return list(line.strip())
    separator = unicodedata.normalize("NFC", spec.separator)  # as the line, or it never matches
    return [t for t in (part.strip() for part in line.split(separator)) if t]


def tokenize_stream_line(line: str, spec: TokenizerSpec, last: bool = False) -> list[str]:
    """The symbols of one line of a stream (its line break not included).

    As :func:`tokenize_line`, except that with characters the spaces and tabs that start
    a line are symbols: in a stream they are the text's indentation (a poem's, a code
    file's), which the network should learn to write.  Whitespace that ends a line is
    invisible and dropped — unless ``last``: a prompt that ends in a space stops
    mid-line, and what comes next depends on that space.

    >>> tokenize_stream_line("  if x: ", CHARS)
    [' ', ' ', 'i', 'f', ' ', 'x', ':']
    """
    if spec.kind != "chars":
        return tokenize_line(line, spec)
    line = unicodedata.normalize("NFC", line.rstrip("\r\n"))
    return list(line if last else line.rstrip())


def stream_tokens(text: str, spec: TokenizerSpec) -> list[str]:
    """A prompt read like a stream: the symbols of each line, a :data:`NEWLINE` for each
    line break (typed, or written ``⏎``); spaces at the prompt's very end are kept with
    characters (:func:`tokenize_stream_line`)."""
    lines = split_lines(text.replace("⏎", "\n"))
    tokens: list[str] = []
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        tokens += tokenize_stream_line(line, spec, last)
        if not last:
            tokens.append(NEWLINE)
    return tokens


def count_symbols(line: str, spec: TokenizerSpec) -> int:
    """``len(tokenize_line(line, spec))`` without building the list (a line may be huge).

    Words and separated symbols are counted a slice of ~64 K characters at a time, cut
    where no symbol can straddle the cut (at whitespace, at a separator).
    """
    line = unicodedata.normalize("NFC", line.rstrip("\r\n"))
    if spec.kind == "chars":
        return len(line.strip())
    separator = unicodedata.normalize("NFC", spec.separator)
    n = start = 0
    while start < len(line):
        if spec.kind == "words":
            cut = _SPACE_RE.search(line, start + _SLICE)
            end = len(line) if cut is None else cut.start()
            n += len(_WORD_RE.findall(line, start, end))
            start = end + 1
        else:
            found = line.find(separator, start + _SLICE)
            end = len(line) if found < 0 else found
            n += sum(1 for part in line[start:end].split(separator) if part.strip())
            start = end + len(separator)
    return n


def count_lines(text: str) -> int:
    """How many lines :func:`split_lines` would give, counted without splitting."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line_number, line)`` for every non-blank line; line numbers start at 1.

    Lazy: a text of millions of lines is never held as a list of them.
    """
    number = start = 0
    for number, end in enumerate(_NEWLINE_RE.finditer(text), start=1):
        line = text[start : end.start()]
        start = end.end()
        if line.strip():
            yield number, line
    if text[start:].strip():  # the last line, which has no line ending
        yield number + 1, text[start:]


def iter_numbered(text: str, spec: TokenizerSpec) -> Iterator[tuple[int, list[str]]]:
    """``(line_number, symbols)`` for every non-blank line; line numbers start at 1.

    A line that is not blank but yields no symbols (``",,"`` with ``"sep:,"``) is
    included with an empty list, so callers can tell the learner about it.
    """
    for number, line in enumerate(split_lines(text), start=1):
        if line.strip():
            yield number, tokenize_line(line, spec)


def tokenize_text(text: str, spec: TokenizerSpec) -> list[list[str]]:
    """One list of symbols per non-blank line of ``text``.

    Blank and whitespace-only lines are skipped, as are lines with no symbols at all;
    line numbers are lost here, use :func:`iter_numbered` to keep them.
    """
    return [tokens for _, tokens in iter_numbered(text, spec) if tokens]


def display_symbol(symbol: str) -> str:
    """A symbol as it should appear on an axis: spaces and line breaks made visible."""
    return {" ": "␣", "\n": "⏎", "\t": "⇥", "": "∅"}.get(symbol, symbol)
