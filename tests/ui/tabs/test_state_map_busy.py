"""The State map never freezes the window: big maps on a worker, cancellable; bad weights said."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.analysis import state_map as analysis
from app.engine.config import ModelConfig
from app.project.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document
from app.ui.tabs.state_map import StateMapView
from app.ui.tabs.state_map import view as view_module
from app.ui.tabs.state_map.plot import MAX_LEGEND
from tests.ui.helpers import Heartbeat, trained_project

_trained = functools.cache(trained_project)

Make = Callable[..., StateMapView]


@pytest.fixture
def make_view(qtbot: QtBot) -> Iterator[Make]:
    """``make_view(project, show=True)``: the view in a tab widget (next to an empty tab)."""
    controllers: list[TrainingController] = []
    kept: list[QTabWidget] = []

    def make(project: Project, show: bool = True) -> StateMapView:
        controller = TrainingController()
        controllers.append(controller)
        controller.set_project(replace(project))
        tabs = QTabWidget()
        tabs.addTab(QWidget(), "other")
        view = StateMapView(controller, Document(project))
        tabs.addTab(view, "State map")
        qtbot.addWidget(tabs)
        kept.append(tabs)
        tabs.resize(1280, 720)
        if show:
            tabs.show()
            qtbot.waitExposed(tabs)
        return view

    yield make
    for c in controllers:
        assert c.shutdown(5000)


def _tabs(view: StateMapView) -> QTabWidget:
    tabs = view.parent().parent()
    assert isinstance(tabs, QTabWidget)
    return tabs


def _big_vocabulary() -> Project:
    """4,096 different words, 16 to a line: the project that froze the window for 116 s."""
    words = [f"w{i}" for i in range(4096)]
    text = "\n".join(" ".join(words[i : i + 16]) for i in range(0, 4096, 16))
    return Project.from_text(text, "words", model=ModelConfig(hidden_size=64))


def test_a_4096_symbol_map_leaves_the_window_responsive(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_big_vocabulary(), show=False)
    tabs = _tabs(view)
    tabs.show()
    qtbot.waitExposed(tabs)
    heart = Heartbeat()
    heart.start()
    clicked = time.perf_counter()
    tabs.setCurrentWidget(view)  # the click on the tab
    assert time.perf_counter() - clicked < 1.0  # was 116 s; generous: the machine may be busy
    assert view.busy_computing() and view.busy.isVisible()
    qtbot.waitUntil(lambda: view.plot.map is not None, timeout=30_000)
    assert not view.busy.isVisible() and not view.message.isVisible()
    assert heart.longest < 1.0, f"the GUI thread stalled for {heart.longest:.3f} s"
    m = view.plot.map
    assert len(m.vocabulary) == 4096 and len(m.spans) == 20
    assert len(view.plot.scatters) == MAX_LEGEND  # 41 symbols and "… other symbols"
    others = 20 * 15 - (MAX_LEGEND - 1)  # 300 different words read, 41 listed
    assert view.plot.legend.items[-1][1].text == f"{others} other symbols"
    np.testing.assert_array_equal(np.isnan(view.plot.points()).any(axis=1), False)


class Gate:
    """Holds every map computation until opened; it then finishes, told to stop or not."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.started = 0
        real = analysis.map_with_axes

        def held(*args: Any, should_stop: Callable[[], bool]) -> Any:
            self.started += 1
            assert self.open.wait(10)
            return real(*args)  # ignores should_stop: a late result must still be dropped

        monkeypatch.setattr(view_module, "SYNC_WORK", 0)  # every map on the worker
        monkeypatch.setattr(view_module, "map_with_axes", held)


def _painted(view: StateMapView, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The epoch of every map drawn from now on."""
    epochs: list[int | None] = []
    real = view.plot.set_map

    def recording(m: Any) -> None:
        epochs.append(None if m is None else m.epoch)
        real(m)

    monkeypatch.setattr(view.plot, "set_map", recording)
    return epochs


def test_a_new_epoch_abandons_the_map_being_computed(
    qtbot: QtBot, make_view: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = make_view(_trained("dinner", 30))
    _tabs(view).setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.plot.map is not None)
    gate = Gate(monkeypatch)
    painted = _painted(view, monkeypatch)
    view.epoch.latest_check.setChecked(False)
    view.epoch.spin.setValue(10)
    qtbot.waitUntil(lambda: gate.started == 1)
    assert view.busy.isVisible()
    view.epoch.spin.setValue(20)  # while epoch 10 is computed
    gate.open.set()
    qtbot.waitUntil(lambda: not view.busy_computing(), timeout=10_000)
    qtbot.wait(50)
    assert painted == [20] and view.plot.map.epoch == 20  # never the late epoch-10 map
    assert not view.busy.isVisible()


def test_switching_tabs_abandons_the_map_and_computes_it_again_when_back(
    qtbot: QtBot, make_view: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = make_view(_trained("dinner", 30))
    tabs = _tabs(view)
    gate = Gate(monkeypatch)
    painted = _painted(view, monkeypatch)
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: gate.started == 1)
    tabs.setCurrentIndex(0)  # away, mid-computation
    assert not view.busy_computing()
    gate.open.set()
    qtbot.wait(100)
    assert painted == []  # the abandoned map is never drawn
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: painted == [30], timeout=10_000)


def _with_nan(project: Project, epochs: set[int]) -> Project:
    state = project.trainer_state
    assert state is not None
    weights = [
        np.full_like(w, np.nan) if e in epochs else w
        for e, w in zip(state.snapshot_epochs, state.snapshot_weights, strict=True)
    ]
    return replace(project, trainer_state=replace(state, snapshot_weights=weights))


def test_nan_weights_show_a_message_and_a_good_epoch_recovers(
    qtbot: QtBot, make_view: Make
) -> None:
    project = _with_nan(_trained("dinner", 30), {10, 30})
    view = make_view(project)
    _tabs(view).setCurrentWidget(view)  # latest (30): NaN; no exception escapes (pytest-qt)
    assert view.plot.map is None and view.message.isVisible()
    assert "No map for the latest epoch: the weights hold NaN (" in view.message.text()
    view.epoch.latest_check.setChecked(False)
    view.epoch.spin.setValue(20)
    assert view.plot.map is not None and view.plot.map.epoch == 20
    assert not view.message.isVisible()
    view.epoch.spin.setValue(10)
    assert view.plot.map is None and "No map for epoch 10: the weights hold NaN" in (
        view.message.text()
    )
    view.fix_axes.setChecked(True)  # axes of a NaN epoch: the same message, no traceback
    view.epoch.spin.setValue(20)
    assert view.plot.map is None and "the weights hold NaN" in view.message.text()
    view.fix_axes.setChecked(False)
    assert view.plot.map is not None and view.plot.map.epoch == 20
