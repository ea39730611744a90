"""The diagram's building blocks: vectors of coloured cells, junctions, squashing and voting
boxes, wires and labels — all vector graphics in scene units, so the diagram scales.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsTextItem,
)

from app.ui.plots import _theme as theme
from app.ui.tabs.cell import texts
from app.ui.tabs.cell.colors import Scale

STRIP_WIDTH = 176.0
MAX_COLUMNS = 16
MAX_GRID_HEIGHT = 40.0
LABEL_SIZE = 16
LABEL_ROOM = 240.0  # a vector's label is never wider: the next column's label follows ...
WIDE_LABEL_ROOM = 290.0  # ... except where nothing follows it closely
WIRE = QColor("#3a3a3a")
WIRE_WIDTH = 2.5
BOX_FILL = QColor("#eef3fa")
BOX_EDGE = QColor("#4a6fa5")
VALUE = 0  # item.data(VALUE): the cell's number
UNIT = 1  # item.data(UNIT): its unit (row of the vector)
MAX_ZOOM = 1.3
"""Texts are drawn at most this much larger (presentation mode at a high zoom) ..."""
SMALLEST = 15
"""... and, when larger, none from less than this size: the small notes grow most."""
MAX_STRIP_ZOOM = 1.3
"""... and the vectors' cells this much: the columns of the drawing leave no more room."""
_zoom = 1.0


def set_zoom(factor: float) -> None:
    """Build the diagrams from now on with texts ``factor`` times their size (1…1.3) and
    larger cells: the scene is fitted to its view, so a larger font alone (the window's
    zoom, presentation mode) would change nothing on screen."""
    global _zoom
    _zoom = max(1.0, min(float(factor), MAX_ZOOM))


def zoom() -> float:
    """The factor the diagrams built now draw their texts at."""
    return _zoom


def strip_zoom() -> float:
    return min(_zoom, MAX_STRIP_ZOOM)


def strip_width() -> float:
    """A vector's width in scene units (larger when presenting)."""
    return STRIP_WIDTH * strip_zoom()


def font(size: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont()
    # pixels = scene units: the text scales with the view (and with :func:`zoom`)
    f.setPixelSize(max(1, round((size if _zoom == 1.0 else max(size, SMALLEST)) * _zoom)))
    f.setBold(bold)
    f.setItalic(italic)
    return f


def rect(
    scene: QGraphicsScene, area: QRectF, pen: QPen, brush: QBrush | None = None
) -> QGraphicsRectItem:
    """A rectangle item added to ``scene`` (made in Python like every other item here)."""
    item = QGraphicsRectItem(area)
    item.setPen(pen)
    item.setBrush(brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush))
    scene.addItem(item)
    return item


def text(
    parent: QGraphicsScene | QGraphicsItem,
    html: str,
    pos: tuple[float, float],
    size: float = LABEL_SIZE,
    color: str = theme.FOREGROUND,
    width: float | None = None,
    tip: str = "",
) -> QGraphicsTextItem:
    """A rich-text label with its top-left corner at ``pos`` (wrapped at ``width``)."""
    item = QGraphicsTextItem()
    item.setFont(font(size))
    item.setDefaultTextColor(QColor(color))
    if width is not None:
        item.setTextWidth(width)
    item.setHtml(html)
    item.document().setDocumentMargin(1)
    item.setPos(*pos)
    if tip:
        item.setToolTip(tip)
    _add(parent, item)
    return item


def _add(parent: QGraphicsScene | QGraphicsItem, item: QGraphicsItem) -> None:
    if isinstance(parent, QGraphicsScene):
        parent.addItem(item)
    else:
        item.setParentItem(parent)


class CellItem(QGraphicsRectItem):
    """One unit of a vector: its colour shows the value, ``data(VALUE)`` holds it."""

    vector: VectorItem  # kept here: see the note on parentItem() in diagram.py


