"""Min/max envelopes of a growing series, so a long curve draws as a few points per pixel.

Drawing 100,000 epochs point by point costs far more than the ~2 points per pixel a
screen can show.  An :class:`Envelope` keeps, for every level ``k ≥ 1``, the minimum
and maximum of each complete block of ``2**k`` values, and extends them as values
arrive: O(new values) per append, amortised.  :meth:`Envelope.decimate` then draws any
stretch of the series from the coarsest level that still has about one block per
pixel: each block as its minimum and maximum (the same picture as pyqtgraph's "peak"
downsampling), followed by the raw values after the last complete block, so the newest
epochs are always drawn exactly.

Why not pyqtgraph's ``setDownsampling(auto=True, method="peak")`` with
``setClipToView(True)``: it re-scans every point of every curve on every frame, and on
a log axis takes log10 of all of them first.  Measured with ``bench/bench_plots.py``
(commit d3ff244, CPU ms per frame of an 800 × 400 ``LossPlot``, p50 / p95, 5 new
epochs a frame, the view following): on a log axis, 100,000 epochs cost 9.5 / 12.2
with the library's downsampling (and these round-step ranges), 12.7 / 14.1 at
199,000 (the history's capacity), against 4.9 / 5.5 and 4.2 / 4.9 here; the frame
budget is well under 10.  The library also leaves out the last block it cannot fill:
up to one block per pixel of the newest epochs (~140 at 100,000) are not drawn.
"""

from __future__ import annotations

import numpy as np


class _Growing:
    """A float64 array that doubles its capacity when full."""

    def __init__(self) -> None:
        self.data = np.empty(16)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        needed = self.size + len(values)
        if needed > len(self.data):
            grown = np.empty(max(needed, 2 * len(self.data)))
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : needed] = values
        self.size = needed

    @property
    def values(self) -> np.ndarray:
        return self.data[: self.size]


class Envelope:
    """Block minima and maxima of one series; NaN (a gap) only where a block has no number."""

    def __init__(self) -> None:
        self._lo: list[_Growing] = []  # index k - 1 holds level k: blocks of 2**k values
        self._hi: list[_Growing] = []

    def clear(self) -> None:
        self._lo, self._hi = [], []

    def update(self, values: np.ndarray) -> None:
        """Catch up with ``values``, the whole series so far (it only ever grew)."""
        lo_below = hi_below = values
        k = 1
        while len(values) >> k:
            if len(self._lo) < k:
                self._lo.append(_Growing())
                self._hi.append(_Growing())
            lo, hi = self._lo[k - 1], self._hi[k - 1]
            done, total = lo.size, len(values) >> k
            if total == done:
                break  # no new block here, so none in the levels above either
            pairs = slice(2 * done, 2 * total)
            lo.extend(np.fmin(lo_below[pairs][0::2], lo_below[pairs][1::2]))
            hi.extend(np.fmax(hi_below[pairs][0::2], hi_below[pairs][1::2]))
            lo_below, hi_below = lo.values, hi.values
            k += 1

    def decimate(
        self, x: np.ndarray, y: np.ndarray, start: int, stop: int, blocks: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Points drawing ``y[start:stop]`` (against ``x``) with at most ~``blocks`` blocks.

        ``y`` is the series this envelope was last updated with.  Values before the
        first block boundary at or after ``start`` are covered by that block, so the
        stretch may begin a little early; it never ends early.
        """
        k = 0
        while (stop - start) >> k > blocks and k < len(self._lo):
            k += 1
        if k == 0:
            return x[start:stop], y[start:stop]
        lo, hi = self._lo[k - 1].values, self._hi[k - 1].values
        first = start >> k
        # complete blocks up to (not including) the one holding `stop - 1`, which is
        # drawn value by value, so the newest epoch is always a point of its own
        last = max(min((stop - 1) >> k, len(lo)), first)
        tail = max(last << k, start)
        bx = x[first << k : last << k : 1 << k]  # each block at its first epoch
        xs = np.concatenate([np.repeat(bx, 2), x[tail:stop]])
        ys = np.empty(2 * (last - first) + max(stop - tail, 0))
        ys[0 : 2 * (last - first) : 2] = lo[first:last]
        ys[1 : 2 * (last - first) : 2] = hi[first:last]
        ys[2 * (last - first) :] = y[tail:stop]
        return xs, ys
