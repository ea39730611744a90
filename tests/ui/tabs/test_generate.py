"""The Generate tab: roll-outs from stored epochs, candidates, messages, settings saved."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.analysis.rollout import find_cycle, join_symbols
from app.data import load_preset
from app.project import load_project, save_project
from app.project.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document, project_from_preset
from app.ui.tabs.generate import GenerateView
from tests.ui.conftest import FileDialogs
from tests.ui.helpers import train_headless, trained_project

CYCLE = {"pizza": "sushi", "sushi": "waffles", "waffles": "pizza"}


_trained = functools.cache(trained_project)  # one training per (preset, epochs) here


def _text_project(text: str, tokenizer: str, epochs: int) -> Project:
    base = project_from_preset(load_preset("dinner"))
    project = Project.from_text(text, tokenizer, model=base.model, train=base.train)
    return train_headless(project, epochs)


Make = Callable[..., GenerateView]


@pytest.fixture
def make_view(qtbot: QtBot) -> Iterator[Make]:
    """``make_view(project)``: a shown view on a fresh controller holding ``project``."""
    controllers: list[TrainingController] = []

    def make(project: Project) -> GenerateView:
        project = replace(project)  # each test edits its own ui dict
        controller = TrainingController()
        controllers.append(controller)
        controller.set_project(project)
        view = GenerateView(controller, Document(project))
        qtbot.addWidget(view)
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
        return view

    yield make
    for c in controllers:
        assert c.shutdown(5000)


def test_greedy_rollout_continues_the_dinner_cycle(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    assert view.prompt.text() == "pizza"  # the first symbol of the text by default
    assert view.result is not None  # shown tab: it rolls out at once
    view.controls.length.setValue(9)
    table = view.table
    assert table.rowCount() == 9
    for row in range(9):
        read, chosen = table.cell_text(row, 1), table.cell_text(row, 2).split()[0]
        assert chosen == CYCLE[read]
        assert table.cell_text(row, 3).startswith(chosen)  # greedy: the 1st choice
    assert table.cell_text(0, 1) == "pizza" and table.cell_text(0, 2).startswith("sushi")
    assert table.chosen_columns() == [0] * 9
    assert view.text == "pizza sushi waffles pizza sushi waffles pizza sushi waffles pizza"
    assert "loop of 3" in view.ending.text()
    # The heatmap holds the same prediction vectors, the chosen cells outlined.
    np.testing.assert_allclose(view.heatmap.heatmap.image.image, view.result.probs)
    np.testing.assert_array_equal(view.heatmap.chosen.y, view.result.ids)
    probs = [float(table.cell_text(r, 3).split()[-1]) for r in range(9)]
    assert min(probs) > 0.9


def test_sampling_is_reproducible_with_a_seed(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    view.controls.epoch.set_choice(0)  # untrained: nearly uniform, so samples differ
    view.controls.length.setValue(30)
    view.controls.sample.setChecked(True)
    view.controls.temperature.setValue(1.5)
    view.controls.seed.setValue(7)
    assert view.result is not None
    first = view.result.ids.copy()
    assert view.generate()
    np.testing.assert_array_equal(view.result.ids, first)
    view.controls.another.click()
    assert view.controls.seed.value() == 8
    assert not np.array_equal(view.result.ids, first)
    view.controls.seed.setValue(7)
    np.testing.assert_array_equal(view.result.ids, first)
    assert "sampled" in view.ending.text()


def test_unknown_and_empty_prompts_get_a_message(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    view.prompt.setText("pizza pasta tacos")
    assert not view.generate()
    message = view.message.text()
    assert view.message.isVisible()
    assert "“pasta”, “tacos” are not in the vocabulary" in message
    assert "pizza" in message and "waffles" in message  # the vocabulary is listed
    assert view.result is None and view.table.rowCount() == 0 and view.text == ""
    view.prompt.setText("   ")
    assert not view.generate()
    assert "at least one symbol" in view.message.text()
    view.prompt.setText("waffles")
    assert view.generate()
    assert not view.message.isVisible()
    assert view.text.startswith("waffles pizza sushi")


def test_characters_join_without_spaces() -> None:
    assert join_symbols(["a", "b", " ", "c"], "chars") == "ab c"
    assert join_symbols(["Doug", "saw", "Jane", ".", "Jane"], "words") == "Doug saw Jane. Jane"
    assert join_symbols(["C4", "D4"], "sep:,") == "C4, D4"
    assert join_symbols(["C4", "D4"], "sep: | ") == "C4 | D4"


def test_characters_model_writes_text(make_view: Make) -> None:
    project = _text_project("abcabcabcabc\nbcabcabca\ncabcab", "chars", 60)
    view = make_view(project)
    view.prompt.setText("ab")
    view.controls.length.setValue(7)
    assert view.generate()
    assert view.text == "abcabcabc"
    assert view.table.cell_text(0, 1) == "b"


def test_the_epoch_changes_the_result(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    assert view.result is not None
    latest = view.result.probs.copy()
    assert "Epoch 100" in view.ending.text()
    view.controls.epoch.latest_check.setChecked(False)
    view.controls.epoch.spin.setValue(0)
    assert "Epoch 0," in view.ending.text()
    assert not np.allclose(view.result.probs, latest)
    assert view.result.probs.max() < 0.9  # the untrained network is unsure
    view.controls.epoch.latest_check.setChecked(True)
    np.testing.assert_allclose(view.result.probs, latest)


def test_follows_training_from_snapshots(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(project_from_preset(load_preset("dinner")))
    assert "Epoch 0," in view.ending.text()
    controller = view._controller
    controller.set_stop_condition("epochs", 60)
    with qtbot.waitSignal(controller.stop_condition_met, timeout=20_000):
        controller.start()
    qtbot.waitUntil(lambda: "Epoch 60," in view.ending.text(), timeout=5000)
    assert view.result is not None and view.result.probs.max() > 0.9


def test_settings_saved_and_restored(tmp_path: Path, make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    view.prompt.setText("sushi waffles")
    view.controls.length.setValue(5)
    view.controls.sample.setChecked(True)
    view.controls.temperature.setValue(0.5)
    view.controls.seed.setValue(42)
    view.controls.epoch.set_choice(50)
    assert view.generate()
    document = view._document
    stored = document.project.ui["generate"]
    assert stored == {"prompt": "sushi waffles", "length": 5, "mode": "sample",
                      "temperature": 0.5, "seed": 42, "epoch": 50}  # fmt: skip
    assert not document.modified  # view settings alone do not ask to save
    path = tmp_path / "dinner.lstmproj"
    save_project(document.project, path)
    document.replace(_trained("dinner", 100))  # defaults again
    assert view.prompt.text() == "pizza" and view.controls.length.value() == 7  # a line: 8
    document.replace(load_project(path), path)
    c = view.controls
    assert view.prompt.text() == "sushi waffles"
    assert (c.length.value(), c.sample.isChecked(), c.seed.value()) == (5, True, 42)
    assert c.temperature.value() == pytest.approx(0.5)
    assert c.epoch.choice() == 50
    assert not document.modified


def test_junk_settings_fall_back_to_defaults(make_view: Make) -> None:
    junk = {"prompt": 3, "length": -4, "mode": "psychic", "temperature": "hot",
            "seed": True, "epoch": [1]}  # fmt: skip
    project = replace(_trained("dinner", 100), ui={"generate": junk})
    view = make_view(project)
    c = view.controls
    assert view.prompt.text() == "pizza"
    assert (c.length.value(), c.sample.isChecked(), c.seed.value()) == (20, False, 1)
    assert c.epoch.choice() is None
    assert view.result is not None
    view._document.replace(replace(project, ui={"generate": "nonsense"}))
    assert view.result is not None


def test_text_without_sequences_shows_a_message(make_view: Make) -> None:
    view = make_view(_trained("dinner", 100))
    document = view._document
    document.update(replace(document.project, text=""))  # the controller keeps its old model
    assert view.result is None and view.message.isVisible()
    assert "no trainable text" in view.message.text()
    document.update(replace(document.project, text=_trained("dinner", 100).text))
    assert view.result is not None and not view.message.isVisible()


def test_copy_and_export(make_view: Make, file_dialogs: FileDialogs, tmp_path: Path) -> None:
    view = make_view(_trained("dinner", 100))
    view.copy_button.click()
    assert QGuiApplication.clipboard().text() == view.text
    for name in ("roll-out.png", "roll-out.svg"):
        file_dialogs.next_save(tmp_path / name)
        view.export.click()
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "roll-out.svg").read_text().lstrip().startswith("<?xml")


def test_find_cycle() -> None:
    assert find_cycle([0, 1, 2, 0, 1, 2, 0]) == (0, 3)
    assert find_cycle([3, 4, 0, 1, 0, 1, 0, 1]) == (2, 2)
    assert find_cycle([1, 2, 2, 2, 2]) == (1, 1)
    assert find_cycle([1, 2, 3, 4, 2, 2]) is None  # a chance repeat is no loop
    assert find_cycle([]) is None


def test_the_default_length_is_a_typical_line_and_a_typed_one_stays(make_view: Make) -> None:
    project = _trained("long-memory", 1)
    lines = project.data().tokens
    view = make_view(project)
    # Each long-memory line: a colour, one … fifteen, the colour again: 16 after the first.
    assert {len(line) for line in lines} == {17}
    assert view.controls.length.value() == 16
    assert view.generate() and len(view.result.ids) == 16
    assert view._document.project.ui["generate"]["length"] == "line"  # not a number
    view.controls.length.setValue(30)  # typed: kept, stored and restored as typed
    assert view.generate() and len(view.result.ids) == 30
    assert view._document.project.ui["generate"]["length"] == 30
