"""The training worker: lives on its own QThread and drives ``Trainer.run``.

It waits (without spinning) until the controller asks for something, then trains
epoch by epoch, reading the shared flags between epochs.  Finished epochs are
batched into :class:`~app.training.frames.Frame` objects sent at most once per
refresh interval, and only when the previous frame was handled (received, or drawn
when the window acknowledges frames), so a busy window never accumulates a queue of
frames.  While the window draws, the worker gives way (see ``_give_way``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator
from typing import Final

from PySide6.QtCore import QObject, Signal, Slot

from app.engine.trainer import EpochReport
from app.training.frames import Frame
from app.training.shared import Job, Shared

log = logging.getLogger(__name__)

#: How a run ended, as sent in ``run_ended``.
PAUSED: Final = "paused"  # asked to pause, or a step finished
FINISHED: Final = "finished"  # the stop condition was met
FAILED: Final = "failed"  # NaN/inf, or an unexpected error

DRAW_SHARE: Final = 0.4
"""While the window draws a frame, the worker waits, on average, for at most this share
of the refresh interval before it trains on; see :meth:`TrainingWorker._give_way`."""
SAVED_FRAMES: Final = 4
"""Time a quick redraw left unused is kept for a slow one, up to this many frames' worth."""

_LEAVE: Final = "leave"  # stop training quietly: the GUI thread holds the trainer, or quit
_AGAIN: Final = "again"  # the generator returned for a flag that needs no pause


