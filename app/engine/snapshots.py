"""Epoch snapshots (weights + metrics) kept for comparing epochs, in bounded memory.

Policy
------
Snapshot 0 holds the initial weights.  While fewer than ``capacity`` snapshots are
stored, every epoch is kept.  When the store overflows, the *stride* doubles and
every snapshot whose epoch is not a multiple of the new stride is dropped — except
the **first** (epoch 0), the **last** (most recent) and the **best** (lowest
validation loss, or training loss without a validation split).  From then on a
new epoch is kept only if it is a multiple of the stride, though the most recent
epoch is always kept as "last" until the next one replaces it.  Thinning repeats
until the store fits, so it never holds more than ``capacity`` snapshots (at least
3: first, best and last are never dropped), and its epochs stay spread evenly over
the whole run: 1, 2, 3, … early on, then 2, 4, 6, …, then 4, 8, 12, ….

``capacity`` defaults to what fits in ``budget_bytes`` (16 MB — snapshots are saved in
the project file too, so this also bounds its size), clamped to 3…500: memory stays
within the budget unless three snapshots alone exceed it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

DEFAULT_BUDGET_BYTES = 16 * 2**20
MIN_CAPACITY, MAX_CAPACITY = 3, 500


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    weights: np.ndarray  # flat copy of the parameter buffer
    metrics: dict[str, float] = field(default_factory=dict)


def capacity_for(n_params: int, itemsize: int, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> int:
    per = max(n_params * itemsize, 1)
    return int(min(MAX_CAPACITY, max(MIN_CAPACITY, budget_bytes // per)))


class SnapshotStore:
    """Snapshots by epoch, thinned as described in the module docstring.

    Safe to read from one thread while another trains: every method takes a lock, and
    a :class:`Snapshot`'s weights are read-only, so a snapshot handed out stays valid.
    """

    def __init__(self, capacity: int, stride: int = 1):
        if capacity < 3:
            raise ValueError("capacity must be at least 3 (first, best and last)")
        self.capacity = capacity
        self.stride = stride
        self._items: dict[int, Snapshot] = {}
        self.best_epoch: int | None = None
        self._best_score = float("inf")
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, epoch: object) -> bool:
        with self._lock:
            return epoch in self._items

    def epochs(self) -> list[int]:
        with self._lock:
            return sorted(self._items)

    def snapshots(self) -> list[Snapshot]:
        """Every stored snapshot, oldest first, taken atomically."""
        with self._lock:
            return [self._items[e] for e in sorted(self._items)]

    def get(self, epoch: int) -> Snapshot:
        with self._lock:
            return self._items[epoch]

    def nearest(self, epoch: int) -> Snapshot:
        """The stored snapshot closest to ``epoch`` (ties go to the earlier one)."""
        with self._lock:
            if not self._items:
                raise KeyError("no snapshots stored")
            best = min(self._items, key=lambda e: (abs(e - epoch), e))
            return self._items[best]

    @property
    def nbytes(self) -> int:
        with self._lock:
            return sum(s.weights.nbytes for s in self._items.values())

    def add(self, epoch: int, weights: np.ndarray, metrics: dict[str, float], score: float) -> None:
        """Store a copy of ``weights`` for ``epoch``; ``score`` (lower = better) picks the best."""
        frozen = weights.copy()
        frozen.flags.writeable = False
        with self._lock:
            self._add(epoch, frozen, metrics, score)

    def _add(
        self, epoch: int, weights: np.ndarray, metrics: dict[str, float], score: float
    ) -> None:
        previous_last = max(self._items) if self._items else None
        self._items[epoch] = Snapshot(epoch, weights, {**metrics, "score": float(score)})
        if np.isfinite(score) and score < self._best_score:
            self._best_score, self.best_epoch = float(score), epoch
        if previous_last is not None and not self._keep(previous_last, latest=epoch):
            del self._items[previous_last]
        while len(self._items) > self.capacity:
            self.stride *= 2
            for e in list(self._items):
                if not self._keep(e, latest=epoch):
                    del self._items[e]

    def _keep(self, epoch: int, latest: int) -> bool:
        first = min(self._items)
        return epoch in (first, latest, self.best_epoch) or epoch % self.stride == 0

    def restore(self, snapshots: list[Snapshot], stride: int, best_epoch: int | None) -> None:
        """Refill from a saved project (the trainer's exact state)."""
        for snapshot in snapshots:
            snapshot.weights.flags.writeable = False
        with self._lock:
            self._restore(snapshots, stride, best_epoch)

    def _restore(self, snapshots: list[Snapshot], stride: int, best_epoch: int | None) -> None:
        self._items = {s.epoch: s for s in snapshots}
        self.stride = stride
        self.best_epoch = best_epoch
        best = self._items.get(best_epoch) if best_epoch is not None else None
        self._best_score = best.metrics.get("score", float("inf")) if best else float("inf")
