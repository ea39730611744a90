"""The epoch timeline: the loss curve, a dot per stored snapshot, and the A and B lines."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.analysis.columns import MetricColumns
from app.ui.plots import _theme as theme
from app.ui.tabs.compare_epochs import text

# Okabe–Ito orange and reddish purple: apart from the blue loss curve and from the
# green/red of right and wrong predictions.
COLOURS = {"a": "#E69F00", "b": "#CC79A7"}
LETTERS = {"a": "A", "b": "B"}


class EpochTimeline(QWidget):
    """Loss against epoch; clicks and drags pick the epochs to compare.

    Signals
    -------
    picked(str, int)
        ``"a"`` or ``"b"`` and the epoch clicked or dragged to (not yet snapped to a
        stored one: the view does that).
    """

    picked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(text.TIMELINE)
        self.history = MetricColumns()
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 12, 4)
        self.plot: pg.PlotItem = self.graphics.addPlot()
        theme.style_plot(self.plot)
        theme.style_axis(self.plot.getAxis("left"), "loss")
        theme.style_axis(self.plot.getAxis("bottom"), "epoch")
        self.plot.getAxis("left").setWidth(56)
        self.plot.setMenuEnabled(False)
        theme.show_grid(self.plot, x=True, y=True)
        self.plot.setToolTip(text.TIMELINE)
        self.plot.vb.setLimits(xMin=-1)

        self.curve = self.plot.plot(pen=pg.mkPen(theme.TRAIN, width=2), connect="finite")
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.markers = pg.ScatterPlotItem(
            size=7, pen=pg.mkPen(theme.FOREGROUND, width=1), brush=pg.mkBrush("#ffffff")
        )
        self.markers.setZValue(5)
        self.plot.addItem(self.markers)
        self.lines: dict[str, pg.InfiniteLine] = {}
        for key, colour in COLOURS.items():
            label = {"position": 0.92, "color": colour, "fill": pg.mkBrush(255, 255, 255, 230),
                     "anchors": [(0.5, 0), (0.5, 0)]}  # fmt: skip
            line = pg.InfiniteLine(
                0, angle=90, movable=True, label=LETTERS[key], labelOpts=label,
                pen=pg.mkPen(colour, width=2.5), hoverPen=pg.mkPen(colour, width=5),
            )  # fmt: skip
            line.label.setFont(_bold_font())
            line.setZValue(10)
            line.hide()
            line.sigPositionChangeFinished.connect(lambda ln, k=key: self._on_dragged(k, ln))
            self.plot.addItem(line, ignoreBounds=True)
            self.lines[key] = line
        self.graphics.scene().sigMouseClicked.connect(self._on_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self._snapshot_epochs: tuple[int, ...] = ()
        self._first_loss = float("nan")

    # -- data ---------------------------------------------------------------------------
    def redraw(self, columns: MetricColumns, epochs: Sequence[int], first_loss: float) -> None:
        """Draw the loss in ``columns`` (the training controller's) and a dot at every
        stored epoch (``first_loss``: epoch 0's); other columns are fitted afresh."""
        if columns is not self.history:
            self.history = columns
            self.plot.enableAutoRange()
        h = self.history
        self.curve.setData(h.column("epoch"), h.column("train_loss"))
        if tuple(epochs) != self._snapshot_epochs or first_loss != self._first_loss:
            self._snapshot_epochs, self._first_loss = tuple(epochs), first_loss
            x = np.asarray(epochs, dtype=np.float64)
            self.markers.setData(x, self._loss_at(x, first_loss))

    def set_marks(self, a: int | None, b: int | None) -> None:
        """Put the A and B lines at these epochs (None hides a line)."""
        for key, epoch in (("a", a), ("b", b)):
            line = self.lines[key]
            if epoch is None:
                line.hide()
                continue
            if line.value() != epoch:
                line.setValue(epoch)
            line.show()

    def marker_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The dots' (epochs, losses), for tests."""
        x, y = self.markers.getData()
        return np.asarray(x), np.asarray(y)

    # -- internals ------------------------------------------------------------------------
    def _loss_at(self, x: np.ndarray, first_loss: float) -> np.ndarray:
        """The training loss at each epoch in ``x``; epoch 0 (before training) has none."""
        h = self.history
        epochs, losses = h.column("epoch"), h.column("train_loss")
        y = np.full(x.shape, np.nan)
        if len(h):
            i = np.clip(np.searchsorted(epochs, x), 0, len(h) - 1)
            found = epochs[i] == x
            y[found] = losses[i[found]]
        fallback = first_loss if np.isfinite(first_loss) else np.nanmax(y, initial=0.0)
        y[~np.isfinite(y)] = fallback if np.isfinite(fallback) else 0.0
        return y

    def _on_clicked(self, ev: MouseClickEvent) -> None:
        vb = self.plot.vb
        if ev.double() or not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        button, shift = ev.button(), bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if button == Qt.MouseButton.RightButton or (button == Qt.MouseButton.LeftButton and shift):
            key = "b"
        elif button == Qt.MouseButton.LeftButton:
            key = "a"
        else:
            return
        ev.accept()
        x = vb.mapSceneToView(ev.scenePos()).x()
        self.picked.emit(key, max(0, round(x)))

    def _on_dragged(self, key: str, line: pg.InfiniteLine) -> None:
        self.picked.emit(key, max(0, round(line.value())))


def _bold_font() -> QFont:
    font = theme.tick_font()
    font.setBold(True)
    font.setPointSize(11)
    return font
