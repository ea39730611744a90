"""The State map tab: PCA of the hidden states, colours by symbol, selections, live updates."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from app.analysis.pca import fit_pca
from app.analysis.sequence_view import view_at
from app.data import load_preset
from app.project import load_project, save_project
from app.project.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document, empty_project, project_from_preset
from app.ui.tabs.state_map import StateMapView
from app.ui.tabs.state_map.palette import NAMED, OKABE_ITO, legend_styles
from app.ui.tabs.state_map.plot import down_the_columns, starts_with_colours
from app.ui.tabs.symbols import named_symbol
from tests.ui.conftest import FileDialogs
from tests.ui.helpers import trained_project

_trained = functools.cache(trained_project)  # one training per (preset, epochs) here


Make = Callable[..., StateMapView]


@pytest.fixture
def make_view(qtbot: QtBot) -> Iterator[Make]:
    """``make_view(project)``: a shown view on a fresh controller holding ``project``."""
    controllers: list[TrainingController] = []

    def make(project: Project) -> StateMapView:
        project = replace(project)
        controller = TrainingController()
        controllers.append(controller)
        controller.set_project(project)
        view = StateMapView(controller, Document(project))
        qtbot.addWidget(view)
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
        return view

    yield make
    for c in controllers:
        assert c.shutdown(5000)


def _expected(view: StateMapView, indices: list[int], epoch: int) -> tuple[np.ndarray, list[str]]:
    """The map computed independently: each line's view at the epoch, stacked, PCA'd."""
    model = view._controller.model()
    snap = view._controller.snapshot(epoch)
    assert model is not None and snap is not None
    network, data = model
    views = [view_at(network, snap, data, i) for i in indices]
    hidden = np.concatenate([v.hidden for v in views])
    symbols = [t for v in views for t in v.tokens[:-1]]
    return fit_pca(hidden).transform(hidden), symbols


def test_points_are_the_pca_of_the_hidden_states(make_view: Make) -> None:
    view = make_view(_trained("doug-jane-spot", 100))
    m = view.plot.map
    assert m is not None and m.epoch == 100
    indices = view.selected()
    assert indices == list(range(9))  # every line (fewer than 20)
    want, symbols = _expected(view, indices, 100)
    np.testing.assert_allclose(view.plot.points(), want, atol=1e-9)
    x, y = view.plot.lines.getData()
    np.testing.assert_allclose(np.c_[x, y], want, atol=1e-9)
    # Each symbol's scatter holds exactly the points where that symbol was read,
    # coloured and shaped by the palette, with a legend entry.
    vocabulary = m.vocabulary
    styles = legend_styles(list(vocabulary))
    for v, item in enumerate(view.plot.scatters):
        read_here = [i for i, s in enumerate(symbols) if s == vocabulary[v]]
        np.testing.assert_array_equal(item.data["data"], read_here)
        colour, shape = styles[v]
        assert item.opts["brush"].color().name().lower() == colour.lower()
        assert item.opts["symbol"] == shape
    labels = [label.text for _, label in view.plot.legend.items]
    assert labels == [named_symbol(v) for v in vocabulary]  # a full stop named
    assert "epoch 100" in view.plot.title.text


def test_fewer_lines_fewer_points(make_view: Make) -> None:
    view = make_view(_trained("doug-jane-spot", 100))
    total = len(view.plot.points())
    view.sequence_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    view.sequence_list.item(3).setCheckState(Qt.CheckState.Unchecked)
    assert view.selected() == [1, 2, 4, 5, 6, 7, 8]
    want, _ = _expected(view, view.selected(), 100)
    points = view.plot.points()
    assert len(points) < total
    np.testing.assert_allclose(points, want, atol=1e-9)
    assert len(view.plot.map.spans) == 7
    view.none_button.click()
    assert view.plot.map is None and view.message.isVisible()
    assert "Tick at least one line" in view.message.text()
    view.all_button.click()
    assert len(view.plot.points()) == total and not view.message.isVisible()


def test_hover_reads_a_point(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    plot = view.plot
    m = plot.map
    assert m is not None
    i = int(np.flatnonzero((m.sequence == 1) & (m.step == 2))[0])
    vb = plot.plot.getViewBox()
    qtbot.waitUntil(lambda: vb.viewRect().contains(QPointF(*m.coords[i])))  # ranged on paint
    hit = plot.point_at(vb.mapViewToScene(QPointF(*m.coords[i])))
    assert hit is not None  # i, or a point drawn on top of it
    px, py = vb.viewPixelSize()
    assert np.hypot(*((m.coords[hit] - m.coords[i]) / (px, py))) < 1.0
    assert plot.point_at(vb.mapViewToScene(QPointF(1e6, 1e6))) is None
    text = plot.describe(i)
    line = view._controller.model()[1].line_numbers[1]
    assert text.startswith(f"line {line}, step 3: reads “")
    assert "predicts “" in text
    plot._show_hover(i)
    assert plot.readout.text() == text
    x, _ = plot.highlight.getData()
    assert len(x) == m.spans[1][1] - m.spans[1][0]  # the whole line is highlighted


def test_epoch_choice_and_fixed_axes(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    latest = view.plot.points().copy()
    view.epoch.latest_check.setChecked(False)
    view.epoch.spin.setValue(10)
    assert view.plot.map is not None and view.plot.map.epoch == 10
    want, _ = _expected(view, view.selected(), 10)
    np.testing.assert_allclose(view.plot.points(), want, atol=1e-9)
    assert not np.allclose(view.plot.points(), latest)
    # Keep the axes of epoch 10, look at epoch 100 through them.
    view.fix_axes.setChecked(True)
    assert "epoch 10" in view.fix_axes.text()
    view.epoch.latest_check.setChecked(True)
    m = view.plot.map
    assert m is not None and (m.epoch, m.fit_epoch) == (100, 10)
    model = view._controller.model()
    assert model is not None
    network, data = model
    fit_h = np.concatenate(
        [view_at(network, view._controller.snapshot(10), data, i).hidden for i in view.selected()]
    )
    now_h = np.concatenate(
        [view_at(network, view._controller.snapshot(100), data, i).hidden for i in view.selected()]
    )
    np.testing.assert_allclose(view.plot.points(), fit_pca(fit_h).transform(now_h), atol=1e-9)
    assert "axes from epoch 10" in view.plot.title.text
    view.fix_axes.setChecked(False)
    np.testing.assert_allclose(view.plot.points(), latest, atol=1e-9)


def test_updates_while_training(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(project_from_preset(load_preset("dinner")))
    assert view.plot.map is not None and view.plot.map.epoch == 0
    controller = view._controller
    controller.set_stop_condition("epochs", 40)
    refreshes: list[int] = []
    controller.frame_ready.connect(lambda _: refreshes.append(view.plot.map.epoch))
    with qtbot.waitSignal(controller.stop_condition_met, timeout=20_000):
        controller.start()
    qtbot.waitUntil(lambda: view.plot.map is not None and view.plot.map.epoch == 40, timeout=5000)
    want, _ = _expected(view, view.selected(), 40)
    np.testing.assert_allclose(view.plot.points(), want, atol=1e-9)
    assert refreshes  # frames arrived and the map followed them without being asked


def test_selection_saved_and_restored(tmp_path: Path, make_view: Make) -> None:
    view = make_view(_trained("doug-jane-spot", 100))
    view.set_selected([0, 2, 5])
    view.epoch.latest_check.setChecked(False)
    view.epoch.spin.setValue(30)
    view.fix_axes.setChecked(True)
    document = view._document
    assert document.project.ui["state_map"] == {"sequences": [0, 2, 5], "epoch": 30,
                                                 "fixed_axes": 30,
                                                 "colour_by": "symbol"}  # fmt: skip
    assert not document.modified
    path = tmp_path / "djs.lstmproj"
    save_project(document.project, path)
    document.replace(_trained("doug-jane-spot", 100))
    assert view.selected() == list(range(9)) and view.epoch.choice() is None
    assert not view.fix_axes.isChecked()
    document.replace(load_project(path), path)
    assert view.selected() == [0, 2, 5]
    assert view.epoch.choice() == 30 and view.fix_axes.isChecked()
    assert view.plot.map is not None and len(view.plot.map.spans) == 3
    assert not document.modified


@pytest.mark.parametrize(
    "junk",
    ["x", {"sequences": "all", "epoch": -3, "fixed_axes": "no"},
     {"sequences": [99, True, "1"]}, {"sequences": [1, 99]}],
)  # fmt: skip
def test_junk_in_the_file_falls_back(make_view: Make, junk: object) -> None:
    view = make_view(replace(_trained("doug-jane-spot", 100), ui={"state_map": junk}))
    expected = [1] if junk == {"sequences": [1, 99]} else list(range(9))
    assert view.selected() == expected
    assert view.epoch.choice() is None and not view.fix_axes.isChecked()
    assert view.plot.map is not None


def test_default_caps_long_texts_at_20_lines(make_view: Make) -> None:
    base = project_from_preset(load_preset("dinner"))
    text = "\n".join(["pizza sushi waffles pizza"] * 30)
    view = make_view(Project.from_text(text, "words", model=base.model, train=base.train))
    assert view.sequence_list.count() == 30
    assert view.selected() == list(range(20))


def test_text_without_sequences_shows_a_message(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    document = view._document
    document.replace(empty_project())  # the controller keeps its old model
    assert view.plot.map is None and view.message.isVisible()
    assert "no trainable text" in view.message.text()


def test_export(make_view: Make, file_dialogs: FileDialogs, tmp_path: Path) -> None:
    view = make_view(_trained("dinner", 100))
    for name in ("map.png", "map.svg"):
        file_dialogs.next_save(tmp_path / name)
        view.export.click()
        assert (tmp_path / name).stat().st_size > 1000


def test_a_symbol_that_names_a_colour_is_drawn_in_it_and_no_two_entries_look_alike() -> None:
    """long-memory's "red" was orange and its "blue" orange too (palette by index); then
    "ten" and "green" were both teal diamonds and "five" red's vermillion (19 symbols, 8
    colours, colour and shape each by index)."""
    words = ["red", "blue", "green", "yellow", *(f"w{k}" for k in range(15))]  # long-memory
    styles = legend_styles(words)
    assert [c for c, _ in styles[:4]] == ["#D55E00", "#0072B2", "#009E73", "#F0E442"]
    assert len(set(styles)) == len(words)  # colour and shape: every entry its own
    others = {c for c, _ in styles[4:]}
    named = {NAMED[w] for w in words[:4]}
    assert others and others <= set(OKABE_ITO) - named - {"#E69F00"}  # orange: red-ish
    assert legend_styles(["Red ", "red"])[0][0] == "#D55E00"
    assert len(set(legend_styles([""] * 56))) == 56  # no colour words: 8 colours × 7 shapes


def test_a_legend_reads_down_its_columns() -> None:
    assert down_the_columns(5, 2) == [0, 3, 1, 4, 2]  # rows: (0, 3), (1, 4), (2,)
    assert down_the_columns(4, 1) == [0, 1, 2, 3]


def test_lines_that_start_with_a_colour_are_coloured_by_it_at_first() -> None:
    assert starts_with_colours(["red", "Blue", "green"])
    assert not starts_with_colours(["red", "Doug"]) and not starts_with_colours([])


def test_colour_by_line_or_first_word_is_drawn_saved_and_restored(make_view: Make) -> None:
    project = _trained("long-memory", 2)
    lines = project.data().tokens
    view = make_view(project)
    m = view.plot.map
    assert m is not None
    assert view.colour_by.currentData() == "first"  # its lines start with a colour word
    view.colour_by.setCurrentIndex(view.colour_by.findData("symbol"))
    assert len(view.plot.scatters) == len(m.vocabulary)

    view.colour_by.setCurrentIndex(view.colour_by.findData("first"))
    firsts = sorted({line[0] for line in lines}, key=m.vocabulary.index)
    assert firsts == ["red", "blue", "green", "yellow"]  # (the vocabulary's order)
    labels = [label.text for _, label in view.plot.legend.items]
    assert labels == firsts
    for first, item in zip(firsts, view.plot.scatters, strict=True):
        # exactly the points of the lines that start with this colour, in its own colour
        want = [i for i, line in enumerate(m.line) if lines[line - 1][0] == first]
        np.testing.assert_array_equal(item.data["data"], want)
        assert item.opts["brush"].color().name().lower() == NAMED[first].lower()
    assert view._document.project.ui["state_map"]["colour_by"] == "first"

    view.colour_by.setCurrentIndex(view.colour_by.findData("line"))
    labels = [label.text for _, label in view.plot.legend.items]
    assert labels == [f"line {n}" for n, _ in enumerate(lines, 1)][: len(m.spans)]
    np.testing.assert_array_equal(view.plot.points(), m.coords)  # the same map, recoloured

    view._document.replace(replace(project, ui={"state_map": {"colour_by": "first"}}))
    assert view.colour_by.currentData() == "first" and view.plot.colour_by == "first"
    view._document.replace(replace(project, ui={"state_map": {"colour_by": "symbol"}}))
    assert view.colour_by.currentData() == "symbol"  # a saved choice wins over the default
    view._document.replace(replace(project, ui={"state_map": {"colour_by": 7}}))  # broken
    assert view.colour_by.currentData() == "first"  # this project's default
