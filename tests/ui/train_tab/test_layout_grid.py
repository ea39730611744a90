"""The Train tab and the two left docks hold at every screen size and UI scale: measured.

The window shows a trained preset and is resized to the logical size of each screen at
each scale (:data:`tests.ui.layout_helpers.GRID`); then no text may be clipped or
overlap, the heatmaps keep a useful height, every prediction row is labelled or the
thinning rule is said, and the essentials are on screen or a scroll away.  The fast
suite checks three sizes; ``-m slow`` checks the whole grid on two presets.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.exceptions import TimeoutError as QtTimeout
from pytestqt.qtbot import QtBot

from app.ui.plots.gate_heatmaps import minimum_image_height
from app.ui.shell.window import MainWindow
from app.ui.train_tab.plots_area import PlotsArea
from tests.ui.helpers import trained_project
from tests.ui.layout_helpers import (
    FAST,
    GRID,
    contrast_problems,
    overlap_problems,
    plot_text_problems,
    reachable_by_scrolling,
    seen_without_scrolling,
    show_at,
    text_problems,
    tick_texts,
)

MIN_HEATMAP_PX = 60
"""A heatmap's cells are never drawn shorter than this (logical pixels)."""
CLASSROOM_HEIGHT = 720
"""From this logical height up (1280×720, and 1920×1080 at 1.5) loss, predictions and the
start of the gates show without scrolling."""


def open_trained(qtbot: QtBot, make_window: Callable[..., MainWindow], preset: str) -> MainWindow:
    window = make_window()
    window.document.replace(trained_project(preset, 3))
    qtbot.waitUntil(lambda: window.controller.epoch == 3, timeout=10_000)
    return window


def settle_plots(qtbot: QtBot, window: MainWindow) -> None:
    """Draw the newest frame and wait until the graphics layouts gave the heatmaps their
    room (or time out: the checks then say what is wrong)."""
    plots = window.plots
    plots.flush()
    heatmaps = [*plots.gates.heatmaps.values(), plots.predictions.heatmap]

    def settled() -> bool:
        return all(
            h.plot.getViewBox().height() >= h.plot.getViewBox().minimumHeight() - 1
            for h in heatmaps
        )

    with contextlib.suppress(QtTimeout):
        qtbot.waitUntil(settled, timeout=1000)