class VectorItem(QGraphicsRectItem):
    """A vector as a row (or, for many units, a grid of 16 columns) of coloured cells.

    Its label sits above the cells.  Cells are created once; :meth:`set_values` only
    recolours them and stores the numbers (``cell.data(VALUE)``) for tests and hover.
    """

    def __init__(
        self,
        key: str,
        scale: Scale,
        size: int,
        label: texts.Label | None = None,
        label_room: float = LABEL_ROOM,
    ):
        super().__init__()
        self.key = key
        self.color_scale = scale
        self.label = label or texts.VECTORS[key]
        self.values = np.full(size, np.nan)
        cols = min(size, MAX_COLUMNS)
        rows = math.ceil(size / cols) if size else 1
        self.rows = rows
        self._width = strip_width()
        pitch = self._width / max(cols, 1)
        row_h = 18.0 if rows == 1 else max(4.0, min(14.0, MAX_GRID_HEIGHT / rows))
        row_h *= strip_zoom()
        self.height = rows * row_h
        self.setRect(QRectF(-1, -1, self._width + 2, self.height + 2))
        self.setPen(QPen(QColor(theme.MUTED), 1.0))
        self.setBrush(QBrush(QColor(theme.BACKGROUND)))
        self.setToolTip(self.label.tip)
        ix = 0.7 if pitch >= 8 else 0.0  # white hairlines between cells big enough to show them
        iy = 0.7 if row_h >= 8 else 0.0
        self.cells: list[CellItem] = []
        for k in range(size):
            r, c = divmod(k, cols)
            cell = CellItem(c * pitch + ix, r * row_h + iy, pitch - 2 * ix, row_h - 2 * iy, self)
            cell.setPen(QPen(Qt.PenStyle.NoPen))
            cell.setBrush(scale.nan_brush)
            cell.setData(UNIT, k)
            cell.vector = self
            self.cells.append(cell)
        self.title = text(self, self.label.html, (-2, -LABEL_SIZE * _zoom - 11), tip=self.label.tip)
        small = QFont(self.title.font())
        while self.title.boundingRect().width() > label_room and small.pixelSize() > LABEL_SIZE:
            small.setPixelSize(small.pixelSize() - 1)  # else it runs into the next column's
            self.title.setFont(small)

    @property
    def width(self) -> float:
        return self._width

    def align_label_right(self) -> VectorItem:
        """Label ending at the cells' right edge (for a vector on the left of its wire)."""
        self.title.setX(self._width + 2 - self.title.boundingRect().width())
        return self

    def set_values(self, values: np.ndarray) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        brush = self.color_scale.brush
        for cell, v in zip(self.cells, self.values.tolist(), strict=True):
            cell.setBrush(brush(v))
            cell.setData(VALUE, v)

    def readout(self, cell: CellItem) -> str:
        """ "forget gate f_t, unit 3: 0.9312" (signed for values that can be negative)."""
        value = cell.data(VALUE)
        unit = cell.data(UNIT)
        if value is None or not math.isfinite(value):
            return f"{self.label.plain}, unit {unit}: no value"
        number = f"{value:.4f}" if self.color_scale.lo >= 0 else f"{value:+.4f}"
        return f"{self.label.plain}, unit {unit}: {number}"


