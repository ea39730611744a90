"""Predictions at A and B as word cells: the lecture's "Epoch 1 / Epoch 2" pictures.

Three rows over the steps of one sequence: the true next symbol, then what the network
predicted at epoch A and at epoch B.  Right predictions are green; wrong ones red and
framed (a shape as well as a colour).  A bar fills each cell as far as the network was
sure: the probability it gave the symbol it predicted.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPicture
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsRectItem,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.analysis.sequence_view import SequenceView
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.plots.token_axis import TokenAxis
from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.timeline import COLOURS
from app.ui.tabs.symbols import joined_html, plain_html, spoken_symbol

RIGHT = "#009E73"  # Okabe–Ito bluish green
TINTS = {0: "#ececec", 1: "#d5efe6", 2: "#f8d9d9"}  # truth, right, wrong
BARS = {1: QColor(0, 158, 115, 110), 2: QColor(214, 39, 40, 110)}
TRUTH, CORRECT, WRONG = 0, 1, 2
ROW_NAMES = ("true next", "A", "B")
STRIPES = {1: QColor(COLOURS["a"]), 2: QColor(COLOURS["b"])}
"""Rows 1 and 2 are epoch A's and B's: each cell carries its epoch's colour on its left."""
STRIPE_WIDTH = 5
ROW_LABEL_WIDTH = 104
"""The row names' axis is at least this wide, and wider when a name needs it: pyqtgraph
silently drops a tick label that does not fit (a long epoch number would vanish)."""
ROW_LABEL_ROOM = 16
"""Pixels beside the widest row name: the tick, its gap, and rounding."""
MIN_ROW_PAD = 8
"""A row of cells is at least a line of text and this many pixels high."""
SHRINK = (0.85, 0.7)
"""Smaller sizes a word in a cell tries, of the tick font, before it is shortened."""


class WordCells(pg.GraphicsObject):
    """Rows of cells centred on integer (step, row) positions, each with a word.

    The text is drawn in pixels (not cells), upright when a word is wider than its
    cell, and shortened with "…" when it does not fit at all.
    """

    def __init__(self) -> None:
        super().__init__()
        self.words: tuple[tuple[str, ...], ...] = ()
        self.probs = np.zeros((0, 0))
        self.states = np.zeros((0, 0), dtype=np.int8)
        self._bounds = QRectF()
        self.last_painted = range(0)
        """The steps the last paint drew (for tests)."""

    def set_cells(
        self, words: tuple[tuple[str, ...], ...], probs: np.ndarray, states: np.ndarray
    ) -> None:
        """``words[r][t]``; ``probs`` and ``states`` are ``(rows, steps)`` (NaN: no bar)."""
        self.prepareGeometryChange()
        self.words, self.probs, self.states = words, probs, states
        rows, steps = states.shape
        self._bounds = QRectF(-0.5, -0.5, steps, rows)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def visible_steps(self, p: QPainter) -> range:
        """The steps whose cells reach into what ``p`` paints (its clip, else its device)."""
        steps = self.states.shape[1] if self.states.ndim == 2 else 0
        inverse, invertible = p.transform().inverted()
        if not invertible:
            return range(steps)
        area = p.clipBoundingRect() if p.hasClipping() else QRectF()
        if area.isEmpty():
            area = inverse.mapRect(QRectF(p.viewport()))
        first = max(0, math.floor(area.left() + 0.5))
        return range(first, min(steps, math.ceil(area.right() + 0.5)))

    def paint(self, p: QPainter, *args: object) -> None:
        transform = p.transform()
        steps = self.last_painted = self.visible_steps(p)  # never more than is on screen
        p.save()
        p.resetTransform()  # draw in pixels: crisp text and frames at any zoom
        font = theme.tick_font()  # (at the window's zoom now)
        frame = QPen(QColor(theme.WRONG), 2)
        for r, row in enumerate(self.words):
            for t in steps:
                word = row[t]
                cell = transform.mapRect(QRectF(t - 0.5, r - 0.5, 1.0, 1.0))
                cell = cell.adjusted(1, 1, -1, -1)
                state = int(self.states[r, t])
                p.fillRect(cell, QColor(TINTS[state]))
                prob = float(self.probs[r, t])
                if state != TRUTH and np.isfinite(prob):
                    bar = QRectF(cell)
                    bar.setTop(cell.bottom() - cell.height() * prob)
                    p.fillRect(bar, BARS[state])
                if state == WRONG:
                    p.setPen(frame)
                    p.drawRect(cell.adjusted(1, 1, -1, -1))
                if r in STRIPES:  # which epoch the row is: A's or B's colour down its left
                    stripe = QRectF(cell)
                    stripe.setWidth(min(STRIPE_WIDTH, cell.width() / 4))
                    p.fillRect(stripe, STRIPES[r])
                if min(cell.width(), cell.height()) >= 6:  # (else no room for a letter)
                    p.setPen(QColor(theme.FOREGROUND))
                    self._draw_word(p, font, cell, spoken_symbol(word))
        p.restore()

    @staticmethod
    def _draw_word(p: QPainter, font: QFont, cell: QRectF, word: str) -> None:
        """``word`` in ``cell``: flat if it fits, else smaller, else upright (reading
        upwards, as on the word axes) in a tall cell, else shortened with "…" — never
        left out: an empty cell would read as a blank prediction."""
        centre = Qt.AlignmentFlag.AlignCenter
        fonts = [font]
        for factor in SHRINK:
            smaller = QFont(font)
            smaller.setPointSizeF(font.pointSizeF() * factor)
            fonts.append(smaller)
        sizes = [(f, QFontMetricsF(f)) for f in fonts]
        upright = cell.height() > cell.width()
        for f, metrics in sizes:
            if metrics.horizontalAdvance(word) + 4 <= cell.width():
                p.setFont(f)
                p.drawText(cell, centre, word)
                return
        if upright:
            for f, metrics in sizes:
                if metrics.horizontalAdvance(word) + 4 <= cell.height() and (
                    metrics.height() * 0.8 <= cell.width()
                ):
                    _draw_upright(p, f, cell, word)
                    return
        f, metrics = sizes[-1]  # the smallest, shortened along the longer side
        room = (cell.height() if upright else cell.width()) - 2
        shown = metrics.elidedText(word, Qt.TextElideMode.ElideRight, room)
        if not shown.rstrip("…"):
            shown = word[:1] + "…"  # (clipped to the cell rather than gone)
        p.save()
        p.setClipRect(cell)
        if upright:
            _draw_upright(p, f, cell, shown)
        else:
            p.setFont(f)
            p.drawText(cell, centre, shown)
        p.restore()


