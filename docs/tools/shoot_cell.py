"""Screenshot of the "Inside the cell" tab: a preset trained like a learner would, then opened up.

Run under an X server (Xvfb) from the repository root::

    Xvfb :92 -screen 0 1600x1000x24 &
    DISPLAY=:92 .venv/bin/python docs/tools/shoot_cell.py docs/images/cell.png

It builds the real window (throw-away settings), opens the preset, optionally switches
the model (``--kind rnn``/``gru``), trains in the training process until the preset's stop
condition, switches to the tab, picks the sequence, step and epoch, and grabs the
screen with ImageMagick's ``import -window root``.  Options: ``--preset``, ``--size``,
``--sequence``, ``--step`` (1-based), ``--epoch`` (default: the latest),
``--kind``, ``--hide-docks`` (the diagram alone, as on a projector), ``--window-only``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shooting import pump, save_screen, show_tab, throwaway_window, train_until_stopped

from app.ui.main import application
from app.ui.tabs.cell import CellView


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
    with throwaway_window(width, height) as window:
        window.files.new_from_preset(args.preset)
        if args.kind is not None:
            window.edits.change_settings(kind=args.kind)
        view = show_tab(window, CellView)
        if args.hide_docks:
            window.sequences_dock.hide()
            window.settings_dock.hide()
        train_until_stopped(window, time.monotonic() + args.max_seconds)
        pump(0.5)
        view.set_sequence(args.sequence)
        view.set_step(args.step - 1)
        if args.epoch is not None:
            view.set_epoch(args.epoch)
        view.canvas.setFocus()
        pump(1.0)
        save_screen(window, args.output, args.window_only)
        print(f"{args.output}: epoch {window.controller.epoch}, state {view.state}")
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
