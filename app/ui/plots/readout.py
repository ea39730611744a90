"""A line of text that changes with every frame without re-running the window's layout."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

_SHRINK_PX = 40  # ask for less room only when the text got this much narrower


class Readout(QWidget):
    """One line of text (rich or plain), for numbers that change many times a second.

    ``QLabel.setText`` invalidates the layout around the label on every change, and the
    layout then measures the label again (rich text as a whole document) and everything
    beside it: with the epoch in the text, that was a few milliseconds per frame.  A
    readout lays its text out once per change and asks for a new size only when the
    text needs more room than it has, or much less; otherwise a change only repaints
    the readout.  The text is vertically centred and left aligned, like a label's, and
    clipped (not wrapped) when the readout is too narrow.
    """

    def __init__(self, text: str = "", rich: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text: str | None = None
        self._rich = rich
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)
        self._doc.setDefaultFont(self.font())
        self._width = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def text(self) -> str:
        return self._text or ""

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        if self._rich:
            self._doc.setHtml(text)
        else:
            self._doc.setPlainText(text)
        self._fit(force=False)
        self.update()

    def sizeHint(self) -> QSize:
        m = self.contentsMargins()
        height = max(self.fontMetrics().height(), math.ceil(self._doc.size().height()))
        return QSize(self._width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._doc.setDefaultFont(self.font())
            self._fit(force=True)

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        painter = QPainter(self)
        painter.setClipRect(rect)
        painter.translate(rect.left(), rect.top() + (rect.height() - self._doc.size().height()) / 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, self.palette().windowText().color())
        self._doc.documentLayout().draw(painter, context)
        painter.end()

    def _fit(self, force: bool) -> None:
        """Ask the layout for room only when the text outgrew the readout (or shrank a lot)."""
        width = math.ceil(self._doc.idealWidth())
        if force or width > self._width or width < self._width - _SHRINK_PX:
            self._width = width
            self.updateGeometry()
