"""``lstm-playground figure … OUT.gif`` (or ``.mp4``): one view of a project, animated.

Each frame is the view posed and drawn exactly as a still of it is
(:mod:`app.ui.shell.figure`), then posed one step further:

* **train**, **versus** — the epoch replay: frame *k* is the still of the project
  rewound to its *k*-th stored epoch (:func:`~app.analysis.replay.project_at`): the
  curves grow, the gates, predictions and writing are that epoch's, and the epoch is
  written in the view's read-out (RNN vs LSTM rewinds the second network too);
* **compare** — the tab's own replay: A stays (``--epoch-a`` or as saved), B moves
  through every stored epoch (its marker on the curve, its epoch in the rows);
* **cell** — every time step of the sequence, one after the other;
* **state-map** — the trajectories growing step by step at the chosen epoch (the
  whole map's axes kept, the newest point ringed and described under the map):
  how the network's memory moves as it reads, which a replay over epochs (the map's
  axes turning from epoch to epoch) shows far less clearly;
* **generate** — the text written symbol by symbol, each symbol's candidates
  appearing in the table as it is chosen: the roll-out the tab teaches.

More epochs or steps than ``--frames``: evenly spaced ones, first and last always.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from app.analysis.replay import project_at
from app.analysis.state_map import MapPoints
from app.cli.common import CliError
from app.cli.figure import ANIMATED, FigureOptions, frame_subset, stored_epochs
from app.cli.movie import write_animation
from app.project import Project
from app.ui.shell.figure import Stage, posed
from app.ui.shell.image_export import widget_raster
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.state_map import StateMapView

Progress = Callable[[int, int], bool]
"""Told ``(frames drawn, frames in all)`` before the first frame and after each; its
False stops the animation (:class:`Cancelled`), and no file is written."""

UNITS = {"epochs": "stored epochs", "steps": "time steps", "symbols": "symbols"}


class Cancelled(Exception):
    """The animation was stopped before its last frame; nothing was written."""


@dataclass(frozen=True)
class Written:
    """An animation written: ``frames`` of the ``available`` epochs, steps or symbols."""

    path: Path
    frames: int
    available: int
    unit: str

    @property
    def thinned(self) -> bool:
        return self.frames < self.available

    def describe(self) -> str:
        shown = f"{self.frames:,} of them, evenly spaced" if self.thinned else "all of them"
        return f"{self.path.name}: {self.available:,} {self.unit}, {shown}"


@dataclass(frozen=True)
class Plan:
    """What the frames step through (``keys``), and how the view is posed at each."""

    keys: list[int]
    pose: Callable[[int], None]


def render_animation(
    project: Project, out: Path, options: FigureOptions, progress: Progress | None = None
) -> Written:
    """Animate ``options.view`` of ``project`` into ``out`` (GIF or MP4, by extension).

    Raises
    ------
    CliError
        For an option that does not fit the built view, or nothing to animate.
    Cancelled
        When ``progress`` said stop (no file is written).
    OSError
        When the file cannot be written.
    """
    pixels = QSize(options.width, options.height)
    with posed(project, options) as stage:
        plan = frame_plan(stage, project)
        chosen = [plan.keys[i] for i in frame_subset(len(plan.keys), options.frames)]
        if progress is not None and not progress(0, len(chosen)):
            raise Cancelled

        def frame(key: int) -> np.ndarray:
            plan.pose(key)
            return rgb_array(widget_raster(stage.view, options.scale, pixels))

        def frames() -> Iterator[np.ndarray]:
            for n, key in enumerate(chosen, start=1):
                yield frame(key)
                if progress is not None and not progress(n, len(chosen)):
                    raise Cancelled

        last = frame(chosen[-1]) if out.suffix.lower() == ".gif" else None  # for the palette
        count = write_animation(out, frames(), options.fps, options.loop, last)
    return Written(out, count, len(plan.keys), UNITS[ANIMATED[options.view]])


def frame_plan(stage: Stage, project: Project) -> Plan:
    """The frames of the stage's view (posed as the still): see the module's docstring."""
    view = stage.view
    if isinstance(view, CompareView):
        return Plan(stored_epochs(project), partial(_pose_compare, stage))
    if isinstance(view, CellView):
        steps = view.view.steps if view.view is not None else 0
        return Plan(_some("time steps", steps), partial(_pose_cell, stage))
    if isinstance(view, StateMapView):
        return _state_map_plan(stage)
    if isinstance(view, GenerateView):
        length = view.controls.length.value() if view.result is not None else 0
        return Plan(_some("symbols", length, start=1), partial(_pose_generate, stage))
    # Train, RNN vs LSTM: each frame the still of the project as it was at that epoch,
    # with the view state the still was posed to (the line chosen, …).
    posed_ui = stage.document.project.ui
    return Plan(stored_epochs(project), partial(_show_at, stage, project, posed_ui))


def _some(what: str, count: int, start: int = 0) -> list[int]:
    if count < 1:
        raise CliError(f"there is nothing to animate: the view shows no {what}")
    return list(range(start, start + count))


def _show_at(stage: Stage, project: Project, ui: dict[str, Any], epoch: int) -> None:
    stage.show(replace(project_at(project, epoch), ui=ui), again=True)


def _pose_compare(stage: Stage, epoch: int) -> None:
    view = stage.view
    assert isinstance(view, CompareView)
    view.set_epoch("b", epoch, snap=False)
    stage.settle()


def _pose_cell(stage: Stage, step: int) -> None:
    view = stage.view
    assert isinstance(view, CellView)
    view.set_step(step)
    view.refresh()
    stage.settle()


def _pose_generate(stage: Stage, length: int) -> None:
    view = stage.view
    assert isinstance(view, GenerateView)
    view.controls.length.blockSignals(True)  # one roll-out a frame, the one asked for
    view.controls.length.setValue(length)
    view.controls.length.blockSignals(False)
    view.generate()
    stage.settle()


def _state_map_plan(stage: Stage) -> Plan:
    view = stage.view
    assert isinstance(view, StateMapView)
    whole = view.plot.map
    if whole is None:
        raise CliError(f"there is nothing to animate: {view.message.text() or 'no map'}")
    view.plot.plot.getViewBox().disableAutoRange()  # the whole map's axes, every frame
    steps = int(whole.step.max()) + 1 if len(whole.step) else 0
    return Plan(_some("steps", steps), partial(_pose_state_map, stage, whole))


def _pose_state_map(stage: Stage, whole: MapPoints, step: int) -> None:
    view = stage.view
    assert isinstance(view, StateMapView)
    part = map_until(whole, step)
    newest = np.flatnonzero(part.step == step)
    view.plot.hovered = int(newest[0]) if len(newest) else None  # ringed and described
    view.plot.set_map(part)
    stage.settle()


def map_until(m: MapPoints, step: int) -> MapPoints:
    """``m`` with only the points of steps ``0 … step`` of each line (in the same order)."""
    keep = m.step <= step
    index = np.flatnonzero(keep)
    spans = tuple(
        (int(np.searchsorted(index, start)), int(np.searchsorted(index, stop)))
        for start, stop in m.spans
    )
    return replace(
        m, coords=m.coords[keep], sequence=m.sequence[keep], line=m.line[keep],
        step=m.step[keep], symbol=m.symbol[keep], predicted=m.predicted[keep],
        confidence=m.confidence[keep], spans=spans,
    )  # fmt: skip


def rgb_array(image: QImage) -> np.ndarray:
    """``image`` as an ``(H, W, 3)`` uint8 RGB array (a copy)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, : 3 * w].reshape(h, w, 3).copy()
