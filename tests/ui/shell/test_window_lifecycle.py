"""Closing the window, the self-test, and the settings that persist between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.document.preferences import SETTINGS_DIR_ENV, Preferences, open_settings
from app.ui.main import application
from app.ui.shell import self_test
from app.ui.shell.window import MainWindow
from tests.training.helpers import process_gone
from tests.ui.conftest import Dialogs, FileDialogs

ROOT = Path(__file__).resolve().parents[3]


def test_closing_while_training_ends_the_training_process(
    make_window: Callable[..., MainWindow], qtbot: QtBot, dialogs: Dialogs
) -> None:
    window = make_window()
    window.edits.set_stop_condition("none", 0.0)
    window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.epoch >= 2, timeout=10_000)
    pid = window.controller.process_id
    assert pid is not None and pid != os.getpid()
    dialogs.answer("warning", QMessageBox.StandardButton.Discard)
    assert window.close()
    assert dialogs.kinds() == ["warning"]  # training progress is unsaved work: it asked
    assert window.controller.state != "running"
    assert process_gone(pid)  # no orphan: the close waited for it
    assert window.controller.shutdown(0)  # already ended by the close


def test_closing_asks_and_save_writes_the_trained_model(
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
    dialogs: Dialogs,
    file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    window = make_window()
    window.edits.set_stop_condition("none", 0.0)
    window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.epoch >= 3, timeout=10_000)
    dialogs.answer("warning", QMessageBox.StandardButton.Save)
    file_dialogs.next_save(tmp_path / "closing.lstmproj")
    assert window.close()
    from app.project import load_project

    state = load_project(tmp_path / "closing.lstmproj").trainer_state
    assert state is not None and state.epoch >= 3


def test_window_layout_persists(make_window: Callable[..., MainWindow], qtbot: QtBot) -> None:
    window = make_window()
    # Tall enough for the splitter to move: the plots keep minimum heights (below
    # them the Train tab scrolls); the window's size is restored with the rest.
    window.resize(1400, 1600)
    qtbot.waitUntil(lambda: window.plots.main_splitter.height() > 1000)
    window.plots.main_splitter.moveSplitter(5000, 1)  # as the learner's drag does
    set_top, set_bottom = window.plots.main_splitter.sizes()
    assert set_top / (set_top + set_bottom) > 0.5  # the default gives the top 40%
    window.sequences_dock.hide()
    window.close()
    again = make_window()
    top, bottom = again.plots.main_splitter.sizes()
    assert top / (top + bottom) > 0.5, (top, bottom, again.height())
    assert again.sequences_dock.isHidden()
    assert again.preferences.state("geometry") is not None


def test_settings_stay_in_the_test_folder(_private_settings_and_home: Path) -> None:
    settings = open_settings()
    assert settings.format() == QSettings.Format.IniFormat
    assert settings.fileName().startswith(os.environ[SETTINGS_DIR_ENV])
    default = QSettings("LSTM Playground", "LSTM Playground")
    assert default.fileName().startswith(str(_private_settings_and_home))
    assert os.environ["HOME"].startswith(str(_private_settings_and_home))


def test_preferences_survive_garbage(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    settings.setValue("plots/refresh_rate", "fast")
    settings.setValue("files/recent", 17)
    settings.setValue("window/geometry", "not a blob")
    prefs = Preferences(settings)
    assert prefs.refresh_rate() == 20
    assert prefs.recent_files() == []
    assert prefs.state("geometry") is None
    project = tmp_path / "a.lstmproj"
    project.write_text("x")
    prefs.add_recent_file(project)
    prefs.add_recent_file(project)
    assert prefs.recent_files() == [project.resolve()]


def test_self_test_passes_from_the_command_line() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("self-test OK")


def test_self_test_reports_a_failure_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(self_test, "plot_contents", lambda widget: (0, 0))
    assert self_test.run_self_test(application()) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["self-test FAILED: the loss plot has 0 points, expected 5"]
