"""Epoch history as growing NumPy columns: appending is O(new) amortised."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from app.engine.trainer import EpochReport

COLUMNS = ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy")


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """inf becomes NaN: a gap in the curve instead of an axis stretched to infinity."""
    values[~np.isfinite(values)] = np.nan
    return values


def report_columns(reports: Sequence[EpochReport]) -> dict[str, np.ndarray]:
    """The plotted fields of ``reports`` as float64 arrays (missing validation is NaN)."""
    n = len(reports)

    def col(values: Iterable[float]) -> np.ndarray:
        return np.fromiter(values, dtype=np.float64, count=n)

    nan = float("nan")
    return {
        "epoch": col(r.epoch for r in reports),
        "train_loss": _finite_or_nan(col(r.train_loss for r in reports)),
        "val_loss": _finite_or_nan(col(nan if r.val_loss is None else r.val_loss for r in reports)),
        "train_accuracy": _finite_or_nan(col(r.train_accuracy for r in reports)),
        "val_accuracy": _finite_or_nan(
            col(nan if r.val_accuracy is None else r.val_accuracy for r in reports)
        ),
    }


class EpochHistory:
    """The plotted columns of every epoch so far, in preallocated arrays.

    Capacity doubles when full, so a long run costs O(1) amortised per epoch and the
    plots get views (``column``) rather than lists converted again every frame.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._capacity = max(int(capacity), 1)
        self._size = 0
        self._data = {name: np.empty(self._capacity) for name in COLUMNS}

    def __len__(self) -> int:
        return self._size

    @property
    def capacity(self) -> int:
        return self._capacity

    def clear(self) -> None:
        self._size = 0

    def column(self, name: str) -> np.ndarray:
        """A read-only view of the first ``len(self)`` values of column ``name``."""
        view = self._data[name][: self._size]
        view.flags.writeable = False
        return view

    def last(self, name: str) -> float:
        return float(self._data[name][self._size - 1]) if self._size else float("nan")

    def has_values(self, name: str) -> bool:
        """Whether any epoch has a (finite) value in ``name``, e.g. validation at all."""
        return bool(np.isfinite(self.column(name)).any()) if self._size else False

    def append(self, reports: Sequence[EpochReport]) -> None:
        """Add ``reports`` (oldest first).

        A report for an epoch at or before the last one stored means training was
        rewound (a reset or a reload that the caller did not announce): the stored
        epochs from there on are dropped, so ``epoch`` stays strictly increasing, which
        pyqtgraph's clip-to-view relies on.
        """
        if not reports:
            return
        new = report_columns(reports)
        first = new["epoch"][0]
        if self._size and first <= self._data["epoch"][self._size - 1]:
            self._size = int(np.searchsorted(self.column("epoch"), first, side="left"))
        k = len(reports)
        self._reserve(self._size + k)
        for name in COLUMNS:
            self._data[name][self._size : self._size + k] = new[name]
        self._size += k

    def _reserve(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        capacity = self._capacity
        while capacity < needed:
            capacity *= 2
        for name in COLUMNS:
            grown = np.empty(capacity)
            grown[: self._size] = self._data[name][: self._size]
            self._data[name] = grown
        self._capacity = capacity
