"""Which predictions in a data set are determined by what came before.

A network reads a line from its start, so the most it can know when predicting
symbol ``t + 1`` is the prefix ``s_0 … s_t``.  If that prefix is followed by
different symbols in different places, no model can be right every time there;
if it is always followed by the same symbol, a model with enough memory can reach
100%.  The presets are designed so that every prediction is determined, and the
engine's tests check "100% accuracy where determined" with :func:`prefix_determined`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np

Symbols = Sequence[Hashable] | np.ndarray
"""One sequence: symbol strings, or an id array."""


def _walk(sequences: Sequence[Symbols]) -> tuple[list[list[int]], list[Counter[object]]]:
    """Build a prefix tree; return each sequence's node path and each node's next symbols.

    ``paths[k][t]`` is the node for prefix ``seq[: t + 1]``; a tree rather than a dict of
    prefix tuples keeps this linear in the number of symbols.
    """
    children: dict[tuple[int, object], int] = {}
    following: list[Counter[object]] = [Counter()]  # node 0 is the empty prefix
    paths: list[list[int]] = []
    for seq in sequences:
        symbols = seq.tolist() if isinstance(seq, np.ndarray) else list(seq)
        node, path = 0, []
        for t, sym in enumerate(symbols):
            child = children.get((node, sym))
            if child is None:
                child = children[(node, sym)] = len(following)
                following.append(Counter())
            if t + 1 < len(symbols):
                following[child][symbols[t + 1]] += 1
            node = child
            path.append(node)
        paths.append(path)
    return paths, following


def prefix_determined(sequences: Sequence[Symbols]) -> list[np.ndarray]:
    """For each sequence, a ``bool`` array over its predictions (length ``len - 1``).

    Entry ``t`` is ``True`` when the prefix ``seq[: t + 1]`` is followed by the same
    next symbol everywhere it starts a line in ``sequences``.  Works on symbol
    strings or id arrays alike.
    """
    paths, following = _walk(sequences)
    return [
        np.array([len(following[node]) == 1 for node in path[:-1]], dtype=bool) for path in paths
    ]


def best_possible_accuracy(sequences: Sequence[Symbols]) -> float:
    """The next-symbol accuracy of a perfect model that sees whole prefixes.

    Where a prefix has several continuations the best guess is the most frequent one;
    1.0 means every prediction is determined.  ``nan`` when there is nothing to predict.
    """
    _, following = _walk(sequences)
    total = sum(c.total() for c in following)
    if total == 0:
        return float("nan")
    return sum(max(c.values()) for c in following if c) / total
