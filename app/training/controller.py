"""The window's handle on training: commands to the training process, Qt signals back.

Lives on the GUI thread.  Training happens in one long-lived process
(:mod:`app.training.process`), kept going by a :class:`ProcessSupervisor`.  This
object keeps the window's :class:`~app.training.session.Session`: the project's trainer
as of the latest checkpoint, with every report and snapshot the frames brought.  That is
what the exploring tabs read, what Save writes, and where the model goes back to if the
process dies.  While no run is going on it *is* the process's trainer, so Reset, Save
and the views need no round trip; during a run, Save asks for a checkpoint and waits.

Frames are paced by credit (:mod:`app.training.credit`).  Inside an epoch that takes
seconds, the process's progress reports (a few small ones a second) are kept in
:attr:`TrainingController.trace` and announced by :attr:`TrainingController.progressed`,
at most once per turn of the event loop.  A process that dies is replaced
by a new one, at the last checkpoint; if none can start at all,
:attr:`TrainingController.unavailable` says why and :meth:`TrainingController.use_thread`
trains on a thread of this process instead.
"""

from __future__ import annotations

import logging
import math
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.analysis.columns import MetricColumns
from app.analysis.stop import StopCondition
from app.data.dataset import SequenceData
from app.engine.config import TrainConfig
from app.engine.network import Network
from app.engine.snapshots import Snapshot
from app.engine.trainer import EpochReport, Progress
from app.project.project import Project
from app.training import messages as msg
from app.training.connection import Lost, thread_requested
from app.training.credit import FrameCredit
from app.training.frames import Frame
from app.training.process import FAILED, FINISHED
from app.training.session import Session
from app.training.supervisor import ProcessSupervisor
from app.training.trace import EpochTrace

log = logging.getLogger(__name__)

IDLE, RUNNING, PAUSED = "idle", "running", "paused"
MEASURE_POLL_MS: Final = 15
ANSWER_SECONDS: Final = 15.0
"""A process that has not answered a Pause or a Save this long (an update of a big
network can take seconds) is stopped, and the model goes back to the last checkpoint."""


