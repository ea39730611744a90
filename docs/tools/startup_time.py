"""Measure start-up: from launching the process to the main window's first paint.

Run from the repository root (with a display, or offscreen)::

    .venv/bin/python docs/tools/startup_time.py            # 5 runs, prints each and the median
    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/tools/startup_time.py --runs 10

Each run starts a fresh interpreter that does what ``lstm-playground`` does with no
arguments (``app.ui.main.run_gui([])``), with one addition: an event filter that, at
the first Paint event of the main window, prints a line and quits.  The parent times
from just before it spawns the process to the moment that line arrives, so the
interpreter's own start-up and every import are included.  Settings go to a temporary
folder, so the user's window geometry is neither used nor changed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            print("painted", flush=True)
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
app.installEventFilter(spy)
from app.ui.main import run_gui
sys.exit(run_gui([]))
"""


def one_run(env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=30)
    if line.strip() != "painted":
        raise RuntimeError(f"the child did not report a paint (got {line!r})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LSTM_PLAYGROUND_SETTINGS_DIR": tmp}
        times = []
        for i in range(args.runs):
            t = one_run(env)
            times.append(t)
            print(f"run {i + 1}: {t:.2f} s to the first paint")
    print(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
