"""The training process: owns the trainer for the session and obeys the window's commands.

Started with ``spawn`` (the same on Linux, Windows, macOS and in the frozen app), so it
shares nothing with the window but one ``multiprocessing`` connection: commands in,
events out (:mod:`app.training.messages`).  Its shape is superqt's ``GeneratorWorker``:
the trainer's generator does the work, and between updates the loop looks at what the
window said.  Here "looking" costs nothing until something arrives: a listener thread
puts each command in :attr:`TrainingServer.inbox`, and ``Trainer.run`` is told to stop
as soon as the inbox is not empty, so a pause, a new learning rate or a Save never
waits for a long epoch to end, and training resumes at the same place.

Frames are paced by credit: one is sent only when the window has said it drew the
previous one (``Drawn``) and the refresh interval has passed, so a busy window is never
sent a queue of frames; the epochs in between travel together in the next frame.  A
run's last frame, and the frame before a checkpoint, go regardless: the window must
have every report and snapshot that a checkpoint refers to.

Inside an epoch that takes seconds the trainer's progress (updates done, the loss so
far) goes to the window as :class:`EpochProgress`, about :data:`PROGRESS_EVERY_S` apart
once the epoch has run :data:`LIVE_AFTER_S`: a few small messages a second, sent
from the training loop's callback without waiting for anything, so a minute-long
epoch is watched live while the lecture's toy epochs (milliseconds) send none.

Snapshot 0's metrics (a pass over all the data, tens of seconds for a big text) are
not measured here before training starts: the window measures them on a worker of its
own and sends them (:class:`StartMetrics`), so Train starts training at once.

If the window (the other end of the connection) goes away, the process ends.  The same
:func:`serve` runs on a thread in the window's process when no process can be started
(:mod:`app.training.connection`): slower, but the same code.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Final

from app.analysis.stop import StopCondition
from app.engine.trainer import EpochReport, Progress
from app.training.frames import Frame
from app.training.messages import (
    Capture,
    Checkpointed,
    Command,
    Drawn,
    EpochProgress,
    Event,
    Failed,
    FrameBuilt,
    Load,
    Pause,
    Quit,
    Reset,
    RunEnded,
    Select,
    SetLearningRate,
    SetRefreshRate,
    SetStopCondition,
    Started,
    StartMetrics,
    Train,
)
from app.training.session import Session

#: How a run ended, as sent in :class:`RunEnded`.
PAUSED: Final = "paused"  # asked to pause, or a step finished
FINISHED: Final = "finished"  # the stop condition was met
FAILED: Final = "failed"  # NaN/inf, or an unexpected error

PROGRESS_EVERY_S: Final = 0.2
"""Seconds of training between two :class:`EpochProgress` (about 4–5 a second)."""
LIVE_AFTER_S: Final = 1.0
"""An epoch says how far it has got only once it has trained this long: shorter epochs
show their end instead, and nothing new flickers for them."""


def serve(conn: Connection, in_process: bool = True) -> None:
    """The training process's whole life (also a thread's, as the fallback)."""
    if in_process:
        # Ctrl+C in the terminal reaches the whole process group: the window decides.
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        TrainingServer(conn).serve()
    finally:
        conn.close()  # the window's reader sees the end


class TrainingServer:
    """Carries out commands, trains between them, sends frames and checkpoints."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.inbox: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self.session: Session | None = None
        self.generation = 0
        self.run: Train | None = None
        self.until_epoch: int | None = None
        self.stop = StopCondition()
        self.interval = 1.0 / 20.0
        self.selected = 0
        self.in_flight = 0  # frames sent and not drawn yet
        self.pending: list[EpochReport] = []  # finished epochs not sent yet
        self.known: set[int] = set()  # snapshot epochs the window has
        self.view_wanted = False
        self.last_frame = 0.0
        self.quit = False

    def serve(self) -> None:
        threading.Thread(target=self._listen, name="commands", daemon=True).start()
        self._send(Started(os.getpid()))
        while not self.quit:
            if self.run is None:
                self._handle(self.inbox.get())  # idle: sleep until told something
                continue
            while not self.inbox.empty() and not self.quit:
                self._handle(self.inbox.get())
            if self.run is not None and not self.quit:
                self._train_safely()

    def _listen(self) -> None:
        """Read commands until the window goes away (then quit)."""
        while True:
            try:
                command = self.conn.recv()
            except (EOFError, OSError, TypeError):  # TypeError: closed while reading
                self.inbox.put(Quit())
                return
            self.inbox.put(command)
            if isinstance(command, Quit):
                return

    def _send(self, event: Event) -> None:
        try:
            self.conn.send(event)
        except (BrokenPipeError, EOFError, OSError):  # the window is gone: stop too
            self.quit = True

    # -- commands -------------------------------------------------------------------------
    def _handle(self, command: Command) -> None:
        try:
            self._carry_out(command)
        except Exception as exc:  # the process must outlive a bad command and say why
            self._send(Failed(self.generation, str(exc), traceback.format_exc()))

    def _carry_out(self, command: Command) -> None:
        if isinstance(command, Quit):
            self.quit = True
        elif isinstance(command, Load):  # if it fails, no model: the window ends this process
            self.generation, self.session, self.run = command.generation, None, None
            session = Session.from_project(command.project, measure_start=False)
            self._install(command.generation, session)
            self.selected = command.selected
        elif isinstance(command, StartMetrics):
            if self.session is not None and command.generation == self.generation:
                self.session.take_start_metrics(self.session.start_id, command.metrics)
        elif isinstance(command, Reset):
            if self.session is not None:
                self.session.trainer.reset()
                self._install(command.generation, self.session)
        elif isinstance(command, Train):
            self.run = command
            if command.fresh or self.until_epoch is None:  # a resume keeps its target
                self.until_epoch = self._target()
        elif isinstance(command, Pause):
            if self.run is not None and self.run.run_id == command.run_id:
                self._end_run(PAUSED, "")
            else:  # it ended already, or never began here (say, no project yet)
                self._send(RunEnded(self.generation, command.run_id, PAUSED, ""))
        elif isinstance(command, SetLearningRate):
            if self.session is not None:
                self.session.trainer.set_learning_rate(command.value)
        elif isinstance(command, SetStopCondition):
            # During a run an "N more epochs" count starts now; otherwise at the next Train.
            self.stop = command.condition
            self.until_epoch = self._target() if self.run is not None else None
        elif isinstance(command, SetRefreshRate):
            self.interval = command.interval
        elif isinstance(command, Select):
            # While idle the window draws the view itself: its trainer is this one then.
            self.selected, self.view_wanted = command.index, self.run is not None
            self._frame_if_due()
        elif isinstance(command, Drawn):
            if command.generation == self.generation:
                self.in_flight = max(0, self.in_flight - command.frames)
                self._frame_if_due()
        elif isinstance(command, Capture):
            self._checkpoint(command.request)

    def _target(self) -> int | None:
        epoch = 0 if self.session is None else self.session.trainer.epoch
        return None if self.run is None or self.run.step else self.stop.target_epoch(epoch)

    def _install(self, generation: int, session: Session) -> None:
        """A new model: what was sent of the old one no longer matters."""
        self.session, self.generation, self.run = session, generation, None
        self.pending, self.in_flight, self.view_wanted = [], 0, False
        self.known = set(session.trainer.snapshots.epochs())  # the window built them too

    # -- training -------------------------------------------------------------------------
    def _train_safely(self) -> None:
        try:
            self._train()
        except Exception as exc:  # a bug: the run ends (its end told once), the process stays
            traceback.print_exc()
            self._send(Failed(self.generation, str(exc), traceback.format_exc()))
            if self.run is not None:  # else _end_run was under way: it told the window
                with contextlib.suppress(Exception):
                    self._end_run(FAILED, f"Training stopped because of an unexpected error: {exc}")
            self.run = None

    def _train(self) -> None:
        """Train until a command arrives or the run ends."""
        assert self.run is not None
        if self.session is None:  # its model could not be loaded here
            self._end_run(FAILED, "The training process has no model to train.")
            return
        epochs = 1 if self.run.step else None
        reports = self.session.trainer.run(
            epochs,
            should_stop=self._told_something,
            on_progress=self._progressed,
            progress_every_s=PROGRESS_EVERY_S,
        )
        for report in reports:
            if self._after_epoch(report):
                return

    def _told_something(self) -> bool:
        return not self.inbox.empty()

    def _progressed(self, progress: Progress) -> None:
        """Tell the window how far a long epoch has got (never waits: a small message).

        Not while an epoch's report waits for its frame (the window shows the epoch
        that ended before the one in progress); that frame goes now if it may.
        """
        if self.pending:
            self._frame_if_due()
        if self.run is not None and progress.elapsed >= LIVE_AFTER_S and not self.pending:
            self._send(EpochProgress(self.generation, self.run.run_id, progress))

    def _after_epoch(self, report: EpochReport) -> bool:
        """Record ``report``; True when the run ended with it."""
        assert self.run is not None
        if report.stop_reason is not None:  # the trainer kept the last good weights
            self._end_run(FAILED, report.stop_reason)
            return True
        self.pending.append(report)
        if self.run.step:
            self._end_run(PAUSED, "")
            return True
        met = self.stop.met(report, self.until_epoch)
        if met is not None:
            self.until_epoch = None
            self._end_run(FINISHED, met)
            return True
        self._frame_if_due()
        return False

    def _end_run(self, how: str, message: str) -> None:
        """The run's last frame and the exact state go with its end, in that order."""
        assert self.run is not None
        run_id, self.run = self.run.run_id, None
        try:
            self._checkpoint(None)
        finally:  # told even if the state could not be: the window then rolls back
            self._send(RunEnded(self.generation, run_id, how, message))

    # -- what goes to the window ------------------------------------------------------------
    def _frame_if_due(self) -> None:
        if self.session is None or self.in_flight > 0:
            return
        due = self.view_wanted or (
            self.pending and time.monotonic() - self.last_frame >= self.interval
        )
        if due:
            self._send_frame()

    def _send_frame(self) -> None:
        assert self.session is not None
        view = self.session.view(self.selected)
        frame = Frame(tuple(self.pending), self.session.trainer.epoch, view, self.run is not None)
        snapshots = self.session.snapshots_now(self.known)
        self.pending, self.view_wanted = [], False
        self.in_flight += 1
        self.last_frame = time.monotonic()
        self._send(FrameBuilt(self.generation, frame, snapshots, self.until_epoch))

    def _checkpoint(self, request: int | None) -> None:
        """A frame with everything not sent yet (the state refers to it), then the state."""
        if self.session is None:
            return
        self._send_frame()
        self._send(Checkpointed(self.generation, request, self.session.checkpoint()))
