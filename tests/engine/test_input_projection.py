"""The one-hot input projection and the σ-by-tanh halving: faster paths, the same bits."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.cells import gru
from app.engine.cells.base import project_inputs, scatter_rows, sigmoid_by_tanh_scale
from app.engine.params import ParamSet


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).tobytes()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("columns", "sigmoids"), [(12, 9), (9, 6), (3, None)])
@pytest.mark.parametrize("positions", [(1, 1), (3, 2), (40, 5)])  # rows first / table first
def test_projection_gives_the_bits_of_the_whole_table_gathered(
    dtype: type, columns: int, sigmoids: int | None, positions: tuple[int, int]
) -> None:
    rng = np.random.default_rng(columns + positions[0])
    vocab = 17
    Wx = rng.normal(0, 3, size=(vocab, columns)).astype(dtype)
    b = rng.normal(0, 3, size=columns).astype(dtype)
    inputs = rng.integers(0, vocab, size=positions)
    scale = None if sigmoids is None else sigmoid_by_tanh_scale(columns, sigmoids, Wx.dtype)
    old = np.take(Wx + b if scale is None else (Wx + b) * scale, inputs, axis=0)  # as before
    new = np.empty((*positions, columns), dtype=dtype)
    project_inputs(Wx, b, inputs, new, scale)
    assert _bits(new) == _bits(old)


def test_the_gru_halves_its_weights_or_each_step_with_the_same_bits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(8)
    cell = gru.GRUCell()
    V, H, T, B = 6, 7, 5, 3
    params = ParamSet(cell.shapes(V, H), np.dtype(np.float64))
    cell.init(params, 1.0, rng)
    params.buffer[...] += rng.normal(0, 1, size=params.buffer.size)  # biases too
    inputs = rng.integers(0, V, size=(T, B))
    runs = []
    for per_step in (False, True):
        monkeypatch.setattr(gru, "halve_per_step", lambda *args, p=per_step: p)
        cache = cell.forward(params, inputs, None)
        runs.append((cache.hidden.copy(), cache.extra["rzn"].copy(), cache.extra["hn"].copy()))
    for a, b in zip(*runs, strict=True):
        assert _bits(a) == _bits(b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("vocab", "positions"), [(65, (1, 1)), (96, (64, 32)), (500, (7, 3))])
def test_the_input_gradient_of_a_large_vocabulary_adds_in_add_at_order(
    dtype: type, vocab: int, positions: tuple[int, int]
) -> None:
    rng = np.random.default_rng(vocab)
    inputs = rng.integers(0, vocab // 2, size=positions)  # half the symbols never occur
    rows = rng.normal(0, 3, size=(*positions, 24)).astype(dtype)
    old = np.zeros((vocab, 24), dtype=dtype)
    np.add.at(old, inputs.reshape(-1), rows.reshape(-1, 24))  # as before, row after row
    new = np.full((vocab, 24), np.nan, dtype=dtype)
    scatter_rows(inputs, rows, new)
    assert _bits(new + 0.0) == _bits(old + 0.0)  # + 0.0: the sign of a zero aside
