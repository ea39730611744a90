"""What crosses from the training thread to the window: frozen copies, never live arrays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.trainer import EpochReport


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
) -> SequenceView:
    """Forward ``ids`` (one sequence, ≥ 2 symbols) and copy out every step's values."""
    ids = np.asarray(ids, dtype=np.int64)
    trace = network.forward(params, ids[:-1, None])  # (T, 1): predict each next symbol
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
    )


METRICS = ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy")
"""The per-epoch numbers the curves plot, in the order of :func:`report_columns`."""


def report_columns(reports: Sequence[EpochReport]) -> dict[str, np.ndarray]:
    """:data:`METRICS` of ``reports`` as read-only float64 arrays, one value per report.

    A missing validation value is NaN, and so is a non-finite one (a diverged epoch):
    a gap in a curve instead of an axis stretched to infinity.
    """
    n = len(reports)

    def column(values: Iterable[float | None]) -> np.ndarray:
        a = np.fromiter((np.nan if v is None else v for v in values), np.float64, count=n)
        a[~np.isfinite(a)] = np.nan
        a.flags.writeable = False
        return a

    return {
        "epoch": column(r.epoch for r in reports),
        "train_loss": column(r.train_loss for r in reports),
        "val_loss": column(r.val_loss for r in reports),
        "train_accuracy": column(r.train_accuracy for r in reports),
        "val_accuracy": column(r.val_accuracy for r in reports),
    }


@dataclass(frozen=True, eq=False)
class Frame:
    """One throttled update for the window.

    ``reports`` are the epochs finished since the previous frame (oldest first), and
    ``metrics`` the same epochs as arrays (:func:`report_columns`), built where the
    frame is built (the worker thread), so the window appends them without touching
    the reports one by one.  ``view`` is the selected sequence at the latest weights
    (None if no data).  ``replaces_history`` is True when ``reports`` is the whole
    history (a project was loaded or the model reset): clear the curves instead of
    appending.
    """

    reports: tuple[EpochReport, ...]
    epoch: int
    view: SequenceView | None
    running: bool
    replaces_history: bool = False
    metrics: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.metrics:  # frozen: set once, here
            object.__setattr__(self, "metrics", report_columns(self.reports))
