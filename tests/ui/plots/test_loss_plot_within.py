"""LossPlot inside long epochs: points at fractional epochs, a dot at "now", the axes follow."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.engine.trainer import Progress
from app.training.trace import EpochTrace
from app.ui.plots import LossPlot
from app.ui.plots.loss_plot import LEGEND_AT, LEGEND_WITHIN_AT, WITHIN
from tests.reports import report


@pytest.fixture
def plot(qtbot: QtBot) -> LossPlot:
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def progress(epoch: int, updates: int, loss: float, n: int = 100) -> Progress:
    return Progress(epoch, updates, n, 30 * updates, 30 * n, loss, 0.25, 0.5 * updates)


def show(plot: LossPlot, trace: EpochTrace, now: Progress | None) -> None:
    plot.show_within_epoch(trace.x, trace.loss, trace.accuracy, trace.connect(), now)


def test_the_first_epoch_is_drawn_while_it_runs(plot: LossPlot) -> None:
    trace = EpochTrace()
    for updates, loss in ((10, 4.4), (25, 3.9), (41, 3.1)):
        trace.add(progress(1, updates, loss))
    show(plot, trace, trace.latest)
    x, y = plot.within["train_loss"].getData()
    np.testing.assert_allclose(x, [0.10, 0.25, 0.41])
    np.testing.assert_array_equal(y, [4.4, 3.9, 3.1])
    np.testing.assert_array_equal(plot.within["train_accuracy"].getData()[1], [0.25] * 3)
    dot_x, dot_y = plot.now_dots["train_loss"].getData()
    assert list(dot_x) == pytest.approx([0.41]) and list(dot_y) == [3.1]
    assert plot.loss_plot.getViewBox().viewRange()[0] == [0.0, 1.0]  # one epoch fills it
    assert plot.loss_plot.getViewBox().viewRange()[1][1] >= 4.4  # the whole line shows
    assert WITHIN in [label.text for _, label in plot.legend.items]
    assert plot.legend.opts["offset"] == LEGEND_WITHIN_AT  # out of the line's way
    assert "epoch 1" in plot.readout.text() and "41%" in plot.readout.text()


def test_the_epochs_point_takes_over_when_it_ends(plot: LossPlot) -> None:
    trace = EpochTrace()
    trace.add(progress(1, 50, 3.0))
    trace.add(progress(1, 100, 2.5))
    show(plot, trace, trace.latest)
    plot.set_history([report(1, 2.5)])
    show(plot, trace, None)
    assert len(plot.now_dots["train_loss"].getData()[0] or ()) == 0
    x, y = plot.within["train_loss"].getData()
    assert (x[-1], y[-1]) == (1.0, 2.5)  # ends on the epoch's own point
    assert list(plot.curves["train_loss"].getData()[0]) == [1]
    assert list(plot.epoch_dots["train_loss"].getData()[0]) == [1]  # the lone point shows
    assert plot.epoch_dots["val_loss"].getData()[0] is None  # no validation: no dots
    assert "epoch 1" in plot.readout.text() and "%" not in plot.readout.text().split("·")[0]
    plot.clear()
    assert len(plot.within["train_loss"].getData()[0] or ()) == 0
    assert WITHIN not in [label.text for _, label in plot.legend.items]
    assert plot.legend.opts["offset"] == LEGEND_AT
    assert plot.epoch_dots["train_loss"].getData()[0] is None  # short epochs: lines only
    assert plot.loss_plot.getViewBox().viewRange()[0] == [0.0, 10.0]  # as for short epochs
