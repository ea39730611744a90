"""LossPlot inside long epochs: points at fractional epochs, a dot at "now", the axes follow."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.engine.trainer import Progress
from app.training.trace import EpochTrace
from app.ui.plots import LossPlot
from app.ui.plots.loss_plot import NOW, WITHIN
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
    # Only what is drawn: no epoch has ended, so no "training" yet; the ring is "now".
    assert [label.text for _, label in plot.legend.items] == [WITHIN, NOW]
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
    assert [label.text for _, label in plot.legend.items] == []
    assert not plot.legend.isVisible()
    assert plot.epoch_dots["train_loss"].getData()[0] is None  # short epochs: lines only
    assert plot.loss_plot.getViewBox().viewRange()[0] == [0.0, 10.0]  # as for short epochs


def test_the_dashed_line_stands_out_on_white_but_less_than_training() -> None:
    """Graphical objects need 3 : 1 against the background (WCAG 1.4.11); the old light
    blue #8cbde0 had 2 : 1, faint on a projector."""
    from app.ui.plots import _theme as theme
    from app.ui.plots.loss_plot import WITHIN_COLOUR

    def luminance(colour: str) -> float:
        c = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    assert contrast(WITHIN_COLOUR, theme.BACKGROUND) >= 3.0
    assert contrast(WITHIN_COLOUR, theme.BACKGROUND) < contrast(theme.TRAIN, theme.BACKGROUND)


def test_the_readout_names_the_loss_so_far_like_the_status_bar(plot: LossPlot) -> None:
    trace = EpochTrace()
    trace.add(progress(3, 52, 1.2571))
    show(plot, trace, trace.latest)
    shown = plot.readout.shown_text()
    assert "loss so far <b>1.26</b>, accuracy <b>25.0%</b>" in shown, shown
    assert "ring: now" in shown  # the wide plot explains the ring


def test_the_legend_moves_off_a_rising_curve(plot: LossPlot) -> None:
    """A loss that rises to the top right (an over-fitting validation curve) would run
    under the legend in its usual corner: the legend takes the emptiest corner."""
    from app.ui.plots.loss_plot import corner_hits

    rising = [report(e, 3.0 - 0.05 * e, val_loss=1.0 + 0.1 * e) for e in range(1, 41)]
    plot.set_history(rising)
    plot._place_legend()
    rect = plot.legend.boundingRect()
    curves = [plot.curves["train_loss"], plot.curves["val_loss"]]
    hits = corner_hits(plot.loss_plot, curves, (rect.width(), rect.height()))
    assert hits[0] > 0  # the top right is crossed by the validation curve
    assert plot.legend.opts["offset"][0] > 0 or plot.legend.opts["offset"][1] < 0
    assert (
        min(hits)
        == hits[
            [(-1, 1), (1, -1), (1, 1), (-1, -1)].index(
                tuple(1 if v > 0 else -1 for v in plot.legend.opts["offset"])
            )
        ]
    )
