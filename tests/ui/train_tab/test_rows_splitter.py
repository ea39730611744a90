"""The split between the Train tab's top row and the gates: by rule until dragged."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.ui.shell.window import MainWindow
from tests.ui.helpers import trained_project
from tests.ui.layout_helpers import show_at


def test_the_rule_sets_the_split_until_the_learner_drags_it(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.document.replace(trained_project("long-memory", 1))
    qtbot.waitUntil(lambda: window.controller.epoch == 1, timeout=10_000)
    plots = window.plots
    splitter = plots.main_splitter
    show_at(qtbot, window, (1280, 720))
    plots.flush()
    qtbot.waitUntil(lambda: not plots._arrange_timer.isActive())
    compact = splitter.sizes()[0]
    show_at(qtbot, window, (1920, 1080))
    qtbot.waitUntil(lambda: splitter.sizes()[0] > compact)  # room: every symbol labelled
    assert splitter.saveState().isEmpty(), "a split the learner never chose is not saved"

    ruled = splitter.sizes()[0]
    splitter.moveSplitter(compact + 10, 1)  # the learner drags the handle up
    dragged = splitter.sizes()[0]
    assert dragged < ruled
    show_at(qtbot, window, (1900, 1080))  # (a resize would re-run the rule)
    qtbot.waitUntil(lambda: not plots._arrange_timer.isActive())
    assert splitter.sizes()[0] == dragged, "the rule leaves a dragged split alone"
    assert not splitter.saveState().isEmpty()
