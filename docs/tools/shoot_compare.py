"""Screenshot of the "Compare epochs" tab: a preset trained like a learner would, then compared.

Run under an X server (Xvfb) from the repository root::

    Xvfb :91 -screen 0 1600x1000x24 &
    DISPLAY=:91 .venv/bin/python docs/tools/shoot_compare.py docs/images/compare.png

It builds the real window (throw-away settings), opens the preset, trains through the
worker until the preset's stop condition, switches to the tab, picks epoch A and the
line, and grabs the screen with ImageMagick's ``import -window root``.  Options:
``--preset``, ``--size``, ``--sequence``, ``--epoch-a``, ``--show`` (a gate name or
"all"), ``--replay`` (grab during a replay), ``--hover STEP``, ``--window-only``.
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
from app.ui.compare import CompareView  # noqa: E402
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
    parser.add_argument("--epoch-a", type=int, default=1)
    parser.add_argument("--show", default="all")
    parser.add_argument("--replay", action="store_true", help="grab during a replay")
    parser.add_argument("--hover", type=int, default=None, help="point at this step's cells")
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
        view = next(
            w for i in range(window.views.count())
            if isinstance(w := window.views.widget(i), CompareView)
        )  # fmt: skip
        window.views.setCurrentWidget(view)
        met: list[str] = []
        window.controller.stop_condition_met.connect(met.append)
        started = time.monotonic()
        window.menu_actions.train.trigger()
        while not met and time.monotonic() - started < args.max_seconds:
            pump(0.1)
        pump(0.5)
        view.set_sequence(args.sequence)
        view.set_epoch("a", args.epoch_a)
        index = view.top.show_combo.findData(args.show)
        if index >= 0:
            view.top.show_combo.setCurrentIndex(index)
        if args.replay:
            view.replay.set_speed(4)
            view.replay.button.click()
            pump(2.6)
        else:
            pump(1.0)
        if args.hover is not None:
            row = next(iter(view.gates.rows.values()))
            heatmap = row.heatmaps["b"]
            heatmap.plot.scene().sigMouseMoved.emit(heatmap.scene_pos_of(args.hover, 3))
            pump(0.3)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if args.window_only:
            window.grab().save(str(args.output))
        else:
            subprocess.run(["import", "-window", "root", str(args.output)], check=True)
        print(f"{args.output}: epoch {window.controller.epoch}, snapshots {view.epochs[:5]}…")
        window.document.set_modified(False)
        window.close()
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
