"""Padding and masking: many sequences of different lengths become one time-major batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class Batch:
    """Sequences of symbol ids, padded to a common length, laid out time-major.

    A sequence ``s_0 … s_{L-1}`` contributes ``L - 1`` predictions: at step ``t`` the
    input is ``s_t`` and the target is ``s_{t+1}``.  Padding positions hold id 0 and
    are ``False`` in ``mask``; they never touch the loss or the gradients.
    """

    inputs: np.ndarray  # (T, B) int64
    targets: np.ndarray  # (T, B) int64
    mask: np.ndarray  # (T, B) bool
    lengths: np.ndarray  # (B,) int64, predictions per sequence (= tokens - 1)

    @property
    def steps(self) -> int:
        return int(self.inputs.shape[0])

    @property
    def size(self) -> int:
        return int(self.inputs.shape[1])

    @property
    def n_tokens(self) -> int:
        """Number of real (unmasked) predictions."""
        return int(self.lengths.sum())

    @cached_property
    def rows(self) -> np.ndarray:
        """Flat (t·B + b) indices of the real predictions, computed once per batch."""
        return np.flatnonzero(self.mask)

    @cached_property
    def row_targets(self) -> np.ndarray:
        """Target ids at :attr:`rows`."""
        return self.targets.reshape(-1)[self.rows]


def make_batch(sequences: Sequence[np.ndarray]) -> Batch:
    """Pad 1-D id arrays (each at least two symbols long) into one :class:`Batch`."""
    if not sequences:
        raise ValueError("a batch needs at least one sequence")
    lengths = np.array([len(s) - 1 for s in sequences], dtype=np.int64)  # (B,)
    if lengths.min() < 1:
        raise ValueError("every sequence needs at least two symbols to predict one")
    steps, size = int(lengths.max()), len(sequences)
    inputs = np.zeros((steps, size), dtype=np.int64)  # (T, B)
    targets = np.zeros((steps, size), dtype=np.int64)  # (T, B)
    for b, seq in enumerate(sequences):
        ids = np.asarray(seq, dtype=np.int64)
        inputs[: len(ids) - 1, b] = ids[:-1]
        targets[: len(ids) - 1, b] = ids[1:]
    mask = np.arange(steps)[:, None] < lengths[None, :]  # (T, B)
    return Batch(inputs=inputs, targets=targets, mask=mask, lengths=lengths)
