"""Below the curves: both models' predictions on one line, and what each writes from a prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.analysis import rnn_vs_lstm as compare
from app.data import DataError
from app.data.tokenize import split_lines
from app.project import Project
from app.ui.plots import _theme as theme
from app.ui.tabs.rnn_vs_lstm import rows, texts
from app.ui.tabs.rnn_vs_lstm.choice import MAX_STEPS
from app.ui.tabs.rnn_vs_lstm.word_grid import GridRow, RowLabels, WordGrid
from app.ui.widgets.line_combo import excerpt_labels, line_combo, line_label


def _scrolling(grid: WordGrid) -> QScrollArea:
    """The grid's cells at their natural size, scrolling sideways when a line is long."""
    area = QScrollArea()
    area.setWidget(grid)
    area.setWidgetResizable(False)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    area.setStyleSheet(f"QScrollArea {{ background: {theme.BACKGROUND}; }}")
    return area


def _frozen(labels: RowLabels, area: QScrollArea) -> QWidget:
    """The row labels, always in view, beside the cells that scroll."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    row.addWidget(labels, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(area, 1)
    return box


def _more_note() -> QLabel:
    """Under a grid scrolled to its end: the first steps are to the left."""
    note = QLabel(texts.MORE_LEFT)
    note.setStyleSheet(f"color: {theme.MUTED}")
    note.hide()
    return note


def _heading(text: str, tip: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setToolTip(tip)
    return label


class SideBySide(QWidget):
    """Sequence selector, prediction rows, prompt and generation rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sequence_combo = line_combo(texts.SEQUENCE_TIP)
        self.predictions = WordGrid(part="cells")
        self.predictions.setToolTip(texts.PREDICTIONS_TIP)
        self.prediction_labels = RowLabels(self.predictions)
        self.prediction_labels.setToolTip(texts.PREDICTIONS_TIP)
        self.prompt_edit = QLineEdit()
        self.prompt_edit.setToolTip(texts.PROMPT_TIP)
        self.prompt_edit.setPlaceholderText(compare.EMPTY_PROMPT)
        self.prompt_edit.setMinimumWidth(160)
        self.prompt_edit.setMaximumWidth(420)  # a prompt is a few symbols
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, MAX_STEPS)
        self.steps_spin.setSuffix(" symbols")
        self.steps_spin.setToolTip(texts.STEPS_TIP)
        self.generation = WordGrid(part="cells")
        self.generation.setToolTip(texts.GENERATION_TIP)
        self.generation_labels = RowLabels(self.generation)
        self.generation_labels.setToolTip(texts.GENERATION_TIP)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {theme.WRONG}")
        self.message.setWordWrap(True)
        self.message.hide()
        self.cut_note = QLabel()  # a long line: only its first steps are shown
        self.cut_note.setStyleSheet(f"color: {theme.MUTED}")
        self.cut_note.hide()
        self.hint = QLabel()
        self.hint.setStyleSheet(f"color: {theme.MUTED}")
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.hint.hide()
        legend = QLabel(texts.DIFFER_LEGEND)
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setToolTip(texts.PREDICTIONS_TIP)

        top = QHBoxLayout()
        top.addWidget(_heading("Predictions on", texts.PREDICTIONS_TIP))
        top.addWidget(self.sequence_combo, 1)
        top.addSpacing(12)
        top.addWidget(legend)
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(_heading("Each writes on from", texts.GENERATION_TIP))
        prompt_row.addWidget(self.prompt_edit, 1)
        prompt_row.addWidget(QLabel("for"))
        prompt_row.addWidget(self.steps_spin)
        prompt_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        self.predictions_area = _scrolling(self.predictions)
        layout.addWidget(_frozen(self.prediction_labels, self.predictions_area))
        self.predictions_more = _more_note()
        layout.addWidget(self.predictions_more)
        layout.addWidget(self.cut_note)
        layout.addLayout(prompt_row)
        self.generation_area = _scrolling(self.generation)
        layout.addWidget(_frozen(self.generation_labels, self.generation_area))
        self.generation_more = _more_note()
        layout.addWidget(self.generation_more)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def set_sequences(self, project: Project | None, selected: int) -> None:
        """One entry per line of ``project`` ("line 3: Doug saw Jane."); None: empty."""
        combo = self.sequence_combo
        combo.blockSignals(True)
        combo.clear()
        if project is not None:
            data = project.data()
            if data.mode == "stream":
                labels = excerpt_labels(data, project.tokenizer)
            else:
                lines = split_lines(project.text)
                labels = [line_label(line, lines[line - 1]) for line in data.line_numbers]
            for i, label in enumerate(labels):
                combo.addItem(label, i)
            if 0 <= selected < combo.count():
                combo.setCurrentIndex(selected)
        combo.setEnabled(combo.count() > 0)
        combo.blockSignals(False)

    def show_prompt(self, text: str) -> None:
        """Put ``text`` in the prompt box (not an edit: no signal the view would store)."""
        if self.prompt_edit.text() != text:
            self.prompt_edit.setText(text)

    def compare(
        self, sides: tuple[compare.Side, compare.Side], sequence: int, prompt: str, steps: int
    ) -> None:
        """Both networks on line ``sequence`` and writing ``steps`` symbols from ``prompt``."""
        left, right = sides
        views = (compare.prediction_view(left, sequence), compare.prediction_view(right, sequence))
        self.show_predictions(*rows.prediction_rows(*views, sides))
        self._show_cut(views[0].steps, compare.line_steps(left.data, sequence))
        try:
            ids = compare.parse_prompt(prompt, left.data)
        except DataError as exc:
            self.show_generation([], set())
            self.show_message(f"Prompt: {exc}")
            return
        outputs = (compare.roll_out(left, ids, steps), compare.roll_out(right, ids, steps))
        self.show_generation(*rows.generation_rows(ids, outputs, sides))
        self.show_message("")

    def clear(self) -> None:
        self.show_predictions([], set())
        self._show_cut(0, 0)
        self.show_generation([], set())

    def show_predictions(self, rows: list[GridRow], differ: set[int]) -> None:
        self.predictions.set_rows(rows, differ)
        self.prediction_labels.sync()
        self._fit(self.predictions_area, self.predictions)

    def show_generation(self, rows: list[GridRow], differ: set[int]) -> None:
        self.generation.set_rows(rows, differ)
        self.generation_labels.sync()
        self._fit(self.generation_area, self.generation)

    def show_message(self, text: str) -> None:
        """A problem to show under the grids ("" hides it)."""
        theme.set_label_text(self.message, text)
        self.message.setVisible(bool(text))

    def show_hint(self, text: str) -> None:
        """A suggestion under the grids ("" hides it)."""
        theme.set_label_text(self.hint, text)
        self.hint.setVisible(bool(text))

    def _show_cut(self, shown: int, steps: int) -> None:
        if shown < steps:
            self.cut_note.setText(texts.STEPS_CUT.format(shown=shown, steps=steps))
        self.cut_note.setVisible(shown < steps)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit(self.predictions_area, self.predictions)
        self._fit(self.generation_area, self.generation)

    def _fit(self, area: QScrollArea, grid: WordGrid) -> None:
        """Every column in the width there is (narrower cells, a smaller font), as tall as
        the grid plus a horizontal scroll bar.  A line too long even so is scrolled to its
        end — the last step is where a long memory shows (long-memory's colour) — and a
        note under the grid says the first steps are to the left."""
        grid.fit_to(max(0, area.width() - 2))
        bar = area.horizontalScrollBar()
        area.setFixedHeight(grid.sizeHint().height() + bar.sizeHint().height() + 2)
        note = self.predictions_more if grid is self.predictions else self.generation_more
        note.setVisible(not grid.fits())
        if grid.fits():
            bar.setValue(0)
            return
        last = max((len(row.cells) for row in grid.rows), default=0) - 1
        if last >= 0:
            cell = grid.cell_rect(0, last)
            bar.setRange(0, max(0, grid.width() - area.viewport().width()))
            bar.setValue(max(0, cell.right() + 2 * 3 - area.viewport().width()))
