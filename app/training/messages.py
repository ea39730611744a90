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
from app.engine.snapshots import Snapshot
from app.engine.trainer import Progress, TrainerState
from app.project.project import Project
from app.training.frames import Frame

# -- commands: the window → the training process ------------------------------------------


@dataclass(frozen=True)
class Load:  # train this project from now on (its trainer as saved)
    generation: int
    project: Project
    selected: int


@dataclass(frozen=True)
class Reset:  # back to the seed's initial weights, with an empty history
    generation: int


@dataclass(frozen=True)
class Train:  # until paused or the stop condition; a step: one epoch (finishing the current)
    run_id: int
    step: bool
    fresh: bool  # an "N more epochs" count starts now (else a paused run's count goes on)


@dataclass(frozen=True)
class Pause:  # after the update in progress; answered with RunEnded even if it had ended
    run_id: int


@dataclass(frozen=True)
class SetLearningRate:
    value: float


@dataclass(frozen=True)
class SetStopCondition:  # during a run an "N more epochs" count starts now
    condition: StopCondition


@dataclass(frozen=True)
class SetRefreshRate:
    interval: float  # seconds between frames, at least


@dataclass(frozen=True)
class Select:  # show this sequence in the frames (one follows promptly while training)
    index: int


@dataclass(frozen=True)
class Drawn:  # the window drew this many frames: the next one may come
    generation: int
    frames: int = 1


@dataclass(frozen=True)
class Capture:  # send the exact state now (for Save), as Checkpointed
    request: int


@dataclass(frozen=True)
class StartMetrics:  # snapshot 0's metrics, measured by the window (the process does not)
    generation: int
    metrics: dict[str, float]


@dataclass(frozen=True)
class Quit:
    pass


Command = (
    Load | Reset | Train | Pause | SetLearningRate | SetStopCondition | SetRefreshRate
    | Select | Drawn | Capture | StartMetrics | Quit
)  # fmt: skip

# -- events: the training process → the window --------------------------------------------


@dataclass(frozen=True)
class Started:  # up and listening
    pid: int


@dataclass(frozen=True)
class SnapshotsNow:  # the store's epochs, and the snapshots the window does not have yet
    new: tuple[Snapshot, ...]
    epochs: tuple[int, ...]
    stride: int
    best_epoch: int | None


@dataclass(frozen=True)
class FrameBuilt:
    generation: int
    frame: Frame
    snapshots: SnapshotsNow
    until_epoch: int | None  # where the run's "N more epochs" ends (progress, ETA)


@dataclass(frozen=True)
class EpochProgress:  # how far a long epoch has got (a few a second; none in short epochs)
    generation: int
    run_id: int
    progress: Progress


@dataclass(frozen=True)
class Checkpointed:  # the exact state minus what the frames carried (history, snapshots)
    generation: int
    request: int | None  # answers a Capture; None at a run's end
    state: TrainerState


@dataclass(frozen=True)
class RunEnded:  # how: "paused", "finished" (the stop condition) or "failed" (message: why)
    generation: int
    run_id: int
    how: str
    message: str


@dataclass(frozen=True)
class Failed:  # a command could not be carried out (a bug); details: the traceback
    generation: int
    message: str
    details: str


Event = Started | FrameBuilt | EpochProgress | Checkpointed | RunEnded | Failed
