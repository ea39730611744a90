"""Setting up ``bench_ui.py``'s measurement: the Qt platform, the project, the headless
reference run and the timing hooks.

Qt, NumPy and the app are imported inside the functions, so that ``bench_ui.py`` can pin
the BLAS threads and choose the Qt platform before anything loads.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _server_answers(path: Path) -> bool:
    """Whether an X server listens on the Unix socket ``path`` (not just a stale file)."""
    import socket as sockets

    with sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def choose_platform(args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    """Offscreen by default; an Xvfb server we start (and stop) or the current $DISPLAY."""
    if args.xvfb:
        os.environ["DISPLAY"] = args.xvfb
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        socket = Path(f"/tmp/.X11-unix/X{args.xvfb.lstrip(':')}")
        if socket.exists() and _server_answers(socket):
            return None
        for stale in (socket, Path(f"/tmp/.X{args.xvfb.lstrip(':')}-lock")):
            stale.unlink(missing_ok=True)  # left behind by a server that died
        server = subprocess.Popen(
            ["Xvfb", args.xvfb, "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return server
    if args.x11:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return None


def make_project(preset: str, history: int) -> Any:
    """The preset with no stop condition, optionally with ``history`` epochs behind it."""
    from app.data.presets import load_preset
    from app.ui.document.document import project_from_preset

    project = with_stop(project_from_preset(load_preset(preset)), 0)
    if history > 0:
        trainer = project.make_trainer()
        per_epoch = math.ceil(len(trainer.train_sequences) / trainer.train_config.batch_size)
        trainer.history = fake_history(history, per_epoch, bool(trainer.val_sequences))
        trainer.epoch, trainer.total_updates = history, history * per_epoch
        project.capture(trainer)
    return project


def with_stop(project: Any, epochs: int) -> Any:
    """``project`` stopping after ``epochs`` more epochs (the status bar then shows progress
    and an ETA), or never when ``epochs`` is 0."""
    from app.ui.document.document import STOP_KEY, with_ui

    stop = {"kind": "epochs", "value": epochs} if epochs else {"kind": "none", "value": 0}
    return with_ui(project, STOP_KEY, stop)


def headless(project: Any, seconds: float) -> tuple[int, int, float]:
    """(epochs, updates, wall seconds) of ``Trainer.run`` for ``seconds``."""
    trainer = project.make_trainer()
    e0, u0 = trainer.epoch, trainer.total_updates
    start = time.perf_counter()
    run = trainer.run(None)
    for _ in run:
        if time.perf_counter() - start >= seconds:
            break
    run.close()
    return trainer.epoch - e0, trainer.total_updates - u0, time.perf_counter() - start


def wait(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, round(seconds * 1000)), loop.quit)
    loop.exec()


def instrument(watch: Any) -> None:
    """Time the redraw, the plot views' paints and the frame hand-over (before any window)."""
    import pyqtgraph as pg

    from app.training.controller import TrainingController
    from app.ui.shell.status import StatusPanel
    from app.ui.train_tab.plots_area import PlotsArea

    watch.time_method(PlotsArea, "_on_frame_ready", "redraw")
    watch.time_method(pg.GraphicsView, "paintEvent", "paint")
    watch.time_method(TrainingController, "_on_frame", "frame_received")
    watch.time_method(StatusPanel, "_on_frame_ready", "status")


def quiet(mode: Any, context: Any, message: str) -> None:
    """The offscreen platform's notice about size hints says nothing about speed."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def fake_history(n: int, updates_per_epoch: int, validation: bool) -> list[Any]:
    """``n`` plausible epoch reports (a falling, noisy loss) for the ``--history`` case."""
    import numpy as np

    from app.engine.trainer import EpochReport

    rng = np.random.default_rng(0)
    e = np.arange(1, n + 1, dtype=np.float64)
    loss = 2.0 * np.exp(-e / max(n / 6, 1)) + 0.01 + 0.05 * rng.random(n)
    acc = np.clip(1.0 - loss / 2.2, 0.0, 1.0)
    val = loss * 1.1 + 0.02 * rng.random(n)
    reports = []
    for k in range(n):
        reports.append(
            EpochReport(
                epoch=k + 1,
                train_loss=float(loss[k]),
                train_accuracy=float(acc[k]),
                val_loss=float(val[k]) if validation else None,
                val_accuracy=float(acc[k]) if validation else None,
                grad_norm=1.0,
                elapsed=0.001,
                total_elapsed=0.001 * (k + 1),
                updates=updates_per_epoch,
                total_updates=updates_per_epoch * (k + 1),
                updates_per_second=1000.0,
                learning_rate=0.01,
            )
        )
    return reports


def start_training(preset: str, refresh: float | None = None) -> Any:
    """An offscreen app and a controller training ``preset`` with no stop (bench scripts)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["LSTM_PLAYGROUND_SETTINGS_DIR"] = tempfile.mkdtemp()
    from app.training.controller import TrainingController
    from app.ui.main import application

    application()
    controller = TrainingController()
    controller.set_project(make_project(preset, 0))
    if refresh is not None:
        controller.set_refresh_rate(refresh)
    controller.set_stop_condition("none", None)
    return controller
