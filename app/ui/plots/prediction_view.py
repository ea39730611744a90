"""The prediction vector at every step: a symbols × steps heatmap and the sentence it writes."""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.analysis.sequence_view import SequenceView
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.plots.heatmap import Heatmap, fit_minimum_height
from app.ui.plots.marks import CellMarks
from app.ui.plots.readout import Readout
from app.ui.tabs.symbols import joined_html, plain_html, spoken_symbol

TIP = (
    "The prediction vector: after reading each symbol (columns, left to right) the "
    "network gives every symbol in the vocabulary (rows) a probability of coming next; "
    "bright yellow is likely, dark is unlikely, and each column adds up to 1. The "
    "outlined cell is the true next symbol. A red frame and a red × mark a step where "
    "the most likely symbol was not the true one. As training goes on the bright cells "
    "move into the outlines."
)
TITLE = "prediction vector — how likely each symbol is to come next"
_IDLE = "Hover over a cell to read its probability."
MIN_IMAGE_PX = 60
MAX_LABELLED_ROWS = 40
"""Up to this many symbols each get a labelled row of their own when there is room;
past it every k-th symbol is labelled, first and last always."""
SENTENCE_LINES = 3
"""The written-out prediction takes up to this many lines, then scrolls."""
ALWAYS_LABELLED_ROWS = 10
"""Up to this many symbols every row keeps its label even in a short window (the Train
tab scrolls before it squeezes them) ..."""
SHORT_STRIDE = 2
"""... more symbols may share their room in a short window, so the gates below still
show: then every 2nd symbol is labelled (first and last always) and the view says so."""


def thinned_note(stride: int) -> str:
    """What the hover line says while only every ``stride``-th symbol is labelled."""
    nth = {2: "2nd", 3: "3rd"}.get(stride, f"{stride}th")
    return f"Every {nth} symbol labelled (first and last always): hover to read a row."


