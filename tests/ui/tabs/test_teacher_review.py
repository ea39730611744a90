"""What a teacher's review of the views found, each checked on the view ``figure`` draws:
which epoch a row is, what a score counts, a legend without blank entries, a sentence
right for the example open, captions a projector shows."""

from __future__ import annotations

import functools

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.cli.figure import FigureOptions
from app.ui.plots import _theme as theme
from app.ui.shell.figure import posed_view
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.compare_epochs.timeline import COLOURS
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.rnn_vs_lstm.texts import both_learned
from app.ui.tabs.symbols import named_symbol
from tests.ui.helpers import trained_project

_trained = functools.cache(trained_project)


def test_compare_rows_carry_their_epochs_colour_and_scores_say_what_they_count(
    qapp: QApplication,
) -> None:
    project = _trained("doug-jane-spot", 6)
    with posed_view(project, FigureOptions("compare", 1280, 720, 1.0)) as view:
        assert isinstance(view, CompareView)
        words = view.words
        image = words.graphics.grab().toImage()
        vb = words.plot.vb
        for row, key in ((1, "a"), (2, "b")):
            # Just inside the left edge of the row's first cell: the epoch's own colour.
            scene = vb.mapViewToScene(QPointF(-0.5, row + 0.25))  # (off the tick)
            at = words.graphics.mapFromScene(scene)
            pixel = QColor(image.pixel(at.x() + 4, at.y()))
            assert pixel.name() == QColor(COLOURS[key]).name(), (key, pixel.name())
        for key in ("a", "b"):  # over every line, beside the selectors …
            assert view.selectors.infos[key].text().startswith("all lines: loss ")
        assert " on line 1 only " in words.summary.text()  # … and the chosen line below
        assert "wrong, the true symbol after it" in words.key.text()  # the key


@pytest.mark.parametrize("preset", ["doug-jane-spot", "long-memory"])
def test_versus_legend_lists_drawn_curves_and_the_note_fits_the_example(
    qapp: QApplication, preset: str
) -> None:
    project = _trained(preset, 2)  # the second network is not trained: no curve of its own
    with posed_view(project, FigureOptions("versus", 1280, 720, 1.0)) as view:
        assert isinstance(view, VersusView)
        names = [label.text for _, label in view.plot.legend.items]
        assert names == [view.plot.names["left"]]
        note = view.controls.window_note.text()
        if preset == "long-memory":
            assert "This long-memory example is where that shows" in note
            assert "where even the whole line is not enough" not in note
        else:
            assert "where even the whole line is not enough for a plain RNN" in note


def _luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    r, g, b = (linear(v) for v in (q.redF(), q.greenF(), q.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_captions_are_dark_enough_for_a_projector() -> None:
    bright, dark = _luminance(theme.BACKGROUND), _luminance(theme.MUTED)
    assert (bright + 0.05) / (dark + 0.05) >= 7.0  # WCAG AAA for small text


def test_punctuation_is_named_where_a_symbol_is_a_label() -> None:
    assert named_symbol(".") == "<b>.</b>&nbsp;&nbsp;full stop"
    assert named_symbol("?", longest=9) == "<b>?</b>"  # "question mark" is too long there
    assert named_symbol("Doug") == "Doug"
    assert named_symbol("<") == "&lt;"


def test_the_both_learned_sentence_does_not_send_the_learner_to_the_open_example() -> None:
    for whole_line in (True, False):
        assert "try the long-memory" not in both_learned(whole_line, long_memory=True)
        assert "this long-memory example" in both_learned(whole_line, long_memory=True)
        assert "long-memory example" in both_learned(whole_line, long_memory=False)


def test_versus_plots_keep_their_proportions_in_a_tall_figure(qapp: QApplication) -> None:
    project = _trained("doug-jane-spot", 2)
    for size in ((1920, 1080), (960, 540)):
        with posed_view(project, FigureOptions("versus", *size, 1.0)) as view:
            assert isinstance(view, VersusView)
            loss, accuracy = view.plot.loss_plot.vb.height(), view.plot.accuracy_plot.vb.height()
            assert 1.0 <= loss / accuracy <= 2.0, (size, loss, accuracy)  # ~3 : 2, not 3 : 1
