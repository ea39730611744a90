"""The loss inside long epochs: one point per progress report, kept for the loss plot.

A report of epoch ``e`` lies at ``x = (e − 1) + updates / updates_in_epoch`` (epochs,
fractional), with the loss and accuracy averaged over the epoch's updates so far.  At
the epoch's end that average *is* the epoch's training loss, so each epoch's points
run into the point its report draws at ``x = e``: the curve never jumps.  Epochs that
take under a second send no reports (:data:`~app.training.process.LIVE_AFTER_S`) and
leave nothing here.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from app.engine.trainer import Progress

MAX_POINTS: Final = 20_000
"""Beyond this, every other point of the finished epochs goes (hours of minute-long
epochs stay a few hundred kilobytes, and cheap to draw)."""


class EpochTrace:
    """Progress reports as columns (oldest first): ``x``, ``loss``, ``accuracy``, ``epoch``."""

    def __init__(self) -> None:
        self._x = np.empty(256)
        self._loss = np.empty(256)
        self._accuracy = np.empty(256)
        self._epoch = np.empty(256, dtype=np.int64)
        self._n = 0
        self.latest: Progress | None = None  # the newest report

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._n]

    @property
    def loss(self) -> np.ndarray:
        return self._loss[: self._n]

    @property
    def accuracy(self) -> np.ndarray:
        return self._accuracy[: self._n]

    @property
    def epoch(self) -> np.ndarray:
        return self._epoch[: self._n]

    def connect(self) -> np.ndarray:
        """For a line through the points: True where a point joins the next (same epoch)."""
        e = self.epoch
        return np.append(e[1:] == e[:-1], False) if len(e) else np.zeros(0, dtype=bool)

    def add(self, progress: Progress) -> None:
        """One more report; points at or past its place (from before a rewind) go."""
        x = progress.epoch - 1 + progress.updates / max(progress.updates_in_epoch, 1)
        self._n = int(np.searchsorted(self.x, x, side="left"))
        if self._n == MAX_POINTS:
            self._thin(progress.epoch)
        if self._n == len(self._x):
            for name in ("_x", "_loss", "_accuracy", "_epoch"):
                old = getattr(self, name)
                grown = np.empty(2 * len(old), dtype=old.dtype)
                grown[: self._n] = old[: self._n]
                setattr(self, name, grown)
        i = self._n
        self._x[i], self._epoch[i] = x, progress.epoch
        self._loss[i], self._accuracy[i] = progress.train_loss, progress.train_accuracy
        self._n += 1
        self.latest = progress

    def clear(self) -> None:
        self._n = 0
        self.latest = None

    def drop_after(self, epoch: int) -> None:
        """Keep only the finished epochs up to ``epoch`` (the model went back there)."""
        self._n = int(np.searchsorted(self.epoch, epoch, side="right"))
        if self.latest is not None and self.latest.epoch > epoch:
            self.latest = None

    def _thin(self, current: int) -> None:
        """Every other point of the epochs before ``current`` goes (the last of each stays)."""
        e = self.epoch
        last_of_epoch = np.append(e[1:] != e[:-1], True)
        even = np.arange(self._n) % 2 == 0
        keep = (e >= current) | last_of_epoch | even
        if keep.sum() >= MAX_POINTS:  # one epoch of over an hour: thin it too
            keep = last_of_epoch | even
        n = int(keep.sum())
        for column in (self._x, self._loss, self._accuracy, self._epoch):
            column[:n] = column[: self._n][keep]
        self._n = n
