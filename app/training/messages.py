"""Everything the window and the training process say to each other: plain frozen data.

Commands go from the window to the process, events come back, over one
``multiprocessing`` connection, in order.  ``generation`` counts the models the window
has installed (a project opened or rebuilt, Reset): an event from an older generation
is about a model the window has dropped, and is ignored.  ``run_id`` names one press of
Train or Step, so the end of a run the window has already replaced is recognised.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.analysis.stop import StopCondition
from app.engine.config import TrainConfig
from app.engine.snapshots import Snapshot
from app.engine.trainer import TrainerState
from app.project.project import Project
from app.training.frames import Frame

# -- commands: the window → the training process ------------------------------------------


@dataclass(frozen=True)
class Load:
    """Train ``project`` from now on (its trainer as saved: weights, history, snapshots)."""

    generation: int
    project: Project
    selected: int


@dataclass(frozen=True)
class Reset:
    """Back to the seed's initial weights, with an empty history."""

    generation: int


@dataclass(frozen=True)
class Train:
    """Train until paused or the stop condition is met; ``step``: one epoch only (finishing
    the current one).  ``until_epoch`` ends an "N more epochs" run."""

    run_id: int
    step: bool
    until_epoch: int | None


@dataclass(frozen=True)
class Pause:
    """Stop run ``run_id`` after the update in progress, keeping the place in the epoch
    (answered with its :class:`RunEnded` even if it had ended already)."""

    run_id: int


@dataclass(frozen=True)
class SetLearningRate:
    value: float


@dataclass(frozen=True)
class SetStopCondition:
    condition: StopCondition
    until_epoch: int | None


@dataclass(frozen=True)
class SetRefreshRate:
    """Frames at most every ``interval`` seconds."""

    interval: float


@dataclass(frozen=True)
class Select:
    """Show sequence ``index`` in the frames (a frame with it follows promptly)."""

    index: int


@dataclass(frozen=True)
class Drawn:
    """The window drew ``frames`` frames of ``generation``: the next one may come."""

    generation: int
    frames: int = 1


@dataclass(frozen=True)
class Capture:
    """Send the trainer's exact state now (for Save), as :class:`Checkpointed`."""

    request: int


@dataclass(frozen=True)
class Quit:
    """End the process."""


Command = (
    Load | Reset | Train | Pause | SetLearningRate | SetStopCondition | SetRefreshRate
    | Select | Drawn | Capture | Quit
)  # fmt: skip


# -- events: the training process → the window --------------------------------------------


@dataclass(frozen=True)
class Started:
    """The process is up and listening."""

    pid: int


@dataclass(frozen=True)
class SnapshotsNow:
    """The trainer's snapshot store: the epochs it holds, the snapshots the window does not
    have yet (the rest it got with earlier frames), its stride and best epoch."""

    new: tuple[Snapshot, ...]
    epochs: tuple[int, ...]
    stride: int
    best_epoch: int | None


@dataclass(frozen=True)
class FrameBuilt:
    generation: int
    frame: Frame
    snapshots: SnapshotsNow


@dataclass(frozen=True)
class Checkpointed:
    """The trainer's exact state without its history and snapshot weights (the window has
    them from the frames); ``request`` answers a :class:`Capture`, None at a run's end."""

    generation: int
    request: int | None
    state: TrainerState
    train: TrainConfig


@dataclass(frozen=True)
class RunEnded:
    """How run ``run_id`` ended: "paused", "finished" (the stop condition; ``message``
    says which) or "failed" (NaN/inf or an error; ``message`` says why)."""

    generation: int
    run_id: int
    how: str
    message: str


@dataclass(frozen=True)
class Failed:
    """A command could not be carried out (a bug): ``details`` is the traceback."""

    generation: int
    message: str
    details: str


Event = Started | FrameBuilt | Checkpointed | RunEnded | Failed
