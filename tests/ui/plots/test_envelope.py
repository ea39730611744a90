"""Envelope: incremental block minima/maxima equal a brute-force scan; decimation covers all."""

from __future__ import annotations

import numpy as np
import pytest

from app.ui.plots.envelope import Envelope
from app.ui.plots.following import epoch_axis_end, loss_axis_range


def _series(n: int, seed: int = 0) -> np.ndarray:
    y = np.random.default_rng(seed).normal(size=n)
    y[[4, 5, 6, 7, 100, 777]] = np.nan  # gaps, including a whole block of four
    return y


def _grown(y: np.ndarray, chunks: list[int]) -> Envelope:
    envelope, n = Envelope(), 0
    for size in chunks:
        n += size
        envelope.update(y[:n])
    return envelope


def test_blocks_equal_a_brute_force_scan_however_the_series_arrived():
    y = _series(5_000)
    whole = _grown(y, [5_000])
    pieces = _grown(y, [1, 2, 3, 17, 1_000, 977, 3_000])
    x = np.arange(1.0, 5_001.0)
    for blocks in (10, 100, 1_000):
        xs, ys = whole.decimate(x, y, 0, 5_000, blocks)
        xs2, ys2 = pieces.decimate(x, y, 0, 5_000, blocks)
        np.testing.assert_array_equal(xs, xs2)
        np.testing.assert_array_equal(ys, ys2)
    k = 3  # blocks of 8
    xs, ys = whole.decimate(x, y, 0, 5_000, 5_000 >> k)
    full = (5_000 >> k) - 1  # the block holding the newest value is drawn value by value
    blocks_of_8 = y[: full << k].reshape(full, 1 << k)
    lo, hi = np.fmin.reduce(blocks_of_8, axis=1), np.fmax.reduce(blocks_of_8, axis=1)
    np.testing.assert_array_equal(ys[0 : 2 * full : 2], lo)
    np.testing.assert_array_equal(ys[1 : 2 * full : 2], hi)
    np.testing.assert_array_equal(xs[0 : 2 * full : 2], x[:: 1 << k][:full])
    np.testing.assert_array_equal(ys[2 * full :], y[full << k :])
    assert xs[-1] == 5_000  # even when the series fills its last block exactly
    xs, ys = whole.decimate(x, y, 0, 5_000, 5_000 >> 2)  # blocks of 4: one is all gap
    assert np.isnan(ys[2]) and np.isnan(ys[3]) and not np.isnan(ys[4])


def test_decimation_keeps_every_extreme_and_ends_exactly():
    y = _series(100_003, seed=1)
    x = np.arange(1.0, 100_004.0)
    envelope = _grown(y, [50_000, 50_003])
    xs, ys = envelope.decimate(x, y, 0, len(y), 700)
    assert len(xs) <= 2 * 700 + 256
    assert np.nanmax(ys) == np.nanmax(y) and np.nanmin(ys) == np.nanmin(y)
    assert xs[0] == 1 and xs[-1] == x[-1] and ys[-1] == y[-1]  # the newest epoch, exact
    assert np.all(np.diff(xs) >= 0)


def test_a_short_stretch_is_drawn_point_by_point():
    y = _series(10_000)
    x = np.arange(1.0, 10_001.0)
    xs, ys = _grown(y, [10_000]).decimate(x, y, 4_000, 4_300, 700)
    np.testing.assert_array_equal(xs, x[4_000:4_300])
    np.testing.assert_array_equal(ys, y[4_000:4_300])


@pytest.mark.parametrize(
    ("epoch", "end"), [(0, 10), (10, 10), (11, 12), (31, 40), (999, 1_000), (1_001, 1_200)]
)
def test_the_epoch_axis_ends_at_round_numbers(epoch, end):
    assert epoch_axis_end(epoch) == end


def test_loss_axis_ranges():
    assert loss_axis_range(np.array([np.nan, 2.04, 0.3]), log=False) == (0.0, 2.1)
    assert loss_axis_range(np.array([np.nan]), log=False) is None
    low, high = loss_axis_range(np.array([0.02, 1.5, 0.0]), log=True) or (0, 0)
    assert low == -1.75 and high == 0.25  # quarter decades around log10 0.02 … 1.5
