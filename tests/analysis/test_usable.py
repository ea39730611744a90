"""What the views compute from raises one typed error, with a sentence, for weights that
hold NaN or infinities or are too large to compute with — never NaN numbers."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis import rnn_vs_lstm as compare
from app.analysis.epoch_cache import ViewCache
from app.analysis.rollout import roll_out_at
from app.analysis.sequence_view import snapshot_params, view_at
from app.analysis.usable import OVERFLOW, UnusableWeights
from app.data.presets import load_preset
from app.engine.network import Network
from app.engine.snapshots import Snapshot
from app.engine.trainer import Trainer
from app.project.project import Project


@pytest.fixture(scope="module")
def trained() -> tuple[Project, Trainer]:
    preset = load_preset("dinner")
    project = Project.from_text(preset.text, preset.tokenizer.to_string(), seed=3)
    trainer = project.make_trainer()
    list(trainer.run(3))
    return project, trainer


def _snapshot(trainer: Trainer, **arrays: float) -> Snapshot:
    """The newest snapshot with whole arrays set to a value (``Wy=1e308``) or one NaN."""
    params = snapshot_params(trainer.network, trainer.snapshots.nearest(3))
    for name, value in arrays.items():
        if np.isnan(value) or np.isinf(value):
            params[name].flat[1] = value
        else:
            params[name][...] = value
    return Snapshot(3, params.buffer, {})


def _every_way(network: Network, project: Project, snap: Snapshot) -> list[UnusableWeights]:
    data = project.data()
    prefix = data.ids[0][:2]
    calls = [
        lambda: view_at(network, snap, data, 0),
        lambda: ViewCache().get(network, data, snap, 0),
        lambda: roll_out_at(network, snap, prefix, 6),
        lambda: roll_out_at(network, snap, prefix, 6, 1.5, np.random.default_rng(0)),
        lambda: compare.roll_out(compare.side_at(network, data, snap, "LSTM", "red"), prefix, 4),
        lambda: compare.prediction_view(compare.side_at(network, data, snap, "GRU", "red"), 1),
    ]
    raised = []
    for call in calls:
        with pytest.raises(UnusableWeights) as info:
            call()
        raised.append(info.value)
    return raised


@pytest.mark.parametrize(("value", "what"), [(np.nan, "NaN"), (-np.inf, "infinite values")])
def test_nonfinite_weights_raise_one_sentence(
    trained: tuple[Project, Trainer], value: float, what: str
) -> None:
    project, trainer = trained
    snap = _snapshot(trainer, Wh=value)
    with pytest.raises(UnusableWeights) as info:
        snapshot_params(trainer.network, snap)
    problem = f"the weights hold {what} (1 of {trainer.params.buffer.size:,} values, in Wh)"
    assert str(info.value) == f"At epoch 3 {problem}."
    raised = _every_way(trainer.network, project, snap)
    assert {e.problem for e in raised} == {problem}
    assert str(raised[-2]).startswith(f"LSTM, epoch 3: the weights hold {what}")  # named
    assert str(raised[-1]).startswith("GRU, epoch 3: ")


def test_weights_too_large_to_compute_with_raise_too(trained: tuple[Project, Trainer]) -> None:
    """Finite weights whose every logit overflows: the predictions would be NaN."""
    project, trainer = trained
    snap = _snapshot(trainer, Wx=50.0, Wy=1e308)
    raised = _every_way(trainer.network, project, snap)  # sampling too: no ValueError
    assert {e.problem for e in raised} == {OVERFLOW}
    assert str(raised[0]) == f"At epoch 3 {OVERFLOW}."


def test_good_weights_pass(trained: tuple[Project, Trainer]) -> None:
    project, trainer = trained
    snap = trainer.snapshots.nearest(3)
    out = roll_out_at(trainer.network, snap, project.data().ids[0][:1], 5)
    assert np.isfinite(out.probs).all() and view_at(trainer.network, snap, project.data(), 0)
