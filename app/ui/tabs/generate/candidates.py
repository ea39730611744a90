"""The roll-out step by step: what the network read, what it chose, its top candidates.

Each candidate cell shows the symbol and its probability over a bar as long as that
probability; the chosen candidate is bold on a tinted bar, so a greedy roll-out is
always the first column and a sampled one can be seen taking a less likely path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.analysis.rollout import top_candidates
from app.ui.plots import _theme as theme
from app.ui.tabs.symbols import spoken_symbol

TOP_K = 3
MIN_WIDTH = 320
PROBABILITY_ROLE = Qt.ItemDataRole.UserRole + 1
CHOSEN_ROLE = Qt.ItemDataRole.UserRole + 2
FULL_ROLE = Qt.ItemDataRole.UserRole + 3
SYMBOL_ROLE = Qt.ItemDataRole.UserRole + 4
"""A candidate cell's whole text ("seven  0.11"): a narrow column shows the symbol only."""
CELL_PAD = 6  # pixels of a cell beside its text
ROW_PAD = 6  # pixels of a row above and below its line
CHOOSES = 2  # the "chooses" column: left out while every step took its 1st choice
BAR = QColor("#cfe3f3")  # a light tint of the theme's blue
CHOSEN_BAR = QColor("#7fb3d9")
HEADERS = ("step", "reads", "chooses", "1st choice", "2nd choice", "3rd choice")
TIP = (
    "The roll-out step by step. “reads” is the symbol fed in (the last prompt symbol, "
    "then the network's own previous choice); the choice columns are the three likeliest "
    "symbols of the prediction vector, with their probabilities as bars. The chosen one "
    "is bold on a darker bar. “chooses” is left out while the network always takes its "
    "1st choice (most likely); a narrow column shows the symbol without its number "
    "(hover a cell to read it)."
)


