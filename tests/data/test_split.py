"""split_validation: by sequence, seeded, both sides non-empty when asked for."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.data.dataset import split_validation
from app.data.errors import DataError


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_fraction_zero_trains_on_everything_and_leaves_rng_alone() -> None:
    gen = rng()
    before = gen.bit_generator.state
    train, val = split_validation(5, 0.0, gen)
    assert train.tolist() == [0, 1, 2, 3, 4] and val.size == 0
    assert train.dtype == val.dtype == np.int64
    assert gen.bit_generator.state == before


@pytest.mark.parametrize("n", [0, 1])
def test_too_few_sequences_to_hold_any_out(n: int) -> None:
    train, val = split_validation(n, 0.5, rng())
    assert train.tolist() == list(range(n)) and val.size == 0


@pytest.mark.parametrize(
    ("n", "fraction", "n_val"),
    [
        (10, 0.25, 3),
        (10, 0.2, 2),
        (10, 0.01, 1),
        (10, 0.99, 9),
        (2, 0.5, 1),
        (2, 0.1, 1),
        (4, 0.125, 1),
    ],
)
def test_sizes_round_half_up_and_clamp(n: int, fraction: float, n_val: int) -> None:
    train, val = split_validation(n, fraction, rng())
    assert (train.size, val.size) == (n - n_val, n_val)


def test_deterministic_for_a_seed() -> None:
    a = split_validation(50, 0.2, rng(7))
    b = split_validation(50, 0.2, rng(7))
    c = split_validation(50, 0.2, rng(8))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize(("n", "fraction"), [(5, -0.1), (5, 1.0), (5, float("nan")), (-1, 0.1)])
def test_invalid_arguments(n: int, fraction: float) -> None:
    with pytest.raises(DataError):
        split_validation(n, fraction, rng())


def test_rejects_non_integer_counts() -> None:
    with pytest.raises(DataError):
        split_validation(True, 0.1, rng())
    with pytest.raises(DataError):
        split_validation(3.0, 0.1, rng())  # type: ignore[arg-type]


@given(st.integers(0, 300), st.floats(0, 0.999), st.integers(0, 2**32))
def test_partition(n: int, fraction: float, seed: int) -> None:
    train, val = split_validation(n, fraction, rng(seed))
    assert sorted([*train.tolist(), *val.tolist()]) == list(range(n))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)
    if fraction > 0 and n >= 2:
        assert train.size >= 1 and val.size >= 1
        nearest = math.floor(fraction * n + 0.5)
        assert val.size == min(max(nearest, 1), n - 1)
    else:
        assert val.size == 0
