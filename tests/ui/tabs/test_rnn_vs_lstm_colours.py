"""Right and wrong in RNN vs LSTM stay readable without colour: ✓/✗ marks, checked under a
simulated deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009, severity 1)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QFontMetrics, QImage
from pytestqt.qtbot import QtBot

from app.ui.tabs.rnn_vs_lstm import texts
from app.ui.tabs.rnn_vs_lstm.word_grid import MARKS, STYLES, Cell, GridRow, WordGrid, shown_text

SIMULATIONS = {  # linear RGB -> linear RGB as seen with the deficiency
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
}


def _linear(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _seen(colour: str, deficiency: str | None) -> np.ndarray:
    rgb = _linear(colour)
    return rgb if deficiency is None else np.clip(SIMULATIONS[deficiency] @ rgb, 0.0, 1.0)


def _contrast(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG contrast ratio of two linear-RGB colours."""
    la, lb = (float(np.dot([0.2126, 0.7152, 0.0722], c)) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def test_the_fills_alone_do_not_tell_right_from_wrong_for_a_deuteranope() -> None:
    """Why the marks: the two pale fills are one colour to a deuteranope (and close in
    lightness for everyone), so colour cannot be the only cue."""
    right, wrong = STYLES["right"][0], STYLES["wrong"][0]
    normal = np.abs(_seen(right, None) - _seen(wrong, None)).max()
    seen = np.abs(_seen(right, "deuteranopia") - _seen(wrong, "deuteranopia")).max()
    assert seen < normal / 3  # the red–green difference is gone …
    dim = (_seen(right, "deuteranopia"), _seen(wrong, "deuteranopia"))
    assert _contrast(*dim) < 1.1  # … and lightness barely differs
    assert all(np.all(np.diff(c) < 0) for c in dim)  # both the same beige: R > G > B


@pytest.mark.parametrize("deficiency", [None, "deuteranopia", "protanopia"])
def test_the_marks_are_legible_on_their_fills(deficiency: str | None) -> None:
    for mark in MARKS:
        fill, ink, _ = STYLES[mark]
        assert _contrast(_seen(fill, deficiency), _seen(ink, deficiency)) >= 4.5, mark


def test_every_right_or_wrong_cell_shows_its_mark(qtbot: QtBot) -> None:
    cells = (Cell("Jane", "right"), Cell("Doug", "wrong"), Cell("saw", "given"))
    assert [shown_text(c) for c in cells] == ["\u2713 Jane", "\u2717 Doug", "saw"]
    grid = WordGrid(part="cells")
    qtbot.addWidget(grid)
    grid.set_rows([GridRow("LSTM predicts", cells, "#0072B2", compared=True)])
    metrics = QFontMetrics(grid.bold_font)
    for mark in MARKS.values():
        assert metrics.inFontUcs4(ord(mark)), f"{mark} has no glyph in {grid.font().family()}"
    # Each cell is measured with its mark: the mark and the word fit inside the cell.
    for c, cell in enumerate(cells):
        assert grid.cell_rect(0, c).width() >= metrics.horizontalAdvance(shown_text(cell))
    image = QImage(grid.size(), QImage.Format.Format_ARGB32)
    grid.render(image)  # paints with the marks without complaint
    assert "\u2713" in texts.DIFFER_LEGEND and "\u2717" in texts.DIFFER_LEGEND
    assert "\u2713" in texts.PREDICTIONS_TIP and "\u2717" in texts.PREDICTIONS_TIP


def test_disagreement_is_not_drawn_in_either_networks_colour() -> None:
    """The frame around disagreeing columns was amber, next to the RNN's own orange: a
    student read it as "the RNN's column".  It is now a grey (no hue at all), while each
    network keeps a saturated colour of its own."""
    from app.ui.tabs.rnn_vs_lstm.curves import LEFT_COLOUR, RIGHT_COLOUR
    from app.ui.tabs.rnn_vs_lstm.word_grid import DIFFER

    assert QColor(DIFFER).hsvSaturationF() < 0.1
    for model in (LEFT_COLOUR, RIGHT_COLOUR):
        assert QColor(model).hsvSaturationF() > 0.5, model
    assert DIFFER in texts.DIFFER_LEGEND  # the legend's swatch is the frame's colour
