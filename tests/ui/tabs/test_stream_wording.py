"""A text read as one stream is shown in excerpts, and the views say so: "Excerpt
shown:", "excerpt 2 (text line 4): …", "the whole text: loss …", the state map's
excerpts; a text read as lines keeps its wording ("Sequence shown:", "Line:", "line 3:
…").  A right line break shows as a grey ⏎ in the predicted text, as a wrong one does."""

from __future__ import annotations

import functools

import pytest
from PySide6.QtWidgets import QApplication

from app.cli.figure import FigureOptions
from app.data import NEWLINE, load_preset
from app.project import Project
from app.ui.document.document import project_from_preset
from app.ui.plots import _theme as theme
from app.ui.shell.figure import posed_view
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.generate import texts as generate_texts
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.state_map import StateMapView
from app.ui.tabs.state_map import texts as map_texts
from app.ui.train_tab.plots_area import PlotsArea
from tests.ui.helpers import train_headless

LINES = "ab\ncd\n" * 12  # a line break after every line: easy to learn


@functools.cache
def _project(mode: str) -> Project:
    base = project_from_preset(load_preset("dinner"))
    project = Project.from_text(LINES, "chars", model=base.model, sequences=mode)
    return train_headless(project, 40)


def _options(view: str) -> FigureOptions:
    return FigureOptions(view, 1280, 720, 1.0)


@pytest.mark.parametrize("mode", ["stream", "lines"])
def test_the_pickers_name_what_they_show(qapp: QApplication, mode: str) -> None:
    stream = mode == "stream"
    first = "excerpt 1 (text line 1): ab \u23ce cd" if stream else "line 1: ab"
    project = _project(mode)
    with posed_view(project, _options("train")) as train:
        assert isinstance(train, PlotsArea)
        expected = "Excerpt shown:" if stream else "Sequence shown:"
        assert train.selector_label.text() == expected
        assert train.sequence_combo.itemText(0).startswith(first)
    with posed_view(project, _options("compare")) as compare:
        assert isinstance(compare, CompareView)
        assert compare.top.sequence_label.text() == ("Excerpt:" if stream else "Line:")
        assert compare.top.sequence_combo.itemText(0).startswith(first)
        score = "the whole text: loss " if stream else "all lines: loss "
        assert compare.selectors.infos["b"].text().startswith(score)
        where = " on excerpt 1 only " if stream else " on line 1 only "
        assert where in compare.words.summary.text()
    with posed_view(project, _options("cell")) as cell:
        assert isinstance(cell, CellView)
        assert cell.controls.sequence_label.text() == ("Excerpt:" if stream else "Sequence:")
        assert cell.controls.sequence_combo.itemText(0).startswith(first)


@pytest.mark.parametrize("mode", ["stream", "lines"])
def test_the_state_map_and_versus_speak_of_excerpts_in_a_stream(
    qapp: QApplication, mode: str
) -> None:
    stream = mode == "stream"
    project = _project(mode)
    with posed_view(project, _options("state-map")) as state_map:
        assert isinstance(state_map, StateMapView)
        explain = state_map.explain.text()
        assert ("one excerpt of the text" in explain) is stream
        assert ("one training line" in explain) is not stream
        idle = state_map.plot.readout.text()
        assert idle == (map_texts.HOVER_IDLE_STREAM if stream else map_texts.HOVER_IDLE)
        row = state_map.sequence_list.item(0).text()
        assert row.startswith("excerpt 1 (text line 1): " if stream else "line 1: ")
        assert state_map.plot.describe(0).startswith(
            "excerpt 1 (text line 1), step 1:" if stream else "line 1, step 1:"
        )
    with posed_view(project, _options("versus")) as versus:
        assert isinstance(versus, VersusView)
        note = versus.controls.window_note.text()
        assert ("whole line" in note.lower()) is not stream  # a stream has no whole line
        assert ("memory carries on through the whole text" in note) is stream
        if stream:  # its links: 1 step back, and back to the project's own window
            spin, link = versus.controls.window_spin, versus.controls.window_note.linkActivated
            own = project.train.tbptt_window
            assert own > 1
            link.emit("window:1")
            assert spin.value() == 1 and f"Your network's window ({own:,} steps)" in (
                versus.controls.window_note.text()
            )
            link.emit("window:0")
            assert spin.value() == own
    assert "each symbol it picks" in generate_texts.EXPLAIN  # characters are symbols too


def test_a_right_line_break_shows_in_the_predicted_text(qapp: QApplication) -> None:
    with posed_view(_project("stream"), _options("train")) as train:
        assert isinstance(train, PlotsArea)
        view = train.predictions.view
        assert view is not None
        right = sum(t == NEWLINE and ok for t, ok in zip(view.targets, view.correct, strict=True))
        assert right >= 2  # it learned where lines end
        grey_mark = f"<span style='color:{theme.MUTED}'>\u23ce</span>"
        assert train.predictions.sentence.text().count(grey_mark) >= right
