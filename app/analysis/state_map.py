"""The numbers behind the state map: hidden states of chosen lines at an epoch, projected.

No widgets here.  All chosen sequences run through the snapshot's weights in one
padded batch (a step's state depends only on the steps before it, so padding after a
sequence's end changes none of its states); their states are stacked and projected
onto the two principal components of the fit epoch's states (by default the same
epoch).

A map is bounded whatever the text: at most :data:`MAX_LINES` lines and
:func:`point_budget` points (each line then cut to its first steps, the same number for
every line; :attr:`MapPoints.lines_cut` and :attr:`MapPoints.steps_cut` say so).  The
batch runs in chunks of steps, so memory stays small for 10,000-step lines and a
4,096-symbol read-out, and ``should_stop`` is asked between chunks: a map nobody will
look at any more stops early (:class:`Stopped`).  Only the likeliest next symbol and
its probability are kept, never the ``(P, V)`` probabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.analysis.pca import Pca, fit_pca
from app.analysis.sequence_view import snapshot_params
from app.data.dataset import SequenceData
from app.engine.finite import nonfinite_weights
from app.engine.network import Network
from app.engine.snapshots import Snapshot

MAX_DEFAULT = 20
"""Lines shown when nothing was chosen: the first 20 (a map of 500 lines is a hairball)."""
MAX_LINES = 500
"""Lines drawn at most; beyond, the first 500 ticked."""
MAX_POINTS = 5_000
"""Points drawn at most; beyond, each line is cut to its first steps."""
MIN_POINTS = 500
MAX_WORK = 2_000_000_000
"""Multiply-adds a map may take (about a second): a wide network over a big vocabulary
(``H·(4H + V)`` per point) gets fewer points, never fewer than :data:`MIN_POINTS`."""
_CHUNK_VALUES = 1 << 21  # values a forward chunk holds per array (T·B·max(4H, V)): ~16 MB

StopCheck = Callable[[], bool]


class Stopped(Exception):
    """``should_stop`` said yes: the map is no longer wanted."""


class MapError(ValueError):
    """The map cannot be drawn from these weights; the message says why, in words."""


@dataclass(frozen=True, eq=False)
class MapPoints:
    """Every step of the chosen lines as a point of the map, in line order then step order.

    ``sequence[i]`` is the line's index in the data (``line[i]`` its line number in the
    text), ``step[i]`` the step (0-based),
    ``symbol[i]`` the id of the symbol read at that step, ``predicted[i]`` the likeliest
    next symbol and ``confidence[i]`` its probability; ``coords`` is ``(P, 2)``.
    ``spans[k]`` is ``(start, stop)`` of chosen line ``k`` in those arrays.
    ``lines_cut`` is how many ticked lines were left out (0: none), ``steps_cut`` the
    steps kept per line when lines were cut short (None: whole lines), ``budget`` the
    most points this network's map shows (:func:`point_budget`).
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
    lines_cut: int = 0
    steps_cut: int | None = None
    budget: int = MAX_POINTS


@dataclass(frozen=True, eq=False)
class States:
    """Stacked hidden states ``(P, H)``; the likeliest next symbol and its probability."""

    hidden: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    sequence: np.ndarray
    step: np.ndarray
    symbol: np.ndarray
    spans: tuple[tuple[int, int], ...]
    lines_cut: int = 0
    steps_cut: int | None = None


def default_selection(n_sequences: int) -> list[int]:
    return list(range(min(n_sequences, MAX_DEFAULT)))


def step_limit(lengths: Sequence[int], budget: int = MAX_POINTS) -> int | None:
    """The most steps per line that keep ``Σ min(length, limit) ≤ budget`` (at least 1);
    None when every line fits whole."""
    n = np.sort(np.asarray(lengths, dtype=np.int64))
    if int(n.sum()) <= budget:
        return None
    # With the k shortest lines whole, the rest share what is left equally.
    kept = np.concatenate([[0], np.cumsum(n)[:-1]])  # (L,) steps of the lines shorter than n[k]
    share = (budget - kept) // (len(n) - np.arange(len(n)))  # (L,)
    fits = share < n  # the first line that cannot be whole sets the limit
    return max(1, int(share[np.argmax(fits)]))


