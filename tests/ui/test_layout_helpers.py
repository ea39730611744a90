"""The layout checks themselves find what they are meant to find (and nothing else)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.layout_helpers import (
    GRID,
    contrast_problems,
    logical,
    overlap_problems,
    plot_text_problems,
    text_problems,
    tick_texts,
)


def shown(qtbot: QtBot, widget: QWidget, width: int, height: int) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_logical_sizes() -> None:
    assert logical((1920, 1080), 1.5) == (1280, 720)
    assert GRID["1280x720@2"] == (640, 360)
    assert len(GRID) == 16


def test_a_clipped_label_a_squeezed_wrapped_label_and_a_narrow_button_are_found(
    qtbot: QtBot,
) -> None:
    root = shown(qtbot, QWidget(), 400, 300)
    fits = QLabel("fits", root)
    fits.setGeometry(0, 0, 200, 20)
    cut = QLabel("a label far too long for its forty pixels", root)
    cut.setGeometry(0, 30, 40, 20)
    wrapped = QLabel("many words " * 20, root)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 60, 120, 20)
    button = QPushButton("A button with a long text", root)
    button.setGeometry(0, 100, 30, 25)
    for w in (fits, cut, wrapped, button):
        w.show()
    problems = text_problems(root)
    assert len(problems) == 3, problems
    assert not any("'fits'" in p for p in problems)


def test_overlapping_siblings_and_faint_text_are_found(qtbot: QtBot) -> None:
    root = shown(qtbot, QWidget(), 400, 300)
    a, b = QLabel("one", root), QLabel("two", root)
    a.setGeometry(0, 0, 100, 20)
    b.setGeometry(50, 5, 100, 20)
    faint = QLabel("<span style='color:#bbbbbb'>grey</span>", root)
    faint.setGeometry(0, 100, 100, 20)
    for w in (a, b, faint):
        w.show()
    assert len(overlap_problems(root)) == 1
    assert [p for p in contrast_problems(root) if "#bbbbbb" in p]
    b.move(0, 40)
    assert overlap_problems(root) == []


def test_overlapping_tick_labels_are_found(qtbot: QtBot) -> None:
    view = pg.GraphicsLayoutWidget()
    plot = view.addPlot()
    shown(qtbot, view, 300, 300)
    axis = plot.getAxis("left")
    plot.setYRange(0, 1, padding=0)
    qtbot.waitUntil(lambda: axis.geometry().height() > 200)  # laid out
    assert not [p for p in plot_text_problems(view) if "overlaps" in p]
    axis.setTicks([[(v / 100, f"{v / 100:g}") for v in range(0, 101, 2)]])  # 51 in 300 px
    assert len(tick_texts(axis)) > 20
    assert [p for p in plot_text_problems(view) if "overlaps" in p]