class _BarDelegate(QStyledItemDelegate):
    """Paints a probability bar behind the cell text."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        p = index.data(PROBABILITY_ROLE)
        if isinstance(p, float) and 0.0 <= p <= 1.0:  # (a paint must never raise)
            rect: QRect = option.rect.adjusted(2, 3, -2, -3)
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(CHOSEN_BAR if index.data(CHOSEN_ROLE) else BAR)
            painter.drawRect(QRect(rect.left(), rect.top(), round(rect.width() * p), rect.height()))
            painter.restore()
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, index)


class CandidatesTable(QTableWidget):
    """One row per generated step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.setToolTip(TIP)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setItemDelegate(_BarDelegate(self))
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._wanted_width = MIN_WIDTH
        self._fit_width(["waffles"])
        header.sectionResized.connect(self._fit_column)

    def _fit_width(self, vocabulary: Sequence[str]) -> None:
        """Wide enough for the longest symbol with its probability in every column."""
        metrics = QFontMetrics(self._bold)
        longest = max((metrics.horizontalAdvance(spoken_symbol(s)) for s in vocabulary),
                      default=0)  # fmt: skip
        cell = min(longest, 160) + metrics.horizontalAdvance("  (0.00)") + 16
        head = metrics.horizontalAdvance("step  reads") + 30
        self._wanted_width = min(head + 4 * cell, 900)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """Wide enough for every column (what the splitter gives it at first)."""
        return QSize(self._wanted_width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """Narrower on a small screen (it scrolls sideways), so the tab fits beside the docks."""
        return QSize(min(self._wanted_width, MIN_WIDTH), super().minimumSizeHint().height())

    def set_rollout(
        self,
        inputs: Sequence[str],
        ids: np.ndarray,
        probs: np.ndarray,
        vocabulary: Sequence[str],
    ) -> None:
        """Rows for ``ids`` (N,) drawn from ``probs`` (N, V) after reading ``inputs`` (N,)."""
        show = spoken_symbol
        self._fit_width(vocabulary)
        header = self.horizontalHeader()
        # Sizing to contents after every item would re-measure the column each time.
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.setUpdatesEnabled(False)
        self.setRowCount(len(ids))
        for row, (read, chosen, p) in enumerate(zip(inputs, ids, probs, strict=True)):
            chosen_symbol = vocabulary[int(chosen)]
            self._set(row, 0, str(row + 1))
            self._set(row, 1, show(read))
            self._set(row, 2, f"{show(chosen_symbol)}  ({p[int(chosen)]:.2f})", bold=True)
            for k, cand in enumerate(top_candidates(p, int(chosen), vocabulary, TOP_K)):
                full = f"{show(cand.symbol)}  {cand.probability:.2f}"
                item = self._set(row, 3 + k, full, bold=cand.chosen)
                item.setData(FULL_ROLE, full)
                item.setData(SYMBOL_ROLE, show(cand.symbol))
                item.setToolTip(full)
                item.setData(PROBABILITY_ROLE, cand.probability)
                item.setData(CHOSEN_ROLE, cand.chosen)
            for k in range(len(vocabulary), TOP_K):  # fewer symbols than columns
                self._set(row, 3 + k, "")
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.show_last_step()
        greedy = all(c == 0 for c in self.chosen_columns())
        self.setColumnHidden(CHOOSES, greedy and self.rowCount() > 0)
        for col in range(3, 3 + TOP_K):
            self._fit_column(col)
        self.setUpdatesEnabled(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # (the stretched columns take their new widths here)
        for col in range(3, 3 + TOP_K):
            self._fit_column(col)
        self.show_last_step()

    def show_last_step(self) -> None:
        """Rows a line of text high, and the last step in view: where a roll-out ends
        (long-memory's "fifteen → red") matters most; the sentence above has it all."""
        line = QFontMetrics(self.font()).height() + ROW_PAD
        if self.verticalHeader().defaultSectionSize() != line:
            self.verticalHeader().setDefaultSectionSize(line)
        last = self.rowCount() - 1
        if last >= 0 and self.rowViewportPosition(last) + line > self.viewport().height():
            self.scrollToBottom()

    def last_step_seen(self) -> bool:
        """Whether the last row is wholly in view (tests)."""
        last = self.rowCount() - 1
        top = self.rowViewportPosition(last)
        return last < 0 or (top >= 0 and top + self.rowHeight(last) <= self.viewport().height())

    def cell_text(self, row: int, col: int) -> str:
        """The cell's whole text (a narrow candidate column may show less)."""
        item = self.item(row, col)
        if item is None:
            return ""
        full = item.data(FULL_ROLE)
        return full if isinstance(full, str) else item.text()

    @Slot(int)
    def _fit_column(self, col: int, *_sizes: int) -> None:
        """Candidate column ``col``: each cell's symbol and probability when they fit its
        width, else the symbol alone (shortened with "…" if need be): never cut."""
        if col < 3:
            return
        room = self.columnWidth(col) - CELL_PAD
        for row in range(self.rowCount()):
            item = self.item(row, col)
            full = None if item is None else item.data(FULL_ROLE)
            if item is None or not isinstance(full, str):
                continue
            metrics = QFontMetrics(item.font())
            symbol = str(item.data(SYMBOL_ROLE))
            tight = full.replace("  ", " ")
            shown = next(
                (t for t in (full, tight, symbol) if metrics.horizontalAdvance(t) <= room),
                metrics.elidedText(symbol, Qt.TextElideMode.ElideRight, max(room, 0)),
            )
            if item.text() != shown:
                item.setText(shown)

    def chosen_columns(self) -> list[int | None]:
        """For each row, the candidate column (0 = 1st choice) holding the chosen symbol."""
        out: list[int | None] = []
        for row in range(self.rowCount()):
            cols = [
                k
                for k in range(TOP_K)
                if (item := self.item(row, 3 + k)) is not None and item.data(CHOSEN_ROLE)
            ]
            out.append(cols[0] if cols else None)
        return out

    def _set(self, row: int, col: int, text: str, bold: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if bold:
            item.setFont(self._bold)
        item.setForeground(QBrush(QColor(theme.FOREGROUND)))
        item.setTextAlignment(
            Qt.AlignmentFlag.AlignVCenter
            | (Qt.AlignmentFlag.AlignRight if col == 0 else Qt.AlignmentFlag.AlignLeft)
        )
        self.setItem(row, col, item)
        return item
