"""``lstm-playground --self-test``: the whole app, end to end, in a few seconds.

Opens the main window on the default project, trains a few epochs in the real training
process (and checks that it is a process of its own), checks that the plots received
data, saves the project to a temporary file, reopens it through the window and
compares epoch and weights.  Prints one line starting with ``self-test OK`` and
returns 0, or ``self-test FAILED: <reason>`` and 1.  A QTimer watchdog fails the test
after :data:`TIMEOUT_S`; a thread watchdog ends the process if even the event loop
hangs.  The user's settings are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from app.project import load_project
from app.training.controller import TrainingController
from app.ui.document.preferences import Preferences
from app.ui.shell import dialogs
from app.ui.shell.window import MainWindow

EPOCHS = 5
TIMEOUT_S = 20.0
HARD_TIMEOUT_S = 40.0


class SelfTestError(Exception):
    pass


def plot_contents(widget: QWidget) -> tuple[int, int]:
    """(points in the longest curve, images holding data) over the widget's plots."""
    longest, images = 0, 0
    for view in widget.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.PlotDataItem):
                x, _ = item.getData()
                longest = max(longest, 0 if x is None else len(x))
            elif isinstance(item, pg.ImageItem) and item.image is not None:
                images += int(np.asarray(item.image).size > 0)
    return longest, images


def wait_until(condition: Callable[[], bool], what: str, deadline: float) -> None:
    """Run the event loop until ``condition()`` holds; SelfTestError past ``deadline``."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(
        lambda: loop.quit() if condition() or time.monotonic() > deadline else None
    )
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise SelfTestError(f"timed out waiting for {what}")


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise SelfTestError(message)


def _steps(window: MainWindow, folder: Path, deadline: float, timings: dict[str, float]) -> str:
    c = window.controller
    t = time.perf_counter()
    window.open_initial(None)
    window.show()
    wait_until(lambda: window.isVisible() and window.edits.trainable, "the window", deadline)
    timings["window"] = time.perf_counter() - t
    _check(window.document.project.preset == "dinner", "the default project is not 'dinner'")

    t = time.perf_counter()
    window.edits.set_stop_condition("epochs", EPOCHS)
    window.menu_actions.train.trigger()
    _check(c.state == "running", f"Train did not start training (state {c.state!r})")
    wait_until(lambda: c.state != "running" and c.epoch >= EPOCHS, f"{EPOCHS} epochs", deadline)
    window.plots.flush()
    timings["train"] = time.perf_counter() - t
    _check(c.epoch == EPOCHS, f"stopped at epoch {c.epoch}, expected {EPOCHS}")

    points, _ = plot_contents(window.plots.loss_plot)
    _, gate_images = plot_contents(window.plots.gates)
    _, prediction_images = plot_contents(window.plots.predictions)
    _check(points >= EPOCHS, f"the loss plot has {points} points, expected {EPOCHS}")
    _check(gate_images >= 4, f"only {gate_images} gate heatmaps hold data")
    _check(prediction_images >= 1, "the prediction view holds no image")

    t = time.perf_counter()
    path = folder / "self-test.lstmproj"
    _check(window.files.write(path), "saving failed")
    saved = load_project(path)
    state = saved.trainer_state
    _check(state is not None and state.epoch == EPOCHS, "the saved project lost its epochs")
    assert state is not None
    _, params = window.document.project.weights()
    for name, value in state.params.items():
        _check(np.array_equal(value, params[name]), f"saved weights {name} differ")
    window.document.set_modified(True)
    _check(window.files.open_path(path), "reopening failed")
    _check(c.epoch == EPOCHS, f"reopened at epoch {c.epoch}, expected {EPOCHS}")
    _check(len(c.history()) == EPOCHS, "the reopened history is incomplete")
    _, reopened = window.document.project.weights()
    _check(np.array_equal(reopened.buffer, params.buffer), "reopened weights differ")
    timings["save_and_reopen"] = time.perf_counter() - t
    pid = c.process_id
    _check(not c.trains_in_process or (pid is not None and pid != os.getpid()),
           "training did not run in a process of its own")  # fmt: skip
    where = f"in a training process (pid {pid})" if c.trains_in_process else "on a thread"
    return (
        f"window {timings['window']:.2f} s, {EPOCHS} epochs {where} "
        f"{timings['train']:.2f} s, plots: {points} loss points, {gate_images} gate and "
        f"{prediction_images} prediction heatmaps, save + reopen "
        f"{timings['save_and_reopen']:.2f} s"
    )


def _quiet_offscreen(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's notice about size hints; pass everything else on."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run_self_test(qapp: QApplication) -> int:
    """Returns the exit code; prints exactly one result line."""
    started = time.perf_counter()
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    hard = threading.Timer(HARD_TIMEOUT_S, _hard_timeout)
    hard.daemon = True
    hard.start()
    result: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lstm-self-test-") as tmp, dialogs.non_interactive(
    ) as errors:  # fmt: skip
        folder = Path(tmp)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(TrainingController(), Preferences(settings))
        deadline = time.monotonic() + TIMEOUT_S
        try:
            result.append("OK: " + _steps(window, folder, deadline, {}))
        except SelfTestError as exc:
            result.append(f"FAILED: {exc}")
        except Exception as exc:  # a crash is a failure with its reason, not a traceback
            result.append(f"FAILED: {type(exc).__name__}: {exc}")
        if errors:
            result[0] = "FAILED: " + "; ".join(errors)
        window.document.set_modified(False)
        window.close()
        if not window.controller.shutdown(5000):
            result[0] = "FAILED: the training thread did not end"
        window.deleteLater()
        qapp.processEvents()
    hard.cancel()
    qInstallMessageHandler(previous_handler)
    total = time.perf_counter() - started
    ok = result[0].startswith("OK")
    line = f"self-test {result[0]}" + (f", total {total:.2f} s" if ok else "")
    print(line, flush=True)
    return 0 if ok else 1


def _hard_timeout() -> None:
    print(f"self-test FAILED: hung for {HARD_TIMEOUT_S:.0f} s", file=sys.stdout, flush=True)
    os._exit(3)
