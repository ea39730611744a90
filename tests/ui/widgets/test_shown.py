"""Draw only what is seen: a hidden view refreshes once, when it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ui.widgets.shown import RefreshWhenShown


class Counting:
    def __init__(self, qtbot: QtBot) -> None:
        self.view = QWidget()
        qtbot.addWidget(self.view)
        self.runs = 0
        self.refresh = RefreshWhenShown(self.view, self.run)

    def run(self) -> None:
        self.runs += 1


def test_nothing_runs_while_hidden_and_it_catches_up_once_when_shown(qtbot: QtBot) -> None:
    c = Counting(qtbot)
    for _ in range(5):  # five frames while hidden
        c.refresh.request()
    assert c.runs == 0 and c.refresh.stale
    c.view.show()
    qtbot.waitExposed(c.view)
    assert c.runs == 1 and not c.refresh.stale
    c.view.hide()
    c.view.show()  # shown again with nothing new: no second run
    assert c.runs == 1


def test_while_visible_each_request_runs_at_once(qtbot: QtBot) -> None:
    c = Counting(qtbot)
    c.view.show()
    qtbot.waitExposed(c.view)
    runs = c.runs
    c.refresh.request()
    c.refresh.request()
    assert c.runs == runs + 2
