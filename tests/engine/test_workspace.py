"""The scratch-array workspace: right shapes and dtypes, memory reused, never stale."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import Workspace


def test_same_request_reuses_memory() -> None:
    ws = Workspace()
    a = ws.array("x", (3, 4), np.dtype(np.float32))
    a[...] = 7
    b = ws.array("x", (3, 4), np.dtype(np.float32))
    assert b.shape == (3, 4) and b.dtype == np.float32
    assert np.shares_memory(a, b)
    assert (b == 7).all()


def test_new_shape_or_dtype_gets_a_matching_array() -> None:
    ws = Workspace()
    small = ws.array("x", (2, 2), np.dtype(np.float64))
    big = ws.array("x", (5, 6), np.dtype(np.float64))
    assert big.shape == (5, 6)
    big[...] = np.arange(30).reshape(5, 6)  # would fail if it were a view of the 4-element buffer
    again = ws.array("x", (2, 2), np.dtype(np.float64))
    assert again.shape == (2, 2) and np.shares_memory(again, big)
    assert not np.shares_memory(small, again)  # the small buffer was replaced, not reused
    single = ws.array("x", (2, 2), np.dtype(np.float32))
    assert single.dtype == np.float32 and single.shape == (2, 2)


def test_names_are_independent() -> None:
    ws = Workspace()
    a = ws.array("a", (4,), np.dtype(np.float64))
    b = ws.array("b", (4,), np.dtype(np.float64))
    assert not np.shares_memory(a, b)
