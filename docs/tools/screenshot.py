"""Take the README screenshot: the real window, trained on a preset until it has learned.

Run under an X server (Xvfb) from the repository root::

    Xvfb :98 -screen 0 1600x1000x24 &
    DISPLAY=:98 .venv/bin/python docs/tools/screenshot.py docs/images/main-window.png

It builds the window exactly as the app does (with throw-away settings), opens the
preset and presses Train, exactly as a learner would: training runs in the real training
process until the preset's own stop condition (its recommended number of epochs).  If
the accuracy is not 100% by then, it trains on until it is.  Then it grabs the whole
screen with ImageMagick's ``import -window root``.  Options: ``--preset``, ``--size WxH``,
``--sequence N``, ``--max-seconds``, ``--window-only``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shooting import pump, save_screen, throwaway_window, train_until_stopped

from app.ui.main import application


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
    with throwaway_window(width, height) as window:
        window.files.new_from_preset(args.preset)
        window.plots.sequence_combo.setCurrentIndex(args.sequence)
        deadline = time.monotonic() + args.max_seconds
        train_until_stopped(window, deadline)  # the preset's recommended epochs
        history = window.controller.history()
        if history and history[-1].train_accuracy < 1.0:
            window.edits.set_stop_condition("accuracy", 1.0)
            train_until_stopped(window, deadline)
        history = window.controller.history()
        learned = bool(history) and history[-1].train_accuracy == 1.0
        if not learned:
            print("the network did not reach 100% in time", file=sys.stderr)
        pump(1.0)  # let the last frame and the banner paint
        save_screen(window, args.output, args.window_only)
        last = history[-1] if history else None
        summary = f"loss {last.train_loss:.4f}, accuracy {last.train_accuracy:.0%}" if last else ""
        print(f"{args.output}: epoch {window.controller.epoch}, {summary}")
    qapp.processEvents()
    return 0 if learned else 1


if __name__ == "__main__":
    sys.exit(main())
