"""An epoch's order of sequences in which each batch holds lines of similar length.

A batch is padded to its longest line: with lines of 2 to 80 symbols in random batches,
most of the work is padding.  Bucketing shuffles as usual, then sorts the lines by
length inside windows of :data:`WINDOW_BATCHES` batches, cuts each window into batches
and shuffles the order of the batches: every line still comes once per epoch, in
batches that change from epoch to epoch, but each batch spans a narrow range of lengths.
"""

from __future__ import annotations

import numpy as np

WINDOW_BATCHES = 50
"""Batches per sorting window: wide enough to find lines of like length, narrow enough
that which lines meet in a batch still changes every epoch."""


def bucketed_order(
    lengths: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    window_batches: int = WINDOW_BATCHES,
) -> np.ndarray:
    """A permutation of ``range(len(lengths))`` to be cut into ``batch_size`` slices.

    Only ``rng`` decides it (two permutations per call): the same generator state gives
    the same order.  When the count is not a multiple of ``batch_size`` the short batch
    comes last, so every slice but the last is a full batch, as without bucketing.
    """
    lengths = np.asarray(lengths)
    n = len(lengths)
    order = rng.permutation(n)
    window = window_batches * batch_size
    for start in range(0, n, window):
        chunk = order[start : start + window]
        chunk[...] = chunk[np.argsort(lengths[chunk], kind="stable")]
    n_full = n // batch_size
    full = order[: n_full * batch_size].reshape(n_full, batch_size)
    shuffled = full[rng.permutation(n_full)].reshape(-1)
    return np.concatenate([shuffled, order[n_full * batch_size :]])


def padding_fraction(lengths: np.ndarray, order: np.ndarray, batch_size: int) -> float:
    """The share of a padded epoch's steps that are padding, batches cut from ``order``."""
    lengths = np.asarray(lengths)
    padded = real = 0
    for start in range(0, len(order), batch_size):
        batch = lengths[order[start : start + batch_size]]
        padded += int(batch.max()) * len(batch)
        real += int(batch.sum())
    return 1 - real / padded if padded else 0.0
