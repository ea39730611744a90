"""Take the README screenshot: the real window, trained on a preset until it has learned.

Run under an X server (Xvfb) from the repository root::

    Xvfb :98 -screen 0 1600x1000x24 &
    DISPLAY=:98 .venv/bin/python docs/tools/screenshot.py docs/images/main-window.png

It builds the window exactly as the app does (with throw-away settings), opens the
preset and presses Train, exactly as a learner would: training runs on the real worker
thread until the preset's own stop condition (its recommended number of epochs).  If
the accuracy is not 100% by then, it trains on until it is.  Then it grabs the whole
screen with ImageMagick's ``import -window root``.  Options: ``--preset``, ``--size WxH``,
``--sequence N``, ``--max-seconds``, ``--window-only``.
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
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--window-only", action="store_true", help="grab the window, not X")
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
        window.plots.sequence_combo.setCurrentIndex(args.sequence)
        met: list[str] = []
        window.controller.stop_condition_met.connect(met.append)
        started = time.monotonic()

        def train_until_met() -> None:
            met.clear()
            window.menu_actions.train.trigger()
            while not met and time.monotonic() - started < args.max_seconds:
                pump(0.1)

        train_until_met()  # the preset's recommended epochs
        history = window.controller.history()
        if history and history[-1].train_accuracy < 1.0:
            window.edits.set_stop_condition("accuracy", 1.0)
            train_until_met()
        history = window.controller.history()
        learned = bool(history) and history[-1].train_accuracy == 1.0
        if not learned:
            print("the network did not reach 100% in time", file=sys.stderr)
        pump(1.0)  # let the last frame and the banner paint
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if args.window_only:
            window.grab().save(str(args.output))
        else:
            subprocess.run(["import", "-window", "root", str(args.output)], check=True)
        last = history[-1] if history else None
        summary = f"loss {last.train_loss:.4f}, accuracy {last.train_accuracy:.0%}" if last else ""
        print(f"{args.output}: epoch {window.controller.epoch}, {summary}")
        window.document.set_modified(False)
        window.close()
    qapp.processEvents()
    return 0 if learned else 1


if __name__ == "__main__":
    sys.exit(main())