class TrainingController(QObject):
    """Train/Pause/Step/Reset, live settings, and the window's copy of the trainer.

    States: "idle" (nothing trained since the project was set or reset, or the stop
    condition was met), "running", "paused" (paused, stepped, or stopped by a NaN/inf
    loss or an error).  ``state_changed("paused")`` comes once the process has really
    stopped, after its final frame, so from then on the epoch no longer moves.
    """

    frame_ready = Signal(object)
    progressed = Signal()  # the epoch in progress got further: see progress and trace
    state_changed = Signal(str)
    failed = Signal(str)
    stop_condition_met = Signal(str)
    unavailable = Signal(str)  # no training process can start: why

    def __init__(self, parent: QObject | None = None, thread: bool | None = None) -> None:
        """``thread``: train on a thread of this process, not in a training process
        (default: only if ``LSTM_PLAYGROUND_TRAINING=thread``)."""
        super().__init__(parent)
        self._sup = ProcessSupervisor(thread_requested() if thread is None else thread, self)
        self._sup.arrived.connect(self._on_event)
        self._sup.lost.connect(self._on_lost)
        self._project: Project | None = None
        self._session: Session | None = None
        self._state, self._epoch, self._closed = IDLE, 0, False
        self._generation = self._run_id = 0
        self._live_run: int | None = None  # the run whose end is still to come
        self._active = False  # a run was asked for and not paused since
        self._selected, self._interval = 0, 1.0 / 20.0
        self._stop = StopCondition()
        self._until: int | None = None  # where an "N more epochs" run ends
        self._requests, self._captured = 0, 0
        self._shown_index = 0  # the sequence of the view on screen
        self._handed_over = True  # the live run's state reached this side (a checkpoint)
        self._credit = FrameCredit(self)
        self._credit.given.connect(self._on_credit)
        self._pause_watch = QTimer(self)
        self._pause_watch.setSingleShot(True)
        self._pause_watch.setInterval(round(ANSWER_SECONDS * 1000))
        self._pause_watch.timeout.connect(self._on_no_answer)
        # Snapshot 0's metrics are measured on a worker (seconds for a big model).
        self._measurer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="measure")
        self._measuring: tuple[Session, int, Future[dict[str, float]]] | None = None
        self._measure_poll = QTimer(self)
        self._measure_poll.setInterval(MEASURE_POLL_MS)
        self._measure_poll.timeout.connect(self._poll_measure)
        self.trace = EpochTrace()  # the loss inside long epochs (this model's)
        self._progress: Progress | None = None
        self._progress_due = QTimer(self)  # one announcement per turn of the event loop
        self._progress_due.setSingleShot(True)
        self._progress_due.setInterval(0)
        self._progress_due.timeout.connect(self.progressed)

    # -- the model --------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        """Stop and train ``project`` from now on (errors propagate: nothing changes)."""
        # Built once, here; the training process builds its own.  Snapshot 0's metrics
        # (a pass over all the data) are measured off this thread: see _start_measuring.
        session = Session.from_project(project, measure_start=False)
        self._project = project
        self._install(session)
        self._send(msg.Load(self._generation, project, self._selected))
        self._start_measuring()

    def reset(self) -> None:
        """Stop, and go back to the seed's initial weights with an empty history."""
        if self._session is not None:
            self._session.reset()
            self._install(self._session)
            self._send(msg.Reset(self._generation))
            self._start_measuring()

    def capture_into(self, project: Project) -> None:
        """Store the trainer's exact state in ``project``; a running training carries on.

        Raises ``RuntimeError`` without a project, or when the process does not answer.
        """
        if self._session is None:
            raise RuntimeError("no project has been set")
        self._finish_measuring()
        link = self._sup.link
        if self._live_run is not None and link is not None:
            self._requests += 1
            self._send(msg.Capture(self._requests))
            if not self._sup.wait(lambda: self._captured == self._requests, ANSWER_SECONDS):
                if self._sup.link is link and not self._sup.kill(
                    f"it did not answer within {ANSWER_SECONDS:g} s"
                ):  # a thread cannot be stopped: it trains on
                    raise RuntimeError(
                        "Training inside the window did not hand over the model in time, so "
                        "nothing was saved; pause it, then save again."
                    )
                self._sup.wait(lambda: self._sup.link is not link, ANSWER_SECONDS)  # gone
                raise RuntimeError(
                    "The training process did not hand over the model, so nothing was saved. "
                    f"The model is back at epoch {self.epoch}; save again."
                )
        project.capture(self._session.trainer)

    def warm_up(self) -> None:
        """Start the training process now, in the background (else at the first Train)."""
        if not self._closed:
            self._connect()

    def use_thread(self) -> None:
        """Train on a thread of this process from now on (when no process can start)."""
        if self._sup.use_thread():
            self._roll_back_if_live()  # what the process trained since its hand-over

    # -- train / pause ----------------------------------------------------------------
    def start(self) -> None:
        """Train continuously until paused or the stop condition is met."""
        self._begin(step=False)

    def step_epoch(self) -> None:
        """Train exactly one epoch (finishing the current one), then pause; pauses if running."""
        if self._active:
            self.pause()
        else:
            self._begin(step=True)

    def pause(self) -> None:
        """Stop after the update in progress; the trainer keeps its place in the epoch."""
        if self._active:
            self._active = False
            self._send(msg.Pause(self._run_id))
            self._pause_watch.start()

    def toggle(self) -> None:
        """Train/Pause (the Space key)."""
        if self._active:
            self.pause()
        else:
            self.start()

    # -- live settings ----------------------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        """Applies from the next update on, keeping the model (``ValueError`` if invalid)."""
        TrainConfig(learning_rate=lr)  # validate here, with the learner's value
        if self._session is not None:
            self._session.trainer.set_learning_rate(float(lr))
            self._send(msg.SetLearningRate(float(lr)))

    def set_refresh_rate(self, hz: float) -> None:
        """Frames at most ``hz`` times a second (default 20)."""
        if not (math.isfinite(hz) and hz > 0):
            raise ValueError(f"refresh rate must be a positive number, got {hz!r}")
        self._interval = 1.0 / hz
        self._send(msg.SetRefreshRate(self._interval))

    def set_selected_sequence(self, index: int) -> None:
        """Show sequence ``index`` (clamped to the data); a new frame follows promptly."""
        session = self._session
        self._selected = session.clamp(index) if session else max(0, int(index))
        self._send(msg.Select(self._selected))
        if session is not None and self._live_run is None:  # this trainer is the live one
            self._show_selected(force=True)

    def set_stop_condition(self, kind: str, value: float | None) -> None:
        """ "none", "epochs" (N more from Train), "loss" (≤ value), "accuracy" (≥ value, 0…1)."""
        self._stop = StopCondition(kind, value)
        # A running "epochs" count starts now (the process knows from which epoch; its
        # frames say where it ends); otherwise at the next Train.
        self._until = None
        self._send(msg.SetStopCondition(self._stop))

    # -- reading ----------------------------------------------------------------------
    def history(self) -> list[EpochReport]:
        return [] if self._session is None else list(self._session.trainer.history)

    def columns(self) -> MetricColumns:
        """The history as the columns the curves draw (a new object after a reload)."""
        return MetricColumns() if self._session is None else self._session.columns

    def snapshot_epochs(self) -> list[int]:
        """Epochs with stored weights (as of the latest frame)."""
        return [] if self._session is None else self._session.trainer.snapshots.epochs()

    def snapshot(self, epoch: int) -> Snapshot | None:
        """The stored snapshot nearest ``epoch`` (read-only weights)."""
        if self._session is None:
            return None
        try:  # snapshot 0's metrics may still be on their way (its weights are not)
            return self._session.trainer.snapshots.nearest(epoch)
        except KeyError:
            return None

    def model(self) -> tuple[Network, SequenceData] | None:
        """The network (shape and kind) and the sequences: ``Network.forward`` keeps no
        state, so views run it with snapshot weights whenever they like."""
        session = self._session
        return None if session is None else (session.trainer.network, session.data)

    @property
    def trains_in_process(self) -> bool:
        """Training happens in a training process (else on a thread of this one)."""
        return not self._sup.on_thread

    @property
    def process_id(self) -> int | None:
        """The training process's id (None before it started, or on a thread)."""
        return self._sup.pid

    @property
    def state(self) -> str:
        return self._state

    @property
    def epoch(self) -> int:
        """Epochs finished so far (as of the latest frame)."""
        return self._epoch

    @property
    def progress(self) -> Progress | None:
        """How far the epoch after :attr:`epoch` has got, if it reported (only epochs that
        take seconds do); kept while paused, gone once the epoch's frame arrived."""
        return self._progress

    @property
    def target_epoch(self) -> int | None:
        """Where an "epochs" stop condition will stop the current run (for progress/ETA)."""
        return self._until

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """End the training process and wait for it; True when it is gone.  Safe to repeat."""
        self._closed = True
        self._measure_poll.stop()
        self._measuring = None
        self._measurer.shutdown(wait=False, cancel_futures=True)
        self._credit.stop()
        self._pause_watch.stop()
        self._progress_due.stop()
        ended = self._sup.stop(timeout_ms / 1000)
        self._roll_back_if_live()  # what it trained since the last checkpoint is gone
        self._set_state(IDLE if self._state == IDLE else PAUSED)
        return ended

    # -- internals ----------------------------------------------------------------------
    def _install(self, session: Session, rolled_back: bool = False) -> None:
        """A new model (or, ``rolled_back``, the model back at its last hand-over): drop
        the run and everything on its way from the process."""
        self._active, self._live_run, self._until = False, None, None
        self._progress = None
        if rolled_back:
            self.trace.drop_after(session.trainer.epoch)
        else:
            self.trace.clear()
        self._pause_watch.stop()
        self._generation += 1
        self._credit.forget()
        self._session = session
        self._selected = self._shown_index = session.clamp(self._selected)
        self._epoch = session.trainer.epoch
        self.frame_ready.emit(session.full_frame(self._selected))
        self._set_state(IDLE)

    def _start_measuring(self) -> None:
        """Measure snapshot 0's metrics on the worker, if they are missing."""
        session = self._session
        snapshot = None if session is None or self._closed else session.unmeasured
        if session is None or snapshot is None:
            return
        job = self._measurer.submit(session.measure, snapshot)
        self._measuring = (session, session.start_id, job)
        self._measure_poll.start()

    @Slot()
    def _poll_measure(self) -> None:
        if self._measuring is not None and self._measuring[2].done():
            self._finish_measuring()

    def _finish_measuring(self) -> None:
        """The worker's metrics (waiting for them), or measured here when none is due."""
        self._measure_poll.stop()
        job, self._measuring = self._measuring, None
        session = self._session
        missing = session is not None and session.unmeasured is not None
        try:
            if job is not None and job[0] is session:
                job[0].take_start_metrics(job[1], job[2].result())
            if session is not None:
                session.measure_now()  # no job for this state (or it was for an older one)
        except Exception:  # not worth a crash: the epoch-0 row just shows no numbers
            log.exception("measuring the initial weights failed")
            if session is not None:
                nan = float("nan")
                session.take_start_metrics(
                    session.start_id, {"train_loss": nan, "train_accuracy": nan}
                )
        if missing and session is not None and session.unmeasured is None:
            # The training process does not measure them: it started training at once.
            metrics = dict(session.trainer.snapshots.get(0).metrics)
            metrics.pop("score", None)
            self._send(msg.StartMetrics(self._generation, metrics))

    def _begin(self, step: bool) -> None:
        if self._closed or self._active or self._session is None or not self._connect():
            return
        self._run_id += 1
        self._active, self._live_run = True, self._run_id
        self._handed_over = False
        self._pause_watch.stop()  # a Pause before this run was answered, or will be
        self._send(msg.Train(self._run_id, step, fresh=self._state == IDLE))
        self._set_state(RUNNING)

    def _send(self, command: msg.Command) -> None:
        self._sup.send(command)

    def _connect(self) -> bool:
        """The training process, started (with the current model) if it is not running."""
        if self._sup.link is not None:
            return True
        if self._session is None or self._project is None:
            return False
        why = self._sup.start()
        if why:
            self.unavailable.emit(why)
            return False
        project = self._session.as_project(self._project)
        self._send(msg.SetRefreshRate(self._interval))
        self._send(msg.SetStopCondition(self._stop))
        self._send(msg.Load(self._generation, project, self._selected))
        return True

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    # -- events ---------------------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: msg.Event) -> None:
        if isinstance(event, msg.Started) or event.generation != self._generation:
            return  # an event about a model the window has dropped since
        elif isinstance(event, msg.FrameBuilt):
            self._on_frame(event)
        elif isinstance(event, msg.EpochProgress):
            self._on_progress(event.progress)
        elif isinstance(event, msg.Checkpointed):
            assert self._session is not None
            self._session.take_checkpoint(event.state)
            self._epoch = event.state.epoch
            self._captured = event.request or self._captured
            self._handed_over = True
            self._sup.handed_over()
        elif isinstance(event, msg.RunEnded):
            self._on_run_ended(event)
        elif isinstance(event, msg.Failed):  # the learner hears of it from RunEnded or Lost
            log.error("the training process failed: %s\n%s", event.message, event.details)
            if self._live_run is None:  # say, it has no model: a new one is started
                self._sup.end(f"it failed: {event.message}")

    def _on_frame(self, event: msg.FrameBuilt) -> None:
        assert self._session is not None
        frame = event.frame
        for column in frame.metrics.values():
            column.flags.writeable = False  # as built: pickling does not keep the flag
        self._session.take_frame(frame, event.snapshots)
        self._epoch, self._until = frame.epoch, event.until_epoch
        if self._progress is not None and self._progress.epoch <= frame.epoch:
            self._progress = None  # that epoch ended: its report takes over
        self._shown_index = self._selected if frame.view is None else frame.view.index
        self.frame_ready.emit(frame)
        self._credit.shown()

    def _on_progress(self, progress: Progress) -> None:
        if progress.epoch != self._epoch + 1:
            return  # not the epoch after the ones shown (a rewind crossed it)
        self._progress = progress
        self.trace.add(progress)
        self._progress_due.start()

    def _on_run_ended(self, event: msg.RunEnded) -> None:
        if event.run_id != self._live_run:
            return  # already over (a pause crossed the run's own end)
        self._live_run = None
        self._pause_watch.stop()
        self._active = self._active and event.run_id != self._run_id
        if not self._handed_over and self._sup.link is not None:  # its state never came
            self._sup.end("it could not hand over the model")
            return  # Lost follows: back to the last state, and a new process
        self._set_state(IDLE if event.how == FINISHED else PAUSED)
        self._show_selected()
        if event.how == FINISHED:
            self._until = None
            self.stop_condition_met.emit(event.message)
        elif event.how == FAILED:
            self.failed.emit(event.message)

    @Slot(object, bool)
    def _on_lost(self, event: Lost, restart: bool) -> None:
        """The process ended: back to its last hand-over, and a new process."""
        if self._closed or self._session is None:
            return
        if not restart:  # it will not work here
            self._roll_back_if_live()
            self.unavailable.emit(event.reason)
            return
        was_live = self._live_run is not None
        self._roll_back_if_live(always=True)
        if was_live or event.why:
            self.failed.emit(
                f"The training process ended: {event.reason}. The model is back at epoch "
                f"{self._epoch}, the last state it handed over; press Train to go on."
            )
        self._connect()

    def _roll_back_if_live(self, always: bool = False) -> None:
        """The process is gone: what it trained since its last checkpoint with it."""
        session = self._session
        if session is None or not (always or self._live_run is not None):
            return
        session.roll_back()
        self._install(session, rolled_back=True)
        self._set_state(IDLE if self._epoch == 0 else PAUSED)

    def _show_selected(self, force: bool = False) -> None:
        """The selected sequence at this trainer's weights (the live ones: no run is going
        on), unless it is on screen already (a sequence chosen as a run ended is not)."""
        session = self._session
        if session is not None and (force or self._shown_index != self._selected):
            self._shown_index = self._selected
            view = session.view(self._selected)
            self.frame_ready.emit(Frame((), session.trainer.epoch, view, False))

    @Slot(int)
    def _on_credit(self, frames: int) -> None:
        self._send(msg.Drawn(self._generation, frames))

    @Slot()
    def _on_no_answer(self) -> None:
        if self._sup.link is not None and not self._sup.kill(
            f"it did not stop within {ANSWER_SECONDS:g} s"
        ):  # a thread cannot be stopped: say so, and let it go on
            self.failed.emit(
                "Training inside the window does not stop: an update takes very long. It "
                "stops as soon as the update ends."
            )
