"""New, Open, Save, Export and unsaved changes, through the window's own actions."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.project import load_project, save_project
from app.ui.document.document import default_project
from app.ui.shell.new_dialog import NewProjectDialog
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs, FileDialogs
from tests.ui.helpers import train_epochs

Button = QMessageBox.StandardButton


def test_save_and_reopen_round_trip(
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
    file_dialogs: FileDialogs,
    tmp_path: Path,
) -> None:
    window = make_window()
    train_epochs(qtbot, window, 3)
    window.settings_panel.lr_control.spin.setValue(0.03)
    path = tmp_path / "dinner"  # the extension is added
    file_dialogs.next_save(path)
    window.menu_actions.save.trigger()  # untitled: Save asks for a name
    saved = tmp_path / "dinner.lstmproj"
    assert saved.is_file()
    assert window.document.path == saved
    assert not window.isWindowModified()
    assert window.windowTitle() == "dinner.lstmproj[*] \u2014 LSTM Playground"
    _, weights = window.document.project.weights()

    project = load_project(saved)
    assert project.trainer_state is not None and project.trainer_state.epoch == 3
    assert project.train.learning_rate == 0.03

    other = make_window()
    file_dialogs.next_open(saved)
    other.menu_actions.open.trigger()
    assert other.document.path == saved
    assert other.controller.epoch == 3
    assert len(other.controller.history()) == 3
    assert other.settings_panel.lr_control.value() == 0.03
    other.plots.flush()
    x, _ = other.plots.loss_plot.curves["train_loss"].getData()
    assert list(x) == [1, 2, 3]
    _, reopened = other.document.project.weights()
    np.testing.assert_array_equal(reopened.buffer, weights.buffer)
    train_epochs(qtbot, other, 1)  # resumes
    assert other.controller.epoch == 4
    assert saved in other.preferences.recent_files()


def test_opening_a_corrupt_file_shows_the_error_and_keeps_the_project(
    window: MainWindow, dialogs: Dialogs, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.lstmproj"
    broken.write_bytes(b"PK\x03\x04 this is not a zip file")
    before = window.document.project
    file_dialogs.next_open(broken)
    window.menu_actions.open.trigger()
    assert dialogs.kinds() == ["critical"]
    assert "broken.lstmproj" in dialogs.texts()[0]
    assert window.document.project is before
    assert window.document.path is None
    assert window.edits.trainable  # the app lives on
    assert window.menu_actions.train.isEnabled()


def test_starting_with_a_broken_file_falls_back_to_the_default(
    make_window: Callable[..., MainWindow], qtbot: QtBot, dialogs: Dialogs, tmp_path: Path
) -> None:
    broken = tmp_path / "nope.lstmproj"
    broken.write_text("{}")
    window = make_window(broken)
    qtbot.waitUntil(lambda: dialogs.kinds() == ["critical"])
    assert "nope.lstmproj" in dialogs.texts()[0]
    assert window.document.project.preset == "dinner"
    assert window.document.path is None


def test_starting_with_a_project_file(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    first = make_window()
    path = tmp_path / "mine.lstmproj"
    first.controller.capture_into(first.document.project)
    save_project(first.document.project, path)
    window = make_window(path)
    assert window.document.path == path
    assert window.windowTitle().startswith("mine.lstmproj")


def test_save_errors_are_shown_and_nothing_changes(
    window: MainWindow, dialogs: Dialogs, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    window.document.set_modified(True)
    file_dialogs.next_save(tmp_path / "missing-folder" / "x.lstmproj")
    assert not window.files.save_as()
    assert dialogs.kinds() == ["critical"]
    assert "missing-folder" in dialogs.texts()[0]
    assert window.document.path is None
    assert window.isWindowModified()


def test_unsaved_changes_cancel_keeps_everything(window: MainWindow, dialogs: Dialogs) -> None:
    window.settings_panel.lr_control.spin.setValue(0.05)
    assert window.isWindowModified()
    project = window.document.project
    dialogs.answer("warning", Button.Cancel)
    window.menu_actions.presets_menu.actions()[2].trigger()  # doug-jane-spot
    assert "Do you want to save the changes to Untitled \u2014 dinner" in dialogs.texts()[0]
    assert window.document.project is project
    dialogs.answer("warning", Button.Cancel)
    window.close()
    assert window.isVisible()


def test_unsaved_changes_discard_goes_ahead(window: MainWindow, dialogs: Dialogs) -> None:
    window.settings_panel.lr_control.spin.setValue(0.05)
    dialogs.answer("warning", Button.Discard)
    window.menu_actions.presets_menu.actions()[2].trigger()
    assert window.document.project.preset == "doug-jane-spot"
    assert "Doug saw Jane" in window.editor.title.text()
    assert not window.isWindowModified()


def test_unsaved_changes_save_saves_first(
    window: MainWindow, dialogs: Dialogs, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    window.settings_panel.lr_control.spin.setValue(0.05)
    dialogs.answer("warning", Button.Save)
    file_dialogs.next_save(tmp_path / "kept.lstmproj")
    window.menu_actions.presets_menu.actions()[1].trigger()
    assert load_project(tmp_path / "kept.lstmproj").train.learning_rate == 0.05
    assert window.document.project.preset == "dinner-memory"


def test_new_dialog_empty_and_from_a_preset(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = {"row": 0}

    def fake_exec(dialog: NewProjectDialog) -> int:
        dialog.choices.setCurrentRow(choice["row"])
        return NewProjectDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewProjectDialog, "exec", fake_exec)
    window.menu_actions.new.trigger()
    assert window.document.project.text == ""
    assert window.windowTitle() == "Untitled[*] \u2014 LSTM Playground"
    assert not window.edits.trainable
    assert not window.menu_actions.train.isEnabled()
    assert window.plots.sequence_combo.count() == 0
    choice["row"] = 3  # empty, dinner, dinner-memory, doug-jane-spot
    window.menu_actions.new.trigger()
    assert window.document.project.preset == "doug-jane-spot"
    assert window.edits.trainable


def test_an_empty_project_cannot_be_saved_and_says_why(
    window: MainWindow, dialogs: Dialogs, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    window.files.new_empty()
    assert not window.files.write(tmp_path / "empty.lstmproj")
    assert "no sequences yet" in dialogs.texts("critical")[0]
    assert not (tmp_path / "empty.lstmproj").exists()


def test_recent_files_persist_and_missing_ones_are_pruned(
    make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = make_window()
    paths = [tmp_path / f"p{i}.lstmproj" for i in range(3)]
    for p in paths:
        window.files.write(p)
    paths[1].unlink()
    second = make_window()
    menu = second.menu_actions.recent_menu
    names = [a.text() for a in menu.actions() if a.text() and a.text() != "Clear list"]
    assert names == ["&1  p2.lstmproj", "&2  p0.lstmproj"]
    menu.actions()[1].trigger()
    assert second.document.path == paths[0]


def test_export_history_csv_and_plot_images(
    window: MainWindow, qtbot: QtBot, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    train_epochs(qtbot, window, 2)
    file_dialogs.next_save(tmp_path / "history")
    window.menu_actions.export_history.trigger()
    with (tmp_path / "history.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
        "grad_norm", "elapsed", "learning_rate",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    assert rows[1][3] == ""  # no validation split
    assert float(rows[2][1]) == window.controller.history()[1].train_loss

    for action, name in (
        (window.menu_actions.export_loss, "loss.png"),
        (window.menu_actions.export_gates, "gates.svg"),
        (window.menu_actions.export_predictions, "predictions.png"),
    ):
        file_dialogs.next_save(tmp_path / name)
        action.trigger()
        assert (tmp_path / name).stat().st_size > 1000


def test_save_while_training_captures_the_exact_state(
    make_window: Callable[..., MainWindow], qtbot: QtBot, tmp_path: Path
) -> None:
    """Train in the window, Save while it trains on, reopen, train M more: bit for bit
    what training the same epochs in one go gives."""
    window = make_window()
    window.edits.set_stop_condition("none", 0.0)
    window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: window.controller.epoch >= 8, timeout=20_000)
    path = tmp_path / "mid-run.lstmproj"
    assert window.files.write(path)
    assert window.controller.state == "running"  # Save did not stop it
    qtbot.waitUntil(lambda: window.controller.epoch >= 12, timeout=20_000)
    saved = load_project(path).trainer_state
    assert saved is not None and saved.epoch >= 8
    assert [r["epoch"] for r in saved.history] == list(range(1, saved.epoch + 1))

    assert window.files.open_path(path, ask=False)
    assert window.controller.epoch == saved.epoch and window.controller.state == "idle"
    train_epochs(qtbot, window, 5)
    window.controller.capture_into(window.document.project)
    resumed = window.document.project.trainer_state
    assert resumed is not None

    bare = default_project().make_trainer()
    list(bare.run(saved.epoch + 5))
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(resumed.params[name], value), name
    assert [r["train_loss"] for r in resumed.history] == [r.train_loss for r in bare.history]
