"""A project whose training batch would not fit in memory opens, says why it cannot train,
and trains once the batch size is lowered."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.engine import memory
from app.engine.memory import batch_bytes
from app.engine.network import Network
from app.project import save_project
from app.ui.shell.window import MainWindow
from tests.project.helpers import make_project
from tests.ui.conftest import FileDialogs


def test_the_window_opens_it_shows_why_and_lower_batch_size_fixes_it(
    window: MainWindow,
    file_dialogs: FileDialogs,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = make_project(1, batch_size=3)
    path = tmp_path / "big.lstmproj"
    save_project(project, path)
    one = batch_bytes(Network(project.model), 3, 1, training=True)  # 1 sequence × 3 steps
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", one)
    file_dialogs.next_open(path)
    window.menu_actions.open.trigger()
    qtbot.waitUntil(lambda: window.document.project.text == project.text)
    assert not window.edits.trainable
    assert window.edits.data_error.startswith("One training batch needs about ")
    assert not window.menu_actions.train.isEnabled()
    label = window.settings_panel.error_label
    assert label.isVisibleTo(window) and "lower the batch size" in label.text()

    assert window.edits.change_settings(batch_size=1)
    assert window.edits.trainable and window.menu_actions.train.isEnabled()
    assert not label.isVisibleTo(window)


def test_typed_text_too_big_to_train_is_kept_and_says_why(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The learner's text stays in the document (a save keeps it) even when no batch of
    it fits: the editor says why, and a shorter text trains again."""
    project = window.document.project
    longest = max(len(line.split()) for line in project.text.splitlines() if line.strip())
    budget = batch_bytes(Network(project.model), longest + 1, project.train.batch_size, True)
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", budget)
    long_text = project.text + " ".join(["pizza", "sushi"] * (2 * longest)) + "\n"
    assert not window.edits.apply_text(long_text, project.tokenizer)
    assert window.document.project.text == long_text
    assert not window.edits.trainable
    assert window.edits.data_error.startswith("One training batch needs about ")
    assert window.edits.apply_text(project.text, project.tokenizer)
    assert window.edits.trainable
