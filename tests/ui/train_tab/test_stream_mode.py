"""Issue 14, item 1 in the window: reading the text as one stream.

The sequences panel chooses "one sequence per line" or "one stream" and the window
(steps per update); on a trained model the mode waits like a text edit and Undo brings
the model back; the pickers offer excerpts with ⏎; the live checks stop refusing short
lines; Generate reads a prompt's line breaks and writes text with line breaks; the
Shakespeare preset opens as a stream.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.analysis.rollout import encode_prompt, join_symbols
from app.data import DEFAULT_STREAM_WINDOW, NEWLINE, TokenizerSpec, load_preset
from app.engine.config import ModelConfig, TrainConfig
from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document, project_from_preset
from app.ui.shell.new_dialog import EMPTY, NewProjectDialog
from app.ui.shell.window import MainWindow
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm.choice import VersusChoice
from app.ui.train_tab.token_preview import preview_html
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs, train_headless

SHORT_LINES = "ab\nc\nab\nc\nab\nc\n"  # "c" alone: refused as lines, fine as a stream


def _choose(combo: object, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))  # type: ignore[attr-defined]


def test_mode_waits_on_a_trained_model_and_undo_brings_it_back(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    editor, plots = window.editor, window.plots
    assert editor.mode_combo.currentData() == "lines"
    assert editor.window_spin.value() == 0 and editor.window_spin.text() == "whole lines"
    train_epochs(qtbot, window, 2)
    text = window.document.project.text

    _choose(editor.mode_combo, "stream")  # a click or an arrow key: nothing is lost
    assert window.edits.pending == (text, "words", "stream")
    assert window.document.project.sequences == "lines" and window.controller.epoch == 2
    assert editor.pending_bar.isVisible() and dialogs.calls == []
    spin = editor.window_spin  # the window the stream will get, greyed until applied
    assert (spin.value(), spin.isEnabled()) == (DEFAULT_STREAM_WINDOW, False)

    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    project = window.document.project
    assert project.sequences == "stream" and window.controller.epoch == 0
    assert project.train.tbptt_window == DEFAULT_STREAM_WINDOW == editor.window_spin.value()
    assert editor.window_spin.minimum() == 1  # a stream needs a window
    labels = [plots.sequence_combo.itemText(i) for i in range(plots.sequence_combo.count())]
    assert labels and all(label.startswith(f"excerpt {i + 1} (text line ") for i, label in
                          enumerate(labels))  # fmt: skip
    assert "\u23ce" in labels[0] and "\n" not in "".join(labels)
    assert "Ready to train: one stream of" in editor.status.text()
    assert window.settings_panel.batch_spin.suffix() == " streams"  # read side by side

    window.menu_actions.undo.trigger()  # the lines model, trained, comes back
    assert window.document.project.sequences == "lines" and window.controller.epoch == 2
    assert editor.mode_combo.currentData() == "lines" and editor.window_spin.value() == 0
    assert plots.sequence_combo.itemText(0).startswith("line 1: ")
    assert window.settings_panel.batch_spin.suffix() == " sequences"


def test_a_short_stream_trains_and_its_window_is_a_setting(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    editor = window.editor
    _choose(editor.tokenizer_combo, "chars")
    editor.text_edit.setPlainText(SHORT_LINES)
    editor.commit_pending()
    assert "only one symbol" in editor.problems.item(0).text()  # as lines: refused
    assert not window.edits.trainable

    _choose(editor.mode_combo, "stream")  # untrained: applied at once
    assert window.edits.trainable and editor.problems.count() == 0
    assert window.document.project.sequences == "stream"
    editor.window_spin.setValue(4)
    assert window.document.project.train.tbptt_window == 4 and dialogs.calls == []

    train_epochs(qtbot, window, 2)  # the stream trainer, in the training process
    assert np.isfinite(window.controller.history()[-1].train_loss)
    editor.window_spin.setValue(3)  # a trained model: asked first, refused here
    assert dialogs.kinds() and window.document.project.train.tbptt_window == 4
    assert editor.window_spin.value() == 4 and window.controller.epoch == 2


def test_generate_reads_line_breaks_and_writes_them(qtbot: QtBot) -> None:
    base = project_from_preset(load_preset("dinner"))
    project = Project.from_text(SHORT_LINES * 4, "chars", model=base.model,
                                sequences="stream")  # fmt: skip
    project = train_headless(project, 40)
    vocabulary = project.data().vocabulary
    for typed in ("b\u23cec", "b\\nc"):
        ids = encode_prompt(typed, "chars", vocabulary, stream=True)
        assert [vocabulary.symbols[i] for i in ids] == ["b", NEWLINE, "c"]
    assert join_symbols(["ab", NEWLINE, "c", "."], "words") == "ab\nc."

    controller = TrainingController()
    controller.set_project(project)
    view = GenerateView(controller, Document(replace(project)))
    qtbot.addWidget(view)
    try:
        view.prompt.setText("ab\u23ce")
        assert view.generate()
        assert view.text.startswith("ab\n")
        assert view.text.count("\n") >= 3  # it learned the line breaks: text with lines
        assert "\u23ce</span><br/>" in view.sentence.text()
    finally:
        assert controller.shutdown(5000)


def test_the_shakespeare_preset_opens_as_a_stream(qtbot: QtBot) -> None:
    project = project_from_preset(load_preset("coriolanus"))
    assert project.sequences == "stream" and project.tokenizer == "chars"
    assert project.train.tbptt_window == 64 and project.train.batch_size == 32
    assert project.model.dtype == "float32"
    assert project.data().n_sequences > 500  # excerpts for the views

    dialog = NewProjectDialog([load_preset("coriolanus")])
    qtbot.addWidget(dialog)
    assert dialog.choice() == EMPTY and dialog.mode_combo.isEnabled()
    _choose(dialog.mode_combo, "stream")
    assert dialog.sequences() == "stream"
    dialog.choices.setCurrentRow(1)  # a preset is read as it was written for
    assert dialog.sequences() == "stream" and not dialog.mode_combo.isEnabled()


def test_the_second_network_of_a_stream_reads_windows_too() -> None:
    main, lstm = TrainConfig(tbptt_window=64), ModelConfig(kind="lstm")
    assert VersusChoice().rival_train(TrainConfig(), lstm).tbptt_window == 1  # lines: lecture
    assert VersusChoice().rival_train(main, lstm, stream=True).tbptt_window == 64
    assert VersusChoice(window=0).rival_train(main, lstm, stream=True).tbptt_window == 64
    assert VersusChoice(window=5).rival_train(main, lstm, stream=True).tbptt_window == 5


def test_the_preview_shows_a_stream_as_it_is_read() -> None:
    spec = TokenizerSpec("chars")
    stream = preview_html("def f():\n  return 1\n", spec, stream=True).split("<br/>")
    assert stream[0].count("\u23ce") == 1 and stream[1].count("\u23ce") == 1
    assert stream[1].count("\u2423") == 3  # the indentation, and the space inside
    lines = preview_html("def f():\n  return 1\n", spec).split("<br/>")
    assert "\u23ce" not in "".join(lines) and lines[1].count("\u2423") == 1
