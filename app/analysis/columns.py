"""The per-epoch numbers the curves plot, as NumPy columns.

The window keeps one :class:`MetricColumns` per model, next to its history of reports
(the training controller's session); every curve of that model draws from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from app.engine import history
from app.engine.trainer import EpochReport

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


class MetricColumns:
    """The plotted numbers of every epoch so far (:data:`METRICS`), in growing arrays.

    Capacity doubles when full, so a long run costs O(1) amortised per epoch and the
    plots get views (``column``) rather than lists converted again every frame.  Past
    ``limit`` epochs (the trainer's history capacity) the older ones are thinned like
    the trainer's history (first, last and multiples of a doubling stride), so memory
    stays bounded however long training runs.  ``revision`` changes whenever stored
    epochs change (cleared, rewound, thinned), so a plot drawing them knows to start
    afresh; appending leaves it alone.
    """

    def __init__(self, capacity: int = 1024, limit: int | None = None) -> None:
        self._capacity = max(int(capacity), 1)
        self.limit = history.HISTORY_CAPACITY if limit is None else max(int(limit), 2)
        self.stride = 1
        self.revision = 0
        self._size = 0
        self._data = {name: np.empty(self._capacity) for name in METRICS}
        self._finite = dict.fromkeys(METRICS, False)

    @classmethod
    def of(cls, reports: Sequence[EpochReport]) -> MetricColumns:
        columns = cls()
        columns.append(reports)
        return columns

    def __len__(self) -> int:
        return self._size

    @property
    def capacity(self) -> int:
        return self._capacity

    def clear(self) -> None:
        self.revision += 1
        self._size = 0
        self.stride = 1
        self._finite = dict.fromkeys(METRICS, False)

    def column(self, name: str) -> np.ndarray:
        """A read-only view of the first ``len(self)`` values of column ``name``."""
        view = self._data[name][: self._size]
        view.flags.writeable = False
        return view

    def last(self, name: str) -> float:
        return float(self._data[name][self._size - 1]) if self._size else float("nan")

    def has_values(self, name: str) -> bool:
        """Whether any epoch has a (finite) value in ``name``, e.g. validation at all."""
        return self._finite[name]

    def append(self, reports: Sequence[EpochReport]) -> None:
        """Add ``reports`` (oldest first); see :meth:`append_columns`."""
        if reports:
            self.append_columns(report_columns(reports))

    def append_columns(self, new: Mapping[str, np.ndarray]) -> int:
        """Add epochs given as columns (:func:`report_columns`, e.g. ``Frame.metrics``).

        An epoch at or before the last one stored means training was rewound (a reset
        or a reload that the caller did not announce): the stored epochs from there on
        are dropped, so ``epoch`` stays strictly increasing, which the curves' clipping
        to the view relies on.  Returns how many stored epochs were kept as they were
        (the index where the new ones start; 0 when the history was thinned).
        """
        k = len(new["epoch"])
        if not k:
            return self._size
        first = new["epoch"][0]
        if self._size and first <= self._data["epoch"][self._size - 1]:
            self.revision += 1
            self._size = int(np.searchsorted(self.column("epoch"), first, side="left"))
            self._finite = {n: bool(np.isfinite(self.column(n)).any()) for n in METRICS}
        kept = self._size
        self._reserve(self._size + k)
        for name in METRICS:
            values = np.asarray(new[name], dtype=np.float64)
            values = np.where(np.isfinite(values), values, np.nan)  # inf: a gap too
            self._data[name][self._size : self._size + k] = values
            if not self._finite[name]:
                self._finite[name] = bool(np.isfinite(values).any())
        self._size += k
        if self._size > self.limit:
            self._thin()
            return 0
        return kept

    def _thin(self) -> None:
        self.revision += 1
        epochs = self._data["epoch"][: self._size]
        keep, self.stride = history.thinned(epochs, self.stride, self.limit)
        n = int(np.count_nonzero(keep))
        for name in METRICS:
            self._data[name][:n] = self._data[name][: self._size][keep]
        self._size = n

    def _reserve(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = self._capacity
        while capacity < needed:
            capacity *= 2
        for name in METRICS:
            grown = np.empty(capacity)
            grown[: self._size] = self._data[name][: self._size]
            self._data[name] = grown
        self._capacity = capacity
