"""The vocabulary: which symbols exist and the integer id of each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.data.errors import DataError
from app.engine.text import quoted

_SHOWN_SYMBOLS = 20  # how much of a long vocabulary an error message lists


class UnknownSymbolError(DataError):
    """A symbol is not in the vocabulary; ``unknown`` holds the offending symbols."""

    def __init__(self, unknown: Sequence[str], vocabulary: Vocabulary) -> None:
        self.unknown = tuple(unknown)
        what = "symbol" if len(self.unknown) == 1 else "symbols"
        names = ", ".join(quoted(s) for s in self.unknown[:_SHOWN_SYMBOLS])
        if len(self.unknown) > _SHOWN_SYMBOLS:
            names += f", … ({len(self.unknown) - _SHOWN_SYMBOLS} more)"
        super().__init__(f"unknown {what} {names}; the vocabulary is {vocabulary.describe()}")


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, immutable set of symbols; a symbol's id is its position.

    :meth:`from_sequences` orders symbols by first appearance in the text.  That is
    stable (the same text always gives the same ids), needs no sorting rule for mixed
    scripts or punctuation, and reads naturally in the UI: the dinner text lists
    pizza, sushi, waffles in the order the roommate cooks them.

    Parameters
    ----------
    symbols
        Distinct, non-empty strings.
    """

    symbols: tuple[str, ...]
    _ids: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        symbols = tuple(self.symbols)
        for s in symbols:
            if not isinstance(s, str) or not s:
                raise DataError(f"a symbol must be a non-empty string, got {quoted(s)}")
        ids = {s: i for i, s in enumerate(symbols)}
        if len(ids) != len(symbols):
            dups = [s for s, n in Counter(symbols).items() if n > 1]
            raise DataError(f"repeated symbol(s) in vocabulary: {', '.join(map(repr, dups))}")
        # Frozen: set the derived look-up table the one sanctioned way.
        object.__setattr__(self, "symbols", symbols)
        object.__setattr__(self, "_ids", ids)

    @classmethod
    def from_sequences(cls, sequences: Iterable[Iterable[str]]) -> Vocabulary:
        """Every distinct symbol of ``sequences``, in order of first appearance."""
        # dict keeps insertion order: a cheap ordered set.
        seen: dict[str, None] = {}
        for seq in sequences:
            for sym in seq:
                seen.setdefault(sym, None)
        return cls(tuple(seen))

    def __len__(self) -> int:
        return len(self.symbols)

    def __iter__(self) -> Iterator[str]:
        return iter(self.symbols)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._ids

    def index(self, symbol: str) -> int:
        """The id of ``symbol``; raises :class:`UnknownSymbolError` if it is not known."""
        try:
            return self._ids[symbol]
        except KeyError:
            raise UnknownSymbolError([symbol], self) from None

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Symbol ids as a 1-D ``int64`` array.

        Raises
        ------
        UnknownSymbolError
            Naming every unknown symbol once, in order of appearance.
        """
        tokens = list(tokens)
        try:
            ids = map(self._ids.__getitem__, tokens)  # C-level look-ups: millions per second
            return np.fromiter(ids, dtype=np.int64, count=len(tokens))
        except KeyError:
            unknown = dict.fromkeys(t for t in tokens if t not in self._ids)
            raise UnknownSymbolError(list(unknown), self) from None

    def decode(self, ids: Iterable[int] | np.ndarray) -> list[str]:
        """The symbols for ``ids``; raises :class:`DataError` for an id out of range."""
        values = np.asarray(ids).ravel().tolist()
        n = len(self.symbols)
        bad = [i for i in values if not isinstance(i, int) or not 0 <= i < n]
        if bad:
            # Negative ids would silently wrap around in Python indexing: refuse them.
            raise DataError(f"symbol id(s) out of range 0…{n - 1}: {bad[:_SHOWN_SYMBOLS]}")
        return [self.symbols[i] for i in values]

    def describe(self) -> str:
        """A short human-readable listing, truncated for long vocabularies."""
        if not self.symbols:
            return "empty"
        shown = ", ".join(quoted(s) for s in self.symbols[:_SHOWN_SYMBOLS])
        if len(self.symbols) > _SHOWN_SYMBOLS:
            shown += f", … ({len(self.symbols)} symbols in all)"
        return f"[{shown}]"
