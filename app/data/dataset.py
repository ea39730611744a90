"""A checked, encoded training text, and the train/validation split by sequence."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.data.checks import analyse
from app.data.errors import DataError
from app.data.tokenize import TokenizerSpec
from app.data.vocab import Vocabulary
from app.engine.text import quoted


@dataclass(frozen=True, eq=False)  # eq=False: tuples of arrays have no truth value
class SequenceData:
    """The learner's text as symbol sequences, one per non-blank line, and their ids.

    Build it with :meth:`from_text`.  The id arrays are read-only, so the object can
    be shared between threads and batches without copying.

    Attributes
    ----------
    spec
        The tokenizer that produced ``tokens``.
    tokens
        The symbols of each sequence (each at least two long).
    line_numbers
        The 1-based line in the original text each sequence came from.
    vocabulary
        The symbols and their ids.
    ids
        One 1-D ``int64`` array of ids per sequence, ready for ``make_batch``.
    """

    spec: TokenizerSpec
    tokens: tuple[tuple[str, ...], ...]
    line_numbers: tuple[int, ...]
    vocabulary: Vocabulary
    ids: tuple[np.ndarray, ...]

    @classmethod
    def from_text(
        cls, text: str, spec: TokenizerSpec, vocabulary: Vocabulary | None = None
    ) -> SequenceData:
        """Tokenize, check and encode ``text``.

        Parameters
        ----------
        text
            One sequence per line; blank lines are skipped.
        spec
            How lines become symbols.
        vocabulary
            Encode with this vocabulary (e.g. a trained model's) instead of building
            one from the text in order of first appearance.

        Raises
        ------
        DataError
            On the first error :func:`app.data.checks.check_text` would report, with
            its line number; :class:`~app.data.vocab.UnknownSymbolError` if a given
            ``vocabulary`` lacks a symbol of the text.
        """
        analysis = analyse(text, spec)
        errors = analysis.errors
        if errors:
            n_more = len(errors) - 1 + analysis.omitted_errors
            more = f" (and {n_more:,} more error(s))" if n_more else ""
            raise DataError(f"{errors[0]}{more}")
        vocab = Vocabulary.from_sequences(analysis.tokens) if vocabulary is None else vocabulary
        ids = tuple(_read_only(vocab.encode(seq)) for seq in analysis.tokens)
        return cls(spec, analysis.tokens, analysis.lines, vocab, ids)

    @property
    def n_sequences(self) -> int:
        return len(self.tokens)

    @property
    def n_tokens(self) -> int:
        """Symbols in all sequences."""
        return sum(len(t) for t in self.tokens)

    @property
    def n_predictions(self) -> int:
        """Next-symbol predictions per epoch: each sequence gives its length minus one."""
        return self.n_tokens - self.n_sequences


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
