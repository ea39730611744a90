"""What the exploring views share: view state kept in the project, paced refreshes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ui.document.document import Document, empty_project
from app.ui.widgets import throttled_refresh
from app.ui.widgets.throttled_refresh import ThrottledRefresh


def test_view_state_is_saved_with_the_project_but_is_no_unsaved_change(qtbot: QtBot) -> None:
    document = Document(empty_project())
    edits: list[int] = []
    document.edited.connect(lambda: edits.append(1))
    document.store_ui("cell", {"epoch": 3})
    assert document.project.ui["cell"] == {"epoch": 3}
    assert not document.modified and edits == [1]
    document.store_ui("cell", {"epoch": 3})  # unchanged: nothing happens
    assert edits == [1]


class Counting:
    def __init__(self, qtbot: QtBot) -> None:
        self.view = QWidget()
        qtbot.addWidget(self.view)
        self.runs = 0
        self.refresh = ThrottledRefresh(self.view, self.run, 30)

    def run(self) -> None:
        self.runs += 1
        self.refresh.stale = False


def test_nothing_runs_while_hidden_and_it_catches_up_when_shown(qtbot: QtBot) -> None:
    c = Counting(qtbot)
    c.refresh.now()
    assert c.runs == 0
    c.view.show()
    qtbot.waitExposed(c.view)
    c.refresh.run_if_visible()  # what the view's showEvent does
    assert c.runs == 1
    c.refresh.run_if_visible()  # not stale: no second run
    assert c.runs == 1
    c.refresh.now()
    assert c.runs == 2


def test_training_frames_are_coalesced(qtbot: QtBot) -> None:
    c = Counting(qtbot)
    c.view.show()
    qtbot.waitExposed(c.view)
    for _ in range(5):
        c.refresh.soon()
    assert c.runs == 0
    qtbot.waitUntil(lambda: c.runs == 1)
    assert not c.refresh.timer.isActive()


def test_a_costly_refresh_waits_four_times_as_long(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Counting(qtbot)
    c.view.show()
    qtbot.waitExposed(c.view)
    clock = iter([10.0, 10.1])  # the refresh takes 100 ms
    monkeypatch.setattr(throttled_refresh, "perf_counter", lambda: next(clock))
    c.refresh.now()
    assert c.refresh.timer.interval() == 400
    clock = iter([20.0, 20.001])  # a cheap one: back to the floor
    c.refresh.now()
    assert c.refresh.timer.interval() == 30
