"""A checked, encoded training text, and the train/validation split by sequence."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from app.data.checks import analyse
from app.data.errors import DataError
from app.data.tokenize import SequenceMode, TokenizerSpec, check_mode
from app.data.vocab import Vocabulary
from app.engine.text import quoted

EXCERPT_SYMBOLS = 64
"""In stream mode, the views' "sequences" are excerpts of whole lines up to this long."""
DEFAULT_STREAM_WINDOW = 64
"""The truncation window a stream trains with unless told otherwise (char-rnn's 50–100)."""


@dataclass(frozen=True, eq=False)  # eq=False: tuples of arrays have no truth value
class SequenceData:
    """The learner's text as symbol sequences, one per non-blank line, and their ids.

    Build it with :meth:`from_text`.  The id arrays are read-only, so the object can
    be shared between threads and batches without copying.

    In ``"stream"`` mode the whole text is one sequence, :attr:`stream`, in which every
    line break is the symbol :data:`~app.data.tokenize.NEWLINE`.  ``tokens``, ``ids``
    and ``line_numbers`` then describe *excerpts* of it for the views: consecutive whole
    lines (each with its line break) of up to :data:`EXCERPT_SYMBOLS` symbols, a longer
    line cut into pieces that long, none shorter than two symbols.  Together they are
    the stream, in order, without overlap.

    Attributes
    ----------
    spec
        The tokenizer that produced ``tokens``.
    tokens
        The symbols of each sequence (each at least two long).
    line_numbers
        The 1-based line in the original text each sequence came from (where it starts).
    vocabulary
        The symbols and their ids.
    ids
        One 1-D ``int64`` array of ids per sequence, ready for ``make_batch``.
    mode
        ``"lines"`` or ``"stream"``.
    stream
        Stream mode: every id of the text, one read-only ``int64`` array; else None.
    excerpt_starts
        Stream mode: the offset in :attr:`stream` where each excerpt starts; else None.
    """

    spec: TokenizerSpec
    tokens: tuple[tuple[str, ...], ...]
    line_numbers: tuple[int, ...]
    vocabulary: Vocabulary
    ids: tuple[np.ndarray, ...]
    mode: SequenceMode = "lines"
    stream: np.ndarray | None = None
    excerpt_starts: np.ndarray | None = None

    @classmethod
    def from_text(
        cls,
        text: str,
        spec: TokenizerSpec,
        vocabulary: Vocabulary | None = None,
        mode: SequenceMode = "lines",
    ) -> SequenceData:
        """Tokenize, check and encode ``text``.

        Parameters
        ----------
        text
            One sequence per line (blank lines are skipped), or in ``"stream"`` mode one
            sequence in all, each line break a symbol.
        spec
            How lines become symbols.
        vocabulary
            Encode with this vocabulary (e.g. a trained model's) instead of building
            one from the text in order of first appearance.
        mode
            ``"lines"`` or ``"stream"``.

        Raises
        ------
        DataError
            On the first error :func:`app.data.checks.check_text` would report, with
            its line number; :class:`~app.data.vocab.UnknownSymbolError` if a given
            ``vocabulary`` lacks a symbol of the text.
        """
        analysis = analyse(text, spec, check_mode(mode))
        errors = analysis.errors
        if errors:
            n_more = len(errors) - 1 + analysis.omitted_errors
            more = f" (and {n_more:,} more error(s))" if n_more else ""
            raise DataError(f"{errors[0]}{more}")
        if mode == "stream":
            return cls._stream(spec, analysis.tokens, analysis.lines, vocabulary)
        vocab = Vocabulary.from_sequences(analysis.tokens) if vocabulary is None else vocabulary
        ids = tuple(_read_only(vocab.encode(seq)) for seq in analysis.tokens)
        return cls(spec, analysis.tokens, analysis.lines, vocab, ids)

    @classmethod
    def _stream(
        cls,
        spec: TokenizerSpec,
        pieces: tuple[tuple[str, ...], ...],
        lines: tuple[int, ...],
        vocabulary: Vocabulary | None,
    ) -> SequenceData:
        """The stream of ``pieces`` (one per line, with its line break) and its excerpts."""
        symbols = [t for piece in pieces for t in piece]
        # In order of first appearance, as Vocabulary.from_sequences (in C: a big text).
        vocab = Vocabulary(tuple(dict.fromkeys(symbols))) if vocabulary is None else vocabulary
        stream = _read_only(vocab.encode(symbols))
        piece_starts = np.cumsum([0, *(len(p) for p in pieces[:-1])]).tolist()
        starts = excerpt_starts(piece_starts, len(symbols))
        ends = [*starts[1:], len(symbols)]
        tokens = tuple(tuple(symbols[a:b]) for a, b in zip(starts, ends, strict=True))
        ids = tuple(stream[a:b] for a, b in zip(starts, ends, strict=True))
        numbers = tuple(lines[bisect.bisect_right(piece_starts, a) - 1] for a in starts)
        return cls(spec, tokens, numbers, vocab, ids, "stream", stream,
                   _read_only(np.array(starts, dtype=np.int64)))  # fmt: skip

    @property
    def n_sequences(self) -> int:
        """Sequences (in stream mode: excerpts)."""
        return len(self.tokens)

    @property
    def n_tokens(self) -> int:
        """Symbols in all sequences."""
        if self.stream is not None:
            return len(self.stream)
        return sum(len(t) for t in self.tokens)

    @property
    def n_predictions(self) -> int:
        """Next-symbol predictions per epoch: each sequence gives its length minus one."""
        if self.stream is not None:
            return len(self.stream) - 1
        return self.n_tokens - self.n_sequences


