"""capture_into while training: a consistent state that saves, loads and resumes exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from app.project import load_project, save_project
from app.training.controller import TrainingController
from tests.training.helpers import WAIT_MS, Recorder, dinner_project, run_epochs


def test_capture_while_running_saves_and_resumes(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder, tmp_path: Path
) -> None:
    project = dinner_project(batch_size=1)
    controller.set_project(project)
    controller.start()
    qtbot.waitUntil(lambda: controller.epoch >= 5, timeout=WAIT_MS)
    controller.capture_into(project)
    state = project.trainer_state
    assert state is not None
    assert [r["epoch"] for r in state.history] == list(range(1, state.epoch + 1))
    assert controller.state == "running"
    qtbot.waitUntil(lambda: controller.epoch >= state.epoch + 3, timeout=WAIT_MS)  # carried on

    path = tmp_path / "dinner.lstmproj"
    save_project(project, path)
    loaded = load_project(path)
    with qtbot.waitSignal(controller.state_changed, timeout=WAIT_MS):
        controller.set_project(loaded)  # stops the running training
    frame = recorder.frames[-1]
    assert frame.replaces_history and frame.epoch == state.epoch
    assert [r.epoch for r in frame.reports] == list(range(1, state.epoch + 1))
    assert controller.state == "idle"

    # Resuming through the process matches resuming the saved state with a bare trainer.
    run_epochs(qtbot, controller, 4)
    bare = load_project(path).make_trainer()
    list(bare.run(4))
    resumed = dinner_project(batch_size=1)
    controller.capture_into(resumed)
    assert resumed.trainer_state is not None
    assert resumed.trainer_state.epoch == state.epoch + 4
    for k, v in bare.params.as_dict().items():
        assert np.array_equal(resumed.trainer_state.params[k], v)
    assert recorder.epochs() == list(range(1, state.epoch + 5))
