"""Stored epochs: the nearest one to an epoch asked for, and stepping between them."""

from __future__ import annotations

from app.analysis.epochs import nearest, step

EPOCHS = [0, 4, 8, 12, 13]  # thinned: every 4th, plus the latest


def test_nearest_prefers_the_earlier_on_ties() -> None:
    assert nearest(EPOCHS, 6) == 4
    assert nearest(EPOCHS, 7) == 8
    assert nearest(EPOCHS, 100) == 13
    assert nearest([], 3) is None


def test_step_moves_by_stored_snapshots_from_anywhere() -> None:
    assert step(EPOCHS, 4, 1) == 8
    assert step(EPOCHS, 4, -1) == 0
    assert step(EPOCHS, 6, 1) == 8  # 6 is not stored: up is the next stored above it
    assert step(EPOCHS, 6, -1) == 4
    assert step(EPOCHS, 12, 10) == 13
    assert step(EPOCHS, 0, -3) == 0
    assert step([], 0, 1) is None


def test_a_zero_step_is_the_nearest() -> None:
    assert step(EPOCHS, 6, 0) == 4
    assert step(EPOCHS, 7, 0) == 8
    assert step([], 7, 0) is None
