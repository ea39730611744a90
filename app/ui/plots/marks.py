"""Marks on heatmap cells: outlines, crosses or whole-column frames, drawn in one go.

Scatter items draw symbol by symbol; these draw every mark with one ``drawRects`` or
``drawLines`` call per pen, and their pens are cosmetic (pixels, not cells), so the
lines stay crisp however tall or narrow the cells are.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen

SHAPES = ("outline", "cross", "column")


class CellMarks(pg.GraphicsObject):
    """Marks at cells ``(x[i], y[i])`` of a heatmap whose cells are centred on integers.

    ``shape`` is ``"outline"`` (a square just inside the cell), ``"cross"`` (an ×)
    or ``"column"`` (a frame around column ``x[i]`` over ``rows`` rows; ``y`` unused).
    ``pens`` are drawn in order, e.g. a wide dark pen under a narrow light one so the
    mark shows on dark and bright cells alike.
    """

    def __init__(self, shape: str, pens: Sequence[QPen], inset: float = 0.06) -> None:
        super().__init__()
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
        self.shape = shape
        self.pens = [QPen(p) for p in pens]
        for pen in self.pens:
            pen.setCosmetic(True)
        self.inset = inset
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.rows = 0
        self._rects: list[QRectF] = []
        self._lines: list[QLineF] = []
        self._bounds = QRectF()

    def set_cells(self, x: np.ndarray, y: np.ndarray | None = None, rows: int = 0) -> None:
        """Mark cells ``(x, y)`` (columns ``x`` for ``"column"``, ``rows`` tall)."""
        self.prepareGeometryChange()
        self.x = np.asarray(x, dtype=np.float64).copy()
        self.y = np.zeros_like(self.x) if y is None else np.asarray(y, dtype=np.float64).copy()
        self.rows = rows
        d = 0.5 - self.inset
        cells = zip(self.x, self.y, strict=True)
        self._rects, self._lines = [], []
        if self.shape == "column":
            self._rects = [QRectF(x0 - 0.5, -0.5, 1.0, rows) for x0 in self.x]
        elif self.shape == "outline":
            self._rects = [QRectF(x0 - d, y0 - d, 2 * d, 2 * d) for x0, y0 in cells]
        else:
            for x0, y0 in cells:
                self._lines.append(QLineF(x0 - d, y0 - d, x0 + d, y0 + d))
                self._lines.append(QLineF(x0 - d, y0 + d, x0 + d, y0 - d))
        self._bounds = self._compute_bounds()
        self.update()

    def clear(self) -> None:
        self.set_cells(np.zeros(0))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, *args: object) -> None:
        for pen in self.pens:
            p.setPen(pen)
            if self._rects:
                p.drawRects(self._rects)
            if self._lines:
                p.drawLines(self._lines)

    def _compute_bounds(self) -> QRectF:
        if not len(self.x):
            return QRectF()
        if self.shape == "column":
            return QRectF(self.x.min() - 0.5, -0.5, self.x.max() - self.x.min() + 1, self.rows)
        return QRectF(
            self.x.min() - 0.5, self.y.min() - 0.5,
            self.x.max() - self.x.min() + 1, self.y.max() - self.y.min() + 1,
        )  # fmt: skip
