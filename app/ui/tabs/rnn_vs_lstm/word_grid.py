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

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.tabs.symbols import spoken_symbol

# mark -> (fill, text colour, bold)
STYLES = {
    "right": ("#d8f0de", "#14532d", False),
    "wrong": ("#fbd5d5", "#9f1212", True),
    "given": ("#eeeeee", theme.MUTED, False),
    "plain": ("#ffffff", theme.FOREGROUND, False),
    "untrained": ("#f6f6f6", "#9a9a9a", False),  # random initial weights: not a result
    "header": ("", theme.MUTED, False),
}
MARKS = {"right": "\u2713", "wrong": "\u2717"}  # ✓ ✗
"""Right and wrong say it twice, by colour and by a mark: pale green and pale pink are
all but the same colour to a deuteranope (tests/ui/tabs/test_rnn_vs_lstm_colours.py)."""
DIFFER = "#3a3a3a"  # charcoal: "the two disagree here" — neither model's own colour
BORDER = "#c8c8c8"
_FRAME = 3  # px of amber around a disagreeing cell
_GAP = 3
SQUEEZES = ((1.0, 10), (1.0, 4), (0.9, 4), (0.8, 4))
"""(font factor, pixels beside a word) a grid tries, in turn, to fit all its columns in
the width it has (:meth:`WordGrid.fit_to`); past the last it scrolls."""


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
    """Labelled rows of word cells, aligned in columns.

    ``part``: "all" draws the labels and the cells; "cells" only the cells, with a
    :class:`RowLabels` beside it drawing the labels (so they stay in view while the
    cells scroll sideways).
    """

    def __init__(self, parent: QWidget | None = None, part: str = "all") -> None:
        super().__init__(parent)
        self.room = 0  # the width to fit in (0: any, the natural size)
        self.squeeze = SQUEEZES[0]
        self.part = part
        self.rows: list[GridRow] = []
        self.differ: frozenset[int] = frozenset()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)  # read from afar, like the sentences
        self.setFont(font)
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self._widths: list[int] = []
        self._lefts: list[int] = []  # x of each column's left edge
        self._label_width = 0
        self.cell_font, self.cell_bold = font, self.bold_font
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

    def fit_to(self, room: int) -> None:
        """Fit the columns in ``room`` pixels if a squeeze allows (narrower cells, then a
        smaller font for the words); else keep the last squeeze and let the area scroll."""
        if room != self.room:
            self.room = room
            self._measure()
            self.updateGeometry()
            self.resize(self.sizeHint())
            self.update()

    def fits(self) -> bool:
        """Whether every column is in the width given to :meth:`fit_to`."""
        return not self.room or self.sizeHint().width() <= self.room

    # -- geometry ------------------------------------------------------------------
    def row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.6)

    def _measure(self) -> None:
        for squeeze in SQUEEZES:
            self._measure_at(squeeze)
            if not self.room or self.sizeHint().width() <= self.room:
                break

    def _measure_at(self, squeeze: tuple[float, int]) -> None:
        factor, pad = self.squeeze = squeeze
        self.cell_font = QFont(self.font())
        self.cell_font.setPointSizeF(self.font().pointSizeF() * factor)
        self.cell_bold = QFont(self.cell_font)
        self.cell_bold.setBold(True)
        bold = QFontMetrics(self.cell_bold)
        n = max((len(r.cells) for r in self.rows), default=0)
        widths = [bold.horizontalAdvance("MM")] * n
        measured: dict[str, int] = {}  # a line repeats few words: each measured once
        for row in self.rows:
            for k, cell in enumerate(row.cells):
                text = shown_text(cell)
                width = measured.get(text)
                if width is None:
                    width = measured[text] = bold.horizontalAdvance(text) + pad
                widths[k] = max(widths[k], width)
        self._widths = widths
        self._label_width = label_width(self.rows, bold) if self.part == "all" else 0
        first = _FRAME + self._label_width
        self._lefts = list(itertools.accumulate((w + _GAP for w in widths[:-1]), initial=first))
        self._lefts = self._lefts[:n]

    def sizeHint(self) -> QSize:
        width = self._label_width + sum(w + _GAP for w in self._widths) + 2 * _FRAME
        return QSize(width, len(self.rows) * (self.row_height() + _GAP) + 2 * _FRAME)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, row: int, column: int) -> QRect:
        height = self.row_height()
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
            if self._label_width:
                paint_label(painter, self, r, row, self._label_width)
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

    def _paint_cell(self, painter: QPainter, rect: QRect, cell: Cell) -> None:
        fill, ink, bold = STYLES.get(cell.mark, STYLES["plain"])
        if fill:
            painter.fillRect(rect, QColor(fill))
            painter.setPen(QPen(QColor(BORDER), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.setFont(self.cell_bold if bold else self.cell_font)
        painter.setPen(QColor(ink))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), shown_text(cell))

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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # the window's zoom: measure again
            self.bold_font = QFont(self.font())
            self.bold_font.setBold(True)
            self.set_rows(self.rows, self.differ)
        super().changeEvent(event)


class RowLabels(QWidget):
    """The row labels of a ``part="cells"`` :class:`WordGrid`, in line with its rows."""

    def __init__(self, grid: WordGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.setFont(grid.font())
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sync(self) -> None:
        """Take the grid's rows (call after its :meth:`~WordGrid.set_rows`)."""
        self.updateGeometry()
        self.resize(self.sizeHint())
        self.update()

    def sizeHint(self) -> QSize:
        width = (
            label_width(self.grid.rows, QFontMetrics(self.grid.bold_font)) if self.grid.rows else 0
        )
        return QSize(width + _FRAME, self.grid.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(theme.BACKGROUND))
        width = self.width() - _FRAME
        for r, row in enumerate(self.grid.rows):
            paint_label(painter, self.grid, r, row, width)
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # after the grid has measured again
            QTimer.singleShot(0, self, self.sync)  # (not after self is deleted)
        super().changeEvent(event)


def label_width(rows: list[GridRow], bold: QFontMetrics) -> int:
    """Room for the widest row label (and its colour swatch)."""
    widths = (bold.horizontalAdvance(r.label) + (22 if r.colour else 0) for r in rows)
    return max(widths, default=0) + 12


def paint_label(painter: QPainter, grid: WordGrid, r: int, row: GridRow, width: int) -> None:
    """Row ``r``'s label (and the model's colour swatch), ``width`` px wide, as ``grid``'s."""
    height = grid.row_height()
    y = _FRAME + r * (height + _GAP)
    rect = QRect(_FRAME, y, width - 8, height)
    if row.colour:
        swatch = QRect(rect.left(), rect.center().y() - 6, 14, 12)
        painter.fillRect(swatch, QColor(row.colour))
        rect.setLeft(rect.left() + 22)
    painter.setFont(grid.bold_font if row.colour else grid.font())
    painter.setPen(QColor(theme.FOREGROUND if row.colour else theme.MUTED))
    align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    painter.drawText(rect, int(align), row.label)


def shown_text(cell: Cell) -> str:
    """What a cell shows: its symbol, after a ✓ or ✗ when it is a right or wrong guess."""
    mark = MARKS.get(cell.mark)
    text = _shown(cell.text)
    return f"{mark} {text}" if mark else text


def _shown(text: str) -> str:
    """Spaces made visible, a lone punctuation mark named (". full stop")."""
    return display_symbol(text) if text.strip() != text or not text else spoken_symbol(text)
