"""Long runs (``pytest -m slow``): memory stays flat, and the training process costs little speed.

PySide6 reference-counting bugs (leaked signal arguments, wrappers kept alive) only
show after hundreds of thousands of cross-thread emissions, so these run for minutes.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import statistics
import sys
import time

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.training.controller import TrainingController
from app.training.frames import Frame
from tests.training.helpers import Recorder, dinner_project, wait_state

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "180"))
ALLOWED_GROWTH_MB = 25.0


@pytest.fixture(autouse=True)
def _only_when_asked(request: pytest.FixtureRequest) -> None:
    # --strict-markers registers "slow" but nothing deselects it by default.
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long run: select it with -m slow")
    # Longer than pytest's faulthandler_timeout by design: re-arm it past the soak.
    faulthandler.dump_traceback_later(SOAK_SECONDS + 300, file=sys.__stderr__)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
def test_soak_memory_stays_flat(
    qtbot: QtBot, controller: TrainingController, recorder: Recorder
) -> None:
    kept: list[Frame] = []

    def like_a_window(frame: Frame) -> None:  # reads the arrays the plots would read
        if frame.view is not None:
            float(frame.view.probs.sum() + frame.view.hidden.sum())
        kept.append(frame)
        del kept[:-10]

    controller.frame_ready.connect(like_a_window)
    controller.set_refresh_rate(20)
    rss: list[float] = []
    started = time.monotonic()
    cycle = 0
    while time.monotonic() - started < SOAK_SECONDS:
        cycle += 1
        project = dinner_project()
        controller.set_project(project)  # a fresh history each cycle keeps memory bounded
        controller.set_stop_condition("epochs", 3000)
        controller.start()
        qtbot.waitUntil(lambda: controller.epoch >= 500, timeout=60_000)
        controller.set_selected_sequence(cycle % 8)
        controller.set_learning_rate(0.01 + 0.001 * (cycle % 5))
        controller.capture_into(project)
        controller.pause()
        wait_state(qtbot, controller, "paused")
        with qtbot.waitSignal(controller.stop_condition_met, timeout=120_000):
            controller.start()
        assert recorder.epochs() == list(range(1, 3001))
        controller.reset()
        recorder.frames.clear()
        gc.collect()
        rss.append(_rss_mb())
    assert cycle >= 4 and not recorder.failures
    warm = max(rss[: max(2, len(rss) // 4)])
    late = max(rss[-2:])
    print(f"soak: {cycle} cycles, RSS warm {warm:.1f} MB, late {late:.1f} MB, all {rss}")
    assert late - warm < ALLOWED_GROWTH_MB, f"RSS grew from {warm:.1f} to {late:.1f} MB"


@pytest.mark.slow
def test_process_throughput_is_close_to_the_bare_trainer(
    qtbot: QtBot, controller: TrainingController
) -> None:
    """Interleaved 1-s trials, medians compared: frames at 20 Hz cost little speed."""
    bare = dinner_project().make_trainer()
    controller.set_project(dinner_project())
    controller.set_refresh_rate(20)
    controller.frame_ready.connect(lambda f: np.sum(f.view.probs))
    bare_rates, process_rates = [], []
    for _ in range(7):
        n, t0 = 0, time.perf_counter()
        for _report in bare.run():
            n += 1
            if time.perf_counter() - t0 > 1.0:
                break
        bare_rates.append(n / (time.perf_counter() - t0))
        e0, t0 = controller.epoch, time.perf_counter()
        controller.start()
        qtbot.waitUntil(lambda t=t0: time.perf_counter() - t > 1.0, timeout=10_000)
        process_rates.append((controller.epoch - e0) / (time.perf_counter() - t0))
        controller.pause()
        wait_state(qtbot, controller, "paused")
    ratio = statistics.median(process_rates) / statistics.median(bare_rates)
    print(f"throughput: bare {bare_rates}, worker {process_rates}, ratio {ratio:.2f}")
    assert ratio >= 0.9
