"""Screenshots for docs/guide.md: each lesson done in the real window, as a learner would.

Run under an X server (Xvfb) from the repository root::

    Xvfb :95 -screen 0 1600x1000x24 &
    DISPLAY=:95 .venv/bin/python docs/tools/shoot_guide.py all
    DISPLAY=:95 .venv/bin/python docs/tools/shoot_guide.py dinner-start

Each shot builds the window as the app does (with throw-away settings), opens its
preset, trains in the training process until a stop condition (the preset's own, or
a few epochs for an "at the start" picture), switches to a tab, sets it up and grabs
the screen with ImageMagick's ``import -window root`` into
``docs/images/guide-<shot>.png`` (``--out`` for another folder).  The shots:

``dinner-start``
    `dinner` after Step one epoch three times, Train tab: the prediction vector is
    still a guess.
``dinner``
    `dinner` after those three steps and Train (100 more epochs), Train tab: every
    dinner predicted.
``generate-dinner``
    `dinner`, Generate tab: "we were away for two weeks", 14 nights written on.
``generate-dinner-memory``
    `dinner-memory`, Generate tab, prompts "sushi" and "pizza sushi" (cropped, stacked):
    yesterday alone leaves the network unsure; the night before makes it sure.
``dinner-memory``
    `dinner-memory` after the preset's 100 epochs, Train tab.
``dinner-memory-versus``
    `dinner-memory`, RNN vs LSTM tab: a plain RNN learning from 1 step back beside
    the LSTM (it manages two steps back too).
``dinner-memory-cells``
    `dinner-memory`, Inside the cell at the two sushis of line 1 (steps 2 and 4),
    the diagrams cropped and stacked: different memories, different predictions.
``nan``
    `chars-text` with a learning rate of 10: the red "Training stopped" banner (cropped).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from shooting import ROOT, pump, show_tab, throwaway_window, train_until_stopped

from app.ui.main import application
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell import CellView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VersusView

MAX_SECONDS = 180.0


def tab(window: MainWindow, kind: type[QWidget]) -> QWidget:
    """Switch to the tab holding a ``kind`` view and return that view."""
    view = show_tab(window, kind)
    pump(0.3)
    return view


def train(window: MainWindow, epochs: int | None = None) -> None:
    """Press Train and wait for the stop condition (``epochs`` instead of the preset's)."""
    if epochs is not None:
        window.edits.set_stop_condition("epochs", epochs)
    # A diverged run stops too.
    train_until_stopped(window, time.monotonic() + MAX_SECONDS, failing_stops=True)
    pump(0.8)  # the last frame and the banner


def step(window: MainWindow, times: int) -> None:
    """Press Step one epoch ``times`` times, each time waiting for the epoch to land."""
    for _ in range(times):
        target = window.controller.epoch + 1
        window.menu_actions.step.trigger()
        started = time.monotonic()
        # A step pressed while the last one still runs would pause it instead.
        while (
            window.controller.epoch < target or window.controller.state == "running"
        ) and time.monotonic() - started < MAX_SECONDS:
            pump(0.05)
    pump(0.8)


def shoot_dinner_start(window: MainWindow) -> None:
    window.files.new_from_preset("dinner")
    step(window, 3)


def shoot_dinner(window: MainWindow) -> None:
    window.files.new_from_preset("dinner")
    step(window, 3)  # as the guide does: three steps, then Train for 100 more epochs
    train(window)


def shoot_generate_dinner(window: MainWindow) -> None:
    shoot_dinner(window)
    view = tab(window, GenerateView)
    assert isinstance(view, GenerateView)
    view.prompt.setText("pizza")
    view.controls.length.setValue(14)  # two weeks of dinners
    view.generate()


def shoot_generate_dinner_memory(window: MainWindow) -> Path:
    """Yesterday alone ("sushi") against the night before too ("pizza sushi"), stacked."""
    window.files.new_from_preset("dinner-memory")
    train(window)
    view = tab(window, GenerateView)
    assert isinstance(view, GenerateView)
    view.controls.length.setValue(8)
    view.splitter.setSizes([1000, 200])  # the table wide, the heatmap out of the crop
    parts = []
    for prompt in ("sushi", "pizza sushi"):
        view.prompt.setText(prompt)
        view.generate()
        pump(0.8)
        parts.append(grab(prompt.replace(" ", "-")))
    return stack(parts, GENERATED)


def shoot_dinner_memory_versus(window: MainWindow) -> None:
    window.files.new_from_preset("dinner-memory")
    view = tab(window, VersusView)
    assert isinstance(view, VersusView)
    b = view.controls
    b.kind_combo.setCurrentIndex(b.kind_combo.findData("rnn"))
    b.kind_combo.activated.emit(b.kind_combo.currentIndex())
    b.window_spin.setValue(1)  # the lecture's RNN: it only looks back one step
    view.side_by_side.sequence_combo.setCurrentIndex(0)
    started = time.monotonic()
    view.train_both()
    pump(0.5)
    while view.duo.running() and time.monotonic() - started < MAX_SECONDS:
        pump(0.2)
    pump(1.0)


def shoot_dinner_memory(window: MainWindow) -> None:
    window.files.new_from_preset("dinner-memory")
    train(window)


def shoot_dinner_memory_cells(window: MainWindow) -> Path:
    """Two steps of line 1 that both read sushi, the diagram alone, one above the other."""
    window.files.new_from_preset("dinner-memory")
    train(window)
    view = tab(window, CellView)
    assert isinstance(view, CellView)
    view.set_sequence(0)  # pizza sushi waffles sushi pizza …
    pump(1.5)  # the diagram fits itself to the tab once it is shown
    parts = []
    for step in (1, 3):  # sushi after pizza (→ waffles), sushi after waffles (→ pizza)
        view.set_step(step)
        view.canvas.setFocus()
        pump(0.8)
        parts.append(grab(f"step{step}"))
    return stack(parts, DIAGRAM)


def shoot_nan(window: MainWindow) -> Path:
    """chars-text (no gradient clipping) with a learning rate of 10: the red banner."""
    window.files.new_from_preset("chars-text")
    window.edits.set_learning_rate(10.0)
    train(window, epochs=20)  # stops at the first non-finite loss, long before 20
    return stack([grab("nan")], BANNER)


DIAGRAM = "1180x610+420+228"
"""The cell diagram without the controls: its title down to the colour keys."""
GENERATED = "944x224+408+204"
"""The Generate tab's sentence and the first rows of its table."""
BANNER = "1192x432+408+50"
"""The Train tab's top: tabs, banner, loss curve and prediction vector."""

_tmp = Path(tempfile.mkdtemp(prefix="shoot_guide_"))


def grab(name: str) -> Path:
    path = _tmp / f"{name}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    return path


def stack(parts: list[Path], crop: str) -> Path:
    """The same region of each grab, one under the other, with a thin gap."""
    path = _tmp / "stacked.png"
    cropped = [arg for p in parts for arg in ("(", str(p), "-crop", crop, "+repage", ")")]
    subprocess.run(
        ["convert", *cropped, "-background", "#d0d0d0", "-splice", "0x6", "-append",
         "-chop", "0x6", str(path)],
        check=True,
    )  # fmt: skip
    return path


SHOTS: dict[str, Callable[[MainWindow], Path | None]] = {
    "dinner-start": shoot_dinner_start,
    "dinner": shoot_dinner,
    "generate-dinner": shoot_generate_dinner,
    "generate-dinner-memory": shoot_generate_dinner_memory,
    "dinner-memory": shoot_dinner_memory,
    "dinner-memory-versus": shoot_dinner_memory_versus,
    "dinner-memory-cells": shoot_dinner_memory_cells,
    "nan": shoot_nan,
}


def shoot(name: str, out: Path, size: tuple[int, int]) -> None:
    with throwaway_window(*size) as window:
        started = time.monotonic()
        made = SHOTS[name](window)
        pump(1.0)  # coalesced redraws
        path = out / f"guide-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if made is None:
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        else:
            shutil.copyfile(made, path)
        history = window.controller.history()
        last = history[-1] if history else None
        summary = f"loss {last.train_loss:.4f}, accuracy {last.train_accuracy:.0%}" if last else ""
        took = time.monotonic() - started
        print(f"{path}: epoch {window.controller.epoch}, {summary} ({took:.1f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shot", choices=[*SHOTS, "all"])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--size", default="1600x1000")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    qapp = application()
    for name in SHOTS if args.shot == "all" else [args.shot]:
        shoot(name, args.out, (width, height))
        qapp.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
