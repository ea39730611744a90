"""One heatmap panel: a (steps × rows) array as cells on a fixed colour scale, with a colour bar.

Shared by the gate and prediction views (and meant for the epoch comparison views):
the image item, axes and colour bar are created once; new data of the same shape is
only ``setImage(..., autoLevels=False)``; ranges are set when the shape changes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsLayout, QGraphicsRectItem

from app.ui.plots import _theme as theme
from app.ui.plots.color_image import ColorImage
from app.ui.plots.token_axis import TokenAxis


class Heatmap:
    """A titled plot with its colour bar at panel position (``row``, ``col``) of ``layout``.

    A panel takes two layout rows (title; plot) and two columns (plot; colour bar):
    panel (r, c) occupies rows ``2r, 2r + 1`` and columns ``c, c + 1``.

    Cell ``(t, r)`` of the array is centred on ``(t, r)`` in view coordinates, so the
    integer ticks of the token axes sit under the cells.  Row 0 is at the top, as in
    a table.  ``levels`` are fixed: a colour means the same value in every frame.
    """

    def __init__(
        self,
        layout: pg.GraphicsLayout,
        row: int,
        col: int,
        title: str,
        levels: tuple[float, float],
        colormap: pg.ColorMap,
        tooltip: str = "",
        title_html: str | None = None,
        y_axis: TokenAxis | None = None,
    ) -> None:
        self.title = title
        self.levels = levels
        # The title has a row of its own above plot and colour bar, so the bar lines
        # up with the cells instead of with the title.
        self.title_label: pg.LabelItem = layout.addLabel(
            title_html or title, row=2 * row, col=col, colspan=2,
            color=theme.FOREGROUND, size=theme.TITLE_SIZE,
        )  # fmt: skip
        self.x_axis = TokenAxis("bottom")
        self.y_axis = y_axis if y_axis is not None else TokenAxis("left")
        self.plot: pg.PlotItem = layout.addPlot(
            row=2 * row + 1, col=col, axisItems={"bottom": self.x_axis, "left": self.y_axis}
        )
        theme.style_plot(self.plot)
        theme.style_axis(self.x_axis)
        theme.style_axis(self.y_axis)
        self.plot.setToolTip(tooltip)
        self.title_label.setToolTip(tooltip)
        self.plot.setMenuEnabled(False)
        vb = self.plot.getViewBox()
        vb.invertY(True)
        vb.disableAutoRange()
        vb.setDefaultPadding(0.0)

        # col-major given explicitly: image[t, r] is column t, row r, whatever the
        # global pyqtgraph config says, so the engine's (T, H) arrays need no transpose.
        self.image = ColorImage(axisOrder="col-major")
        self.image.setColorMap(colormap)
        self.image.setLevels(levels)
        self.plot.addItem(self.image)

        self.bar = pg.ColorBarItem(
            values=levels, colorMap=colormap, interactive=False, colorMapMenu=False, width=14
        )
        theme.style_colorbar(self.bar)
        # Ticks chosen by the bar's height, so their numbers never print over each other.
        self.bar.axis.tickValues = functools.partial(bar_tick_values, levels)
        self.bar.axis.tickStrings = _bar_tick_strings
        # Frame axes sized like the plot's, so the bar spans exactly the cells' height.
        self.bar.getAxis("bottom").setHeight(self.x_axis.height())
        self.x_axis.height_changed.connect(self.bar.getAxis("bottom").setHeight)
        self.bar.getAxis("top").setHeight(1)
        self.bar.setImageItem(self.image)
        self.bar.setToolTip(tooltip)
        layout.addItem(self.bar, row=2 * row + 1, col=col + 1)
        # New values repaint the cells' area, which the axes and the bar overlap.
        theme.cache_static(self.x_axis, self.y_axis, self.bar.axis, self.title_label.item)

        # The hovered step, outlined in every panel at once.
        self.cursor = QGraphicsRectItem()
        # A dark frame and a light veil: visible on dark and on bright cells alike.
        self.cursor.setPen(pg.mkPen(theme.FOREGROUND, width=2))
        self.cursor.setBrush(pg.mkBrush(255, 255, 255, 70))
        self.cursor.setZValue(20)
        self.cursor.hide()
        self.plot.addItem(self.cursor, ignoreBounds=True)
        self.shape: tuple[int, int] = (0, 0)

    def set_minimum_image_height(self, px: float) -> None:
        """The cells never get shorter than ``px``: the panel asks the layout for room."""
        self.plot.getViewBox().setMinimumHeight(px)

    def image_height(self) -> float:
        """The cells' height on screen now (logical pixels)."""
        return float(self.plot.getViewBox().sceneBoundingRect().height())

    def set_data(self, values: np.ndarray) -> None:
        """Show ``values`` (steps, rows); the view range only changes with the shape."""
        values = np.asarray(values)
        self.image.setImage(values, autoLevels=False)
        if values.shape != self.shape:
            self.shape = (int(values.shape[0]), int(values.shape[1]))
            self._set_extent(*self.shape)

    def clear(self) -> None:
        self.image.clear()
        self.shape = (0, 0)
        self.cursor.hide()

    def set_x_labels(self, labels: Sequence[str]) -> None:
        if tuple(labels) != self.x_axis.labels:
            self.x_axis.set_labels(labels)

    def set_y_labels(self, labels: Sequence[str]) -> None:
        if tuple(labels) != self.y_axis.labels:
            self.y_axis.set_labels(labels)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The ``(step, row)`` under a scene position, or None outside the cells."""
        vb = self.plot.getViewBox()
        if not self.shape[0] or not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        t, r = round(p.x()), round(p.y())
        if 0 <= t < self.shape[0] and 0 <= r < self.shape[1]:
            return t, r
        return None

    def scene_pos_of(self, step: int, row: int) -> QPointF:
        """Where cell ``(step, row)`` is in scene coordinates (for tests and demos)."""
        return self.plot.getViewBox().mapViewToScene(QPointF(step, row))

    def show_cursor(self, step: int | None) -> None:
        if step is None or not self.shape[0]:
            self.cursor.hide()
            return
        self.cursor.setRect(QRectF(step - 0.5, -0.5, 1.0, self.shape[1]))
        self.cursor.show()

    def _set_extent(self, steps: int, rows: int) -> None:
        self.image.setRect(QRectF(-0.5, -0.5, steps, rows))
        vb = self.plot.getViewBox()
        # Limits keep zoom and pan on the cells: no drifting off into empty space.
        vb.setLimits(
            xMin=-0.5, xMax=steps - 0.5, yMin=-0.5, yMax=rows - 0.5,
            minXRange=min(1.0, steps), minYRange=min(1.0, rows),
        )  # fmt: skip
        vb.setRange(xRange=(-0.5, steps - 0.5), yRange=(-0.5, rows - 0.5), padding=0)


NICE_STRIDES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
"""Unit numbers are labelled every 1, 2, 4, 8 … units: hidden sizes are such numbers."""


class UnitAxis(TokenAxis):
    """A left axis of hidden-unit numbers, evenly spaced: "0, 8, 16, 24, 31".

    The stride is a power of two at least the one the labels need; the last unit is
    always labelled, and when it would crowd the multiple before it, the stride doubles
    (never "0, 9, 18, 31" or "0, 4, 8, 15").
    """

    def labelled_positions(self, lo: int, hi: int, needed: int) -> tuple[int, list[int]]:
        """(stride, labelled units) between ``lo`` and ``hi`` for a ``needed`` stride."""
        n = len(self.labels)
        for k in NICE_STRIDES:
            if k < needed:
                continue
            first = lo + (-lo) % k
            labelled = list(range(first, hi + 1, k))
            if hi != n - 1 or (labelled and labelled[-1] == hi):
                return k, labelled
            if not labelled or hi - labelled[-1] >= needed:  # room for the last one too
                return k, [*labelled, hi]
            if k * 2 > hi - lo:  # no stride fits both: the ends only
                return k, sorted({lo, hi})
        return needed, [lo, hi]


def bar_ticks(levels: tuple[float, float], size_px: float) -> list[float]:
    """Round ticks that fit a bar ``size_px`` tall without their numbers overlapping.

    Five (ends, middle, quarters) when each gap has room for more than a line of text,
    else three (ends and middle), else only the two ends: enough to read a colour off.
    """
    lo, hi = levels
    line = QFontMetricsF(theme.tick_font()).height() * 1.15  # a line and a little air
    intervals = next((k for k in (4, 2) if size_px / k >= line), 1)
    return [lo + (hi - lo) * k / intervals for k in range(intervals + 1)]


def bar_tick_values(
    levels: tuple[float, float], minVal: float, maxVal: float, size: float
) -> list[tuple[float, list[float]]]:
    """``AxisItem.tickValues`` for a colour bar of ``levels`` (one level of ticks)."""
    ticks = bar_ticks(levels, size)
    spacing = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return [(spacing, ticks)]


def _bar_tick_strings(values: list[float], scale: float, spacing: float) -> list[str]:
    return [f"{v:g}" for v in values]


def fit_minimum_height(widget: pg.GraphicsLayoutWidget) -> None:
    """Give ``widget`` the minimum size its plots ask for, so a scroll area around it
    scrolls instead of squeezing the cells below their minimum (or cutting them off)."""
    # Size hints are cached per item until the layouts run again: drop them first, so
    # a minimum set a moment ago counts now.
    for item in widget.ci.items:
        layout = getattr(item, "layout", None)
        if isinstance(layout, QGraphicsLayout):
            layout.invalidate()
        item.updateGeometry()
    widget.ci.layout.invalidate()
    widget.ci.updateGeometry()
    hint = widget.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
    frame = 2 * widget.frameWidth()
    # The width too: titles and axes wider than the view would be cut off at its edge.
    widget.setMinimumSize(math.ceil(hint.width()) + frame, math.ceil(hint.height()) + frame)
