"""The numbers behind the state map: hidden states of chosen lines at an epoch, projected.

No widgets here.  All chosen sequences run through the snapshot's weights in one
padded batch (a step's state depends only on the steps before it, so padding after a
sequence's end changes none of its states); their states are stacked and projected
onto the two principal components of the fit epoch's states (by default the same
epoch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.analysis.pca import Pca, fit_pca
from app.analysis.sequence_view import snapshot_params
from app.data.dataset import SequenceData
from app.engine.network import Network
from app.engine.snapshots import Snapshot

MAX_DEFAULT = 20
"""Lines shown when nothing was chosen: the first 20 (a map of 500 lines is a hairball)."""


@dataclass(frozen=True, eq=False)
class MapPoints:
    """Every step of the chosen lines as a point of the map, in line order then step order.

    ``sequence[i]`` is the line's index in the data (``line[i]`` its line number in the
    text), ``step[i]`` the step (0-based),
    ``symbol[i]`` the id of the symbol read at that step, ``predicted[i]`` the likeliest
    next symbol and ``confidence[i]`` its probability; ``coords`` is ``(P, 2)``.
    ``spans[k]`` is ``(start, stop)`` of chosen line ``k`` in those arrays.
    """

    epoch: int
    fit_epoch: int
    vocabulary: tuple[str, ...]
    coords: np.ndarray
    sequence: np.ndarray
    line: np.ndarray
    step: np.ndarray
    symbol: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    explained: np.ndarray
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, eq=False)
class States:
    """Stacked hidden states ``(P, H)`` and next-symbol probabilities ``(P, V)``."""

    hidden: np.ndarray
    probs: np.ndarray
    sequence: np.ndarray
    step: np.ndarray
    symbol: np.ndarray
    spans: tuple[tuple[int, int], ...]


def default_selection(n_sequences: int) -> list[int]:
    return list(range(min(n_sequences, MAX_DEFAULT)))


def states_at(
    network: Network, snapshot: Snapshot, data: SequenceData, indices: Sequence[int]
) -> States:
    """The hidden state after every step of sequences ``indices`` at ``snapshot``."""
    ids = [data.ids[i] for i in indices]
    lengths = np.array([len(s) - 1 for s in ids], dtype=np.int64)  # steps: all but the last
    inputs = np.zeros((int(lengths.max(initial=0)), len(ids)), dtype=np.int64)  # (T, B)
    for b, s in enumerate(ids):
        inputs[: lengths[b], b] = s[:-1]
    trace = network.forward(snapshot_params(network, snapshot), inputs)
    hidden = [trace.hidden[: lengths[b], b] for b in range(len(ids))]  # each (T_b, H)
    probs = [trace.probs[: lengths[b], b] for b in range(len(ids))]  # each (T_b, V)
    stops = np.cumsum(lengths)
    spans = tuple((int(stop - n), int(stop)) for stop, n in zip(stops, lengths, strict=True))
    return States(
        hidden=np.concatenate(hidden).astype(np.float64),
        probs=np.concatenate(probs).astype(np.float64),
        sequence=np.repeat(np.asarray(indices, dtype=np.int64), lengths),
        step=np.concatenate([np.arange(n) for n in lengths]),
        symbol=np.concatenate([inputs[: lengths[b], b] for b in range(len(ids))]),
        spans=spans,
    )


def state_map(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    indices: Sequence[int],
    axes: tuple[int, Pca] | None = None,
) -> MapPoints | None:
    """The map of ``indices`` at ``snapshot``; None when no line is chosen.

    ``axes`` is ``(fit epoch, projection)`` to reuse; by default the projection is
    fitted to the states it shows.
    """
    if not indices:
        return None
    states = states_at(network, snapshot, data, indices)
    if axes is None:
        fit_epoch, pca = snapshot.epoch, fit_pca(states.hidden, k=2)
    else:
        fit_epoch, pca = axes
    return MapPoints(
        epoch=snapshot.epoch,
        fit_epoch=fit_epoch,
        vocabulary=data.vocabulary.symbols,
        coords=pca.transform(states.hidden),
        sequence=states.sequence,
        line=np.asarray(data.line_numbers, dtype=np.int64)[states.sequence],
        step=states.step,
        symbol=states.symbol,
        predicted=states.probs.argmax(axis=1),
        confidence=states.probs.max(axis=1),
        explained=pca.explained_variance_ratio,
        spans=states.spans,
    )


def fit_axes(
    network: Network, snapshot: Snapshot, data: SequenceData, indices: Sequence[int]
) -> tuple[int, Pca] | None:
    """The projection of ``indices``' states at ``snapshot``, to keep while training."""
    if not indices:
        return None
    return snapshot.epoch, fit_pca(states_at(network, snapshot, data, indices).hidden, k=2)
