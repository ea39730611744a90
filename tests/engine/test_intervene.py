"""Interventions on a trained network: the outcomes the equations force, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.config import ModelConfig
from app.engine.gates import Clamp
from app.engine.inference import generate, trace_sequence
from app.engine.intervene import ALL, Intervention, InterventionError, run_intervened
from app.engine.network import Network, Trace
from app.engine.params import ParamSet
from tests.engine.conftest import make_network, random_params

IDS = np.array([0, 3, 1, 4, 2, 2, 0, 1, 3, 4, 1, 0])


def _run(network: Network, params: ParamSet, iv: Intervention) -> Trace:
    return run_intervened(network, params, IDS[:, None], iv)


def _setup(kind: str, seed: int = 0) -> tuple[Network, ParamSet, Trace]:
    network = make_network(kind, vocab=5, hidden=6)
    params = random_params(network, seed, scale=1.0)
    return network, params, network.forward(params, IDS[:, None])


def _constant_prediction(trace: Trace) -> None:
    assert not trace.hidden.any()
    assert (trace.probs == trace.probs[0]).all()


def test_select_0_shuts_the_prediction_out() -> None:
    """select = 0 ⇒ h = 0 ⇒ the same prediction at every step, while the memory runs."""
    network, params, plain = _setup("lstm")
    trace = _run(network, params, Intervention(clamps=(Clamp("select", 0.0),)))
    _constant_prediction(trace)
    assert trace.cell is not None and np.abs(trace.cell).max() > 0.1
    assert not (plain.probs == plain.probs[0]).all()


def test_forget_1_with_ignore_0_keeps_the_memory_at_0() -> None:
    network, params, _ = _setup("lstm", 1)
    clamps = (Clamp("forget", 1.0), Clamp("ignore", 0.0))
    trace = _run(network, params, Intervention(clamps=clamps))
    assert trace.cell is not None and not trace.cell.any()
    _constant_prediction(trace)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_knocking_out_every_unit_gives_a_constant_prediction(kind: str) -> None:
    network, params, _ = _setup(kind, 2)
    trace = _run(network, params, Intervention(knockout=ALL))
    _constant_prediction(trace)
    assert trace.cell is None or not trace.cell.any()
    np.testing.assert_allclose(trace.probs[0, 0], _softmax(params["by"]), rtol=1e-12)


def test_knocking_out_some_units_zeroes_only_them() -> None:
    network, params, plain = _setup("lstm", 3)
    trace = _run(network, params, Intervention(knockout=(1, 4)))
    assert trace.cell is not None
    assert not trace.hidden[:, :, [1, 4]].any() and not trace.cell[:, :, [1, 4]].any()
    assert trace.hidden[:, :, [0, 2, 3, 5]].all()
    assert not np.allclose(trace.hidden[:, :, 0], plain.hidden[:, :, 0])  # unit 0 is affected


@pytest.mark.parametrize(
    ("kind", "gate"), [("lstm", "forget"), ("lstm", "select"), ("gru", "reset")]
)
@pytest.mark.parametrize("units", [None, (0, 2, 5)])
def test_clamping_a_gate_to_the_value_it_has_changes_nothing(
    kind: str, gate: str, units: tuple[int, ...] | None
) -> None:
    """A gate whose weights are 0 has σ(bias) at every step; clamp it to exactly that."""
    network, params, _ = _setup(kind, 4)
    H = 6
    k = network.gate_names.index({"select": "output"}.get(gate, gate))
    cols = slice(k * H, (k + 1) * H)
    params["Wx"][:, cols] = 0
    params["Wh"][:, cols] = 0
    params["b"][cols] = 0.8
    plain = network.forward(params, IDS[:, None])
    values = plain.gates[network.gate_names[k]]
    assert (values == values.flat[0]).all()  # one value at every step and unit
    trace = _run(network, params, Intervention(clamps=(Clamp(gate, float(values.flat[0]), units),)))
    for name in ("probs", "hidden", "cell"):
        np.testing.assert_array_equal(getattr(trace, name), getattr(plain, name))
    off = _run(network, params, Intervention(clamps=(Clamp(gate, 0.5, units),)))
    assert not np.array_equal(off.probs, plain.probs)  # a different value does change it


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_a_wipe_after_step_k_leaves_the_steps_before_it_alone(kind: str) -> None:
    network, params, plain = _setup(kind, 5)
    k = 5
    trace = _run(network, params, Intervention(wipe_after=k))
    for name in ("probs", "hidden", "cell"):
        a, b = getattr(trace, name), getattr(plain, name)
        if a is None:
            continue
        np.testing.assert_array_equal(a[:k], b[:k])
        assert not np.allclose(a[k:], b[k:])
    fresh = network.forward(params, IDS[k:, None])  # after the wipe: as if starting there
    np.testing.assert_allclose(trace.probs[k:], fresh.probs, rtol=1e-13, atol=1e-15)


def test_an_empty_intervention_is_the_plain_forward_bit_for_bit() -> None:
    network, params, plain = _setup("lstm", 6)
    trace = _run(network, params, Intervention())
    for name in ("probs", "hidden", "cell"):
        np.testing.assert_array_equal(getattr(trace, name), getattr(plain, name))
    for gate in network.gate_names:
        np.testing.assert_array_equal(trace.gates[gate], plain.gates[gate])


def test_gru_update_and_reset_follow_the_engine_equations() -> None:
    """update = 1 keeps the old state, update = 0 takes the candidate whole, reset = 0
    makes the candidate n = tanh(x Wx_n + b_n), blind to the old state."""
    network, params, _ = _setup("gru", 7)
    H = 6
    keep = _run(network, params, Intervention(clamps=(Clamp("update", 1.0),)))
    assert not keep.hidden.any()  # the initial state, kept forever
    take = _run(network, params, Intervention(clamps=(Clamp("update", 0.0),)))
    np.testing.assert_array_equal(take.hidden, take.gates["candidate"])
    blind = _run(network, params, Intervention(clamps=(Clamp("reset", 0.0),)))
    by_hand = np.tanh(params["Wx"][IDS, 2 * H :] + params["b"][2 * H :])  # (T, H)
    np.testing.assert_allclose(blind.gates["candidate"][:, 0], by_hand, rtol=1e-12)
    assert (blind.gates["reset"] == 0).all()


def test_interventions_never_change_the_weights_and_add_to_a_trained_clamp() -> None:
    model = ModelConfig(vocab_size=5, hidden_size=6, clamp=(("forget", 1.0),))
    network = Network(model)
    params = random_params(network, 8)
    before = params.buffer.copy()
    trace = _run(network, params, Intervention(clamps=(Clamp("ignore", 0.0),), knockout=(0,)))
    np.testing.assert_array_equal(params.buffer, before)
    assert (trace.gates["forget"] == 1).all() and (trace.gates["input"] == 0).all()
    assert trace.cell is not None and not trace.cell.any()


def test_generation_carries_the_intervention_and_counts_the_wipe_from_the_prefix() -> None:
    network, params, _ = _setup("lstm", 9)
    prefix = IDS[:4]
    shut = generate(network, params, prefix, 5, intervention=Intervention(knockout=ALL))
    assert (shut.probs == shut.probs[0]).all()
    wiped = generate(network, params, prefix, 5, intervention=Intervention(wipe_after=4))
    first = network.forward(params, wiped.ids[:1, None]).probs[0, 0]  # from nothing
    np.testing.assert_allclose(wiped.probs[1], first, rtol=1e-13)
    plain = generate(network, params, prefix, 5)
    np.testing.assert_array_equal(wiped.probs[0], plain.probs[0])  # wiped after it was read
    late = trace_sequence(network, params, prefix, Intervention(wipe_after=10))
    np.testing.assert_array_equal(late.probs, network.forward(params, prefix[:, None]).probs)


@pytest.mark.parametrize(
    ("kind", "intervention", "message"),
    [
        ("lstm", lambda: Intervention(clamps=(Clamp("remember", 1.0),)), "unknown gate 'remember'"),
        ("gru", lambda: Intervention(clamps=(Clamp("forget", 1.0),)), "the GRU has no forget gate"),
        ("rnn", lambda: Intervention(clamps=(Clamp("update", 1.0),)), "RNN has no gates to clamp"),
        ("lstm", lambda: Intervention(clamps=(Clamp("forget", 1.5),)), "from 0 to 1, got 1.5"),
        ("lstm", lambda: Intervention(clamps=(Clamp("forget", float("nan")),)), "a number"),
        ("lstm", lambda: Intervention(knockout=(6,)), "unit 6 is out of range; the network has 6"),
        ("lstm", lambda: Intervention(knockout=(-1,)), "unit -1 is out of range"),
        ("lstm", lambda: Intervention(clamps=(Clamp("select", 1.0, (9,)),)), "select/output clamp"),
        ("lstm", lambda: Intervention(wipe_after=-2), "wipe-after"),
    ],
)
def test_a_bad_intervention_is_one_clear_line(
    kind: str, intervention: object, message: str
) -> None:
    network, params, _ = _setup(kind)
    with pytest.raises(InterventionError, match=message) as info:
        _run(network, params, intervention())  # type: ignore[operator]
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


def test_the_intervention_describes_itself() -> None:
    iv = Intervention(clamps=(Clamp("output", 0.0, (3, 1)),), knockout=(2,), wipe_after=4)
    assert iv.describe() == [
        "select/output gate held at 0 (units 1, 3)",
        "unit 2 knocked out (h and c are 0 at every step)",
        "memory wiped (c and h set to 0) after step 4",
    ]
    assert Intervention().is_empty and not iv.is_empty


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def test_an_intervention_survives_json_and_bad_json_is_one_line() -> None:
    import json

    from app.engine.intervene import intervention_from_dict, intervention_to_dict

    iv = Intervention(clamps=(Clamp("select", 0.5, (1, 4)), Clamp("forget", 1.0)), wipe_after=3)
    for original in (iv, Intervention(knockout=ALL), Intervention(knockout=(2, 0))):
        text = json.dumps(intervention_to_dict(original))
        assert intervention_from_dict(json.loads(text)) == original
    for bad in (
        [],
        {"clamps": "forget"},
        {"clamps": [{"gate": "forget", "value": 2}]},
        {"clamps": [{"gate": "forget", "value": 1, "units": 3}]},
        {"knockout": "some"},
        {"knockout": [1.5]},
        {"wipe_after": "3"},
        {"extra": 1},
    ):
        with pytest.raises(InterventionError) as info:
            intervention_from_dict(bad)
        assert "\n" not in str(info.value)
