"""The teacher's review of the ``figure`` screenshots (issue 12, items 1, 2, 5, 6, 7, 9,
10), each checked on the view ``figure`` draws: words never vanish from Compare's cells,
the step axis's name sits below its labels, RNN vs LSTM and Generate keep the last step
(long-memory's recalled colour) in view, a lone full stop is named, the wording is plain."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.cli.figure import FigureOptions
from app.ui.plots import _theme as theme
from app.ui.shell.figure import posed_view
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.compare_epochs.words import WordCells
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.state_map import StateMapView
from tests.ui.helpers import trained_project
from tests.ui.layout_helpers import axis_title_rect, tick_texts

_trained = functools.cache(trained_project)


def _dark_pixels(image: object, rect: QRectF) -> int:
    """Pixels of text colour (dark grey to black) inside ``rect`` of ``image``."""
    count = 0
    r = rect.toRect()
    for x in range(max(r.left(), 0), min(r.right(), image.width() - 1)):  # type: ignore[attr-defined]
        for y in range(max(r.top(), 0), min(r.bottom(), image.height() - 1)):  # type: ignore[attr-defined]
            c = QColor(image.pixel(x, y))  # type: ignore[attr-defined]
            count += max(c.red(), c.green(), c.blue()) < 150
    return count


@pytest.mark.parametrize(("width", "height"), [(40, 18), (26, 18), (22, 60)])
def test_a_word_too_long_for_its_cell_is_shrunk_or_shortened_never_left_out(
    qapp: QApplication, width: int, height: int
) -> None:
    """Review 1: "thirteen" in a short wide cell was elided upright to nothing."""
    cells = WordCells()
    cells.set_cells((("thirteen",),), np.full((1, 1), np.nan), np.zeros((1, 1), dtype=np.int8))
    image = QImage(width + 20, height + 20, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(10 + width / 2, 10 + height / 2)
    painter.scale(width, height)  # the cell (-0.5 … 0.5)² is width × height pixels
    cells.paint(painter)
    painter.end()
    ink = _dark_pixels(image, QRectF(10, 10, width, height))
    assert ink >= 12, f"{ink} dark pixels: the word is all but gone"


def test_compare_cells_always_show_their_word_and_the_axis_name_is_below_its_labels(
    qapp: QApplication,
) -> None:
    """Review 1 and 7: "thirteen" and "fourteen" were blank cells in presentation mode
    (too long to lie flat, too short a row to stand upright), and "symbol read" sat on
    the step labels."""
    project = _trained("long-memory", 4)
    for presentation in (False, True):
        options = FigureOptions("compare", 1280, 720, 1.0, presentation=presentation)
        with posed_view(project, options) as view:
            assert isinstance(view, CompareView)
            words = view.words
            image = words.graphics.grab().toImage()
            vb = words.plot.vb
            steps = len(words.cells.words[0])
            blank = []
            for row in range(3):
                for t in range(steps):
                    scene = vb.mapViewToScene(QRectF(t - 0.4, row - 0.4, 0.8, 0.8)).boundingRect()
                    cell = QRectF(words.graphics.mapFromScene(scene).boundingRect())
                    assert cell.height() >= QFontMetrics(theme.tick_font()).height()  # a row
                    if _dark_pixels(image, cell) < 6:
                        blank.append((row, words.cells.words[row][t]))
            assert not blank, f"presentation={presentation}: blank cells {blank}"
            title = axis_title_rect(words.x_axis)
            assert title is not None
            ink = title.adjusted(0, 5, 0, 0)  # (the document margin above the text)
            over = [t for r, t in tick_texts(words.x_axis) if r.intersects(ink)]
            assert not over, f"presentation={presentation}: the axis name covers {over}"
            key = words.key
            assert "wrong, the true symbol" in key.text() and key.wordWrap()
            assert key.height() >= key.heightForWidth(key.width()) - 1  # never cut


def test_versus_fits_long_memory_or_shows_its_last_step(qapp: QApplication) -> None:
    """Review 2: the last column (reads "fifteen", true next "red") was scrolled away."""
    project = _trained("long-memory", 4)
    for presentation in (False, True):
        options = FigureOptions("versus", 1280, 720, 1.0, presentation=presentation)
        with posed_view(project, options) as view:
            assert isinstance(view, VersusView)
            side = view.side_by_side
            for grid, area, more in (
                (side.predictions, side.predictions_area, side.predictions_more),
                (side.generation, side.generation_area, side.generation_more),
            ):
                last = max(len(row.cells) for row in grid.rows) - 1
                cell = grid.cell_rect(0, last)
                left = area.horizontalScrollBar().value()
                assert left <= cell.left() and cell.right() <= left + area.viewport().width()
                assert more.isVisible() != grid.fits()  # "the first steps are to the left"
            if not presentation:
                assert side.predictions.fits()  # narrower cells: the whole line at 1280
            assert view.controls.window_spin.text() == "1 step back"


def test_generate_keeps_the_last_step_names_the_full_stop_and_says_it_plainly(
    qapp: QApplication,
) -> None:
    """Review 2, 6, 9, 10: step 16 ("fifteen → red") was below the fold in presentation
    mode; ". 1.00" a speck; "chooses" repeated "1st choice"; a hard grey sentence."""
    with posed_view(
        _trained("long-memory", 4), FigureOptions("generate", 1280, 720, 1.0, presentation=True)
    ) as view:
        assert isinstance(view, GenerateView)
        table = view.table
        assert table.last_step_seen()
        if all(c == 0 for c in table.chosen_columns()):  # greedy: "chooses" says nothing new
            assert table.isColumnHidden(2)
    with posed_view(
        _trained("doug-jane-spot", 12), FigureOptions("generate", 1280, 720, 1.0)
    ) as view:
        assert isinstance(view, GenerateView)
        table = view.table
        reads = [table.cell_text(r, 1) for r in range(table.rowCount())]
        assert ". full stop" in reads and "." not in reads
        explain = view.findChild(type(view.message), "generateExplain")
        assert explain is not None and "writes on by itself" in explain.text()
        assert "dinner" not in explain.text()
        colour = explain.palette().color(explain.foregroundRole()).name()
        assert colour != QColor(theme.MUTED).name()  # the text colour, not a pale grey


def test_state_map_colours_long_memory_by_its_colour_words_and_names_lines_whole(
    qapp: QApplication,
) -> None:
    """Review 5 and 10: 19 symbols in ~9 colours hid which colour a line carries; the
    "Lines shown" names were cut."""
    with posed_view(_trained("long-memory", 4), FigureOptions("state-map", 1280, 720, 1.0)) as view:
        assert isinstance(view, StateMapView)
        assert view.plot.colour_by == "first"
        entries = [(item.opts["brush"].color().name(), item.opts["symbol"])
                   for item in view.plot.scatters]  # fmt: skip
        assert len(set(entries)) == len(entries)
        lst = view.sequence_list
        item = lst.item(0)
        metrics = QFontMetrics(lst.font())
        assert metrics.horizontalAdvance(item.text()) > lst.viewport().width()  # a long name
        assert lst.visualItemRect(item).height() >= 2 * metrics.height()  # wrapped, not cut
