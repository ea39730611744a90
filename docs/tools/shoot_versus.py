"""Screenshot of the "RNN vs LSTM" tab: the real window, both networks trained like a learner would.

Run under an X server (Xvfb) from the repository root::

    Xvfb :94 -screen 0 1600x1000x24 &
    DISPLAY=:94 .venv/bin/python docs/tools/shoot_versus.py docs/images/versus.png
    DISPLAY=:94 .venv/bin/python docs/tools/shoot_versus.py docs/images/versus-long-memory.png \\
        --preset long-memory --window 0 --log
    # 1920x1080 at scale 1.5: the 1280x720 layout drawn sharp
    DISPLAY=:94 QT_SCALE_FACTOR=1.5 .venv/bin/python docs/tools/shoot_versus.py \\
        /tmp/versus-hidpi.png --size 1280x720 --window-only

It builds the window as the app does (with throw-away settings), opens the preset,
switches to the tab, picks the second network (``--kind``, ``--hidden`` — default: the
project's size — and ``--window``, how many steps back its training looks: 1 is the
lecture's short-memory RNN, 0 the whole line), presses *Train both* and waits until
both networks have met the preset's stop condition.  Then it grabs the screen with
ImageMagick's ``import -window root`` (or the window alone with ``--window-only``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shooting import pump, save_screen, show_tab, throwaway_window, train_until_stopped

from app.ui.main import application
from app.ui.tabs.rnn_vs_lstm import VersusView


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--preset", default="doug-jane-spot")
    parser.add_argument("--kind", default="rnn", choices=["lstm", "rnn", "gru"])
    parser.add_argument("--hidden", type=int, default=None)
    parser.add_argument("--window", type=int, default=None, help="default: the tab's")
    parser.add_argument("--pretrain", action="store_true", help="train on the Train tab first")
    parser.add_argument("--order", default="together", choices=["together", "sequential"])
    parser.add_argument("--sequence", type=int, default=0)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--log", action="store_true", help="loss on a log scale")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--window-only", action="store_true", help="grab the window, not X")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    qapp = application()
    with throwaway_window(width, height) as window:
        window.files.new_from_preset(args.preset)
        if args.pretrain:
            train_until_stopped(window, time.monotonic() + args.max_seconds)
        view = show_tab(window, VersusView)
        pump(0.3)
        b = view.controls
        b.kind_combo.setCurrentIndex(b.kind_combo.findData(args.kind))
        b.kind_combo.activated.emit(b.kind_combo.currentIndex())
        b.hidden_spin.setValue(args.hidden or window.document.project.model.hidden_size)
        if args.window is not None:
            b.window_spin.setValue(args.window)
        b.order_combo.setCurrentIndex(b.order_combo.findData(args.order))
        b.order_combo.activated.emit(b.order_combo.currentIndex())
        view.side_by_side.sequence_combo.setCurrentIndex(args.sequence)
        view.plot.log_check.setChecked(args.log)
        if args.steps:
            view.side_by_side.steps_spin.setValue(args.steps)
        started = time.monotonic()
        view.train_both()
        pump(0.5)
        while view.duo.running() and time.monotonic() - started < args.max_seconds:
            pump(0.2)
        pump(1.0)  # the last frames and the coalesced redraw
        save_screen(window, args.output, args.window_only)
        print(
            f"{args.output}: {time.monotonic() - started:.1f} s, epochs "
            f"{window.controller.epoch} and {view.rival.controller.epoch}; "
            + view.plot.readout.text()
        )
    qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
