"""Colour scales for the diagram's cells: the same maps and ranges as the heatmaps.

Gates use viridis on 0…1, tanh values CET-D1 on −1…1 and the memory CET-D1 on
±``CELL_LIMIT`` (it is not squashed).  Brushes come from a 256-entry table built
once, so recolouring a cell is a table look-up and one ``setBrush``.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QBrush, QColor, QLinearGradient

from app.ui.plots import _theme as theme

LEVELS = 256
NAN_COLOR = "#bdbdbd"


class Scale:
    """Maps a value in ``lo…hi`` (clipped) to a brush."""

    def __init__(self, name: str, lo: float, hi: float, cmap: pg.ColorMap) -> None:
        self.name = name
        self.lo, self.hi = lo, hi
        table = cmap.getLookupTable(0.0, 1.0, LEVELS, alpha=False)
        self.colors = [QColor(int(r), int(g), int(b)) for r, g, b in table]
        self.brushes = [QBrush(c) for c in self.colors]
        self.nan_brush = QBrush(QColor(NAN_COLOR))

    def index(self, value: float) -> int:
        if not math.isfinite(value):
            return -1
        x = (value - self.lo) / (self.hi - self.lo)
        return min(LEVELS - 1, max(0, int(x * (LEVELS - 1) + 0.5)))

    def brush(self, value: float) -> QBrush:
        k = self.index(value)
        return self.nan_brush if k < 0 else self.brushes[k]

    def gradient(self, start: QPointF, stop: QPointF) -> QLinearGradient:
        """A left-to-right gradient for the legend bar."""
        gradient = QLinearGradient(start, stop)
        for k in range(0, LEVELS, 15):
            gradient.setColorAt(k / (LEVELS - 1), self.colors[k])
        gradient.setColorAt(1.0, self.colors[-1])
        return gradient


_SCALES: dict[str, Scale] = {}


def scale(name: str) -> Scale:
    """``"gate"``, ``"tanh"`` or ``"memory"`` (built on first use: needs a QGuiApplication)."""
    if name not in _SCALES:
        if name == "gate":
            _SCALES[name] = Scale(name, *theme.SIGMOID_LEVELS, theme.sigmoid_map())
        elif name == "tanh":
            _SCALES[name] = Scale(name, *theme.TANH_LEVELS, theme.diverging_map())
        elif name == "memory":
            _SCALES[name] = Scale(name, *theme.CELL_LEVELS, theme.diverging_map())
        else:
            raise KeyError(name)
    return _SCALES[name]
