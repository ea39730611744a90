"""Long runs: the history stays bounded, alike in the window and the trainer, and exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

import app.engine.history as history
from app.project import load_project, save_project
from app.training.controller import TrainingController
from tests.training.helpers import Recorder, dinner_project, run_epochs


def test_the_history_is_thinned_alike_everywhere_and_training_stays_exact(
    qtbot: QtBot,
    controller: TrainingController,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(history, "HISTORY_CAPACITY", 16)
    project = dinner_project()
    controller.set_project(project)
    run_epochs(qtbot, controller, 100)
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "paused"):
        controller.step_epoch()
    kept = [r.epoch for r in controller.history()]
    assert len(kept) <= 16 and kept[0] == 1 and kept[-1] == 101
    assert all(e % 8 == 0 for e in kept[1:-1]) and len(kept) >= 8
    # Every epoch still reached the window once, in order, in the frames.
    assert recorder.epochs() == list(range(1, 102))

    controller.capture_into(project)
    state = project.trainer_state
    assert state is not None and [r["epoch"] for r in state.history] == kept
    path = tmp_path / "long.lstmproj"
    save_project(project, path)
    reopened = load_project(path)
    assert reopened.trainer_state is not None
    assert [r["epoch"] for r in reopened.trainer_state.history] == kept

    bare = dinner_project().make_trainer()
    list(bare.run(101))
    assert [r.epoch for r in bare.history] == kept  # the same rule, epoch by epoch
    for name, value in bare.params.as_dict().items():
        assert np.array_equal(state.params[name], value), name
