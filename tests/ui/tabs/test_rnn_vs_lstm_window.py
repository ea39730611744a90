"""The "RNN vs LSTM" tab in the real window: saved with the project, reopened, closed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.analysis.rnn_vs_lstm import LATEST
from app.project import load_project
from app.ui.shell.window import MainWindow
from app.ui.tabs.rnn_vs_lstm import VERSUS_TITLE, VersusView
from app.ui.tabs.rnn_vs_lstm.choice import UI_KEY
from tests.project.helpers import assert_same_state
from tests.training.helpers import process_gone
from tests.ui.conftest import Dialogs

MakeWindow = Callable[..., MainWindow]


def _versus(window: MainWindow) -> VersusView:
    tabs = window.views
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == VERSUS_TITLE)
    view = tabs.widget(index)
    assert isinstance(view, VersusView)
    return view


def _ended(pid: int | None) -> bool:
    return pid is None or process_gone(pid)


def _train_both(qtbot: QtBot, window: MainWindow, epochs: int) -> VersusView:
    window.edits.set_stop_condition("epochs", epochs)
    view = _versus(window)
    window.views.setCurrentWidget(view)
    view.train_both()
    qtbot.waitUntil(
        lambda: not view.duo.running() and view.rival.controller.epoch == epochs, timeout=20_000
    )
    return view


def test_save_and_open_restore_the_second_network(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, dialogs: Dialogs
) -> None:
    window = make_window()
    window.files.new_from_preset("doug-jane-spot")
    view = _train_both(qtbot, window, 3)
    view.controls.window_spin.setValue(2)  # trained: it asks first, and Cancel keeps it
    assert view.rival.controller.epoch == 3 and view.controls.window_spin.value() == 1
    dialogs.answer("question", QMessageBox.StandardButton.Yes)
    view.controls.window_spin.setValue(2)
    assert view.rival.controller.epoch == 0
    view.train_both()
    qtbot.waitUntil(lambda: not view.duo.running(), timeout=20_000)
    # The fresh second network first caught up to epoch 3, then both trained 3 more.
    assert (window.controller.epoch, view.rival.controller.epoch) == (6, 6)
    expected = view.rival.capture()
    assert expected is not None and expected.trainer_state is not None

    path = tmp_path / "story.lstmproj"
    assert window.files.write(path)
    saved = load_project(path)
    assert saved.rival is not None and saved.rival.trainer_state is not None
    assert saved.rival.trainer_state.epoch == 6
    assert saved.rival.train.tbptt_window == 2 and saved.rival.model.kind == "rnn"
    assert_same_state(saved.rival.trainer_state, expected.trainer_state)
    assert saved.ui[UI_KEY]["window"] == 2

    reopened = make_window(path)
    again = _versus(reopened)
    assert not reopened.document.modified
    assert again.rival.controller.epoch == 6 and again.controls.window_spin.value() == 2
    latest = again.rival.controller.snapshot(LATEST)
    assert latest is not None and latest.epoch == 6
    assert np.array_equal(latest.weights, saved.rival.trainer_state.snapshot_weights[-1])
    restored = again.rival.capture()
    assert restored is not None
    assert_same_state(restored.trainer_state, saved.rival.trainer_state)
    history = [r.train_loss for r in again.rival.controller.history()]
    assert history == [h["train_loss"] for h in saved.rival.trainer_state.history]


def test_an_untrained_second_network_is_not_saved(make_window: MakeWindow, tmp_path: Path) -> None:
    window = make_window()
    view = _versus(window)
    view.controls.hidden_spin.setValue(4)
    assert window.files.write(tmp_path / "p.lstmproj")
    saved = load_project(tmp_path / "p.lstmproj")
    assert saved.rival is None and saved.ui[UI_KEY]["hidden_size"] == 4
    assert _versus(make_window(tmp_path / "p.lstmproj")).rival.model.hidden_size == 4  # type: ignore[union-attr]


def _both_training(qtbot: QtBot, make_window: MakeWindow) -> tuple[MainWindow, VersusView]:
    """A window whose two networks are training (no stop condition) on the tab."""
    window = make_window()
    window.edits.set_stop_condition("none", 0)
    view = _versus(window)
    window.views.setCurrentWidget(view)
    view.train_both()
    qtbot.waitUntil(lambda: view.rival.controller.epoch > 2, timeout=20_000)
    return window, view


def test_closing_the_window_ends_both_training_processes(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window, view = _both_training(qtbot, make_window)
    assert view.duo.running()
    pids = (view.rival.controller.process_id, window.controller.process_id)
    assert None not in pids and pids[0] != pids[1]
    window.document.set_modified(False)
    window.close()
    assert view.closing.fired
    assert all(_ended(pid) for pid in pids)  # both training processes, at once


def test_a_refused_close_keeps_training(
    qtbot: QtBot, make_window: MakeWindow, dialogs: Dialogs
) -> None:
    window, view = _both_training(qtbot, make_window)
    window.document.set_modified(True)
    dialogs.answer("warning", QMessageBox.StandardButton.Cancel)  # "Save changes?" Cancel
    window.close()
    assert window.isVisible() and not view.closing.fired
    qtbot.wait(20)  # the check after the event loop resumes must not fire either
    assert not view.closing.fired and not _ended(view.rival.controller.process_id)
    epoch = view.rival.controller.epoch
    qtbot.waitUntil(lambda: view.rival.controller.epoch > epoch + 2, timeout=20_000)
    view.duo.pause()
