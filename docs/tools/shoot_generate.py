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
import sys
import time
from pathlib import Path

from shooting import pump, save_screen, show_tab, throwaway_window, train_until_stopped

from app.ui.main import application
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.state_map import StateMapView


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
    with throwaway_window(width, height) as window:
        window.files.new_from_preset(args.preset)
        if args.stop_at:
            window.edits.set_stop_condition("epochs", args.stop_at)
        train_until_stopped(window, time.monotonic() + args.max_seconds)
        view = show_tab(window, GenerateView if args.view == "generate" else StateMapView)
        if isinstance(view, GenerateView):
            if args.prompt is not None:
                view.prompt.setText(args.prompt)
            view.controls.length.setValue(args.length)
            if args.sample > 0:
                view.controls.sample.setChecked(True)
                view.controls.temperature.setValue(args.sample)
            view.generate()
        pump(1.0)
        save_screen(window, args.output)
        print(f"{args.output}: epoch {window.controller.epoch}")
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
