"""Screenshot of the "Inside the cell" tab: a preset trained like a learner would, then opened up.

Run under an X server (Xvfb) from the repository root::

    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/tools/shoot_cell.py docs/images/cell.png

It builds the real window (throw-away settings), opens the preset, optionally switches
the model (``--kind rnn``/``gru``), trains through the worker until the preset's stop
condition, switches to the tab, picks the sequence, step and epoch, and grabs the
screen with ImageMagick's ``import -window root``.  Options: ``--preset``, ``--size``,
``--sequence``, ``--step`` (1-based), ``--epoch`` (default: the latest),
``--kind``, ``--hide-docks`` (the diagram alone, as on a projector), ``--window-only``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402

from app.training.controller import TrainingController  # noqa: E402
from app.ui.cell import CellView  # noqa: E402
from app.ui.main import application  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.settings import Preferences  # noqa: E402


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--preset", default="doug-jane-spot")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--sequence", type=int, default=0)
    parser.add_argument("--step", type=int, default=4, help="1-based time step")
    parser.add_argument("--epoch", type=int, default=None, help="default: the latest")
    parser.add_argument("--kind", choices=("lstm", "rnn", "gru"), default=None)
    parser.add_argument("--hide-docks", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--window-only", action="store_true")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    qapp = application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(TrainingController(), Preferences(settings))
        window.open_initial(None)
        window.setGeometry(0, 0, width, height)
        window.show()
        window.files.new_from_preset(args.preset)
        if args.kind is not None:
            window.edits.change_settings(kind=args.kind)
        view = next(
            w for i in range(window.views.count())
            if isinstance(w := window.views.widget(i), CellView)
        )  # fmt: skip
        window.views.setCurrentWidget(view)
        if args.hide_docks:
            window.sequences_dock.hide()
            window.settings_dock.hide()
        met: list[str] = []
        window.controller.stop_condition_met.connect(met.append)
        started = time.monotonic()
        window.menu_actions.train.trigger()
        while not met and time.monotonic() - started < args.max_seconds:
            pump(0.1)
        pump(0.5)
        view.set_sequence(args.sequence)
        view.set_step(args.step - 1)
        if args.epoch is not None:
            view.set_epoch(args.epoch)
        view.canvas.setFocus()
        pump(1.0)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if args.window_only:
            window.grab().save(str(args.output))
        else:
            subprocess.run(["import", "-window", "root", str(args.output)], check=True)
        print(f"{args.output}: epoch {window.controller.epoch}, state {view.state}")
        window.document.set_modified(False)
        window.close()
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
