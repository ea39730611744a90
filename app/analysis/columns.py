"""The per-epoch numbers the curves plot, as NumPy columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

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
