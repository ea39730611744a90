"""The roll-out's prediction vectors as a heatmap, the chosen symbol of each step outlined.

Drawn like the Train tab's prediction vector (same colour map, same 0…1 scale), so a
learner reads it the same way: columns are the symbols read, rows what may come next.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.plots.heatmap import Heatmap
from app.ui.plots.marks import CellMarks
from app.ui.tabs.generate import texts

_IDLE = texts.HEATMAP_KEY


class RolloutHeatmap(QWidget):
    """Probabilities ``(N, V)`` of a roll-out; ``chosen`` marks hold the fed-back symbols."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 4, 4)
        self.heatmap = Heatmap(
            self.graphics.ci, 0, 0, "prediction vector", theme.SIGMOID_LEVELS,
            theme.sigmoid_map(), texts.HEATMAP, title_html=texts.HEATMAP_TITLE,
        )  # fmt: skip
        theme.style_axis(self.heatmap.y_axis, "next symbol")
        theme.style_axis(self.heatmap.x_axis, "symbol read")
        dark, light = "#000000", "#ffffff"
        self.chosen = CellMarks(
            "outline", [pg.mkPen(dark, width=3.5), pg.mkPen(light, width=1.5)], inset=0.02
        )
        self.chosen.setZValue(10)
        self.heatmap.plot.addItem(self.chosen)
        self.hover = QLabel(_IDLE)
        self.hover.setWordWrap(True)  # its width must not make the heatmap wider
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.hover)
        self._probs = np.zeros((0, 0))
        self._inputs: list[str] = []
        self._vocabulary: list[str] = []
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_rollout(
        self,
        inputs: Sequence[str],
        ids: np.ndarray,
        probs: np.ndarray,
        vocabulary: Sequence[str],
    ) -> None:
        self._probs = np.asarray(probs, dtype=np.float64)
        self._inputs, self._vocabulary = list(inputs), list(vocabulary)
        self.heatmap.set_data(self._probs)
        self.heatmap.set_x_labels(self._inputs)
        self.heatmap.set_y_labels(self._vocabulary)
        self.chosen.set_cells(np.arange(len(ids), dtype=np.float64), ids.astype(np.float64))

    def clear(self) -> None:
        self._probs = np.zeros((0, 0))
        self.heatmap.clear()
        self.heatmap.set_x_labels([])
        self.heatmap.set_y_labels([])
        self.chosen.clear()
        theme.set_label_text(self.hover, _IDLE)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        cell = self.heatmap.cell_at(scene_pos)
        if cell is None or cell[0] >= self._probs.shape[0]:
            self.heatmap.show_cursor(None)
            theme.set_label_text(self.hover, _IDLE)
            return
        step, row = cell
        show = display_symbol
        self.heatmap.show_cursor(step)
        theme.set_label_text(
            self.hover,
            f"step {step + 1}, reading “{show(self._inputs[step])}”: "
            f"P(next = “{show(self._vocabulary[row])}”) = {self._probs[step, row]:.3f}",
        )
