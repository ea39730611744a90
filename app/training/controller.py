"""The window's handle on training: commands in, throttled frames and state changes out.

Lives on the GUI thread.  Training is driven by a :class:`TrainingWorker` on its own
QThread, which trains each run in a child process where the system can fork (so the
window's drawing never slows training; :mod:`app.training.process`) and on its thread
otherwise.  Controller and worker share only :class:`~app.training.shared.Shared`
(flags behind one lock).  Whenever the controller needs the trainer itself (Reset, a
new project, capturing for Save) it raises ``hold``, interrupts the update in progress
and waits until the worker is out of the trainer (a child has handed its state back);
a running training then resumes by itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.analysis.stop import StopCondition
from app.data.dataset import SequenceData
from app.engine.config import TrainConfig
from app.engine.network import Network
from app.engine.snapshots import Snapshot
from app.engine.trainer import EpochReport
from app.project.project import Project
from app.training.frames import Frame
from app.training.loop import FAILED, FINISHED
from app.training.shared import Session, Shared
from app.training.thread import WorkerThread

IDLE, RUNNING, PAUSED = "idle", "running", "paused"
_RESTOP_SECONDS = 0.02  # see _exclusive


class TrainingController(QObject):
    """Train/Pause/Step/Reset, live settings and thread-safe access to the trainer.

    States: "idle" (nothing started since the project was set or reset, or the stop
    condition was met), "running", "paused" (paused, stepped, or stopped by a NaN/inf
    loss or an error).  ``state_changed("paused")`` comes once the worker has really
    stopped, after the final frame, so from then on the epoch no longer moves.
    """

    frame_ready = Signal(object)
    state_changed = Signal(str)
    failed = Signal(str)
    stop_condition_met = Signal(str)

    def __init__(self, parent: QObject | None = None, in_process: bool | None = None) -> None:
        """``in_process``: train in a child process (default: where the system can fork,
        see :mod:`app.training.process`), or on the worker thread."""
        super().__init__(parent)
        self._s = Shared()
        self._state = IDLE
        self._run_id = 0
        self._active = False  # a run was asked for and not paused since
        self._closed = False
        self._thread_ended = False
        self._acknowledged = False  # frames count as handled only when frame_drawn() says
        self._undrawn = 0  # frames delivered, not yet drawn
        self._handle = WorkerThread(self._s, in_process)
        worker = self._handle.worker
        queued = Qt.ConnectionType.QueuedConnection  # run on the GUI thread, in order
        worker.frame_built.connect(self._on_frame_built, queued)
        worker.run_ended.connect(self._on_run_ended, queued)
        # If the window forgets shutdown(), the worker still ends with this object.
        self.destroyed.connect(self._handle.request_quit)

    # -- project ------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        """Stop training and load ``project``'s trainer (errors propagate, nothing changes)."""
        session = Session.from_project(project)
        with self._exclusive(cancel=True) as s:
            s.session = session
            s.pending_lr = None
            s.selected = session.clamp(s.selected)
            frame = self._restart_history(session)
        self._after_restart(frame)

    def reset(self) -> None:
        """Pause and go back to the seed's initial weights, with an empty history."""
        if self._s.session is None:
            return
        with self._exclusive(cancel=True) as s:
            assert s.session is not None
            s.session.trainer.reset()
            frame = self._restart_history(s.session)
        self._after_restart(frame)

    def capture_into(self, project: Project) -> None:
        """Store the trainer's exact state in ``project``; a running training carries on."""
        if self._s.session is None:
            raise RuntimeError("no project has been set")
        with self._exclusive(cancel=False) as s:
            assert s.session is not None
            project.capture(s.session.trainer)

    # -- train / pause ----------------------------------------------------------------
    def start(self) -> None:
        """Train continuously until paused or the stop condition is met."""
        self._begin("run")

    def step_epoch(self) -> None:
        """Train exactly one epoch (finishing the current one), then pause; pauses if running."""
        if self._active:
            self.pause()
        else:
            self._begin("step")

    def pause(self) -> None:
        """Stop after the update in progress; the trainer keeps its place in the epoch."""
        if not self._active:
            return
        self._active = False
        s = self._s
        with s.cond:
            s.command = None
            # Not in this run right now (not started yet, or between a hold and its
            # restart): the worker will not report an end, so pause here and ask it
            # for a final frame with any reports it has not sent.
            reported = s.current_run == self._run_id
            if not reported:
                s.want_frame()
            s.interrupt()
        if not reported:
            self._set_state(PAUSED)

    def toggle(self) -> None:
        """Train/Pause (the Space key)."""
        if self._active:
            self.pause()
        else:
            self.start()

    # -- live settings ----------------------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        """Applies from the next update on, keeping the model (``ValueError`` if invalid)."""
        TrainConfig(learning_rate=lr)  # validate here, not in the worker thread
        s = self._s
        with s.cond:
            if s.session is None:
                return
            s.pending_lr = float(lr)
            if not s.busy:
                s.apply_pending_lr()
            s.interrupt()  # between updates, not at the end of a possibly long epoch

    def set_refresh_rate(self, hz: float) -> None:
        """Frames at most ``hz`` times a second (default 20)."""
        if not (math.isfinite(hz) and hz > 0):
            raise ValueError(f"refresh rate must be a positive number, got {hz!r}")
        with self._s.cond:
            self._s.interval = 1.0 / hz
            self._s.changed()

    def set_selected_sequence(self, index: int) -> None:
        """Show sequence ``index`` (clamped to the data); a new frame follows promptly."""
        s = self._s
        with s.cond:
            s.selected = s.session.clamp(index) if s.session else max(0, int(index))
            s.want_frame()
            s.interrupt()

    def set_stop_condition(self, kind: str, value: float | None) -> None:
        """ "none", "epochs" (N more from Train), "loss" (≤ value), "accuracy" (≥ value, 0…1)."""
        stop = StopCondition(kind, value)
        s = self._s
        with s.cond:
            s.stop = stop
            # A running "epochs" count starts now; otherwise at the next Train.
            s.target_epoch = stop.target_epoch(s.epoch) if s.command == "run" else None
            s.changed()

    # -- frames -----------------------------------------------------------------------
    def acknowledge_frames(self) -> None:
        """A frame counts as handled only once :meth:`frame_drawn` says so (else once
        delivered): the worker sends the next one only after the last is on screen."""
        self._acknowledged = True

    def frame_drawn(self) -> None:
        """Every frame delivered so far is drawn."""
        undrawn, self._undrawn = self._undrawn, 0
        self._s.frames_handled(undrawn)

    # -- reading ----------------------------------------------------------------------
    def history(self) -> list[EpochReport]:
        with self._s.cond:
            return list(self._s.history)

    def snapshot_epochs(self) -> list[int]:
        """Epochs with stored weights (as of the latest frame)."""
        with self._s.cond:
            return list(self._s.snapshot_epochs)

    def snapshot(self, epoch: int) -> Snapshot | None:
        """The stored snapshot nearest ``epoch`` (read-only weights; safe while training)."""
        session = self._s.session
        if session is None:
            return None
        try:
            return session.trainer.snapshots.nearest(epoch)
        except KeyError:
            return None

    def model(self) -> tuple[Network, SequenceData] | None:
        """The network (shape and kind) and the sequences of the current project.

        ``Network.forward`` keeps no state between calls, so views may run it on the GUI
        thread with snapshot weights while the worker trains.
        """
        session = self._s.session
        return None if session is None else (session.trainer.network, session.data)

    @property
    def trains_in_process(self) -> bool:
        """Runs train in a child process (else on the worker thread)."""
        return self._handle.worker.in_process

    @property
    def state(self) -> str:
        return self._state

    @property
    def epoch(self) -> int:
        """Epochs finished so far."""
        with self._s.cond:
            return self._s.epoch

    @property
    def target_epoch(self) -> int | None:
        """Where an "epochs" stop condition will stop the current run (for progress/ETA)."""
        with self._s.cond:
            return self._s.target_epoch

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop the worker and wait for its thread; True when it ended.  Safe to repeat."""
        self._closed = True
        self._active = False
        if not self._thread_ended:
            self._thread_ended = self._handle.stop(timeout_ms)
        if self._thread_ended:
            self._set_state(IDLE if self._state == IDLE else PAUSED)
        return self._thread_ended

    # -- internals --------------------------------------------------------------------
    def _begin(self, command: str) -> None:
        s = self._s
        if self._closed or self._active or s.session is None:
            return
        self._run_id += 1
        self._active = True
        with s.cond:
            if self._state == IDLE and command == "run":
                s.target_epoch = None  # a fresh "epochs" count; a resume keeps its target
            s.command = command
            s.run_id = self._run_id
            s.changed()
        self._set_state(RUNNING)

    @contextmanager
    def drawing_turn(self) -> Iterator[None]:
        """Long drawing outside a frame (an exploring view recomputing and repainting):
        training on the worker thread waits at its next epoch boundary until the block
        ends, as it does while a frame is drawn and within the same allowance, instead
        of taking turns with the window for the interpreter (which doubled such a
        drawing's time).  A training process, which has an interpreter of its own,
        trains on and only holds its frames back.
        """
        s = self._s
        with s.cond:
            s.drawing += 1
            s.changed()
        try:
            yield
        finally:
            with s.cond:
                s.drawing -= 1
                s.changed()

    @contextmanager
    def _exclusive(self, cancel: bool) -> Iterator[Shared]:
        """The worker out of the trainer for the block; ``cancel`` also drops the run."""
        s = self._s
        if cancel:
            self._active = False
            self._run_id += 1  # a late "run ended" from before is not ours
        with s.cond:
            s.hold += 1
            if cancel:
                s.command = None
            while s.busy:
                # Again and again: run() clears a stop requested just before it began.
                s.interrupt()
                s.cond.wait(_RESTOP_SECONDS)
            s.apply_pending_lr()
        try:  # the worker waits while hold > 0, so the lock need not stay held
            yield s
        finally:
            with s.cond:
                s.hold -= 1
                s.changed()

    def _restart_history(self, session: Session) -> Frame:
        """New history from the trainer (call inside ``_exclusive``)."""
        self.frame_drawn()  # frames of the old history need no drawing
        s, t = self._s, session.trainer
        s.history = t.history.copy()
        s.pending.clear()
        s.epoch = t.epoch
        s.target_epoch = None
        s.frames_served = s.frames_asked  # no frame wanted: the one below has it all
        s.generation += 1  # frames and ends already queued belong to the old history
        s.snapshot_epochs = t.snapshots.epochs()
        return session.full_frame(s.selected)

    def _after_restart(self, frame: Frame) -> None:
        self.frame_ready.emit(frame)
        self._set_state(IDLE)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    @Slot(object, int)
    def _on_frame_built(self, frame: Frame, generation: int) -> None:
        current = generation == self._s.generation  # only this thread changes it
        if current and self._acknowledged:
            self._undrawn += 1
        else:
            self._s.frames_handled(1)
        if current:
            self.frame_ready.emit(frame)

    @Slot(int, int, str, str)
    def _on_run_ended(self, generation: int, run_id: int, how: str, message: str) -> None:
        if generation != self._s.generation:
            return
        if run_id == self._run_id:
            self._active = False
            self._set_state(IDLE if how == FINISHED else PAUSED)
        elif how != FAILED or run_id != -1:
            return  # the end of a run that was already replaced by a newer one
        if how == FAILED:
            self.failed.emit(message)
        elif how == FINISHED:
            self.stop_condition_met.emit(message)
