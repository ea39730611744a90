"""A project rewound to a stored epoch: the frames of the Train and RNN vs LSTM replays."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis.replay import project_at
from app.engine.network import Network
from app.project import RivalModel
from tests.project.helpers import make_project


def test_a_project_is_rewound_to_a_stored_epoch() -> None:
    project = make_project(epochs=6)
    state = project.trainer_state
    assert state is not None and state.snapshot_epochs == list(range(7))
    at3 = project_at(project, 3)
    s = at3.trainer_state
    assert s is not None
    assert s.epoch == 3 and s.snapshot_epochs == [0, 1, 2, 3]
    assert [r["epoch"] for r in s.history] == [1, 2, 3]
    assert s.total_updates == state.history[2]["total_updates"]
    assert s.best_epoch is not None and s.best_epoch <= 3
    weights = np.concatenate([s.params[name].ravel() for name in Network(project.model).shapes])
    np.testing.assert_array_equal(weights, state.snapshot_weights[3])
    trainer = at3.make_trainer()  # a state the engine accepts as it is
    assert trainer.epoch == 3 and trainer.snapshots.epochs() == [0, 1, 2, 3]
    assert project.trainer_state is state and state.epoch == 6  # the original is untouched
    assert project_at(project, 99).trainer_state.epoch == 6  # type: ignore[union-attr]


def test_the_second_network_is_rewound_with_it() -> None:
    project = make_project(epochs=6)
    rival = make_project(epochs=4, kind="rnn")
    project.rival = RivalModel(rival.model, rival.train, rival.trainer_state)
    for epoch, expected in ((2, 2), (5, 4)):  # past its last epoch: its last
        rewound = project_at(project, epoch).rival
        assert rewound is not None and rewound.trainer_state is not None
        assert rewound.trainer_state.epoch == expected
        assert rewound.trainer_state.history[-1]["epoch"] == expected
    # Thinned differently: its curves still end with the project's, its weights its last.
    state = project.rival.trainer_state
    state.snapshot_epochs, state.snapshot_weights = [0, 2, 4], state.snapshot_weights[::2]
    state.snapshot_metrics = state.snapshot_metrics[::2]
    rewound_state = project_at(project, 3).rival.trainer_state  # type: ignore[union-attr]
    assert rewound_state is not None and rewound_state.epoch == 2
    assert [r["epoch"] for r in rewound_state.history] == [1, 2, 3]
    assert rival.trainer_state is not None and rival.trainer_state.epoch == 4


def test_an_epoch_before_the_first_stored_one_is_refused() -> None:
    project = make_project(epochs=3)
    state = project.trainer_state
    assert state is not None
    state.snapshot_epochs, state.snapshot_weights = [2, 3], state.snapshot_weights[2:]
    state.snapshot_metrics = state.snapshot_metrics[2:]
    with pytest.raises(ValueError, match="no stored epoch at or before 1"):
        project_at(project, 1)
    assert project_at(make_project(), 5).trainer_state is None  # untrained: as it is
