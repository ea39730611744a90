"""One training run, epoch by epoch, reading the shared flags between epochs (no Qt).

:class:`TrainLoop` is what the worker does once it has a job: it drives
``Trainer.run``, records each report, decides between epochs whether to go on, and
batches finished epochs into :class:`~app.training.frames.Frame` objects handed to
``send_frame`` at most once per refresh interval, and only when the previous frame
was handled (received, or drawn when the window acknowledges frames), so a busy
window never accumulates a queue of frames.

It runs on the worker's QThread (:mod:`app.training.worker`), or in a training
process of its own (:mod:`app.training.process`) with a :class:`Shared` that a
listener thread keeps in step with the window's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import Final

from app.engine.trainer import EpochReport
from app.training.frames import Frame
from app.training.shared import Job, Shared

log = logging.getLogger(__name__)

#: How a run ended, as sent in ``run_ended``.
PAUSED: Final = "paused"  # asked to pause, or a step finished
FINISHED: Final = "finished"  # the stop condition was met
FAILED: Final = "failed"  # NaN/inf, or an unexpected error

DRAW_SHARE: Final = 0.4
"""While the window draws a frame, a loop in the window's process waits, on average, for
at most this share of the refresh interval before it trains on; see
:meth:`TrainLoop._give_way`."""
SAVED_FRAMES: Final = 4
"""Time a quick redraw left unused is kept for a slow one, up to this many frames' worth."""

LEAVE: Final = "leave"  # stop training quietly: the GUI thread holds the trainer, or quit
_AGAIN: Final = "again"  # the generator returned for a flag that needs no pause

Ended = tuple[str, str]
"""(how, message) of a run that ended: PAUSED, FINISHED or FAILED."""
SendFrame = Callable[[Frame, int], None]


def unexpected(exc: BaseException) -> Ended:
    """How a run ends on a bug: the app outlives it and says so."""
    return FAILED, f"Training stopped because of an unexpected error: {exc}"


def unwanted(s: Shared, job: Job) -> str | Ended | None:
    """LEAVE or PAUSED when the window no longer wants ``job``'s run, else None (between
    updates: a learning rate set meanwhile applies now)."""
    with s.cond:
        s.apply_pending_lr()
        if s.quit or s.hold:
            return LEAVE
        if not s.wants(job):
            return PAUSED, ""
    return None


class TrainLoop:
    """Runs jobs on ``shared.session``'s trainer; ``send_frame(frame, generation)`` delivers.

    ``give_way``: wait while the window draws (only worth it when training shares the
    window's interpreter, i.e. on the worker thread; a training process has its own).
    """

    def __init__(self, shared: Shared, send_frame: SendFrame, give_way: bool = True) -> None:
        self._s = shared
        self._send = send_frame
        self._gives_way = give_way
        self._last_emit = 0.0
        self._allowance = 0.0  # seconds the loop may still wait for the window

    def train(self, job: Job) -> Ended | None:
        """Train until a flag or the run's end; (how, message) if the run ended."""
        s, trainer = self._s, job.session.trainer
        with s.cond:
            s.aim(job, trainer.epoch)
        while True:
            # run() forgets a stop requested before it began: look at the flags first.
            decision: str | Ended | None = unwanted(s, job)
            if decision is None:
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
            if decision is None or isinstance(decision, str):  # LEAVE
                return None
            self.emit_frame(job, running=False)
            return decision

    def _after_epoch(self, job: Job, report: EpochReport) -> str | Ended | None:
        """Record ``report``; None to keep training, else why and how to stop."""
        s = self._s
        now = time.monotonic()
        with s.cond:
            mine = s.wants(job)
            if report.stop_reason is None:
                s.history.add(report)
                s.pending.append(report)
                s.epoch = report.epoch
            s.apply_pending_lr()
            if s.quit:
                return LEAVE
            if report.stop_reason is not None:
                # The trainer kept the last good weights; pause so a lower rate can retry.
                if mine:
                    s.command = None
                return FAILED, report.stop_reason
            if s.hold:
                return LEAVE
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
            self.emit_frame(job, running=True)
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
            or not s.wants(job),
            self._allowance,
        )  # fmt: skip
        self._allowance -= time.monotonic() - started

    def _after_stop(self, job: Job) -> str | Ended:
        """``run()`` returned mid-epoch on request: find out what was wanted."""
        s = self._s
        decision = unwanted(s, job)
        if decision is not None:
            return decision
        with s.cond:
            wanted = s.frame_wanted
        if wanted:
            self.emit_frame(job, running=True)
        return _AGAIN  # e.g. a new learning rate: carry on in the same epoch

    # -- frames ---------------------------------------------------------------------
    def emit_frame(self, job: Job, running: bool) -> None:
        """Send the unsent reports with a fresh view (between updates, so the weights hold)."""
        s, trainer = self._s, job.session.trainer
        with s.cond:
            index = s.selected
            s.frames_served = s.frames_asked  # every frame asked for so far: this one
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
            share = DRAW_SHARE * s.interval if self._gives_way else 0.0
        self._allowance = min(self._allowance + share, SAVED_FRAMES * share)
        self._last_emit = time.monotonic()
        self._send(Frame(reports, trainer.epoch, view, running), generation)

    def fail(self, job: Job, exc: BaseException) -> Ended:
        """After a bug in ``job`` (already logged): stop the run if it is still the
        window's, send what was learned so far if a frame can still be built, and say how
        the run ended."""
        s = self._s
        with s.cond:
            if job.command is not None and s.run_id == job.run_id:
                s.command = None
        try:
            self.emit_frame(job, running=False)
        except Exception:  # the error that matters was just logged
            log.debug("no final frame after the error", exc_info=True)
        return unexpected(exc)