def wire(
    scene: QGraphicsScene,
    points: list[tuple[float, float]],
    arrow: bool = True,
    width: float = WIRE_WIDTH,
    tip: str = "",
    dashed: bool = False,
) -> QGraphicsPathItem:
    """A line through ``points`` with an arrowhead at the last one."""
    path = QPainterPath(QPointF(*points[0]))
    for p in points[1:]:
        path.lineTo(QPointF(*p))
    item = QGraphicsPathItem(path)
    pen = QPen(WIRE, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    item.setPen(pen)
    item.setZValue(-1)  # under the boxes it runs into
    if tip:
        item.setToolTip(tip)
    scene.addItem(item)
    if arrow and len(points) >= 2:
        (x0, y0), (x1, y1) = points[-2], points[-1]
        angle = math.atan2(y1 - y0, x1 - x0)
        size = 7 + 2 * width

        def corner(turn: float) -> QPointF:
            a = angle + math.pi + turn
            return QPointF(x1 + size * math.cos(a), y1 + size * math.sin(a))

        head = QGraphicsPolygonItem(QPolygonF([QPointF(x1, y1), corner(0.42), corner(-0.42)]))
        head.setPen(QPen(Qt.PenStyle.NoPen))
        head.setBrush(QBrush(WIRE))
        head.setParentItem(item)
    return item


def dot(scene: QGraphicsScene, x: float, y: float, r: float = 4.5) -> None:
    """Where a wire branches."""
    item = QGraphicsEllipseItem(x - r, y - r, 2 * r, 2 * r)
    item.setPen(QPen(Qt.PenStyle.NoPen))
    item.setBrush(QBrush(WIRE))
    item.setZValue(1)
    scene.addItem(item)


def junction(scene: QGraphicsScene, x: float, y: float, op: str, r: float = 17) -> QGraphicsItem:
    """A plus (``"+"``) or times (``"x"``) junction: a circle with its sign."""
    item = QGraphicsEllipseItem(-r, -r, 2 * r, 2 * r)
    item.setPen(QPen(WIRE, WIRE_WIDTH))
    item.setBrush(QBrush(QColor(theme.BACKGROUND)))
    s = 0.55 * r if op == "+" else 0.42 * r
    sign = QPainterPath()
    strokes = ((-s, 0, s, 0), (0, -s, 0, s)) if op == "+" else ((-s, -s, s, s), (-s, s, s, -s))
    for x0, y0, x1, y1 in strokes:
        sign.moveTo(x0, y0)
        sign.lineTo(x1, y1)
    mark = QGraphicsPathItem(sign, item)
    mark.setPen(QPen(WIRE, WIRE_WIDTH))
    item.setToolTip(texts.PLUS_TIP if op == "+" else texts.TIMES_TIP)
    item.setData(VALUE, op)
    item.setPos(x, y)
    item.setZValue(1)
    scene.addItem(item)
    return item


def _rounded(w: float, h: float, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(-w / 2, -h / 2, w, h), radius, radius)
    return path


def squash(scene: QGraphicsScene, x: float, y: float, kind: str) -> QGraphicsItem:
    """A squashing function's box with its S-curve: ``"sigmoid"`` (0…1) or ``"tanh"`` (−1…1)."""
    w, h = 58.0, 40.0
    box = QGraphicsPathItem(_rounded(w, h, 6))
    box.setPen(QPen(WIRE, 2.0))
    box.setBrush(QBrush(QColor(theme.BACKGROUND)))
    axes = QPainterPath()
    base = h / 2 - 7 if kind == "sigmoid" else 0.0  # where 0 is drawn
    axes.moveTo(-w / 2 + 6, base)
    axes.lineTo(w / 2 - 6, base)
    axes.moveTo(0, -h / 2 + 5)
    axes.lineTo(0, h / 2 - 5)
    axis_item = QGraphicsPathItem(axes, box)
    axis_item.setPen(QPen(QColor("#b0b0b0"), 1.0))
    curve = QPainterPath()
    half_w, half_h = w / 2 - 7, h / 2 - 7
    for k in range(41):
        u = -1 + k / 20  # −1…1 across the box
        v = math.tanh(3 * u) if kind == "tanh" else 2 / (1 + math.exp(-6 * u)) - 1
        point = QPointF(u * half_w, -v * half_h)
        if k == 0:
            curve.moveTo(point)
        else:
            curve.lineTo(point)
    curve_item = QGraphicsPathItem(curve, box)
    curve_item.setPen(QPen(QColor(theme.TRAIN), 2.5))
    box.setToolTip(texts.SIGMOID_TIP if kind == "sigmoid" else texts.TANH_TIP)
    name = "σ" if kind == "sigmoid" else "tanh"
    label = text(box, f"<i>{name}</i>", (0, 0), size=14, color=theme.MUTED)
    label.setPos(-w / 2 - label.boundingRect().width() - 3, -label.boundingRect().height() / 2)
    box.setData(VALUE, kind)
    box.setPos(x, y)
    box.setZValue(1)
    scene.addItem(box)
    return box


def small_box(scene: QGraphicsScene, x: float, y: float, label: str, tip: str) -> QGraphicsItem:
    """A small operation box with a text (the GRU's "1 −")."""
    w, h = 46.0, 32.0
    box = QGraphicsPathItem(_rounded(w, h, 6))
    box.setPen(QPen(WIRE, 2.0))
    box.setBrush(QBrush(QColor(theme.BACKGROUND)))
    item = text(box, f"<b>{label}</b>", (0, 0), size=16)
    rect = item.boundingRect()
    item.setPos(-rect.width() / 2, -rect.height() / 2)
    box.setToolTip(tip)
    box.setPos(x, y)
    box.setZValue(1)
    scene.addItem(box)
    return box


VOTE_WIDTH, VOTE_HEIGHT = 150.0, 54.0


def vote(scene: QGraphicsScene, x: float, y: float, what: str) -> QGraphicsItem:
    """A gate's own small neural network: the box where the inputs vote."""
    box = QGraphicsPathItem(_rounded(VOTE_WIDTH, VOTE_HEIGHT, 10))
    box.setPen(QPen(BOX_EDGE, 2.0))
    box.setBrush(QBrush(BOX_FILL))
    html = f"<div align='center'>voting on<br><b>{what}</b></div>"
    label = text(box, html, (0, 0), size=15, width=VOTE_WIDTH - 8)
    small = QFont(label.font())
    while label.boundingRect().height() > VOTE_HEIGHT and small.pixelSize() > 12:
        small.setPixelSize(small.pixelSize() - 1)  # larger text (presenting): two lines still
        label.setFont(small)
    rect = label.boundingRect()
    label.setPos(-rect.width() / 2, -rect.height() / 2)
    box.setToolTip(texts.VOTE_TIP)
    box.setPos(x, y)
    box.setZValue(1)
    scene.addItem(box)
    return box