class PredictionView(QWidget):
    """Next-symbol probabilities, the true next symbols, mistakes, and the predicted text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(TIP)
        self.summary = Readout("Select a sequence to see what the network predicts.")
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 4, 4)
        self.heatmap = Heatmap(
            self.graphics.ci,
            0,
            0,
            TITLE,
            theme.SIGMOID_LEVELS,
            theme.sigmoid_map(),
            TIP,
            # two lines, as the gates' titles: the view stays narrow enough to sit beside
            # the loss plot at a projector's scale
            title_html="<b>prediction vector</b><br>how likely each symbol is to come next",
        )
        theme.style_axis(self.heatmap.y_axis, "next symbol")
        # Queued: the axis learns its stride while it is being painted.
        self.heatmap.y_axis.stride_changed.connect(
            self._on_stride_changed, Qt.ConnectionType.QueuedConnection
        )
        self.heatmap.x_axis.height_changed.connect(self._fit_minimum)
        self._add_markers()

        self.sentence = QLabel()
        self.sentence.setTextFormat(Qt.TextFormat.RichText)
        self.sentence.setWordWrap(True)
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.sentence.setToolTip(
            "What the network writes: the first symbol is given (grey), every later one is "
            "the most likely symbol of the prediction vector. Wrong ones are red and "
            "underlined, with the true symbol after them in brackets."
        )
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)  # the line people read from afar
        self.sentence.setFont(font)
        self.hover = QLabel(_IDLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.graphics, 1)
        self.sentence_area = self._scrolling(self.sentence, lines=SENTENCE_LINES)
        layout.addWidget(self.sentence_area)
        layout.addWidget(self.hover)

        self.view: SequenceView | None = None
        self._hovered: tuple[int, int] | None = None
        self.joiner: str | None = None
        """How symbols join into text; None guesses ("" for characters, else " ")."""
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    @staticmethod
    def _scrolling(label: QLabel, lines: int) -> QScrollArea:
        """At most ``lines`` lines of ``label``, then a scroll bar: a 200-word prediction
        must not squeeze the heatmap."""
        area = QScrollArea()
        area.setWidget(label)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As tall as the text (see _fit_sentence), not a scroll area's default 68 px: a
        # line or two of prediction leaves the rest to the plots.
        area.setFixedHeight(int(label.fontMetrics().lineSpacing() * (lines + 0.5)))
        return area

    def _fit_sentence(self) -> None:
        """The sentence's area as tall as its text at its width, up to its maximum."""
        area, label = self.sentence_area, self.sentence
        # The view's width: at a resize the area has not been laid out anew yet.
        need = label.heightForWidth(self.contentsRect().width()) if label.text() else 0
        line = label.fontMetrics().lineSpacing()
        most = int(line * (SENTENCE_LINES + 0.5))
        height = max(line + 2, min(need + 2, most))
        if area.minimumHeight() != height:
            area.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_sentence()

    def _add_markers(self) -> None:
        dark, light, red = "#000000", "#ffffff", theme.WRONG
        # Dark under light: the outline shows on dark and on bright cells alike.
        self.target_marks = CellMarks(
            "outline", [pg.mkPen(dark, width=3.5), pg.mkPen(light, width=1.5)], inset=0.02
        )
        self.wrong_columns = CellMarks("column", [pg.mkPen(red, width=2.5)])
        self.wrong_marks = CellMarks(
            "cross", [pg.mkPen(light, width=5), pg.mkPen(red, width=3)], inset=0.3
        )
        for z, item in enumerate((self.target_marks, self.wrong_columns, self.wrong_marks)):
            item.setZValue(10 + z)
            self.heatmap.plot.addItem(item)

    # -- public API ---------------------------------------------------------------
    def set_view(self, view: SequenceView | None) -> None:
        """Show ``view``'s predictions (None: empty)."""
        self.view = view
        if view is None:
            self.heatmap.clear()
            for marks in (self.target_marks, self.wrong_columns, self.wrong_marks):
                marks.clear()
            theme.set_label_text(
                self.summary, "Select a sequence to see what the network predicts."
            )
            theme.set_label_text(self.sentence, "")
            self._fit_sentence()
            self._show_hover(None)
            return
        self.heatmap.set_data(view.probs)
        self.heatmap.set_x_labels(view.tokens[:-1])
        self.heatmap.set_y_labels(view.vocabulary)
        self._fit_rows()
        steps = np.arange(view.steps, dtype=np.float64)
        index = {s: i for i, s in enumerate(view.vocabulary)}
        targets = np.array([index.get(s, -1) for s in view.targets], dtype=np.float64)
        self.target_marks.set_cells(steps, targets)
        wrong = ~view.correct
        self.wrong_marks.set_cells(steps[wrong], view.probs.argmax(axis=1)[wrong])
        self.wrong_columns.set_cells(steps[wrong], rows=len(view.vocabulary))
        self.summary.setTexts(self._summary_html(view))
        theme.set_label_text(self.sentence, self.sentence_html(view))
        self._fit_sentence()
        self._show_hover(self._hovered)

    def _fit_rows(self) -> None:
        """The heatmap's minimum height: a label's height for each of the first
        :data:`ALWAYS_LABELLED_ROWS` symbols, every 2nd beyond (at the fonts drawn now)."""
        if self.view is None:
            return
        rows = min(len(self.view.vocabulary), MAX_LABELLED_ROWS)
        if rows > ALWAYS_LABELLED_ROWS:
            rows = max(ALWAYS_LABELLED_ROWS, math.ceil(rows / SHORT_STRIDE))
        per_row = self.heatmap.y_axis.label_extent()
        self.heatmap.set_minimum_image_height(max(MIN_IMAGE_PX, math.ceil(rows * per_row)))
        self._fit_minimum()

    def font_zoom_changed(self) -> None:
        """Zoom or presentation mode drew the labels larger: they need more height."""
        self._fit_rows()

    def room_for_every_label(self) -> int:
        """How much taller than its minimum the view must be for every symbol (up to
        :data:`MAX_LABELLED_ROWS`) to keep its own label."""
        if self.view is None:
            return 0
        rows = min(len(self.view.vocabulary), MAX_LABELLED_ROWS)
        full = max(MIN_IMAGE_PX, math.ceil(rows * self.heatmap.y_axis.label_extent()))
        return max(0, full - round(self.heatmap.plot.getViewBox().minimumHeight()))

    def set_tokenizer(self, tokenizer: str | None) -> None:
        """Join the written-out prediction as the project's tokenizer split it.

        ``"words"`` joins with spaces, ``"chars"`` with nothing, ``"sep:X"`` with ``X``;
        None guesses from the vocabulary.
        """
        if tokenizer is None:
            self.joiner = None
        elif tokenizer.startswith("sep:"):
            self.joiner = tokenizer[4:]
        else:
            self.joiner = "" if tokenizer.strip().lower() == "chars" else " "
        if self.view is not None:
            theme.set_label_text(self.sentence, self.sentence_html(self.view))
            self._fit_sentence()

    def wrong_steps(self) -> np.ndarray:
        """The steps highlighted as wrong (for tests and the comparison views)."""
        return self.wrong_columns.x.astype(np.int64)

    def sentence_html(self, view: SequenceView) -> str:
        """The first symbol (given) and every predicted symbol, wrong ones in red."""
        joiner = self._joiner(view)
        grey = theme.MUTED
        first = view.tokens[0]
        words = [(first, f"<span style='color:{grey}'>{plain_html(first, grey)}</span>", True)]
        for guess, truth, ok in zip(view.predicted, view.targets, view.correct, strict=True):
            if ok:  # (a right line break as a grey ⏎, as a wrong one is shown)
                words.append((guess, plain_html(guess, grey), True))
                continue
            words.append(  # (a wrong lone "." is named: a red speck is easily missed)
                (
                    guess,
                    f"<span style='color:{theme.WRONG_TEXT}; font-weight:bold; "
                    f"text-decoration:underline'>{html.escape(spoken_symbol(guess))}</span>"
                    f"<span style='color:{grey}'>&nbsp;({html.escape(spoken_symbol(truth))})"
                    "</span>",
                    False,
                )
            )
        return "<b>predicted:</b>&nbsp; " + joined_html(words, joiner)

    def describe(self, step: int, row: int) -> str:
        """The read-out for step ``step`` and vocabulary row ``row`` (plain text)."""
        view = self.view
        if view is None:
            return _IDLE
        show = display_symbol
        p = float(view.probs[step, row])
        mark = (
            "✓ right"
            if view.correct[step]
            else f"✗ wrong: predicted “{show(view.predicted[step])}”"
        )
        return (
            f"step {step + 1} of {view.steps}, reading “{show(view.tokens[step])}” · "
            f"P(next = “{show(view.vocabulary[row])}”) = {p:.3f} · "
            f"true next “{show(view.targets[step])}” · {mark}"
        )

    def export_image(self, path: str) -> None:
        """Write the heatmap (with its title and colour bar): PNG or SVG, by extension."""
        theme.export_item(self.graphics.ci, path)

    # -- internals ----------------------------------------------------------------
    def _joiner(self, view: SequenceView) -> str:
        if self.joiner is not None:
            return self.joiner
        # Characters: every symbol is one character, so they join with nothing.
        chars = len(view.vocabulary) > 0 and all(len(s) == 1 for s in view.vocabulary)
        return "" if chars and " " in view.vocabulary else " "

    @staticmethod
    def _summary_html(view: SequenceView) -> list[str]:
        """The summary line, then shorter forms of it for a narrow view."""
        right, total = int(view.correct.sum()), view.steps
        colour = theme.TRAIN if right == total else theme.WRONG_TEXT
        count = f"<b style='color:{colour}'>{right} of {total}</b>"
        percent = f"(<b>{100 * right / max(total, 1):.0f}%</b>)"
        where = f"{view.noun.capitalize()} {view.index + 1} at epoch {view.epoch:,}"
        return [
            f"{where}: {count} next symbols predicted right {percent}",
            f"{where}: {count} right {percent}",
            f"{count} right {percent}",
        ]

    def idle_text(self) -> str:
        """The hover line when nothing is hovered: says so when row labels are thinned."""
        stride = self.heatmap.y_axis.shown_stride
        return _IDLE if stride <= 1 or self.view is None else thinned_note(stride)

    @Slot()
    def _fit_minimum(self) -> None:
        fit_minimum_height(self.graphics)

    @Slot(int)
    def _on_stride_changed(self, stride: int) -> None:
        if self._hovered is None:
            theme.set_label_text(self.hover, self.idle_text())

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        self._show_hover(self.heatmap.cell_at(scene_pos))

    def _show_hover(self, cell: tuple[int, int] | None) -> None:
        view = self.view
        if cell is not None and (
            view is None or cell[0] >= view.steps or cell[1] >= len(view.vocabulary)
        ):
            cell = None
        self._hovered = cell
        self.heatmap.show_cursor(None if cell is None else cell[0])
        theme.set_label_text(self.hover, self.idle_text() if cell is None else self.describe(*cell))
