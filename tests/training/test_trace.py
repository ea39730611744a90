"""EpochTrace: progress reports as points at fractional epochs, rewinds, rollbacks, thinning."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.trainer import Progress
from app.training import trace as trace_module
from app.training.trace import EpochTrace


def progress(epoch: int, updates: int, n: int = 10, loss: float = 1.0) -> Progress:
    return Progress(epoch, updates, n, 3 * updates, 3 * n, loss, 0.5, 0.1 * updates)


def test_points_lie_at_fractional_epochs_and_epochs_are_not_joined() -> None:
    trace = EpochTrace()
    for epoch, updates, loss in ((1, 2, 3.0), (1, 7, 2.5), (2, 5, 2.0), (2, 10, 1.9)):
        trace.add(progress(epoch, updates, loss=loss))
    np.testing.assert_allclose(trace.x, [0.2, 0.7, 1.5, 2.0])
    np.testing.assert_array_equal(trace.loss, [3.0, 2.5, 2.0, 1.9])
    np.testing.assert_array_equal(trace.connect(), [True, False, True, False])
    assert trace.latest == progress(2, 10, loss=1.9)


def test_a_report_from_before_a_rewind_replaces_the_points_past_it() -> None:
    trace = EpochTrace()
    for updates in (2, 4, 6):
        trace.add(progress(1, updates))
    trace.add(progress(1, 3, loss=9.0))
    np.testing.assert_allclose(trace.x, [0.2, 0.3])
    assert trace.loss[-1] == 9.0


def test_a_rollback_keeps_the_finished_epochs_only() -> None:
    trace = EpochTrace()
    for epoch in (1, 2, 3):
        trace.add(progress(epoch, 5))
    trace.drop_after(2)
    np.testing.assert_allclose(trace.x, [0.5, 1.5])
    assert trace.latest is None
    trace.clear()
    assert len(trace) == 0 and len(trace.connect()) == 0


def test_past_epochs_are_thinned_beyond_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trace_module, "MAX_POINTS", 40)
    trace = EpochTrace()
    for epoch in range(1, 6):
        for updates in range(1, 11):
            trace.add(progress(epoch, updates))
            assert len(trace) <= 40
    assert len(trace) < 40  # thinned when the fifth epoch began
    assert np.all(np.diff(trace.x) > 0)
    np.testing.assert_allclose(trace.x[-10:], np.arange(4.1, 5.01, 0.1))  # the newest whole
    for epoch in (1, 2, 3, 4):  # each finished epoch still ends on its end
        assert epoch in trace.x.round(6)
