"""Screenshot of the "Compare epochs" tab: a preset trained like a learner would, then compared.

Run under an X server (Xvfb) from the repository root::

    Xvfb :91 -screen 0 1600x1000x24 &
    DISPLAY=:91 .venv/bin/python docs/tools/shoot_compare.py docs/images/compare.png

It builds the real window (throw-away settings), opens the preset, trains in the training
process until the preset's stop condition, switches to the tab, picks epoch A and the
line, and grabs the screen with ImageMagick's ``import -window root``.  Options:
``--preset``, ``--size``, ``--sequence``, ``--epoch-a``, ``--show`` (a gate name or
"all"), ``--replay`` (grab during a replay), ``--hover STEP``, ``--window-only``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shooting import pump, save_screen, show_tab, throwaway_window, train_until_stopped

from app.ui.main import application
from app.ui.tabs.compare_epochs import CompareView


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
    with throwaway_window(width, height) as window:
        window.files.new_from_preset(args.preset)
        view = show_tab(window, CompareView)
        train_until_stopped(window, time.monotonic() + args.max_seconds)
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
        save_screen(window, args.output, args.window_only)
        print(f"{args.output}: epoch {window.controller.epoch}, snapshots {view.epochs[:5]}…")
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
