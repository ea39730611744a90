"""Measuring instruments for ``bench_ui.py``: event-loop lateness, time spent in methods,
CPU time of the GUI thread and of the process, and garbage-collector pauses.

Qt is imported inside the functions and classes that need it, so that ``bench_ui.py``
can pin the BLAS threads and choose the Qt platform before anything loads.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p90/p99/max/mean of ``values`` in milliseconds (given in seconds)."""
    if not values:
        return {k: float("nan") for k in ("p50", "p90", "p99", "max", "mean")}
    ms = np.asarray(values) * 1e3
    p50, p90, p99 = np.percentile(ms, [50, 90, 99])
    return {"p50": p50, "p90": p90, "p99": p99, "max": ms.max(), "mean": ms.mean()}


class Stopwatch:
    """Call counts and durations per name, while ``recording``."""

    def __init__(self) -> None:
        self.recording = False
        self.samples: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        if self.recording:
            self.samples.setdefault(name, []).append(seconds)

    def count(self, name: str) -> int:
        return len(self.samples.get(name, []))

    def total(self, name: str) -> float:
        return float(sum(self.samples.get(name, [])))

    def time_method(
        self, cls: type, method: str, name: str, when: Callable[[Any], bool] | None = None
    ) -> None:
        """Replace ``cls.method`` by a wrapper that times each call (``when(self)`` first,
        evaluated before the call, says whether the call counts).  Qt looks virtual
        overrides such as ``paintEvent`` up on the Python class at call time, so this
        also works for methods Qt calls."""
        original = getattr(cls, method)
        watch = self

        @functools.wraps(original)
        def timed(obj: Any, *args: Any, **kwargs: Any) -> Any:
            counts = when is None or when(obj)
            started = time.perf_counter()
            try:
                return original(obj, *args, **kwargs)
            finally:
                if counts:
                    watch.add(name, time.perf_counter() - started)

        setattr(cls, method, timed)


class LatencyProbe:
    """A single-shot timer re-armed on every tick: lateness = fired − (armed + interval)."""

    def __init__(self, interval_ms: int) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.lateness: list[float] = []
        self.recording = False
        self._armed = 0.0
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timeout)

    def start(self) -> None:
        self._armed = time.perf_counter()
        self._timer.start(self.interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _on_timeout(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.lateness.append(max(0.0, now - self._armed - self.interval_ms / 1e3))
        self._armed = now
        self._timer.start(self.interval_ms)


class GcMeter:
    """Durations of the garbage collector's passes (any thread; all threads wait)."""

    def __init__(self) -> None:
        import gc

        self.pauses: list[tuple[int, float]] = []  # (generation, seconds)
        self.recording = False
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.recording:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))


class CpuMeter:
    """CPU seconds of the calling (GUI) thread and of the whole process between
    :meth:`start` and :meth:`stop`; a thread waiting for the GIL uses none."""

    def __init__(self) -> None:
        self.thread = self.process = 0.0

    def start(self) -> None:
        self.thread, self.process = -time.thread_time(), -time.process_time()

    def stop(self) -> None:
        self.thread += time.thread_time()
        self.process += time.process_time()