def point_budget(network: Network) -> int:
    """The most points a map of this network shows (see :data:`MAX_WORK`)."""
    H, V = network.config.hidden_size, network.config.vocab_size
    return max(MIN_POINTS, min(MAX_POINTS, MAX_WORK // (H * (4 * H + V))))


def map_work(network: Network, data: SequenceData, indices: Sequence[int]) -> int:
    """Roughly how many multiply-adds a map of ``indices`` takes (to decide where to run it)."""
    lengths = [len(data.ids[i]) - 1 for i in indices[:MAX_LINES]]
    limit = step_limit(lengths, point_budget(network))
    points = sum(lengths) if limit is None else sum(min(n, limit) for n in lengths)
    H, V = network.config.hidden_size, network.config.vocab_size
    return points * H * (4 * H + V) + min(points, H) ** 2 * max(points, H)


def unusable(network: Network, snapshot: Snapshot) -> str | None:
    """Why the snapshot's weights cannot be mapped (NaN or infinite values), else None."""
    return nonfinite_weights(snapshot.weights, network.shapes)


def states_at(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    indices: Sequence[int],
    should_stop: StopCheck | None = None,
) -> States:
    """The hidden state after every step of sequences ``indices`` at ``snapshot``.

    Raises :class:`MapError` for weights or states that are not finite numbers and
    :class:`Stopped` when ``should_stop()`` turns true.
    """
    why = unusable(network, snapshot)
    if why is not None:
        raise MapError(why)
    chosen = list(indices[:MAX_LINES])
    ids = [data.ids[i] for i in chosen]
    full = [len(s) - 1 for s in ids]  # steps: all but the last symbol
    limit = step_limit(full, point_budget(network))
    lengths = np.array([n if limit is None else min(n, limit) for n in full], dtype=np.int64)
    T, B = int(lengths.max(initial=0)), len(ids)
    inputs = np.zeros((T, B), dtype=np.int64)  # (T, B)
    for b, s in enumerate(ids):
        inputs[: lengths[b], b] = s[: lengths[b]]
    params = snapshot_params(network, snapshot)
    H, V = network.config.hidden_size, network.config.vocab_size
    hidden = np.empty((T, B, H))  # (T, B, H)
    predicted = np.empty((T, B), dtype=np.int64)
    confidence = np.empty((T, B))
    chunk = max(1, _CHUNK_VALUES // max(1, B * max(4 * H, V)))
    state = None
    for t in range(0, T, chunk):
        if should_stop is not None and should_stop():
            raise Stopped
        trace = network.forward(params, inputs[t : t + chunk], state)
        state = trace.final_state
        hidden[t : t + chunk] = trace.hidden
        predicted[t : t + chunk] = trace.probs.argmax(axis=2)
        confidence[t : t + chunk] = trace.probs.max(axis=2)
    stops = np.cumsum(lengths)
    spans = tuple((int(stop - n), int(stop)) for stop, n in zip(stops, lengths, strict=True))
    states = States(
        hidden=np.concatenate([hidden[: lengths[b], b] for b in range(B)]),  # (P, H)
        predicted=np.concatenate([predicted[: lengths[b], b] for b in range(B)]),
        confidence=np.concatenate([confidence[: lengths[b], b] for b in range(B)]),
        sequence=np.repeat(np.asarray(chosen, dtype=np.int64), lengths),
        step=np.concatenate([np.arange(n) for n in lengths]),
        symbol=np.concatenate([inputs[: lengths[b], b] for b in range(B)]),
        spans=spans,
        lines_cut=len(indices) - len(chosen),
        steps_cut=limit,
    )
    if not (np.isfinite(states.hidden).all() and np.isfinite(states.confidence).all()):
        raise MapError("the hidden states or predictions are not finite numbers")
    return states


def state_map(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    indices: Sequence[int],
    axes: tuple[int, Pca] | None = None,
    should_stop: StopCheck | None = None,
) -> MapPoints | None:
    """The map of ``indices`` at ``snapshot``; None when no line is chosen.

    ``axes`` is ``(fit epoch, projection)`` to reuse; by default the projection is
    fitted to the states it shows.  Raises :class:`MapError` or :class:`Stopped`
    (see :func:`states_at`).
    """
    if not indices:
        return None
    states = states_at(network, snapshot, data, indices, should_stop)
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
        predicted=states.predicted,
        confidence=states.confidence,
        explained=pca.explained_variance_ratio,
        spans=states.spans,
        lines_cut=states.lines_cut,
        steps_cut=states.steps_cut,
        budget=point_budget(network),
    )


def fit_axes(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    indices: Sequence[int],
    should_stop: StopCheck | None = None,
) -> tuple[int, Pca] | None:
    """The projection of ``indices``' states at ``snapshot``, to keep while training."""
    if not indices:
        return None
    states = states_at(network, snapshot, data, indices, should_stop)
    return snapshot.epoch, fit_pca(states.hidden, k=2)


def map_with_axes(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    indices: Sequence[int],
    axes: tuple[int, Pca] | None = None,
    fit_snapshot: Snapshot | None = None,
    should_stop: StopCheck | None = None,
) -> tuple[MapPoints | None, tuple[int, Pca] | None]:
    """The map and the kept axes it was drawn on, in one call (for a worker thread).

    With ``axes`` None and a ``fit_snapshot``, the kept axes are fitted to it first;
    with neither, the map is fitted to itself (and the axes returned are None).
    """
    if axes is None and fit_snapshot is not None:
        axes = fit_axes(network, fit_snapshot, data, indices, should_stop)
    return state_map(network, snapshot, data, indices, axes, should_stop), axes