def train_tab_problems(qtbot: QtBot, window: MainWindow, name: str) -> list[str]:
    """Everything wrong with the Train tab and the docks at ``GRID[name]``."""
    size = GRID[name]
    got = show_at(qtbot, window, size)
    # The docks as wide as a first start at this size makes them (MainWindow._default_docks).
    width = 400 if got.width() >= 1500 else 350
    window.resizeDocks([window.sequences_dock], [width], Qt.Orientation.Horizontal)
    for _ in range(3):  # (a small window has no room for it: then it stays narrower)
        qtbot.wait(1)
    settle_plots(qtbot, window)
    plots = window.plots
    found: list[str] = []
    found += text_problems(plots) + overlap_problems(plots) + contrast_problems(plots)
    for graphics in (plots.loss_plot.graphics, plots.predictions.graphics, plots.gates.graphics):
        found += plot_text_problems(graphics)
    for dock in (window.sequences_dock, window.settings_dock):
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            content = dock.widget()
            found += text_problems(content) + overlap_problems(content)
            found += contrast_problems(content)

    # The loss plot: the goal (0) on the loss axis, and the x axis named for a learner.
    loss = plots.loss_plot
    ticks = [text for _, text in tick_texts(loss.loss_plot.getAxis("left"))]
    if not loss.log_scale() and (not ticks or float(ticks[0]) != 0):
        found.append(f"the loss axis shows {ticks}, not its 0")
    if loss.accuracy_plot.getAxis("bottom").labelText != "epoch":
        found.append("the x axis is not called 'epoch'")

    # Heatmaps: a useful height, equal columns.
    gates, pred = plots.gates, plots.predictions
    for key, heatmap in [*gates.heatmaps.items(), ("prediction", pred.heatmap)]:
        if heatmap.image_height() < MIN_HEATMAP_PX - 1:
            found.append(f"{key} heatmap only {heatmap.image_height():.0f} px tall")
    units = gates.view.hidden.shape[1] if gates.view is not None else 0
    for key, heatmap in [*gates.heatmaps.items(), ("prediction", pred.heatmap)]:
        if len(tick_texts(heatmap.bar.axis)) < 2:
            found.append(f"{key} colour bar without its two ends")
        if key != "prediction" and heatmap.image_height() < minimum_image_height(units) - 1:
            found.append(f"{key} heatmap squeezed to {heatmap.image_height():.0f} px")
    widths = [h.plot.getViewBox().width() for h in gates.heatmaps.values()]
    for row in (widths[:3], widths[3:]):
        if row and max(row) - min(row) > 2:
            found.append(f"uneven gate columns {[round(w) for w in row]}")

    # Every symbol of the prediction vector labelled, or the rule said.
    vocabulary = pred.view.vocabulary if pred.view is not None else ()
    shown = [text for _, text in tick_texts(pred.heatmap.y_axis)]
    if len(shown) < len(vocabulary):
        stride = pred.heatmap.y_axis.shown_stride
        if stride < 2 or "every" not in pred.hover.text().lower():
            found.append(f"{len(shown)} of {len(vocabulary)} symbols labelled, unexplained")
        elif len(shown) < len(vocabulary) // stride:
            found.append(f"{len(shown)} of {len(vocabulary)} labelled with every {stride}")

    # The readouts keep their numbers whole, and at classroom sizes say "accuracy".
    for readout in (pred.summary, plots.loss_plot.readout):
        if "%" not in readout.shown_text():
            found.append(f"readout lost its %: {readout.shown_text()!r}")
    named = plots.loss_plot.readout.shown_text()
    if got.width() >= 1280 and "accuracy" not in named:
        found.append(f"the loss readout does not name the accuracy: {named!r}")

    # The essentials: on screen at classroom sizes, else a scroll away.
    scroll = plots.plots_scroll
    first_gate = next(iter(gates.heatmaps.values()))
    essentials = {
        "loss plot": (plots.loss_plot.graphics, 1.0),
        "prediction vector": (pred.graphics, 1.0),
        "gates' heading": (gates.header, 1.0),
    }
    for what, (widget, part) in essentials.items():
        if not reachable_by_scrolling(widget, scroll):
            found.append(f"{what} cannot be scrolled to")
        elif got.height() >= CLASSROOM_HEIGHT and not seen_without_scrolling(widget, scroll, part):
            found.append(f"{what} below the fold")
    if got.height() >= CLASSROOM_HEIGHT:
        top = first_gate.plot.getViewBox().mapRectToScene(first_gate.plot.getViewBox().rect())
        view = gates.graphics
        start = view.mapFromScene(top.topLeft())
        visible_rows = scroll.viewport().height() - view.mapTo(scroll.viewport(), start).y()
        if visible_rows < MIN_HEATMAP_PX / 2:
            found.append(f"only {visible_rows} px of the first gates show without scrolling")
    at = f"{name} ({size[0]}×{size[1]}, window {got.width()}×{got.height()})"
    return [f"{at}: {problem}" for problem in found]


@pytest.mark.parametrize("preset", ["long-memory"])
def test_train_tab_holds_fast_sizes(
    qtbot: QtBot, make_window: Callable[..., MainWindow], preset: str
) -> None:
    window = open_trained(qtbot, make_window, preset)
    problems = [p for name in FAST for p in train_tab_problems(qtbot, window, name)]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["long-memory", "doug-jane-spot"])
def test_train_tab_holds_every_size(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    preset: str,
    request: pytest.FixtureRequest,
) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the whole grid: select it with -m slow")
    window = open_trained(qtbot, make_window, preset)
    problems = [p for name in GRID for p in train_tab_problems(qtbot, window, name)]
    assert not problems, "\n".join(problems)


def test_the_first_gates_show_their_symbols_whole_at_1280x720(qtbot: QtBot) -> None:
    """The Train tab on its own at 1280×720 (a figure, a full-screen window): the top row
    leaves room for the first row of gates down to their symbols, the experiment strip
    above the gates counted (the last symbols were cut at the window's edge)."""
    from app.cli.figure import FigureOptions
    from app.ui.shell.figure import posed_view

    options = FigureOptions("train", 1280, 720, 1.0)
    with posed_view(trained_project("long-memory", 3), options) as view:
        assert isinstance(view, PlotsArea)
        scroll, gates = view.plots_scroll, view.gates
        first = next(iter(gates.heatmaps.values()))
        axis = first.x_axis.mapRectToScene(first.x_axis.boundingRect())
        end = gates.graphics.mapTo(
            scroll.viewport(), gates.graphics.mapFromScene(axis.bottomLeft())
        ).y()
        assert scroll.verticalScrollBar().value() == 0
        assert end <= scroll.viewport().height() + 1, (end, scroll.viewport().height())
