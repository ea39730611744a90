"""The per-epoch reports a trainer keeps, in bounded memory for runs of any length.

Every epoch is kept until there are :data:`HISTORY_CAPACITY` reports (a report is
~0.4 KB; a small network can finish 1 500 epochs a second, ~2 GB an hour).  Then, as
with snapshots, the *stride* doubles and only the **first** report, the **last** one
and those whose epoch is a multiple of the stride stay: the curves keep their shape
over the whole run, 2, 4, 8 … epochs apart, and memory and project files stay bounded.

The rule depends only on the reports, not on how they were added (one by one or in
batches), so two copies fed the same epochs — the trainer's in a training process and
the window's from its frames — stay identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

import numpy as np

HISTORY_CAPACITY = 200_000
"""Reports kept at most (more than the 100 000 epochs the plots are built to show)."""


def thinned(epochs: np.ndarray, stride: int, capacity: int) -> tuple[np.ndarray, int]:
    """Which of ``epochs`` (increasing) stay, and the stride then: all of them if they
    fit in ``capacity``, else the first, the last and the multiples of ``stride``
    doubled until they fit.  The one rule for the reports here and the plotted columns.
    """
    keep = np.ones(len(epochs), dtype=bool)
    while np.count_nonzero(keep) > capacity:
        stride *= 2
        keep = epochs % stride == 0
        keep[0] = keep[-1] = True
    return keep, stride


class _HasEpoch(Protocol):
    @property
    def epoch(self) -> int: ...


R = TypeVar("R", bound=_HasEpoch)


class History(list[R]):
    """A list of reports (oldest first, epochs increasing) thinned past ``capacity``.

    Add with :meth:`add` / :meth:`add_all`; everything else is a list's.  ``capacity``
    defaults to :data:`HISTORY_CAPACITY` as it is when the history is made.
    """

    def __init__(
        self, reports: Iterable[R] = (), capacity: int | None = None, stride: int = 1
    ) -> None:
        super().__init__(reports)
        capacity = HISTORY_CAPACITY if capacity is None else capacity
        if capacity < 2:
            raise ValueError("a history keeps at least its first and last reports")
        self.capacity = capacity
        self.stride = stride
        self._thin()

    def copy(self) -> History[R]:
        return History(self, self.capacity, self.stride)

    def add(self, report: R) -> None:
        """Append ``report`` (a later epoch than the last)."""
        if len(self) > 1 and not self._kept(self[-1].epoch):
            self[-1] = report  # the previous last was kept only for being last
        else:
            self.append(report)
        self._thin()

    def add_all(self, reports: Iterable[R]) -> None:
        for report in reports:
            self.add(report)

    def _kept(self, epoch: int) -> bool:
        return epoch % self.stride == 0

    def _thin(self) -> None:
        if len(self) > self.capacity:
            epochs = np.fromiter((r.epoch for r in self), np.int64, count=len(self))
            keep, self.stride = thinned(epochs, self.stride, self.capacity)
            self[:] = [r for r, kept in zip(self, keep, strict=True) if kept]
