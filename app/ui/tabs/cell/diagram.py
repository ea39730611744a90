"""A drawn cell (LSTM, GRU or vanilla RNN): its scene, its vectors by name, and filling them.

The drawings themselves are in :mod:`app.ui.tabs.cell.layouts`; this module holds what they
share: the caption at the top, the symbol read, the next-symbol bars and the legend.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsScene, QGraphicsTextItem

from app.analysis.cell_values import Candidate
from app.ui.plots import _theme as theme
from app.ui.tabs.cell import colors, items, texts
from app.ui.tabs.cell.items import MAX_COLUMNS, CellItem, VectorItem, font, text
from app.ui.tabs.cell.panels import ProbabilityPanel, WordBox, legend

SCALES = {
    "forget": "gate", "input": "gate", "output": "gate", "reset": "gate", "update": "gate",
    "keep_new": "gate", "candidate": "tanh", "cell_squashed": "tanh", "hidden": "tanh",
    "hidden_prev": "tanh", "cell": "memory", "cell_prev": "memory",
}  # fmt: skip
WIDE_LABELS = {"cell_prev", "cell", "cell_squashed", "hidden", "output", "forget"}
"""Vectors whose label has room to its right (larger text when presenting)."""
MARGIN = 24.0
TITLE_SIZE = 23
MIN_TITLE_SIZE = 15  # the caption's size: the headline never gets smaller than it
# Never call parentItem() on a top-level item from scene.items(): PySide6 6.11 then
# hands the item's ownership to its Python wrapper, and the item disappears (or the
# program crashes) once that wrapper is collected.  Items keep the references they need.


class Diagram:
    """One cell drawing for hidden size ``size``; built once, refilled at every step."""

    def __init__(self, kind: str, size: int, caption: str) -> None:
        self.kind = kind
        self.size = size
        self.scene = QGraphicsScene()
        self.scene.setBackgroundBrush(QBrush(QColor(theme.BACKGROUND)))
        self.vectors: dict[str, VectorItem] = {}
        self.zoom = items.zoom()  # the texts' and cells' size (presentation: larger)
        self.title: QGraphicsTextItem = text(self.scene, "", (20, 0), size=TITLE_SIZE)
        self.caption = text(
            # under the larger headline; two lines of it still end above the top labels
            self.scene, caption, (20, 36 + 4 * (self.zoom - 1)), size=15, color=theme.MUTED,
            width=1000 if self.zoom == 1 else 1060 * self.zoom,  # (rounded-up pixels)
        )  # fmt: skip
        self.grid_hint: QGraphicsTextItem | None = None
        self.word: WordBox | None = None
        self.probs: ProbabilityPanel | None = None

    # -- building (used by the layouts) ---------------------------------------------------
    def vector(self, key: str, left: float, centre_y: float) -> VectorItem:
        """Add vector ``key`` with its cells' left edge at ``left``, centred on ``centre_y``."""
        room = items.WIDE_LABEL_ROOM if key in WIDE_LABELS else items.LABEL_ROOM
        item = VectorItem(key, colors.scale(SCALES[key]), self.size, label_room=room)
        item.setPos(left, centre_y - item.height / 2)
        self.scene.addItem(item)
        self.vectors[key] = item
        return item

    def add_word(self, x: float, y: float) -> WordBox:
        self.word = WordBox(self.scene, x, y)
        return self.word

    def add_probabilities(self, x: float, y: float) -> ProbabilityPanel:
        self.probs = ProbabilityPanel(self.scene, x, y)
        return self.probs

    def add_legend(self, x: float, y: float, names: tuple[str, ...] | None = None) -> float:
        if names is None:
            names = ("gate", "tanh", "memory") if self.kind == "lstm" else ("gate", "tanh")
            names = names if self.kind != "rnn" else ("tanh",)
        return legend(self.scene, x, y, names)

    def add_grid_hint(self, x: float, y: float) -> None:
        """When the vectors wrap into rows, a note that each block is still one vector."""
        if self.size > MAX_COLUMNS:
            rows = -(-self.size // MAX_COLUMNS)
            hint = texts.GRID_HINT.format(size=self.size, rows=rows, cols=MAX_COLUMNS)
            self.grid_hint = text(self.scene, hint, (x, y), size=13, color=theme.MUTED)

    def finish(self) -> None:
        """Fix the scene's extent (with a margin) now that everything is drawn."""
        rect = self.scene.itemsBoundingRect()
        self.scene.setSceneRect(rect.adjusted(-MARGIN, -MARGIN / 2, MARGIN, MARGIN / 2))

    # -- filling ------------------------------------------------------------------------
    def show(
        self,
        values: dict[str, np.ndarray],
        title_html: str,
        symbol: str,
        candidates: list[Candidate],
    ) -> None:
        """Recolour every vector with ``values`` (by name) and update the texts."""
        for key, item in self.vectors.items():
            item.set_values(values[key])
        self.title.setHtml(title_html)
        self._fit_title()
        if self.word is not None:
            self.word.set_symbol(symbol)
        if self.probs is not None:
            self.probs.set_candidates(candidates)

    def _fit_title(self) -> None:
        """Keep the headline inside the drawing: a long one ("✗ the next symbol is …" on
        the narrow RNN drawing) is set smaller, down to a floor, instead of running off."""
        room = self.scene.sceneRect().right() - MARGIN / 2 - self.title.x()
        size = TITLE_SIZE
        scale = self.zoom / items.zoom()  # font() draws at the zoom of the diagram being built
        self.title.setFont(font(size * scale))
        while self.title.boundingRect().width() > room and size > MIN_TITLE_SIZE:
            size -= 1
            self.title.setFont(font(size * scale))

    def cell_values(self, key: str) -> np.ndarray:
        """The numbers stored on vector ``key``'s cells (what a test reads)."""
        return np.array([cell.data(0) for cell in self.vectors[key].cells], dtype=np.float64)

    def readout_at(self, item: object) -> str | None:
        """The hover read-out for a scene item, or None if it is not a value cell."""
        return item.vector.readout(item) if isinstance(item, CellItem) else None

    def label_texts(self) -> list[str]:
        """Every text in the drawing, as plain text (for tests and checks)."""
        return [
            item.toPlainText() for item in self.scene.items() if isinstance(item, QGraphicsTextItem)
        ]


def empty_diagram(message: str = texts.EMPTY) -> Diagram:
    """Nothing to show yet (no sequences, or no weights)."""
    diagram = Diagram("none", 0, "")
    diagram.title.setHtml(f"<span style='color:{theme.MUTED}'>{message}</span>")
    diagram.finish()
    return diagram
