"""Rows of words side by side, one column per step: what each model read, predicted or wrote.

A painted widget rather than a table: every cell is coloured by what it means (right,
wrong, given, written) and the columns where the two models disagree get a thick amber
frame, which reads from the back of a lecture hall.  The data it shows stays readable
for tests: :attr:`WordGrid.rows` and :attr:`WordGrid.differ`.

The columns are laid out once per :meth:`~WordGrid.set_rows` (each distinct word
measured once); a paint draws only the columns in the exposed rectangle, so a grid
thousands of columns wide in a scroll area costs what its visible part costs.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme

# mark -> (fill, text colour, bold)
STYLES = {
    "right": ("#d8f0de", "#14532d", False),
    "wrong": ("#fbd5d5", "#9f1212", True),
    "given": ("#eeeeee", theme.MUTED, False),
    "plain": ("#ffffff", theme.FOREGROUND, False),
    "header": ("", theme.MUTED, False),
}
DIFFER = "#F2B705"  # amber: "the two models disagree here"
BORDER = "#c8c8c8"
_FRAME = 3  # px of amber around a disagreeing cell
_GAP = 3


@dataclass(frozen=True)
class Cell:
    text: str
    mark: str = "plain"  # a key of STYLES
    tip: str = ""


@dataclass(frozen=True)
class GridRow:
    """One labelled row; ``colour`` draws a swatch (the model's plot colour)."""

    label: str
    cells: tuple[Cell, ...]
    colour: str | None = None
    compared: bool = False  # framed where the models differ


class WordGrid(QWidget):
    """Labelled rows of word cells, aligned in columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.differ: frozenset[int] = frozenset()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)  # read from afar, like the sentences
        self.setFont(font)
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._widths: list[int] = []
        self._lefts: list[int] = []  # x of each column's left edge
        self._label_width = 0
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_rows(
        self, rows: list[GridRow], differ: set[int] | frozenset[int] = frozenset()
    ) -> None:
        """Show ``rows``; columns in ``differ`` are framed in the ``compared`` rows."""
        self.rows = list(rows)
        self.differ = frozenset(differ)
        self._measure()
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    # -- geometry ------------------------------------------------------------------
    def _row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.6)

    def _measure(self) -> None:
        bold = QFontMetrics(self._bold)
        n = max((len(r.cells) for r in self.rows), default=0)
        widths = [bold.horizontalAdvance("MM")] * n
        measured: dict[str, int] = {}  # a line repeats few words: each measured once
        for row in self.rows:
            for k, cell in enumerate(row.cells):
                width = measured.get(cell.text)
                if width is None:
                    width = measured[cell.text] = bold.horizontalAdvance(_shown(cell.text)) + 10
                widths[k] = max(widths[k], width)
        self._widths = widths
        self._label_width = max(
            (bold.horizontalAdvance(r.label) + (22 if r.colour else 0) for r in self.rows),
            default=0,
        ) + 12  # fmt: skip
        first = _FRAME + self._label_width
        self._lefts = list(itertools.accumulate((w + _GAP for w in widths[:-1]), initial=first))
        self._lefts = self._lefts[:n]

    def sizeHint(self) -> QSize:
        width = self._label_width + sum(w + _GAP for w in self._widths) + 2 * _FRAME
        return QSize(width, len(self.rows) * (self._row_height() + _GAP) + 2 * _FRAME)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, row: int, column: int) -> QRect:
        height = self._row_height()
        y = _FRAME + row * (height + _GAP)
        return QRect(self._lefts[column], y, self._widths[column], height)

    def columns_in(self, left: int, right: int) -> range:
        """The columns that reach into the pixels ``left`` to ``right``."""
        first = max(0, bisect.bisect_right(self._lefts, left) - 1)
        return range(first, bisect.bisect_right(self._lefts, right))

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        for c in self.columns_in(pos.x(), pos.x()):
            for r, row in enumerate(self.rows):
                if c < len(row.cells) and self.cell_rect(r, c).contains(pos):
                    return r, c
        return None

    # -- drawing --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        exposed = event.rect()
        # A frame reaches _FRAME px beyond its column: take one more column each side.
        columns = self.columns_in(exposed.left() - _FRAME, exposed.right() + _FRAME)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(exposed, QColor(theme.BACKGROUND))
        self._paint_differences(painter, columns)
        for r, row in enumerate(self.rows):
            self._paint_label(painter, r, row)
            for c in range(columns.start, min(columns.stop, len(row.cells))):
                self._paint_cell(painter, self.cell_rect(r, c), row.cells[c])
        painter.end()

    def _paint_differences(self, painter: QPainter, columns: range) -> None:
        compared = [r for r, row in enumerate(self.rows) if row.compared]
        if not compared:
            return
        for c in sorted(self.differ.intersection(columns)):
            top, bottom = self.cell_rect(compared[0], c), self.cell_rect(compared[-1], c)
            band = top.united(bottom).adjusted(-_FRAME, -_FRAME, _FRAME, _FRAME)
            painter.fillRect(band, QColor(DIFFER))

    def _paint_label(self, painter: QPainter, r: int, row: GridRow) -> None:
        y = _FRAME + r * (self._row_height() + _GAP)
        rect = QRect(_FRAME, y, self._label_width - 8, self._row_height())
        if row.colour:
            swatch = QRect(rect.left(), rect.center().y() - 6, 14, 12)
            painter.fillRect(swatch, QColor(row.colour))
            rect.setLeft(rect.left() + 22)
        painter.setFont(self._bold if row.colour else self.font())
        painter.setPen(QColor(theme.FOREGROUND if row.colour else theme.MUTED))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(rect, int(align), row.label)

    def _paint_cell(self, painter: QPainter, rect: QRect, cell: Cell) -> None:
        fill, ink, bold = STYLES.get(cell.mark, STYLES["plain"])
        if fill:
            painter.fillRect(rect, QColor(fill))
            painter.setPen(QPen(QColor(BORDER), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.setFont(self._bold if bold else self.font())
        painter.setPen(QColor(ink))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), _shown(cell.text))

    # -- hover ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.cell_at(event.pos())
            tip = self.rows[hit[0]].cells[hit[1]].tip if hit else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                if self.toolTip():
                    QToolTip.showText(event.globalPos(), self.toolTip(), self)
            return True
        return super().event(event)


def _shown(text: str) -> str:
    return display_symbol(text) if text.strip() != text or not text else text
