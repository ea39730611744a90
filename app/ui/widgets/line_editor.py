"""A plain-text editor with line numbers and problem marks: one sequence per line.

Problems found by :func:`app.data.check_text` are drawn in two places: a coloured dot
in the line-number gutter and a wavy underline under the line, with the message as
the line's tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

ERROR_COLOR = QColor("#c53030")
WARNING_COLOR = QColor("#975a16")
"""A dark amber: as text it has a contrast of 5.5:1 on white (WCAG AA asks 4.5:1)."""


class _Gutter(QWidget):
    def __init__(self, editor: LineEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class LineEditor(QPlainTextEdit):
    """QPlainTextEdit plus a gutter; :meth:`set_marks` flags lines (1-based)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: dict[int, tuple[str, str]] = {}  # line -> (severity, message)
        self._gutter = _Gutter(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        # Wrapped lines keep one number in the gutter, so a long sequence stays readable
        # in a narrow dock and is still visibly one line.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(True)  # a tab is no symbol separator: let Tab leave the editor
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self._update_gutter_width()

    # -- marks ----------------------------------------------------------------------
    def set_marks(self, marks: dict[int, tuple[str, str]]) -> None:
        """``{line: (severity, message)}``; severity ``"error"`` or ``"warning"``."""
        self._marks = dict(marks)
        selections = []
        doc = self.document()
        for line, (severity, _) in sorted(self._marks.items()):
            block = doc.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(ERROR_COLOR if severity == "error" else WARNING_COLOR)
            sel.format = fmt
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            sel.cursor = cursor
            selections.append(sel)
        self.setExtraSelections(selections)
        self._gutter.update()

    def marks(self) -> dict[int, tuple[str, str]]:
        return dict(self._marks)

    def go_to_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(line - 1, 0))
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()
            self.setFocus()

    # -- gutter ---------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(digits, 2)

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width()
        small = QFont(self.font())
        painter.setFont(small)
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                line = block.blockNumber() + 1
                mark = self._marks.get(line)
                if mark is not None:
                    color = ERROR_COLOR if mark[0] == "error" else WARNING_COLOR
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(color)
                    painter.drawEllipse(3, top + height // 2 - 3, 7, 7)
                painter.setPen(palette.placeholderText().color())
                painter.drawText(0, top, width - 4, height, Qt.AlignmentFlag.AlignRight, str(line))
            block = block.next()
            top = bottom
        painter.end()

    # -- tooltips on marked lines -----------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = event.pos()
            cursor = self.cursorForPosition(pos - self.viewport().pos())
            mark = self._marks.get(cursor.blockNumber() + 1)
            if mark is not None:
                QToolTip.showText(event.globalPos(), mark[1], self)
                return True
        return super().event(event)
