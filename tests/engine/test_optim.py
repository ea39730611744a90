"""Optimisers step for step against torch.optim, convergence on a quadratic, and clipping."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import optim
from app.engine.config import OPTIMIZERS, TrainConfig
from app.engine.optim import OPTIMIZER_CLASSES, clip_global_norm, make_optimizer

SIZE = 40


def gradient_sequence(steps: int, seed: int = 0) -> list[np.ndarray]:
    """Gradients of changing scale and sign, with some entries exactly zero at times."""
    rng = np.random.default_rng(seed)
    grads = []
    for _ in range(steps):
        g = rng.normal(0.0, 10.0 ** rng.uniform(-3, 1), size=SIZE)
        g[rng.random(SIZE) < 0.1] = 0.0
        grads.append(g)
    return grads


def torch_optimizer(name: str, param, lr: float):
    torch = pytest.importorskip("torch")
    if name == "sgd":
        return torch.optim.SGD([param], lr=lr, momentum=0.9, dampening=0.0)
    if name == "adam":
        return torch.optim.Adam([param], lr=lr, betas=(0.9, 0.999), eps=1e-8)
    if name == "rmsprop":
        return torch.optim.RMSprop([param], lr=lr, alpha=0.99, eps=1e-8)
    assert name == "adagrad"
    return torch.optim.Adagrad([param], lr=lr, eps=1e-10)


def test_every_configured_optimizer_exists() -> None:
    assert set(OPTIMIZER_CLASSES) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_matches_torch_step_by_step(name: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    start = rng.normal(size=SIZE)
    ours = start.copy()
    optimizer = make_optimizer(SIZE, np.dtype("float64"), TrainConfig(optimizer=name, momentum=0.9))
    param = torch.nn.Parameter(torch.from_numpy(start.copy()))
    reference = torch_optimizer(name, param, lr=0.01)
    for k, g in enumerate(gradient_sequence(12)):
        lr = 0.01 if k < 6 else 0.003  # a learning-rate change mid-run applies at once
        for group in reference.param_groups:
            group["lr"] = lr
        param.grad = torch.from_numpy(g.copy())
        reference.step()
        optimizer.step(ours, g.copy(), lr)
        want = param.detach().numpy()
        np.testing.assert_allclose(ours, want, rtol=1e-12, atol=1e-15, err_msg=f"step {k + 1}")
        assert not np.array_equal(ours, start)
    assert optimizer.steps == 12


def test_torch_comparison_is_sensitive() -> None:
    """A slightly different ε is visible within a few Adam steps."""
    torch = pytest.importorskip("torch")
    ours = np.zeros(SIZE)
    optimizer = make_optimizer(SIZE, np.dtype("float64"), TrainConfig(optimizer="adam"))
    param = torch.nn.Parameter(torch.zeros(SIZE, dtype=torch.float64))
    reference = torch.optim.Adam([param], lr=0.01, eps=1e-6)
    for g in gradient_sequence(5):
        param.grad = torch.from_numpy(g.copy())
        reference.step()
        optimizer.step(ours, g.copy(), 0.01)
    assert not np.allclose(ours, param.detach().numpy(), rtol=1e-12, atol=1e-15)


LEARNING_RATES = {"sgd": 0.02, "adam": 0.05, "rmsprop": 0.01, "adagrad": 0.5}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_minimises_a_quadratic(name: str, dtype: str) -> None:
    """f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², ill-conditioned (a from 0.1 to 10)."""
    rng = np.random.default_rng(2)
    a = np.geomspace(0.1, 10.0, SIZE).astype(dtype)
    c = rng.normal(size=SIZE).astype(dtype)
    theta = np.zeros(SIZE, dtype=dtype)
    optimizer = make_optimizer(SIZE, np.dtype(dtype), TrainConfig(optimizer=name, momentum=0.9))
    assert all(v.dtype == np.dtype(dtype) for v in optimizer.state.values())

    def f(x: np.ndarray) -> float:
        return float(0.5 * np.sum(a * (x - c) ** 2))

    start = f(theta)
    for _ in range(500):
        optimizer.step(theta, a * (theta - c), LEARNING_RATES[name])
    assert theta.dtype == np.dtype(dtype)
    assert f(theta) < 1e-3 * start, f"{name}: {start:.3g} → {f(theta):.3g}"


def test_state_slots() -> None:
    expected = {
        "sgd": {"velocity"},
        "adam": {"m", "v"},
        "rmsprop": {"square_avg"},
        "adagrad": {"sum"},
    }
    for name, slots in expected.items():
        optimizer = make_optimizer(7, np.dtype("float32"), TrainConfig(optimizer=name))
        assert set(optimizer.state) == slots
        assert all(v.shape == (7,) and not v.any() for v in optimizer.state.values())
        assert optimizer.steps == 0


def test_plain_sgd_without_momentum() -> None:
    optimizer = make_optimizer(3, np.dtype("float64"), TrainConfig(optimizer="sgd", momentum=0.0))
    theta = np.array([1.0, 2.0, 3.0])
    optimizer.step(theta, np.array([1.0, -1.0, 0.5]), 0.1)
    optimizer.step(theta, np.array([1.0, -1.0, 0.5]), 0.1)
    np.testing.assert_allclose(theta, [0.8, 2.2, 2.9], rtol=1e-15)


# -- clipping --------------------------------------------------------------------------------


def test_clipping_scales_to_the_max_norm_and_returns_the_norm_before() -> None:
    rng = np.random.default_rng(3)
    g = rng.normal(size=SIZE) * 10
    original = g.copy()
    norm = np.linalg.norm(original)
    returned = clip_global_norm(g, 2.5)
    assert returned == pytest.approx(norm, rel=1e-14)
    assert np.linalg.norm(g) == pytest.approx(2.5, rel=1e-14)
    np.testing.assert_allclose(g, original * (2.5 / norm), rtol=1e-14)  # direction kept


def test_clipping_leaves_small_gradients_alone() -> None:
    g = np.array([0.3, -0.4])
    assert clip_global_norm(g, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(g, [0.3, -0.4])


def test_clip_zero_is_off() -> None:
    g = np.array([300.0, -400.0])
    assert clip_global_norm(g, 0.0) == pytest.approx(500.0)
    np.testing.assert_array_equal(g, [300.0, -400.0])


def test_clipping_float32() -> None:
    g = np.full(1000, 3.0, dtype=np.float32)
    assert clip_global_norm(g, 1.0) == pytest.approx(np.sqrt(9000.0), rel=1e-6)
    assert g.dtype == np.float32
    assert float(np.linalg.norm(g.astype(np.float64))) == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_clipping_reports_non_finite_gradients(bad: float) -> None:
    g = np.array([1.0, bad, 2.0])
    assert not np.isfinite(clip_global_norm(g, 1.0))
    assert g[0] == 1.0 and g[2] == 2.0  # not scaled into garbage


def test_clipping_an_overflowing_norm_reports_inf_without_a_warning() -> None:
    """Finite but huge entries: ‖g‖² overflows; that is a result (inf), not a warning."""
    g = np.array([1e200, -1e200, 3.0])
    assert clip_global_norm(g, 1.0) == np.inf
    np.testing.assert_array_equal(g, [1e200, -1e200, 3.0])


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop", "adagrad"])
def test_block_by_block_updates_equal_whole_buffer_updates_bit_for_bit(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    size = 1000
    params0 = rng.standard_normal(size)
    grads = [rng.standard_normal(size) for _ in range(4)]
    config = TrainConfig(optimizer=name, learning_rate=0.01, momentum=0.9)
    results = []
    for block in (size + 1, 64, 7):  # whole buffer, blocks, ragged blocks
        monkeypatch.setattr(optim, "BLOCK", block)
        params = params0.copy()
        opt = optim.make_optimizer(size, params.dtype, config)
        for g in grads:
            opt.step(params, g, 0.01)
        results.append((params, {k: v.copy() for k, v in opt.state.items()}))
    for params, state in results[1:]:
        np.testing.assert_array_equal(params, results[0][0])
        for k, v in state.items():
            np.testing.assert_array_equal(v, results[0][1][k])
