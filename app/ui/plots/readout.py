"""A line of text that changes with every frame without re-running the window's layout."""

from __future__ import annotations

import math
from collections.abc import Sequence

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
    the readout.  The text is vertically centred and left aligned, like a label's.

    :meth:`setTexts` gives shorter forms of the same text, longest first: the readout
    shows the longest that fits its width and never gets narrower than the shortest,
    so nothing is cut off mid-number (a projector's large fonts).  With one form the
    text is clipped (not wrapped) when the readout is too narrow.
    """

    def __init__(self, text: str = "", rich: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text: str | None = None
        self._texts: tuple[str, ...] = ()
        self._rich = rich
        self._docs: list[QTextDocument] = []
        self._doc = self._new_doc()
        self._width = 0
        self._min_width = 0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def text(self) -> str:
        return self._text or ""

    def setText(self, text: str) -> None:
        self.setTexts([text])

    def setTexts(self, texts: Sequence[str]) -> None:
        """The same text in forms from longest to shortest; the longest that fits is shown."""
        texts = tuple(texts) or ("",)
        if texts == self._texts:
            return
        self._text, self._texts = texts[0], texts
        while len(self._docs) < len(texts):
            self._new_doc()
        for doc, text in zip(self._docs, texts, strict=False):
            if self._rich:
                doc.setHtml(text)
            else:
                doc.setPlainText(text)
        self._fit(force=False)
        self.update()

    def shown_text(self) -> str:
        """The form of the text shown at the readout's present width."""
        return self._texts[self._shown_index()] if self._texts else ""

    def shown_width(self) -> float:
        """How wide the shown form is (compare with ``contentsRect().width()``)."""
        return self._docs[self._shown_index()].idealWidth() if self._texts else 0.0

    def sizeHint(self) -> QSize:
        m = self.contentsMargins()
        height = max(self.fontMetrics().height(), math.ceil(self._doc.size().height()))
        return QSize(self._width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSizeHint(self) -> QSize:
        m = self.contentsMargins()
        return QSize(self._min_width + m.left() + m.right(), self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            for doc in self._docs:
                doc.setDefaultFont(self.font())
            self._fit(force=True)

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        doc = self._docs[self._shown_index()]
        painter = QPainter(self)
        painter.setClipRect(rect)
        painter.translate(rect.left(), rect.top() + (rect.height() - doc.size().height()) / 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, self.palette().windowText().color())
        doc.documentLayout().draw(painter, context)
        painter.end()

    def _new_doc(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.font())
        self._docs.append(doc)
        return doc

    def _shown_index(self) -> int:
        """The longest form that fits the width (the shortest when none does)."""
        width = self.contentsRect().width()
        last = max(len(self._texts) - 1, 0)
        for i in range(last):
            if self._docs[i].idealWidth() <= width:
                return i
        return last

    def _fit(self, force: bool) -> None:
        """Ask the layout for room only when the text outgrew the readout (or shrank a lot)."""
        width = math.ceil(self._doc.idealWidth())
        shortest = math.ceil(self._docs[max(len(self._texts) - 1, 0)].idealWidth())
        if len(self._texts) <= 1:
            shortest = 0  # one form: clipped, as a label would be
        if (
            force
            or width > self._width
            or width < self._width - _SHRINK_PX
            or shortest > self._min_width
            or shortest < self._min_width - _SHRINK_PX
        ):
            self._width, self._min_width = width, shortest
            self.updateGeometry()