class TrainingWorker(QObject):
    """Trains in :meth:`run` until ``shared.quit``; touches no widget.

    Signals
    -------
    frame_built(Frame, generation)
        New reports and the selected sequence's view (copies).
    run_ended(generation, run_id, how, message)
        A run stopped: ``how`` is PAUSED, FINISHED (message says which condition)
        or FAILED (message says why).  Always preceded by a final frame.
    finished()
        :meth:`run` returned; the thread may quit.
    """

    frame_built = Signal(object, int)
    run_ended = Signal(int, int, str, str)
    finished = Signal()

    def __init__(self, shared: Shared) -> None:
        super().__init__()  # no parent: it is moved to the worker thread
        self._s = shared
        self._last_emit = 0.0
        self._allowance = 0.0  # seconds the worker may still wait for the window

    @Slot()
    def run(self) -> None:
        """The worker's whole life: wait for a job, do it, repeat until told to quit."""
        s = self._s
        try:
            while True:
                with s.cond:
                    while not s.quit and (
                        s.hold or s.session is None or (s.command is None and not s.frame_wanted)
                    ):
                        s.cond.wait()
                    if s.quit:
                        return
                    s.busy = True
                    assert s.session is not None
                    job = Job(s.session, s.command, s.run_id if s.command else -1)
                    s.current_run = s.run_id if s.command else None
                    s.apply_pending_lr()
                    generation = s.generation
                ended: tuple[str, str] | None = None
                try:
                    if job.command is None:
                        self._emit_frame(job, running=False)
                    else:
                        ended = self._train(job)
                except Exception as exc:  # the app must outlive any bug in a run
                    log.exception("training failed")
                    with s.cond:
                        if job.command is not None and s.run_id == job.run_id:
                            s.command = None
                    ended = FAILED, f"Training stopped because of an unexpected error: {exc}"
                    self._try_final_frame(job)
                finally:
                    with s.cond:
                        s.busy = False
                        s.current_run = None
                        s.cond.notify_all()
                if ended is not None:  # only now: "paused" means out of the trainer
                    self.run_ended.emit(generation, job.run_id, *ended)
        finally:
            with s.cond:
                s.ended = True
                s.cond.notify_all()
            self.finished.emit()

    # -- one run ------------------------------------------------------------------
    def _train(self, job: Job) -> tuple[str, str] | None:
        """Train until a flag or the run's end; (how, message) if the run ended."""
        s, trainer = self._s, job.session.trainer
        with s.cond:
            if job.command == "run" and s.target_epoch is None:
                s.target_epoch = s.stop.target_epoch(trainer.epoch)
        while True:
            decision: str | tuple[str, str] | None = None
            epochs = trainer.run(1 if job.command == "step" else None)
            try:
                for report in epochs:
                    decision = self._after_epoch(job, report)
                    if decision is not None:
                        break
                else:  # run() returned early: someone called request_stop
                    decision = self._after_stop(job)
            finally:
                if isinstance(epochs, Generator):  # ends it at the yield: nothing runs
                    epochs.close()
            if decision == _AGAIN:
                continue
            if decision is None or isinstance(decision, str):  # _LEAVE
                return None
            self._emit_frame(job, running=False)
            return decision

    def _after_epoch(self, job: Job, report: EpochReport) -> str | tuple[str, str] | None:
        """Record ``report``; None to keep training, else why and how to stop."""
        s = self._s
        now = time.monotonic()
        with s.cond:
            mine = s.command == job.command and s.run_id == job.run_id
            if report.stop_reason is None:
                s.history.append(report)
                s.pending.append(report)
                s.epoch = report.epoch
            s.apply_pending_lr()
            if s.quit:
                return _LEAVE
            if report.stop_reason is not None:
                # The trainer kept the last good weights; pause so a lower rate can retry.
                if mine:
                    s.command = None
                return FAILED, report.stop_reason
            if s.hold:
                return _LEAVE
            if not mine:
                return PAUSED, ""
            if job.command == "step":
                s.command = None
                return PAUSED, ""
            message = s.stop.met(report, s.target_epoch)
            if message is not None:
                s.command = None
                s.target_epoch = None
                return FINISHED, message
            due = s.frame_wanted or (not s.window_busy and now - self._last_emit >= s.interval)
            if not due and s.window_busy and self._allowance > 0:
                self._give_way(job)
        if due:
            self._emit_frame(job, running=True)
            with s.cond:  # the window draws it now, not while the next epoch runs
                if s.in_flight and self._allowance > 0:
                    self._give_way(job)
        return None

    def _give_way(self, job: Job) -> None:
        """Wait (with ``cond`` held, so releasing it) while the window draws the last frame.

        Called right after a frame is sent (and between epochs while one is still being
        drawn): drawing it then costs the window no turns waited, which kept the event
        loop's p99 lateness at ~3 ms instead of ~11 ms, at the same training speed.

        Python runs one thread at a time, and drawing a frame is hundreds of short steps
        in Python between calls into Qt; a worker that keeps the interpreter busy makes
        each of them wait for its turn (up to the 5 ms switch interval), so a redraw that
        takes 10 ms alone took hundreds while training.  Each frame sent adds
        :data:`DRAW_SHARE` of the refresh interval to an allowance (kept up to
        :data:`SAVED_FRAMES` frames' worth, so a slow redraw can use what quick ones left),
        and waiting spends it: training loses at most that share of its time.  The
        window's acknowledgement ends the wait.
        """
        s = self._s
        started = time.monotonic()
        s.cond.wait_for(
            lambda: not s.window_busy or s.quit or s.hold > 0 or s.frame_wanted
            or s.command != job.command or s.run_id != job.run_id,
            self._allowance,
        )  # fmt: skip
        self._allowance -= time.monotonic() - started

    def _after_stop(self, job: Job) -> str | tuple[str, str]:
        """``run()`` returned mid-epoch on request: find out what was wanted."""
        s = self._s
        with s.cond:
            s.apply_pending_lr()
            if s.quit or s.hold:
                return _LEAVE
            if s.command != job.command or s.run_id != job.run_id:
                return PAUSED, ""
            wanted = s.frame_wanted
        if wanted:
            self._emit_frame(job, running=True)
        return _AGAIN  # e.g. a new learning rate: carry on in the same epoch

    # -- frames ---------------------------------------------------------------------
    def _emit_frame(self, job: Job, running: bool) -> None:
        """Send the unsent reports with a fresh view (between updates, so the weights hold)."""
        s, trainer = self._s, job.session.trainer
        with s.cond:
            index = s.selected
            s.frame_wanted = False
        view = job.session.view(index)
        snapshot_epochs = trainer.snapshots.epochs()
        # Only this thread adds reports, so they match the view; take them last so a
        # failure above loses nothing.
        with s.cond:
            reports = tuple(s.pending)
            s.pending.clear()
            s.snapshot_epochs = snapshot_epochs
            generation = s.generation
            s.in_flight += 1
            share = DRAW_SHARE * s.interval
        self._allowance = min(self._allowance + share, SAVED_FRAMES * share)
        self._last_emit = time.monotonic()
        self.frame_built.emit(Frame(reports, trainer.epoch, view, running), generation)

    def _try_final_frame(self, job: Job) -> None:
        """After an error: send what was learned so far, if a frame can still be built."""
        try:
            self._emit_frame(job, running=False)
        except Exception:  # the error that matters was just logged
            log.debug("no final frame after the error", exc_info=True)
