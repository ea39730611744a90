"""Screenshot of the window training a big text mid-epoch, and where its seconds go.

Run under an X server (Xvfb) from the repository root::

    Xvfb :72 -screen 0 1920x1080x24 &
    DISPLAY=:72 .venv/bin/python docs/tools/shoot_midepoch.py corpus.lstmproj /tmp/mid.png
    # from a text (made into a project with `lstm-playground new --text-file ... NEW_ARGS`)
    DISPLAY=:72 .venv/bin/python docs/tools/shoot_midepoch.py corpus.txt /tmp/mid.png \\
        --new "--tokens chars --hidden 128 --batch-size 32"
    # 1920x1080 at scale 1.5: the 1280x720 layout drawn sharp
    DISPLAY=:72 QT_SCALE_FACTOR=1.5 .venv/bin/python docs/tools/shoot_midepoch.py \\
        corpus.lstmproj /tmp/mid-hidpi.png --size 1280x720

It builds the window as the app does (with throw-away settings, the training process
started at once), opens the project,
presses Train as a learner would and waits until epoch ``--epoch`` is ``--at`` done
(as the training process reports it), then grabs the window.  On the way it prints
when each thing happened, counted from the press of Train: the training process up,
the first progress report, each epoch's end and the next epoch's first report — the
seconds of silence a learner sits through.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shooting import pump, save_screen, throwaway_window

from app.training import messages as msg
from app.ui.main import application


def _project_path(source: Path, new_args: str, folder: Path) -> Path:
    """``source`` itself if it is a project, else a new project made from the text."""
    if source.suffix == ".lstmproj":
        return source
    out = folder / f"{source.stem}.lstmproj"
    command = [sys.executable, "-m", "app", "new", "--text-file", str(source), str(out)]
    subprocess.run(command + shlex.split(new_args), check=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="a project file, or a text file")
    parser.add_argument("output", type=Path)
    parser.add_argument("--new", default="--tokens chars", help="`new` options for a text")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--epoch", type=int, default=1, help="grab during this epoch")
    parser.add_argument("--at", type=float, default=0.4, help="this share of it done")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    qapp = application()
    with tempfile.TemporaryDirectory() as tmp, throwaway_window(width, height) as window:
        window.controller.warm_up()  # as the app does once its window shows
        path = _project_path(args.source, args.new, Path(tmp))
        opened = time.monotonic()
        window.files.open_path(path, ask=False)
        print(f"opening the project: {time.monotonic() - opened:.2f} s", flush=True)
        pump(0.5)
        controller = window.controller
        start = time.monotonic()
        seen: set[object] = set()

        def note(event: object) -> None:
            """Print the first event of each kind per epoch (the silences between them)."""
            now = time.monotonic() - start
            if isinstance(event, msg.Started):
                print(f"{now:7.2f} s  training process up", flush=True)
            elif isinstance(event, msg.EpochProgress) and event.progress.epoch not in seen:
                seen.add(event.progress.epoch)
                p = event.progress
                print(
                    f"{now:7.2f} s  epoch {p.epoch}: first report, {p.updates}/"
                    f"{p.updates_in_epoch} updates after {p.elapsed:.2f} s of training",
                    flush=True,
                )
            elif isinstance(event, msg.FrameBuilt) and event.frame.reports:
                r = event.frame.reports[-1]
                print(f"{now:7.2f} s  epoch {r.epoch} ended ({r.elapsed:.1f} s of training)")

        controller._sup.arrived.connect(note)  # a tool: it may listen in
        window.menu_actions.train.trigger()
        deadline = start + args.max_seconds

        def there() -> bool:
            p = controller.progress
            past = controller.epoch >= args.epoch
            return past or (
                p is not None
                and p.epoch == args.epoch
                and p.updates >= args.at * p.updates_in_epoch
            )

        while not there() and time.monotonic() < deadline:
            pump(0.05)
        pump(0.3)  # the window draws what arrived
        save_screen(window, args.output, window_only=True)
        p = controller.progress
        where = f"epoch {p.epoch}, {p.updates}/{p.updates_in_epoch}" if p else "no progress"
        print(f"{args.output}: {where}, status: {window.status.epoch_label.text()!r}")
        controller.pause()
        pump(0.5)
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main())
