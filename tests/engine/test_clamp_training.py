"""Training with a gate held fixed: exact gradients (finite differences, float64), weights
of the clamped gate left alone, and the clamp as a checked model setting."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.engine.cells import CELLS, GRUCell, LSTMCell
from app.engine.config import ConfigError, ModelConfig, TrainConfig, config_from_dict
from app.engine.gates import GATES, Clamp
from app.engine.gradcheck import numerical_gradient, relative_error
from app.engine.network import Network
from app.engine.trainer import Trainer
from tests.engine.conftest import grads_of, random_batch, random_params, random_sequences

CASES = [
    ("lstm", (("forget", 1.0),)),  # the 1997 LSTM
    ("lstm", (("output", 1.0),)),  # no output gating
    ("lstm", (("input", 0.5),)),
    ("lstm", (("forget", 1.0), ("output", 1.0), ("candidate", 0.25))),
    ("gru", (("update", 0.3),)),
    ("gru", (("reset", 1.0),)),
    ("gru", (("reset", 0.0), ("update", 0.6))),
    ("gru", (("candidate", 0.5),)),
]


def _network(kind: str, clamp: tuple[tuple[str, float], ...]) -> Network:
    return Network(ModelConfig(kind=kind, vocab_size=5, hidden_size=4, clamp=clamp))


def _columns(kind: str, gate: str, hidden: int) -> slice:
    k = GATES[kind].index(gate)
    return slice(k * hidden, (k + 1) * hidden)


@pytest.mark.parametrize(("kind", "clamp"), CASES)
def test_clamped_bptt_matches_finite_differences(
    kind: str, clamp: tuple[tuple[str, float], ...]
) -> None:
    network = _network(kind, clamp)
    params = random_params(network, 4)
    batch = random_batch(4, vocab=5, lengths=(7, 3, 5))
    analytic = grads_of(network, params, batch)
    numeric = numerical_gradient(network, params, batch)
    for name in params:
        err = relative_error(analytic[name], numeric[name])
        assert err < 1e-6, f"{kind} {clamp} {name}: relative error {err:.2e}"
    for gate, _ in clamp:  # nothing reaches a clamped gate's weights
        cols = _columns(kind, gate, 4)
        for name in ("Wx", "Wh", "b"):
            assert not analytic[name][..., cols].any(), f"{gate}: {name} has a gradient"
            assert np.abs(numeric[name][..., cols]).max() < 1e-9


def test_the_check_notices_a_backward_that_ignores_the_clamp() -> None:
    """A clamped forward with the unclamped backward fails the tolerance used above.

    Clamped at 0.5, not 1: the LSTM takes σ' = σ(1 − σ) from the gate values it keeps,
    which a clamp at 0 or 1 overwrites with values whose slope is 0 anyway."""
    network = _network("lstm", (("forget", 0.5),))
    params = random_params(network, 4)
    batch = random_batch(4, vocab=5, lengths=(7, 3, 5))
    numeric = numerical_gradient(network, params, batch)
    half = LSTMCell()  # backward without the clamp
    half.forward = LSTMCell((Clamp("forget", 0.5),)).forward  # type: ignore[method-assign]
    network.cell = half
    wrong = grads_of(network, params, batch)
    assert relative_error(wrong["Wh"], numeric["Wh"]) > 1e-3


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_clamping_chosen_units_has_exact_gradients(kind: str) -> None:
    network = _network(kind, ())
    gate = GATES[kind][1]  # input / update
    network.cell = (LSTMCell if kind == "lstm" else GRUCell)((Clamp(gate, 0.7, (0, 2)),))
    params = random_params(network, 5)
    batch = random_batch(5, vocab=5, lengths=(6, 4))
    analytic = grads_of(network, params, batch)
    numeric = numerical_gradient(network, params, batch)
    for name in params:
        assert relative_error(analytic[name], numeric[name]) < 1e-6, name
    cols = np.arange(_columns(kind, gate, 4).start, _columns(kind, gate, 4).stop)
    assert not analytic["Wh"][:, cols[[0, 2]]].any() and analytic["Wh"][:, cols[[1, 3]]].any()


def test_training_leaves_the_clamped_gate_weights_at_their_initial_values() -> None:
    model = ModelConfig(kind="lstm", vocab_size=5, hidden_size=4, clamp=(("forget", 1.0),))
    trainer = Trainer(model, TrainConfig(batch_size=2), random_sequences(1, 5, (8, 6, 7)), seed=3)
    before = trainer.params.as_dict()
    reports = list(trainer.run(3))
    assert reports[-1].stop_reason is None
    after = trainer.params
    np.testing.assert_array_equal(after["Wh"][:, :4], before["Wh"][:, :4])
    np.testing.assert_array_equal(after["b"][:4], before["b"][:4])
    assert not np.array_equal(after["Wh"][:, 4:], before["Wh"][:, 4:])  # the rest learns
    trace = trainer.network.forward(after, np.array([[0], [1], [2]]))
    assert (trace.gates["forget"] == 1).all()


def test_the_unclamped_network_uses_the_shared_cells() -> None:
    assert Network(ModelConfig(kind="gru")).cell is CELLS["gru"]
    assert Network(ModelConfig(kind="gru", clamp=(("update", 1.0),))).cell is not CELLS["gru"]


@pytest.mark.parametrize(
    ("kind", "clamp", "message"),
    [
        ("lstm", (("forget", 2.0),), "from 0 to 1, got 2"),
        ("lstm", (("forget", float("nan")),), "must be a number"),
        ("lstm", (("reset", 1.0),), "has no reset gate; its gates are forget, ignore/input"),
        ("lstm", (("keep", 1.0),), "unknown gate 'keep'"),
        ("gru", (("select", 1.0),), "has no select/output gate; its gates are reset, update"),
        ("rnn", (("forget", 1.0),), "the RNN has no gates to clamp"),
        ("lstm", (("forget", 1.0), ("Forget", 0.0)), "clamped twice"),
    ],
)
def test_a_bad_clamp_is_one_clear_line(
    kind: str, clamp: tuple[tuple[str, float], ...], message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        ModelConfig(kind=kind, clamp=clamp)
    assert "\n" not in str(info.value)


def test_the_lecture_words_are_stored_as_the_engine_names_in_gate_order() -> None:
    model = ModelConfig(clamp=(("select", 1), ("Ignore", 0.5), ("forget", 1)))
    assert model.clamp == (("forget", 1.0), ("input", 0.5), ("output", 1.0))
    assert config_from_dict(ModelConfig, {"clamp": {"select": 1}}).clamp == (("output", 1.0),)
    with pytest.raises(ConfigError, match="must map gate names to values"):
        config_from_dict(ModelConfig, {"clamp": [1]})
    with pytest.raises(ConfigError, match="has no forget gate"):
        replace(model, kind="gru")
