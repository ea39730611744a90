"""The state the window's controller and the training worker share, behind one lock.

No Qt here: a :class:`threading.Condition` guards plain fields.  The worker holds the
lock only for a few field reads per epoch, never while training, so the GUI thread
never waits on an update except when it asks for the trainer itself (:attr:`hold`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from app.analysis.sequence_view import SequenceView, make_sequence_view
from app.analysis.stop import StopCondition
from app.data.dataset import SequenceData
from app.engine.history import History
from app.engine.trainer import EpochReport, Trainer
from app.project.project import Project
from app.training.frames import Frame


class Session:
    """One project's trainer and the sequences its views are drawn from."""

    def __init__(self, trainer: Trainer, data: SequenceData) -> None:
        self.trainer = trainer
        self.data = data

    @classmethod
    def from_project(cls, project: Project) -> Session:
        """Raises DataError/ValueError (from the project) when it cannot be trained."""
        data = project.data()
        return cls(project.make_trainer(), data)

    def clamp(self, index: int) -> int:
        return max(0, min(int(index), self.data.n_sequences - 1))

    def view(self, index: int) -> SequenceView | None:
        """Sequence ``index`` (clamped) at the current weights; copies only."""
        if self.data.n_sequences == 0:
            return None
        i = self.clamp(index)
        t = self.trainer
        vocabulary = self.data.vocabulary.symbols
        return make_sequence_view(
            t.network, t.params, self.data.ids[i], self.data.tokens[i], vocabulary, i, t.epoch
        )

    def full_frame(self, index: int) -> Frame:
        """The whole history and the current view: what the window shows after a (re)load."""
        t = self.trainer
        return Frame(tuple(t.history), t.epoch, self.view(index), False, replaces_history=True)


@dataclass(frozen=True)
class Job:
    """What the worker took on when it last left its idle wait."""

    session: Session
    command: str | None  # "run", "step", or None for "just send a frame"
    run_id: int


@dataclass(frozen=True)
class Flags:
    """What the window decides that a training process must also know (see ``Shared``)."""

    command: str | None
    run_id: int
    selected: int
    frames_asked: int
    pending_lr: float | None
    stop: StopCondition
    target_epoch: int | None
    interval: float
    hold: int
    quit: bool
    drawing: int


class Remote(Protocol):
    """A training process running the current job (:mod:`app.training.process`)."""

    def sync(self, flags: Flags) -> None:
        """The window changed a flag: pass them all on (called with ``cond`` held)."""

    def handled(self, n: int) -> None:
        """``n`` frames were handled (called with ``cond`` held)."""


class Shared:
    """Fields both threads touch; read or write them only with ``cond`` held.

    ``command`` is what the window wants ("run", "step" or None = stay idle) and
    ``run_id`` names that request, so that a late "run ended" from an older request
    is recognised and ignored.  ``generation`` changes whenever the history restarts
    (a new project, Reset), so frames built before that are dropped.  ``hold`` > 0
    keeps the worker out of the trainer while the GUI thread uses it; ``busy`` says
    the worker is in the trainer now.
    """

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.session: Session | None = None
        self.command: str | None = None
        self.run_id = 0
        self.current_run: int | None = None  # the run_id the worker is in right now
        self.generation = 0
        self.hold = 0
        self.busy = False
        self.quit = False
        self.ended = False
        self.selected = 0
        self.interval = 1.0 / 20.0
        self.pending_lr: float | None = None
        self.stop = StopCondition()
        self.target_epoch: int | None = None
        self.history: History[EpochReport] = History()  # the trainer's, thinned alike
        self.pending: list[EpochReport] = []  # finished epochs not yet sent in a frame
        self.epoch = 0
        self.snapshot_epochs: list[int] = []
        self.frames_asked = 0  # how often the window asked for a frame (want_frame)
        self.frames_served = 0  # frames_asked as of the latest frame built
        self.in_flight = 0  # frames emitted and not yet handled (received, or drawn)
        self.drawing = 0  # the window's long drawings outside frames, in progress
        self.remote: Remote | None = None  # the training process of the job in progress

    def flags(self) -> Flags:
        """The window's side of the fields (read with ``cond`` held)."""
        return Flags(self.command, self.run_id, self.selected, self.frames_asked,
                     self.pending_lr, self.stop, self.target_epoch, self.interval,
                     self.hold, self.quit, self.drawing)  # fmt: skip

    def apply_flags(self, f: Flags) -> None:
        """Take the window's side from ``f`` (in a training process, with ``cond`` held)."""
        self.command, self.run_id, self.selected = f.command, f.run_id, f.selected
        self.frames_asked = f.frames_asked
        self.pending_lr = f.pending_lr if f.pending_lr is not None else self.pending_lr
        self.stop, self.target_epoch, self.interval = f.stop, f.target_epoch, f.interval
        self.hold, self.quit, self.drawing = f.hold, f.quit, f.drawing

    @property
    def frame_wanted(self) -> bool:
        """The window asked for a frame since the last one was built (read with ``cond``)."""
        return self.frames_asked > self.frames_served

    def wants(self, job: Job) -> bool:
        """The window still wants ``job``'s run (read with ``cond`` held)."""
        return self.command == job.command and self.run_id == job.run_id

    def aim(self, job: Job, epoch_now: int) -> None:
        """A "run" from ``epoch_now``: where its "epochs" stop condition ends it, unless
        set already (a resumed run keeps its target; call with ``cond`` held)."""
        if job.command == "run" and self.target_epoch is None:
            self.target_epoch = self.stop.target_epoch(epoch_now)

    @property
    def window_busy(self) -> bool:
        """A frame is being drawn or the window holds a drawing turn (read with ``cond``)."""
        return self.in_flight > 0 or self.drawing > 0

    def interrupt(self) -> None:
        """Make the worker look at the flags soon (call with ``cond`` held).

        ``request_stop`` ends :meth:`Trainer.run` after the update in progress, so a
        pause or a hold never waits for a long epoch to finish.
        """
        if self.busy and self.session is not None:
            self.session.trainer.request_stop()
        self.changed()

    def want_frame(self) -> None:
        """The window wants a frame soon, with the latest selection (``cond`` held)."""
        self.frames_asked += 1

    def changed(self) -> None:
        """The window changed a flag (call with ``cond`` held): tell whoever trains."""
        if self.remote is not None:
            self.remote.sync(self.flags())
        self.cond.notify_all()

    def frames_handled(self, n: int) -> None:
        """``n`` of the frames in flight were handled: the worker may send the next one."""
        with self.cond:
            self.in_flight -= n
            if self.remote is not None:
                self.remote.handled(n)
            self.cond.notify_all()

    def apply_pending_lr(self) -> None:
        """Give the trainer a learning rate set while it was busy.

        Call with ``cond`` held, between updates: from the worker, or from the GUI
        thread while the worker is not busy.
        """
        if self.pending_lr is not None and self.session is not None:
            self.session.trainer.set_learning_rate(self.pending_lr)
        self.pending_lr = None
