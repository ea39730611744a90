"""The plots' grid: the same colours as pyqtgraph's translucent grid, drawn opaque."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from app.ui.plots import _theme as theme


def test_grid_lines_are_opaque_blends_of_the_translucent_ones(qtbot: QtBot) -> None:
    widget = theme.graphics_widget()
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    plot = widget.addPlot()
    plot.plot(np.arange(100.0), np.linspace(2.0, 0.1, 100))
    theme.show_grid(plot, x=True, y=True)
    widget.show()
    qtbot.waitExposed(widget)
    background = QColor(theme.BACKGROUND)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        assert axis.zValue() < 0  # behind the view box: under the data
        image = QImage(10, 10, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            ours = axis.generateDrawSpecs(painter)[1]
            pyqtgraph_s = pg.AxisItem.generateDrawSpecs(axis, painter)[1]
        finally:
            painter.end()
        assert len(ours) == len(pyqtgraph_s) > 3
        translucent = 0
        for (pen, a, b), (their_pen, their_a, their_b) in zip(ours, pyqtgraph_s, strict=True):
            assert (a, b) == (their_a, their_b)
            assert pen.color().alpha() == 255
            c, alpha = their_pen.color(), their_pen.color().alphaF()
            translucent += alpha < 1
            for ours_f, theirs_f, bg in (
                (pen.color().redF(), c.redF(), background.redF()),
                (pen.color().greenF(), c.greenF(), background.greenF()),
                (pen.color().blueF(), c.blueF(), background.blueF()),
            ):
                assert abs(ours_f - (bg * (1 - alpha) + theirs_f * alpha)) < 1 / 255
        assert translucent > 0  # pyqtgraph's own grid was translucent here


def test_only_the_asked_axes_get_a_grid(qtbot: QtBot) -> None:
    widget = theme.graphics_widget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    theme.show_grid(plot, x=True, y=False)
    assert plot.getAxis("bottom").grid is not False
    assert plot.getAxis("left").grid is False
    assert plot.getAxis("left").zValue() > 0  # untouched
