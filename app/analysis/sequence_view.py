"""One sequence run through the network: every step's gates, memory and predictions.

:func:`make_sequence_view` runs given weights; :func:`view_at` runs a stored epoch's
snapshot, never the live model, so views of past epochs work while training runs and
after a project is reopened.  Both raise
:class:`~app.analysis.usable.UnusableWeights` for weights nothing can be computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.analysis.usable import check_predictions, check_weights
from app.data.dataset import SequenceData
from app.engine.inference import trace_sequence
from app.engine.intervene import Intervention
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.snapshots import Snapshot


@dataclass(frozen=True, eq=False)
class SequenceView:
    """One sequence run through the network at one epoch, ready to plot.

    The sequence ``tokens`` has ``T + 1`` symbols: step ``t`` reads ``tokens[t]`` and
    predicts ``tokens[t + 1]``.  ``gates[name]``, ``hidden`` and ``cell`` are ``(T, H)``
    (values after step ``t``); ``probs`` is ``(T, V)`` aligned with ``vocabulary``.
    Gate names are the engine's: LSTM ``forget``, ``input`` (ignore), ``output``
    (select), ``candidate`` (possibilities); GRU ``reset``, ``update``, ``candidate``;
    the vanilla RNN has none.
    """

    index: int
    epoch: int
    kind: str
    tokens: tuple[str, ...]
    vocabulary: tuple[str, ...]
    gates: dict[str, np.ndarray]
    hidden: np.ndarray
    cell: np.ndarray | None
    probs: np.ndarray
    noun: str = "sequence"  # what the views call it: "excerpt" of a text read as a stream

    @property
    def steps(self) -> int:
        return int(self.probs.shape[0])

    @property
    def targets(self) -> tuple[str, ...]:
        """The true next symbol at every step."""
        return self.tokens[1:]

    @property
    def predicted(self) -> tuple[str, ...]:
        """The most likely next symbol at every step."""
        return tuple(self.vocabulary[k] for k in self.probs.argmax(axis=1))

    @property
    def correct(self) -> np.ndarray:
        """``(T,)`` bool: was the most likely symbol the true one?"""
        return np.array([p == t for p, t in zip(self.predicted, self.targets, strict=True)])


def make_sequence_view(
    network: Network,
    params: ParamSet,
    ids: np.ndarray,
    tokens: tuple[str, ...],
    vocabulary: tuple[str, ...],
    index: int,
    epoch: int,
    intervention: Intervention | None = None,
    noun: str = "sequence",
) -> SequenceView:
    """Forward ``ids`` (one sequence, ≥ 2 symbols) and copy out every step's values.

    With an ``intervention`` (:mod:`app.engine.intervene`) the run is experimented on;
    the weights are never changed.  ``noun``: what the views call the sequence
    (:func:`noun_of`).
    """
    ids = np.asarray(ids, dtype=np.int64)
    if intervention is None or intervention.is_empty:
        trace = network.forward(params, ids[:-1, None])  # (T, 1): predict each next symbol
    else:
        trace = trace_sequence(network, params, ids[:-1], intervention)
    return SequenceView(
        index=index,
        epoch=epoch,
        kind=trace.kind,
        tokens=tuple(tokens),
        vocabulary=tuple(vocabulary),
        gates={name: g[:, 0].copy() for name, g in trace.gates.items()},
        hidden=trace.hidden[:, 0].copy(),
        cell=None if trace.cell is None else trace.cell[:, 0].copy(),
        probs=trace.probs[:, 0].astype(np.float64),
        noun=noun,
    )


def noun_of(data: SequenceData) -> str:
    """``"excerpt"`` for a text read as one stream (its views show excerpts), else
    ``"sequence"``."""
    return "sequence" if data.stream is None else "excerpt"


def snapshot_params(network: Network, snapshot: Snapshot) -> ParamSet:
    """The snapshot's weights as named arrays (a copy; the snapshot stays read-only).

    Raises :class:`~app.analysis.usable.UnusableWeights` when they hold NaN or infinities.
    """
    check_weights(snapshot.weights, network.shapes, snapshot.epoch)
    return ParamSet(network.shapes, network.dtype, snapshot.weights.astype(network.dtype))


def view_at(
    network: Network,
    snapshot: Snapshot,
    data: SequenceData,
    index: int,
    intervention: Intervention | None = None,
) -> SequenceView:
    """Sequence ``index`` (clamped to the data) run through the snapshot's weights,
    with ``intervention`` applied when given.

    Raises :class:`~app.analysis.usable.UnusableWeights` when the weights hold NaN or
    infinities, or give NaN predictions.
    """
    i = max(0, min(int(index), data.n_sequences - 1))
    params = snapshot_params(network, snapshot)
    vocabulary = data.vocabulary.symbols
    view = make_sequence_view(
        network,
        params,
        data.ids[i],
        data.tokens[i],
        vocabulary,
        i,
        snapshot.epoch,
        intervention,
        noun_of(data),
    )
    check_predictions(view.probs, snapshot.epoch)
    return view