def excerpt_starts(line_starts: list[int], n: int, size: int = EXCERPT_SYMBOLS) -> list[int]:
    """Where the excerpts of a stream of ``n`` symbols start, given where its lines start.

    Greedy: each excerpt ends at the last line start that keeps it at most ``size``
    symbols and at least two, or after ``size`` symbols if no line start does (a long
    line is cut).  A last excerpt of one symbol joins the one before.

    >>> excerpt_starts([0, 3, 5, 20], 29, size=8)  # the last, 28…29, joins 20…28
    [0, 5, 13, 20]
    """
    starts: list[int] = []
    s = 0
    while s < n:
        starts.append(s)
        limit = s + size
        if limit >= n:
            break
        k = bisect.bisect_right(line_starts, limit) - 1
        s = line_starts[k] if k >= 0 and line_starts[k] >= s + 2 else limit
    if len(starts) > 1 and n - starts[-1] < 2:
        starts.pop()
    return starts


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def split_validation(
    n_sequences: int, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Hold out whole sequences for validation; returns ``(train_idx, val_idx)``.

    ``round(fraction * n_sequences)`` sequences, rounding halves up, are drawn at
    random with ``rng`` and held out, clamped to ``1 … n_sequences - 1`` so that with
    ``fraction > 0`` and two or more sequences both sides are non-empty.  With
    ``fraction == 0`` or fewer than two sequences everything trains, nothing is held
    out, and ``rng`` is left untouched.  Both index arrays are sorted ``int64``, so
    training still meets the sequences in text order until the trainer shuffles.

    Raises
    ------
    DataError
        If ``fraction`` is not in ``[0, 1)`` or ``n_sequences`` is negative.
    """
    if isinstance(n_sequences, bool) or not isinstance(n_sequences, int | np.integer):
        raise DataError(f"the number of sequences must be an integer, got {quoted(n_sequences)}")
    if n_sequences < 0:
        raise DataError(f"the number of sequences cannot be negative, got {n_sequences}")
    if not (isinstance(fraction, int | float) and 0 <= fraction < 1):
        raise DataError(f"the validation fraction must be in [0, 1), got {quoted(fraction)}")
    everything = np.arange(n_sequences, dtype=np.int64)
    if fraction == 0 or n_sequences < 2:
        return everything, np.empty(0, dtype=np.int64)
    # floor(x + 0.5), not round(): Python's round() sends 2.5 to 2 (bankers' rounding).
    n_val = min(max(math.floor(fraction * n_sequences + 0.5), 1), n_sequences - 1)
    held_out = np.zeros(n_sequences, dtype=bool)
    held_out[rng.permutation(n_sequences)[:n_val]] = True
    return everything[~held_out], everything[held_out]


def stream_cut(n_symbols: int, fraction: float) -> int:
    """Where a stream of ``n_symbols`` splits: symbols before it train, the rest validate.

    The last ``round(fraction * n_symbols)`` symbols (halves up, as
    :func:`split_validation`) are held out, clamped so that both parts keep at least two
    symbols; with ``fraction == 0`` or a stream too short for that, nothing is held out
    and the cut is ``n_symbols``.
    """
    if not (isinstance(fraction, int | float) and 0 <= fraction < 1):
        raise DataError(f"the validation fraction must be in [0, 1), got {quoted(fraction)}")
    if fraction == 0 or n_symbols < 4:
        return max(n_symbols, 0)
    n_val = min(max(math.floor(fraction * n_symbols + 0.5), 2), n_symbols - 2)
    return n_symbols - n_val
