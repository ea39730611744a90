import numpy as np
import pytest

from app.engine.finite import nonfinite_weights


def test_finite_weights_are_fine():
    assert nonfinite_weights({"Wx": np.zeros((2, 3)), "b": np.ones(3)}) is None
    assert nonfinite_weights(np.arange(5.0)) is None


def test_nan_and_inf_are_counted_and_named():
    wx = np.zeros((2, 3))
    wx[0, 1] = np.nan
    b = np.array([np.inf, 1.0, -np.inf])
    said = nonfinite_weights({"Wx": wx, "b": b})
    assert said == "the weights hold NaN and infinite values (3 of 9 values, in Wx and b)"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_flat_snapshot_is_split_by_its_shapes(dtype):
    flat = np.zeros(10, dtype=dtype)
    flat[7] = np.nan
    said = nonfinite_weights(flat, {"Wx": (2, 3), "Wh": (2, 2)})
    assert said == "the weights hold NaN (1 of 10 values, in Wh)"
    assert nonfinite_weights(flat) == "the weights hold NaN (1 of 10 values)"
