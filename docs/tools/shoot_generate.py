"""Screenshots of the Generate and State map tabs: the real window, trained like a learner.

Run under an X server (Xvfb) from the repository root::

    Xvfb :93 -screen 0 1600x1000x24 &
    DISPLAY=:93 .venv/bin/python docs/tools/shoot_generate.py generate docs/images/generate.png
    DISPLAY=:93 .venv/bin/python docs/tools/shoot_generate.py state-map docs/images/state-map.png

It builds the window as the app does (with throw-away settings), opens the preset,
presses Train until the preset's stop condition, switches to the tab, sets it up (a
prompt, or the lines to show; ``--stop-at`` pauses earlier to show a half-trained
map) and grabs the screen with ImageMagick's ``import -window root``.
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
from app.ui.generate import GenerateView  # noqa: E402
from app.ui.main import application  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.settings import Preferences  # noqa: E402
from app.ui.state_map import StateMapView  # noqa: E402


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def _tab(window: MainWindow, kind: type) -> int:
    tabs = window.views
    return next(i for i in range(tabs.count()) if isinstance(tabs.widget(i), kind))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("view", choices=("generate", "state-map"))
    parser.add_argument("output", type=Path)
    parser.add_argument("--preset", default="dinner")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--prompt", default=None)
    parser.add_argument("--length", type=int, default=15)
    parser.add_argument("--sample", type=float, default=0.0, help="temperature (0 = greedy)")
    parser.add_argument("--stop-at", type=int, default=0, help="pause at this epoch")
    parser.add_argument("--max-seconds", type=float, default=120)
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
        if args.stop_at:
            window.edits.set_stop_condition("epochs", args.stop_at)
        met: list[str] = []
        window.controller.stop_condition_met.connect(met.append)
        started = time.monotonic()
        window.menu_actions.train.trigger()
        while not met and time.monotonic() - started < args.max_seconds:
            pump(0.1)
        kind = GenerateView if args.view == "generate" else StateMapView
        window.views.setCurrentIndex(_tab(window, kind))
        view = window.views.currentWidget()
        if isinstance(view, GenerateView):
            if args.prompt is not None:
                view.prompt.setText(args.prompt)
            view.controls.length.setValue(args.length)
            if args.sample > 0:
                view.controls.sample.setChecked(True)
                view.controls.temperature.setValue(args.sample)
            view.generate()
        pump(1.0)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["import", "-window", "root", str(args.output)], check=True)
        print(f"{args.output}: epoch {window.controller.epoch}")
        window.document.set_modified(False)
        window.close()
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
