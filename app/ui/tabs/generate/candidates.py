"""The roll-out step by step: what the network read, what it chose, its top candidates.

Each candidate cell shows the symbol and its probability over a bar as long as that
probability; the chosen candidate is bold on a tinted bar, so a greedy roll-out is
always the first column and a sampled one can be seen taking a less likely path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter
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
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme

TOP_K = 3
MIN_WIDTH = 320
PROBABILITY_ROLE = Qt.ItemDataRole.UserRole + 1
CHOSEN_ROLE = Qt.ItemDataRole.UserRole + 2
BAR = QColor("#cfe3f3")  # a light tint of the theme's blue
CHOSEN_BAR = QColor("#7fb3d9")
HEADERS = ("step", "reads", "chooses", "1st choice", "2nd choice", "3rd choice")
TIP = (
    "The roll-out step by step. “reads” is the symbol fed in (the last prompt symbol, "
    "then the network's own previous choice); the choice columns are the three likeliest "
    "symbols of the prediction vector, with their probabilities as bars. The chosen one "
    "is bold on a darker bar."
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
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._wanted_width = MIN_WIDTH
        self._fit_width(["waffles"])

    def _fit_width(self, vocabulary: Sequence[str]) -> None:
        """Wide enough for the longest symbol with its probability in every column."""
        metrics = QFontMetrics(self._bold)
        longest = max((metrics.horizontalAdvance(display_symbol(s)) for s in vocabulary),
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
        show = display_symbol
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
                item = self._set(
                    row, 3 + k, f"{show(cand.symbol)}  {cand.probability:.2f}", bold=cand.chosen
                )
                item.setData(PROBABILITY_ROLE, cand.probability)
                item.setData(CHOSEN_ROLE, cand.chosen)
            for k in range(len(vocabulary), TOP_K):  # fewer symbols than columns
                self._set(row, 3 + k, "")
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.setUpdatesEnabled(True)

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return "" if item is None else item.text()

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
