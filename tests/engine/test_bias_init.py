"""``ModelConfig.bias_init``: the three ways the biases start (issue 14).

``zero`` is the scheme of every project made before the setting existed, so it must keep
their exact bits; ``torch`` draws the biases as ``torch.nn.LSTM``/``GRU``/``RNN`` +
``Linear`` do; ``torch+forget`` adds the forget bias on top.  The weights are the same
bits in every scheme.
"""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.config import BIAS_INITS, ConfigError, ModelConfig
from app.engine.network import Network
from app.engine.params import ParamSet
from tests.engine.conftest import KINDS

WEIGHTS = ("Wx", "Wh", "Wy")


def init(kind: str, scheme: str, seed: int = 3, hidden: int = 6, **kw: object) -> ParamSet:
    config = ModelConfig(kind=kind, vocab_size=5, hidden_size=hidden, bias_init=scheme, **kw)  # type: ignore[arg-type]
    return Network(config).init_params(np.random.default_rng(seed))


def old_init(
    kind: str, seed: int, dtype: str, hidden: int = 6, forget_bias: float = 1.0
) -> dict[str, np.ndarray]:
    """The initialisation as it was before ``bias_init`` existed, written out again:
    Wx, Wh, then Wy from one generator, U(−1/√H, 1/√H) in float64; biases zero except
    the LSTM's forget gate (the first H entries of ``b``)."""
    rng = np.random.default_rng(seed)
    k = 1 / np.sqrt(hidden)
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[kind]
    out = {
        "Wx": rng.uniform(-k, k, size=(5, gates * hidden)),
        "Wh": rng.uniform(-k, k, size=(hidden, gates * hidden)),
        "b": np.zeros(gates * hidden),
    }
    out["Wy"] = rng.uniform(-k, k, size=(hidden, 5))
    out["by"] = np.zeros(5)
    if kind == "lstm":
        out["b"][:hidden] = forget_bias
    if kind == "gru":
        out["bhn"] = np.zeros(hidden)
    return {name: a.astype(dtype) for name, a in out.items()}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", KINDS)
def test_zero_keeps_the_bits_of_every_older_project(kind: str, dtype: str) -> None:
    params = init(kind, "zero", seed=11, dtype=dtype, forget_bias=0.5)
    expected = old_init(kind, 11, dtype, forget_bias=0.5)
    assert set(params) == set(expected)
    for name, array in expected.items():
        assert params[name].dtype == array.dtype
        assert np.array_equal(params[name], array), name


@pytest.mark.parametrize("kind", KINDS)
def test_the_weights_are_the_same_bits_in_every_scheme(kind: str) -> None:
    zero = init(kind, "zero")
    for scheme in BIAS_INITS:
        params = init(kind, scheme)
        for name in WEIGHTS:
            assert np.array_equal(params[name], zero[name]), (scheme, name)


@pytest.mark.parametrize("scheme", BIAS_INITS)
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_seed_gives_the_same_bits_and_another_seed_others(kind: str, scheme: str) -> None:
    a, b, c = init(kind, scheme, seed=5), init(kind, scheme, seed=5), init(kind, scheme, seed=6)
    assert a.buffer.tobytes() == b.buffer.tobytes()
    assert a.buffer.tobytes() != c.buffer.tobytes()


def _moments(x: np.ndarray, bound: float) -> tuple[float, float]:
    """Mean and variance of ``x`` in units of one U(−bound, bound) draw's variance."""
    return float(x.mean()) / bound, float(x.var()) / (bound**2 / 3)


H = 400  # enough entries for the moments to be within a few per cent


def test_torch_lstm_biases_have_two_bias_vectors_of_variance() -> None:
    params = init("lstm", "torch", hidden=H)
    k = 1 / np.sqrt(H)
    b = params["b"]
    assert np.abs(b).max() <= 2 * k and np.abs(b).max() > k  # a sum of two draws
    mean, var = _moments(b, k)
    assert abs(mean) < 0.05 and var == pytest.approx(2.0, rel=0.06)
    mean, var = _moments(params["by"], k)  # torch.nn.Linear's bias: one draw
    assert np.abs(params["by"]).max() <= k and var == pytest.approx(1.0, rel=0.5)


def test_torch_plus_forget_adds_the_forget_bias_to_the_forget_gate_only() -> None:
    torch = init("lstm", "torch", forget_bias=1.5)
    both = init("lstm", "torch+forget", forget_bias=1.5)
    H6 = 6
    assert np.allclose(both["b"][:H6] - torch["b"][:H6], 1.5)  # forget: [f | i | o | g]
    assert np.array_equal(both["b"][H6:], torch["b"][H6:])
    assert np.array_equal(both["by"], torch["by"])
    assert not np.any(torch["b"] == 1.5)  # torch alone ignores forget_bias


def test_torch_gru_biases_follow_torch_gate_by_gate() -> None:
    params = init("gru", "torch", hidden=H)
    k = 1 / np.sqrt(H)
    b, bhn = params["b"], params["bhn"]
    rz, n = b[: 2 * H], b[2 * H :]  # r and z add b_i· + b_h·; b_n is b_in alone
    assert _moments(rz, k)[1] == pytest.approx(2.0, rel=0.08)
    for one_draw in (n, bhn):
        assert np.abs(one_draw).max() <= k
        assert _moments(one_draw, k)[1] == pytest.approx(1.0, rel=0.15)
    assert np.array_equal(init("gru", "torch+forget", hidden=H).buffer, params.buffer)


def test_torch_rnn_bias_is_a_sum_of_two_draws() -> None:
    params = init("rnn", "torch", hidden=H)
    k = 1 / np.sqrt(H)
    assert _moments(params["b"], k)[1] == pytest.approx(2.0, rel=0.15)
    assert np.array_equal(init("rnn", "torch+forget", hidden=H).buffer, params.buffer)


def test_float32_and_float64_draw_the_same_numbers() -> None:
    wide, narrow = init("lstm", "torch+forget"), init("lstm", "torch+forget", dtype="float32")
    assert np.array_equal(wide.buffer.astype(np.float32), narrow.buffer)


@pytest.mark.parametrize("bad", ["Torch", "", "xavier", 1])
def test_an_unknown_scheme_is_refused_by_name(bad: object) -> None:
    with pytest.raises(ConfigError, match="bias init must be one of zero, torch, torch\\+forget"):
        ModelConfig(bias_init=bad)  # type: ignore[arg-type]
