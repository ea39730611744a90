"""The loss plot's curves, drawn from the epoch history, and view ranges that follow them.

Each frame costs the same whatever the history's length:

* each curve is drawn from an :class:`~app.ui.plots.envelope.Envelope`, about one
  min/max block per pixel of the visible epochs (plus the newest epochs exactly);
* the epoch axis grows in steps (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) and the loss
  axis only when the curves leave it, so most frames leave the axes (and their cached
  pictures) alone.

Why not pyqtgraph's auto-range: it applies a new range while painting and then paints
again (2 paints per range change, even in a bare ``PlotItem``), and a view that fits
the data changes its range with every new epoch, so every frame is painted twice, axes
and grids included.  Measured with ``bench/bench_plots.py`` (commit d3ff244, CPU ms
per frame of an 800 × 400 ``LossPlot``, p50 / p95, 5 new epochs a frame, the view
following): with pyqtgraph's downsampling, clip-to-view and auto-range, 10.8 / 12.7 at
1,000 epochs (2.02 paints per frame), 5.0 / 12.5 at 10,000, 6.4 / 14.5 at 100,000 and
9.9 / 18.3 at 100,000 on a log axis; here 4.1 / 5.4, 4.2 / 4.6, 4.7 / 5.2 and
4.9 / 5.5.  The budget is well under 10 (20 frames a second, event-loop p99 < 50).

The view follows the data until the learner zooms or pans (as pyqtgraph's auto-range
would); :meth:`CurveSet.follow` starts following again.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPen

from app.analysis.columns import MetricColumns
from app.ui.plots.envelope import Envelope

_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
_MIN_EPOCHS_SHOWN = 10


def epoch_axis_end(epoch: float, shown: float = _MIN_EPOCHS_SHOWN) -> float:
    """The smallest "round" number ≥ ``epoch`` (and ≥ ``shown``): the epoch axis ends there."""
    epoch = max(float(epoch), shown)
    decade = 10.0 ** math.floor(math.log10(epoch))
    return next(s * decade for s in _STEPS if s * decade >= epoch * (1 - 1e-12))


def loss_axis_range(values: np.ndarray, log: bool) -> tuple[float, float] | None:
    """A range holding every finite value: 0 … (max, rounded up to 2 significant digits)
    on a linear axis; whole quarter decades (in log10 units) on a log axis."""
    finite = values[np.isfinite(values)]
    if log:
        finite = finite[finite > 0]
    if not finite.size:
        return None
    lo, hi = float(finite.min()), float(finite.max())
    if log:
        a, b = math.floor(4 * math.log10(lo)) / 4, math.ceil(4 * math.log10(hi)) / 4
        return (a, b) if b > a else (a - 0.25, b + 0.25)
    if hi <= 0:
        return 0.0, 1.0
    digit = 10.0 ** (math.floor(math.log10(hi)) - 1)
    return 0.0, math.ceil(hi * 1.02 / digit) * digit


class CurveSet:
    """Curves named after :data:`~app.analysis.columns.METRICS`, in plots sharing one x range.

    ``primary`` is the plot whose y axis follows the data (the loss); the others keep
    the y range they were given.
    """

    def __init__(
        self,
        history: MetricColumns,
        primary: pg.PlotItem,
        series: dict[str, tuple[pg.PlotItem, QPen, QPen]],
    ) -> None:
        self.history = history
        self.primary = primary
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._pens: dict[str, tuple[QPen, QPen]] = {}
        self._envelopes = {name: Envelope() for name in series}
        for name, (plot, smooth_pen, fast_pen) in series.items():
            self.curves[name] = plot.plot(pen=smooth_pen, connect="finite", antialias=True)
            self._pens[name] = (smooth_pen, fast_pen)
        self._smooth = True
        self._follow_x = self._follow_y = True
        self._y_range: tuple[float, float] | None = None
        self._setting_range = False
        self._extra_x = self._extra_y = np.zeros(0)
        vb = primary.getViewBox()
        vb.disableAutoRange()
        vb.sigXRangeChanged.connect(self._on_view_changed)
        vb.sigResized.connect(self._on_view_changed)
        for plot in {p for p, _, _ in series.values()}:
            is_primary = plot is primary
            plot.getViewBox().sigRangeChangedManually.connect(
                lambda mask, y=is_primary: self._on_range_changed_manually(mask, y)
            )

    # -- public API ---------------------------------------------------------------
    def follow(self, y_only: bool = False) -> None:
        """Follow the data again (after a reload, or on a new axis scale)."""
        self._follow_y = True
        self._y_range = None
        if not y_only:
            self._follow_x = True

    def set_extra(self, x: np.ndarray, y: np.ndarray) -> None:
        """Points drawn besides the history that the view follows too (the loss inside
        long epochs): ``x`` in epochs, ascending; ``y`` on the primary plot."""
        self._extra_x, self._extra_y = x, y

    def cleared(self) -> None:
        for envelope in self._envelopes.values():
            envelope.clear()

    def update(self) -> None:
        """After the history grew: follow the newest epoch and redraw."""
        h = self.history
        for name, envelope in self._envelopes.items():
            envelope.update(h.column(name))
        # Smooth wide lines while each epoch has a pixel of its own; beyond, the curve is
        # a dense band of peaks that antialiasing would only make several times slower.
        smooth = len(h) <= self._pixels()
        if smooth != self._smooth:
            self._smooth = smooth
            for name, curve in self.curves.items():
                curve.setPen(self._pens[name][0 if smooth else 1])
                curve.opts["antialias"] = smooth
        if self._follow_x:
            newest, shown = h.last("epoch") if len(h) else 0, _MIN_EPOCHS_SHOWN
            if len(self._extra_x):  # epochs that take seconds: the first fills the axis
                newest, shown = max(newest, float(self._extra_x[-1])), 1
            end = epoch_axis_end(newest, shown)
            if self.primary.getViewBox().viewRange()[0] != [0.0, end]:
                self._set_range(x=(0.0, end))
        self.redraw()

    def redraw(self) -> None:
        """Draw the visible stretch of every curve at about two points per pixel."""
        h = self.history
        vb = self.primary.getViewBox()
        epochs = h.column("epoch")
        (x0, x1), _ = vb.viewRange()
        start = max(int(np.searchsorted(epochs, x0, side="left")) - 1, 0)
        stop = min(int(np.searchsorted(epochs, x1, side="right")) + 1, len(h))
        blocks = self._pixels()
        followed = []
        for name, curve in self.curves.items():
            x, y = self._envelopes[name].decimate(epochs, h.column(name), start, stop, blocks)
            curve.setData(x, y)
            if curve.getViewBox() is vb:
                followed.append(y)
        if len(self._extra_x):
            seen = (self._extra_x >= x0) & (self._extra_x <= x1)
            followed.append(self._extra_y[seen])
        if self._follow_y and followed:
            log = bool(self.primary.getAxis("left").logMode)
            wanted = loss_axis_range(np.concatenate(followed), log)
            if wanted is not None and wanted != self._y_range:
                self._y_range = wanted
                self._set_range(y=wanted)

    # -- internals ----------------------------------------------------------------
    def _pixels(self) -> int:
        """The plot's width in pixels (at least 100, for a plot not laid out yet)."""
        return max(int(self.primary.getViewBox().width()), 100)

    def _set_range(
        self, x: tuple[float, float] | None = None, y: tuple[float, float] | None = None
    ) -> None:
        self._setting_range = True
        try:
            self.primary.getViewBox().setRange(xRange=x, yRange=y, padding=0)
        finally:
            self._setting_range = False

    def _on_view_changed(self, *_: object) -> None:
        if not self._setting_range:
            self.redraw()

    def _on_range_changed_manually(self, mask: list[bool], primary: bool) -> None:
        """The learner zoomed or panned: leave that axis where they put it."""
        if mask[0]:
            self._follow_x = False
        if primary and mask[1]:
            self._follow_y = False
