"""Parts of the diagram that are not the cell itself: the next-symbol bars, the symbol
read, and the colour legend.  Items are made once and updated in place.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QGraphicsScene

from app.analysis.cell_values import Candidate, StepSummary
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.tabs.cell import colors, items, texts
from app.ui.tabs.cell.items import BOX_EDGE, VALUE, _rounded, rect, text
from app.ui.tabs.symbols import named_symbol

ROWS = 5
BAR_WIDTH = 120.0
ROW_HEIGHT = 26.0
BAR_COLOR = QColor(theme.TRAIN)
TARGET_COLOR = QColor("#009E73")  # Okabe–Ito green: the true next symbol


def quote(symbol: str) -> str:
    """A symbol as the captions show it: ‘Jane’, with spaces and line breaks visible."""
    return f"‘{html.escape(display_symbol(symbol))}’"


def title_html(epoch: str, s: StepSummary) -> str:
    """ "epoch 40 · step 4 of 11: reading ‘.’, predicting ‘Jane’ (p = 0.93) ✓ right"."""
    if s.correct:
        verdict = f"<span style='color:{TARGET_COLOR.name()}'>✓ right</span>"
    else:
        verdict = f"<span style='color:{theme.WRONG}'>✗ the next symbol is {quote(s.target)}</span>"
    return (
        f"<b>{epoch} · step {s.step + 1} of {s.steps}:</b> reading <b>{quote(s.read)}</b>, "
        f"predicting <b>{quote(s.predicted)}</b> (p = {s.p:.2f}) {verdict}"
    )


class ProbabilityPanel:
    """The most likely next symbols with bars (0…1), the true next one marked."""

    def __init__(self, scene: QGraphicsScene, x: float, y: float) -> None:
        self.title = text(scene, texts.PROBS_TITLE, (x, y), size=15)
        self.title.setToolTip(texts.PROBS_TIP)
        top = y + self.title.boundingRect().height() + 4
        self.words = []
        self.frames = []
        self.bars = []
        self.numbers = []
        zoom = items.zoom()  # rows as tall as their (presentation-size) text
        self.row_height = row_height = ROW_HEIGHT * zoom
        word_width = 96.0 * zoom
        for k in range(ROWS):
            row_y = top + k * row_height
            word = text(scene, "", (x, row_y), size=15, width=word_width)
            word.setToolTip(texts.PROBS_TIP)
            frame = rect(
                scene,
                QRectF(x + word_width + 4, row_y + 5, BAR_WIDTH, row_height - 10),
                QPen(QColor("#cccccc"), 1.0),
            )
            frame.setToolTip(texts.PROBS_TIP)
            self.frames.append(frame)
            bar = QGraphicsRectItem(0, 0, 0, row_height - 10)
            bar.setPos(x + word_width + 4, row_y + 5)
            bar.setPen(QPen(Qt.PenStyle.NoPen))
            bar.setBrush(QBrush(BAR_COLOR))
            scene.addItem(bar)
            number = text(
                scene, "", (x + word_width + BAR_WIDTH + 8, row_y), size=14, width=60 * zoom
            )
            self.words.append(word)
            self.bars.append(bar)
            self.numbers.append(number)
        self.bottom = top + ROWS * row_height

    def set_candidates(self, candidates: list[Candidate]) -> None:
        for k in range(ROWS):
            word, bar, number = self.words[k], self.bars[k], self.numbers[k]
            self.frames[k].setVisible(k < len(candidates))  # a 3-symbol vocabulary: 3 rows
            if k >= len(candidates):
                word.setHtml("")
                number.setHtml("")
                bar.setRect(0, 0, 0, self.row_height - 10)
                bar.setData(VALUE, None)
                continue
            c = candidates[k]
            mark = " ✓" if c.is_target else ""
            color = TARGET_COLOR.name() if c.is_target else theme.FOREGROUND
            weight = "<b>" if c.is_target else ""
            end = "</b>" if c.is_target else ""
            word.setHtml(
                f"<div align='right' style='color:{color}'>{weight}"
                f"{named_symbol(c.symbol, longest=9)}{end}</div>"
            )
            number.setHtml(f"<span style='color:{color}'>{c.p:.2f}{mark}</span>")
            bar.setRect(0, 0, BAR_WIDTH * max(0.0, min(1.0, c.p)), self.row_height - 10)
            bar.setBrush(QBrush(TARGET_COLOR if c.is_target else BAR_COLOR))
            bar.setData(VALUE, c.p)
            bar.setToolTip(f"{c.symbol}: p = {c.p:.4f}" + (" (the true next symbol)" * c.is_target))


class WordBox:
    """The new information x_t: the symbol read, written out in a box."""

    def __init__(self, scene: QGraphicsScene, x: float, y: float, w: float = 176) -> None:
        self.box = QGraphicsPathItem(_rounded(w, 40, 8))
        self.box.setPen(QPen(BOX_EDGE, 2.0))
        self.box.setBrush(QBrush(QColor("#fff8e6")))
        self.box.setPos(x + w / 2, y + 20)
        self.box.setToolTip(texts.INPUT_TIP)
        scene.addItem(self.box)
        self.width = w
        self.label = text(
            scene,
            f"<b>{texts.INPUT_WORDS}</b>&nbsp;&nbsp;<i>x</i><sub>t</sub>",
            (x - 2, y - 26 * items.zoom()),
            tip=texts.INPUT_TIP,
        )
        self.word = text(self.box, "", (0, 0), size=20)

    def set_symbol(self, symbol: str) -> None:
        self.word.setHtml(f"<b>{quote(symbol)}</b>")
        rect = self.word.boundingRect()
        scale = min(1.0, (self.width - 10) / max(rect.width(), 1.0))  # long words shrink
        self.word.setScale(scale)
        self.word.setPos(-rect.width() * scale / 2, -rect.height() * scale / 2)
        self.word.setData(VALUE, symbol)


_TICKS = {"gate": ("0", "1"), "tanh": ("−1", "1"), "memory": ("−3", "3")}


def legend(
    scene: QGraphicsScene, x: float, y: float, names: tuple[str, ...] = ("gate", "tanh", "memory")
) -> float:
    """The colour scales side by side in one row from ``(x, y)``; returns the right end."""
    bar_w, bar_h = 100.0, 14.0 * items.zoom()
    for name in names:
        scale = colors.scale(name)
        lo, hi = _TICKS[name]
        left = text(scene, lo, (x, y), size=14, color=theme.MUTED)
        bar_x = x + left.boundingRect().width() + 2
        bar = rect(
            scene, QRectF(bar_x, y + 5 * items.zoom(), bar_w, bar_h), QPen(QColor(theme.MUTED), 1)
        )
        bar.setBrush(QBrush(scale.gradient(QPointF(bar_x, 0), QPointF(bar_x + bar_w, 0))))
        bar.setToolTip(texts.SCALE_TEXT[name])
        right = text(scene, hi, (bar_x + bar_w + 2, y), size=14, color=theme.MUTED)
        label_x = bar_x + bar_w + right.boundingRect().width() + 8
        label = text(scene, texts.SCALE_TEXT[name], (label_x, y), size=14)
        x = label_x + label.boundingRect().width() + 28
    return x