def _draw_upright(p: QPainter, font: QFont, cell: QRectF, text: str) -> None:
    p.save()
    p.setFont(font)
    p.translate(cell.center())
    p.rotate(-90)
    box = QRectF(-cell.height() / 2, -cell.width() / 2, cell.height(), cell.width())
    p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    p.restore()


class PredictionRows(QWidget):
    """The true next symbols and the predictions at A and B, and the sentences they write.

    Signals: ``hovered(str)``, a read-out ("" when the mouse leaves the cells), and
    ``step_hovered(object)``, the step under the mouse (None elsewhere).
    """

    hovered = Signal(str)
    step_hovered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(text.WORDS)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 2, 12, 2)
        self.x_axis = TokenAxis("bottom")
        self.y_axis = pg.AxisItem("left")
        theme.style_axis(self.x_axis, "symbol read")
        theme.style_axis(self.y_axis)
        self.y_axis.setWidth(ROW_LABEL_WIDTH)
        self.plot: pg.PlotItem = self.graphics.addPlot(
            axisItems={"bottom": self.x_axis, "left": self.y_axis}
        )
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setToolTip(text.WORDS)
        vb = self.plot.vb
        vb.invertY(True)
        vb.disableAutoRange()
        vb.setDefaultPadding(0.0)
        self.cells = WordCells()
        self.plot.addItem(self.cells)
        # The step under the mouse here or in the gate panels, as on the heatmaps.
        self.step_outline = QGraphicsRectItem()
        self.step_outline.setPen(pg.mkPen(theme.FOREGROUND, width=2))
        self.step_outline.setZValue(20)
        self.step_outline.hide()
        self.plot.addItem(self.step_outline, ignoreBounds=True)
        self.sentences = QLabel()
        self.sentences.setTextFormat(Qt.TextFormat.RichText)
        self.sentences.setWordWrap(True)
        self.sentences.setToolTip(text.SENTENCES)
        font = self.sentences.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.sentences.setFont(font)
        scroll = QScrollArea()
        scroll.setWidget(self.sentences)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumHeight(int(self.sentences.fontMetrics().lineSpacing() * 4.6))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.summary)
        scroll.setMinimumHeight(int(self.sentences.fontMetrics().lineSpacing() * 1.3))
        # What grey and red mean, below the sentences and never scrolled away: it wraps
        # and the panel grows with it.
        self.key = QLabel()
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        small = self.key.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.key.setFont(small)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(scroll)
        layout.addWidget(self.key)
        self.x_axis.height_changed.connect(self._fit_minimum)
        self._fit_minimum()
        self.views: tuple[SequenceView, SequenceView] | None = None
        self.joiner = " "
        self._steps = 0
        self.line_steps = 0  # the whole line's steps (more than shown: a note says so)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # -- public API -----------------------------------------------------------------------
    def set_views(
        self, a: SequenceView | None, b: SequenceView | None, line_steps: int | None = None
    ) -> None:
        """Show the predictions of ``a`` and ``b`` (the same sequence); None clears.

        ``line_steps``: the whole line's steps when ``a`` and ``b`` show only its first.
        """
        if a is None or b is None:
            self.views = None
            self.cells.set_cells((), np.zeros((0, 0)), np.zeros((0, 0), dtype=np.int8))
            theme.set_label_text(self.summary, "")
            theme.set_label_text(self.sentences, "")
            theme.set_label_text(self.key, "")
            return
        self.views = (a, b)
        steps = a.steps
        self.line_steps = max(steps, line_steps or 0)
        nan = np.full(steps, np.nan)
        probs = np.vstack([nan, a.probs.max(axis=1), b.probs.max(axis=1)])
        states = np.vstack(
            [
                np.zeros(steps),
                np.where(a.correct, CORRECT, WRONG),
                np.where(b.correct, CORRECT, WRONG),
            ]
        ).astype(np.int8)
        self.cells.set_cells((a.targets, a.predicted, b.predicted), probs, states)
        if a.tokens[:-1] != self.x_axis.labels:
            self.x_axis.set_labels(a.tokens[:-1])
        self._fit_minimum()
        self._set_row_names(("true next", f"A · epoch {a.epoch:,}", f"B · epoch {b.epoch:,}"))
        if steps != self._steps:
            self._steps = steps
            vb = self.plot.vb
            vb.setLimits(xMin=-0.5, xMax=steps - 0.5, minXRange=min(1.0, steps))
            vb.setRange(xRange=(-0.5, steps - 0.5), yRange=(-0.5, 2.5), padding=0)
        theme.set_label_text(self.summary, self._summary_html(a, b))
        key = text.SENTENCES_KEY.replace(
            "grey", f"<span style='color:{theme.MUTED}'>grey</span>"
        ).replace("<u>", f"<u style='color:{theme.WRONG}; font-weight:bold'>")
        theme.set_label_text(
            self.sentences, f"{self._sentence(a, 'a')}<br>{self._sentence(b, 'b')}"
        )
        theme.set_label_text(self.key, key)

    def sentences_more(self) -> int:
        """Pixels the sentences need beyond their scroll area's minimum (two lines
        each, at most)."""
        return int(self.sentences.fontMetrics().lineSpacing() * 3.3)

    def drawn_row_names(self) -> list[str]:
        """The row names the axis draws now, worked out exactly as its paint does."""
        picture = QPicture()
        painter = QPainter(picture)
        try:
            painter.setFont(self.y_axis.style["tickFont"] or self.font())
            specs = self.y_axis.generateDrawSpecs(painter)
        finally:
            painter.end()
        return [] if specs is None else [str(text) for _, _, text in specs[2]]

    def _set_row_names(self, names: tuple[str, str, str]) -> None:
        """Name the rows with the epochs they show, on an axis wide enough for every name
        (it only grows: a wider epoch number must not make the panels jump back and forth)."""
        self.y_axis.setTicks([list(enumerate(names))])
        metrics = QFontMetricsF(self.y_axis.style["tickFont"] or self.font())
        widest = max(metrics.boundingRect(name).width() for name in names)
        needed = math.ceil(widest) + ROW_LABEL_ROOM
        if needed > self.y_axis.width():
            self.y_axis.setWidth(needed)

    @property
    def probabilities(self) -> np.ndarray:
        """``(2, T)``: how sure A and B were of the symbol they predicted."""
        return self.cells.probs[1:]

    @property
    def right(self) -> np.ndarray:
        """``(2, T)`` bool: which predictions of A and B were right."""
        return self.cells.states[1:] == CORRECT

    def set_tokenizer(self, tokenizer: str) -> None:
        """Write the sentences joined as the project's tokenizer split them."""
        if tokenizer.startswith("sep:"):
            self.joiner = tokenizer[4:]
        else:
            self.joiner = "" if tokenizer.strip().lower() == "chars" else " "

    def show_cursor(self, step: int | None) -> None:
        if step is None or not 0 <= step < self._steps:
            self.step_outline.hide()
            return
        self.step_outline.setRect(QRectF(step - 0.5, -0.5, 1.0, 3.0))
        self.step_outline.show()

    def describe(self, step: int) -> str:
        if self.views is None:
            return ""
        a, b = self.views
        show = display_symbol
        truth = a.targets[step]
        parts = [f"step {step + 1} of {a.steps}, reading “{show(a.tokens[step])}”",
                 f"true next “{show(truth)}”"]  # fmt: skip
        for letter, v in (("A", a), ("B", b)):
            guess = v.predicted[step]
            k = v.vocabulary.index(truth) if truth in v.vocabulary else -1
            p_true = f", P(“{show(truth)}”) = {v.probs[step, k]:.2f}" if k >= 0 else ""
            mark = "✓ right" if v.correct[step] else "✗ wrong"
            parts.append(
                f"{letter} (epoch {v.epoch:,}): “{show(guess)}” "
                f"{v.probs[step].max():.2f} {mark}{p_true}"
            )
        return " · ".join(parts)

    # -- internals -------------------------------------------------------------------------
    @Slot()
    def _fit_minimum(self) -> None:
        """Three rows a word high each (:data:`MIN_ROW_PAD` more than a line of the cells'
        font at the window's zoom), and the step axis below as high as it is now."""
        line = QFontMetricsF(theme.tick_font()).height()
        axis = self.x_axis.total_height() if self.x_axis.fixedHeight else 6 * line
        self.graphics.setMinimumHeight(math.ceil(3 * (line + MIN_ROW_PAD) + axis + 8))

    def _summary_html(self, a: SequenceView, b: SequenceView) -> str:
        def score(v: SequenceView, key: str) -> str:
            right = int(v.correct.sum())
            return (
                f"<b style='color:{COLOURS[key]}'>{key.upper()}</b> (epoch {v.epoch:,}): "
                f"<b>{right} of {v.steps}</b> right ({100 * right / max(v.steps, 1):.0f}%)"
            )

        cut = ""
        if self.line_steps > a.steps:
            note = text.STEPS_CUT.format(shown=a.steps, steps=self.line_steps)
            cut = f" · <span style='color:{theme.MUTED}'>{note}</span>"
        return (
            f"<b>Predictions</b> on {'line' if a.noun == 'sequence' else a.noun} "
            f"{a.index + 1} only · {score(a, 'a')} · "
            f"{score(b, 'b')}{cut}"
        )

    def _sentence(self, v: SequenceView, key: str) -> str:
        grey = theme.MUTED
        first = v.tokens[0]
        words = [(first, f"<span style='color:{grey}'>{plain_html(first, grey)}</span>", True)]
        for guess, truth, ok in zip(v.predicted, v.targets, v.correct, strict=True):
            if ok:  # (a right line break as a grey ⏎, as a wrong one is shown)
                words.append((guess, plain_html(guess, grey), True))
                continue
            words.append(  # (a wrong lone "." is named: a red speck is easily missed)
                (
                    guess,
                    f"<span style='color:{theme.WRONG}; font-weight:bold; "
                    f"text-decoration:underline'>{html.escape(spoken_symbol(guess))}</span>"
                    f"<span style='color:{grey}'>&nbsp;({html.escape(spoken_symbol(truth))})"
                    "</span>",
                    False,
                )
            )
        label = f"<b style='color:{COLOURS[key]}'>{key.upper()}</b>&nbsp;(epoch&nbsp;{v.epoch:,}):"
        return label + "&nbsp; " + joined_html(words, self.joiner)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        vb = self.plot.vb
        step: int | None = None
        if self.views is not None and vb.sceneBoundingRect().contains(scene_pos):
            x = round(vb.mapSceneToView(scene_pos).x())
            step = x if 0 <= x < self._steps else None
        self.show_cursor(step)
        self.hovered.emit("" if step is None else self.describe(step))
        self.step_hovered.emit(step)
