"""TokenAxis: as many symbol labels as fit, upright when that fits more."""

from __future__ import annotations

import itertools

import pyqtgraph as pg

from app.ui.plots.token_axis import FLAT_HEIGHT, TokenAxis


def test_every_label_when_there_is_room(qtbot):
    axis = TokenAxis("bottom")
    axis.set_labels(["a", "b", "c"])
    assert axis.tickValues(-0.5, 2.5, 600) == [(1.0, [0.0, 1.0, 2.0])]
    assert axis.tickStrings([0.0, 1.0, 2.0], 1, 1.0) == ["a", "b", "c"]


def test_every_kth_label_when_crowded(qtbot):
    axis = TokenAxis("bottom")
    axis.set_labels([f"word{i}" for i in range(100)])
    (k, major), (_, minor) = axis.tickValues(-0.5, 99.5, 300)
    assert k > 1 and all(v % k == 0 for v in major[:-1])
    assert major[0] == 0 and major[-1] == 99  # first and last always labelled
    assert all(b - a >= k for a, b in itertools.pairwise(major))  # never closer than k
    assert len(major) + len(minor) == 100  # every step keeps a tick
    assert axis.tickStrings(major[:2], 1, k) == ["word0", f"word{int(k)}"]
    assert axis.shown_stride == k


def test_long_labels_are_shortened(qtbot):
    axis = TokenAxis("left")
    axis.set_labels(["antidisestablishmentarianism"])
    assert axis.label_at(0).endswith("…") and len(axis.label_at(0)) == 14
    assert axis.label_at(0.5) == "" and axis.label_at(3) == ""


def test_labels_turn_upright_in_a_narrow_plot(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    axis = TokenAxis("bottom")
    heights = []
    axis.height_changed.connect(heights.append)
    plot = widget.addPlot(axisItems={"bottom": axis})
    axis.set_labels(["waffles", "pizza", "sushi"] * 10)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitUntil(lambda: axis.rotated)
    assert heights and heights[-1] > FLAT_HEIGHT  # room for the longest word, upright
    # wide enough for every word lying flat: back to flat labels
    widget.resize(3000, 300)
    qtbot.waitUntil(lambda: not axis.rotated)
    assert heights[-1] == FLAT_HEIGHT
    qtbot.waitUntil(lambda: axis.height() == FLAT_HEIGHT)
    assert plot.getAxis("bottom") is axis


def test_upright_labels_keep_their_room_when_the_font_grows(qtbot):
    """Zoom or presentation mode sets a larger tick font: the upright labels are measured
    again, so the axis grows with them (their first letters were cut off before)."""
    from PySide6.QtGui import QFontMetricsF

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    axis = TokenAxis("bottom")
    widget.addPlot(axisItems={"bottom": axis})
    axis.set_labels(["waffles", "pizza", ". full stop"] * 10)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitUntil(lambda: axis.rotated)
    before = axis.height()
    font = axis.style["tickFont"]
    bigger = type(font)(font)
    bigger.setPointSizeF(font.pointSizeF() * 1.5)
    axis.setTickFont(bigger)
    longest = QFontMetricsF(bigger).horizontalAdvance(". full stop")
    qtbot.waitUntil(lambda: axis.height() >= longest)
    assert axis.height() > before
