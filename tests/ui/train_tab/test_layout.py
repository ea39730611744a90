"""The Train tab's layout holds in a small window (a projector at scale 1.5): measured.

QT_SCALE_FACTOR cannot change inside a test run, so the window is resized to the logical
sizes a scaled screen gives: 1280×720 (1920×1080 at 1.5) and 1066×600 (1600×900 at 1.5).
The window shows long-memory (19 symbols, 32 hidden units), the preset that broke.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from pytestqt.exceptions import TimeoutError as QtTimeout
from pytestqt.qtbot import QtBot

from app.ui.plots.gate_heatmaps import minimum_image_height
from app.ui.plots.heatmap import Heatmap
from app.ui.shell.window import MainWindow
from tests.ui.helpers import trained_project

SIZES = ((1280, 720), (1066, 600))


def drawn_labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels ``axis`` draws now, with their rectangles (axis coordinates)."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return [(QRectF(rect), text) for rect, _flags, text in specs[2] if text]


def settled(heatmap: Heatmap) -> bool:
    vb = heatmap.plot.getViewBox()
    return bool(vb.height() >= vb.minimumHeight() - 1)


def assert_apart(rects: list[QRectF], what: str) -> None:
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b), f"{what}: {a} overlaps {b}"


def check_heatmap_bar(heatmap: Heatmap) -> None:
    labels = drawn_labels(heatmap.bar.axis)
    assert len(labels) >= 2, "a colour bar keeps at least its two ends"
    assert_apart([rect for rect, _ in labels], f"colour bar of {heatmap.title}")


def test_train_tab_holds_at_projector_sizes(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.document.replace(trained_project("long-memory", 3))
    qtbot.waitUntil(lambda: window.controller.epoch == 3, timeout=10_000)
    plots = window.plots
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width: window.width() == w, timeout=2000)
        plots.flush()
        # The graphics layouts follow the window a few events later: wait until every
        # heatmap has had its room (or time out, and the checks below say what is wrong).
        heatmaps = [*plots.gates.heatmaps.values(), plots.predictions.heatmap]
        with contextlib.suppress(QtTimeout):
            qtbot.waitUntil(lambda hs=heatmaps: all(settled(h) for h in hs), timeout=2000)
        size = f"{width}×{height}"

        # Gate heatmaps: never squeezed below their minimum (the tab scrolls instead).
        gates = plots.gates
        assert gates.view is not None
        units = gates.view.hidden.shape[1]
        for heatmap in gates.heatmaps.values():
            assert heatmap.image_height() >= minimum_image_height(units) - 1, size
            check_heatmap_bar(heatmap)
        assert plots.plots_scroll.verticalScrollBar().maximum() > 0, "scrolls, not squeezes"
        # Equal columns: every panel of a row as wide as the others.
        widths = [h.plot.getViewBox().width() for h in gates.heatmaps.values()]
        for row in (widths[:3], widths[3:]):
            assert max(row) - min(row) <= 2, (size, widths)

        # The prediction vector: every one of the 19 symbols labelled.
        pred = plots.predictions
        vocabulary = pred.view.vocabulary if pred.view is not None else ()
        assert len(vocabulary) == 19
        shown = [text for _, text in drawn_labels(pred.heatmap.y_axis)]
        assert shown == list(vocabulary), size
        assert_apart([rect for rect, _ in drawn_labels(pred.heatmap.y_axis)], "symbols")
        check_heatmap_bar(pred.heatmap)
        for readout in (pred.summary, plots.loss_plot.readout):
            assert readout.shown_width() <= readout.contentsRect().width(), (size, readout.text())
            assert "%" in readout.shown_text()

        # Loss and accuracy: the axis titles apart, each within its own axis.
        loss = plots.loss_plot
        titles = []
        for plot in (loss.loss_plot, loss.accuracy_plot):
            axis = plot.getAxis("left")
            title = axis.label.mapRectToScene(axis.label.boundingRect())
            assert title.height() <= axis.sceneBoundingRect().height(), size
            titles.append(title)
        assert_apart(titles, "loss and accuracy titles")
