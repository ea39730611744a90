"""The "RNN vs LSTM" tab on long lines: the window stays responsive, paints stay cheap."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics, QImage, QRegion
from pytestqt.qtbot import QtBot

from app.analysis.rnn_vs_lstm import LATEST, SHOWN_STEPS
from app.analysis.sequence_view import view_at
from app.training.controller import TrainingController
from app.ui.document.document import Document
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.rnn_vs_lstm.panels import SideBySide
from app.ui.tabs.rnn_vs_lstm.word_grid import Cell, GridRow, WordGrid
from tests.ui.helpers import Heartbeat, behind_a_tab, long_lines

STEPS = 3000


def test_a_long_line_leaves_the_window_responsive(qtbot: QtBot) -> None:
    project = long_lines(2, STEPS + 1)
    controller = TrainingController()
    controller.set_project(project)
    view = VersusView(controller, Document(project))
    tabs = behind_a_tab(qtbot, view, "RNN vs LSTM")
    try:
        heart = Heartbeat()
        heart.start()
        tabs.setCurrentWidget(view)
        qtbot.waitUntil(lambda: bool(view.side_by_side.predictions.rows), timeout=10_000)
        qtbot.wait(300)  # the grids are painted
        assert heart.longest < 1.0, f"the GUI thread stalled for {heart.longest:.3f} s"
        grid = view.side_by_side.predictions
        assert len(grid.rows[0].cells) == SHOWN_STEPS
        note = view.side_by_side.cut_note
        assert note.isVisible() and f"first {SHOWN_STEPS:,} of this line's {STEPS:,}" in note.text()
        # The steps shown are the whole line's first steps, exactly.
        model = controller.model()
        snap = controller.snapshot(LATEST)
        assert model is not None and snap is not None
        full = view_at(model[0], snap, model[1], view.choice.sequence)
        shown = tuple(c.text for c in grid.rows[2].cells)
        assert shown == full.predicted[:SHOWN_STEPS]
        assert tuple(c.text for c in grid.rows[1].cells) == full.targets[:SHOWN_STEPS]
    finally:
        assert view.shutdown() and controller.shutdown(5000)


def test_a_short_line_has_no_note(qtbot: QtBot) -> None:
    project = long_lines(2, 20)
    controller = TrainingController()
    controller.set_project(project)
    view = VersusView(controller, Document(project))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: bool(view.side_by_side.predictions.rows))
    try:
        assert len(view.side_by_side.predictions.rows[0].cells) == 19
        assert not view.side_by_side.cut_note.isVisible()
    finally:
        assert view.shutdown() and controller.shutdown(5000)


def test_a_wide_grid_paints_only_what_is_in_view(qtbot: QtBot) -> None:
    words = [f"word{i % 40}" for i in range(5000)]
    rows = [
        GridRow("reads", tuple(Cell(w, "header") for w in words)),
        GridRow("A", tuple(Cell(w, "right") for w in words), "#0072B2", compared=True),
        GridRow("B", tuple(Cell(w, "wrong") for w in words), "#D55E00", compared=True),
    ]
    panel = SideBySide()
    qtbot.addWidget(panel)
    panel.resize(1280, 400)
    panel.show()
    qtbot.waitExposed(panel)
    grid: WordGrid = panel.predictions
    started = time.perf_counter()
    panel.show_predictions(rows, set(range(0, 5000, 7)))
    assert time.perf_counter() - started < 1.0  # was 3.9 s
    # Every column is where the sums of the widths before it put it.
    lefts = np.cumsum([0] + [grid.cell_rect(0, c).width() + 3 for c in range(4999)])
    got = [grid.cell_rect(1, c).left() for c in range(5000)]
    assert np.array_equal(np.asarray(got) - got[0], lefts)
    assert grid.cell_at(grid.cell_rect(2, 4321).center()) == (2, 4321)
    worst = 0.0
    image = QImage(1280, grid.height(), QImage.Format.Format_ARGB32)
    for x in (0, grid.width() // 2, grid.width() - 1300):
        started = time.perf_counter()  # one screenful of the grid painted
        grid.render(image, QPoint(0, 0), QRegion(QRect(x, 0, 1280, grid.height())))
        worst = max(worst, time.perf_counter() - started)
    assert worst < 0.1, f"a paint took {worst:.3f} s"


def test_row_names_stay_in_view_and_a_line_too_long_shows_its_end(qtbot: QtBot) -> None:
    """Which row is which network stays readable however far the steps scroll; a line too
    long to fit even in narrower cells is shown at its last step (long-memory's colour is
    recalled there) and a note says the first steps are to the left."""
    words = [f"w{i % 9}" for i in range(300)]
    rows = [
        GridRow("reads", tuple(Cell(w, "header") for w in words)),
        GridRow("LSTM predicts", tuple(Cell(w, "right") for w in words), "#0072B2", True),
        GridRow("RNN predicts", tuple(Cell(w, "wrong") for w in words), "#E69F00", True),
    ]
    panel = SideBySide()
    qtbot.addWidget(panel)
    panel.resize(1280, 400)
    panel.show()
    qtbot.waitExposed(panel)
    area, labels, grid = panel.predictions_area, panel.prediction_labels, panel.predictions
    bar = area.horizontalScrollBar()
    panel.show_predictions(rows, {250})
    last = grid.cell_rect(2, 299)
    assert bar.maximum() > 0 and bar.value() > 0
    assert bar.value() <= last.left() and last.right() <= bar.value() + area.viewport().width()
    assert panel.predictions_more.isVisible() and "to the left" in panel.predictions_more.text()
    short = [GridRow(r.label, r.cells[:8], r.colour, r.compared) for r in rows]
    panel.show_predictions(short, {3})
    assert bar.value() == 0 and grid.fits() and not panel.predictions_more.isVisible()
    panel.show_predictions(rows, {250})
    bar.setValue(bar.maximum())
    # The names are drawn beside the scrolling cells, never under them.
    assert labels.isVisible() and labels.grid is grid
    qtbot.waitUntil(lambda: labels.geometry().right() < area.geometry().left())  # laid out
    assert labels.width() >= QFontMetrics(grid.bold_font).horizontalAdvance("LSTM predicts")
    assert grid.cell_rect(0, 0).left() < 10  # the cells carry no labels of their own
    assert labels.height() == grid.height()
