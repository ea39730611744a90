"""The view the diagram is drawn in: always the whole diagram, scaled to fit, with hover.

Keys (when it has focus): ←/→ step through time, Home/End jump to the ends,
PgDn/PgUp and [ ] step to the previous/next stored epoch.  They are reported as
signals; the canvas itself knows nothing about steps or epochs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QToolTip, QWidget

from app.ui.plots import _theme as theme
from app.ui.shell.image_export import save_image
from app.ui.tabs.cell.diagram import Diagram

STEP_KEYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
END_KEYS = {Qt.Key.Key_Home: -1, Qt.Key.Key_End: 1}
EPOCH_KEYS = {
    Qt.Key.Key_PageDown: -1,
    Qt.Key.Key_PageUp: 1,
    Qt.Key.Key_BracketLeft: -1,
    Qt.Key.Key_BracketRight: 1,
}
RENDER_HINTS = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing


class CellCanvas(QGraphicsView):
    """Shows a :class:`Diagram`'s scene fitted to the widget (aspect ratio kept)."""

    step_requested = Signal(int)  # −1 / +1
    end_requested = Signal(int)  # −1 first step, +1 last step
    epoch_requested = Signal(int)  # −1 / +1 stored epoch
    hovered = Signal(str)  # the read-out, "" when leaving a cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(RENDER_HINTS)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QColor(theme.BACKGROUND))
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(400, 250)
        self.diagram: Diagram | None = None
        self._last_readout = ""

    def set_diagram(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.setScene(diagram.scene)
        self.fit()

    def fit(self) -> None:
        if self.diagram is not None:
            self.fitInView(self.diagram.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def sizeHint(self) -> QSize:
        return QSize(1100, 620)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    # -- hover ------------------------------------------------------------------------------
    def readout_at(self, pos: QPoint) -> str | None:
        """The read-out for the cell under viewport position ``pos`` (None: no cell)."""
        if self.diagram is None:
            return None
        for item in self.items(pos):
            text = self.diagram.readout_at(item)
            if text is not None:
                return text
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        text = self.readout_at(event.position().toPoint()) or ""
        if text != self._last_readout:
            self._last_readout = text
            self.hovered.emit(text)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._last_readout:
            self._last_readout = ""
            self.hovered.emit("")

    def viewportEvent(self, event: QEvent) -> bool:
        # A cell's tooltip is its exact number, computed when asked rather than set on
        # every cell at every step.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.readout_at(event.pos())
            if text is not None:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().viewportEvent(event)

    # -- keys -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in STEP_KEYS:
            self.step_requested.emit(STEP_KEYS[key])
        elif key in END_KEYS:
            self.end_requested.emit(END_KEYS[key])
        elif key in EPOCH_KEYS:
            self.epoch_requested.emit(EPOCH_KEYS[key])
        else:
            super().keyPressEvent(event)

    # -- export -----------------------------------------------------------------------------
    def export_image(self, path: str) -> None:
        """The whole diagram as PNG (twice the scene's size) or SVG, by extension."""
        if self.diagram is None:
            raise ValueError("nothing to export")
        scene = self.diagram.scene
        source = scene.sceneRect()

        def paint(painter: QPainter) -> None:
            painter.setRenderHints(RENDER_HINTS)
            scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)

        save_image(path, source.size(), paint, "LSTM Playground — inside the cell")
