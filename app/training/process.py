"""Training in a process of its own, so the window's drawing never slows it down.

Python runs one thread at a time: on the worker thread, every frame the window draws
(~7 ms of Python in pyqtgraph and PySide6 at 20 per second) is time training waits,
which cost ~30 % of its speed.  So where the system can ``fork`` (Linux), each run
(Train, Step) forks a child that inherits the trainer as it is, trains with the same
:class:`~app.training.loop.TrainLoop` on the machine's other core, and sends back
frames; when the run ends (pause, step done, stop condition, NaN, or the window
needing the trainer) it sends its exact state back and exits, and the window's trainer
takes it over.  Between runs the window's trainer is the only one, so Reset, Save and
loading a project work on it directly, exactly as without a training process.

Seen from the worker thread (:class:`ProcessRun`), a run in a child behaves like one
on the thread: the same frames, the same flags, the same ends.  The window's flags
reach the child through :class:`~app.training.shared.Shared`'s ``remote`` hook, and
a listener thread in the child applies them there.  If the child dies, the run ends
with a message, and the model stays where the run began.

The child's side is :mod:`app.training.child`.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing as mp
import os
import select
import sys
import time
import warnings
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as mp_wait
from typing import Any, Final

from app.engine.snapshots import Snapshot
from app.training.child import Start, child_main
from app.training.frames import Frame
from app.training.loop import (
    FAILED,
    FINISHED,
    LEAVE,
    PAUSED,
    Ended,
    SendFrame,
    unexpected,
    unwanted,
)
from app.training.shared import Flags, Job, Shared

log = logging.getLogger(__name__)

MODE_VARIABLE: Final = "LSTM_PLAYGROUND_TRAINING"
"""``thread`` trains on the worker thread even where a training process is possible."""
GIVE_UP_SECONDS: Final = 15.0
"""A child that has not ended this long after the window needed the trainer, or paused
(an update of a big network can take seconds), is killed; the run is rolled back."""
QUIT_GIVE_UP_SECONDS: Final = 1.0
"""The same when the window is closing (within ``shutdown``'s wait)."""
_POLL_SECONDS: Final = 0.05  # how often the worker looks at the child's epoch count


def process_mode() -> bool:
    """Train in a child process?  Only with ``fork`` (safe for Qt apps on Linux only)."""
    if os.environ.get(MODE_VARIABLE, "").strip().lower() == "thread":
        return False
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


class ProcessRun:
    """One job trained in a forked child, relayed by the worker thread (:meth:`run`).

    Only the worker thread writes to the child: the window's changes (``sync``,
    ``handled``, called with ``cond`` held) are noted here and the worker is woken to
    pass them on, the latest flags only, and only while the pipe has room, so neither
    thread can block on a child that stopped reading.
    """

    def __init__(self, shared: Shared, job: Job, send_frame: SendFrame) -> None:
        self._s = shared
        self._job = job
        self._send = send_frame
        self._flags_due: Flags | None = None  # both guarded by shared.cond
        self._handled_due = 0
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)

    # -- Remote: called by Shared with cond held ----------------------------------------
    def sync(self, flags: Flags) -> None:
        self._flags_due = flags
        self._wake()

    def handled(self, n: int) -> None:
        self._handled_due += n
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full: the worker is woken already
            os.write(self._wake_write, b"!")

    # -- the run, on the worker thread --------------------------------------------------
    def run(self) -> Ended | None:
        """Fork, relay until the child ends, take its state; like ``TrainLoop.train``.

        Raises ``OSError`` when no process can be started (nothing has changed then).
        """
        try:
            return self._run()
        finally:
            os.close(self._wake_read)
            os.close(self._wake_write)

    def _run(self) -> Ended | None:
        s, trainer = self._s, self._job.session.trainer
        decision = unwanted(s, self._job)  # then no child for it
        if decision == LEAVE:
            return None  # the window needs the trainer
        if decision is not None:
            with s.cond:
                s.want_frame()  # what is pending, as a run on the thread would send it
            return PAUSED, ""
        ctx = mp.get_context("fork")
        pipes: list[Connection] = []
        try:
            cmd_read, cmd_write = ctx.Pipe(duplex=False)
            pipes += [cmd_read, cmd_write]
            out_read, out_write = ctx.Pipe(duplex=False)
            pipes += [out_read, out_write]
            progress = ctx.RawValue("q", trainer.epoch)
            child = self._fork(ctx, (cmd_read, out_write), (cmd_write, out_read), progress)
        except BaseException:
            for end in pipes:
                end.close()
            raise
        cmd_read.close()
        out_write.close()
        self._taken_over = False  # the child's state is in the window's trainer
        try:
            try:
                return self._relay(child, cmd_write, out_read, progress)
            except Exception as exc:  # a bug here must not leave the two trainers apart
                log.exception("relaying the training process failed")
                child.kill()
                if self._taken_over:  # nothing to go back to: say so, keep what is there
                    return unexpected(exc)
                return self._rolled_back("relaying it failed")
        finally:
            with s.cond:
                s.remote = None
            cmd_write.close()
            out_read.close()
            child.join(1.0)
            if child.exitcode is None:
                child.kill()
                child.join(1.0)

    def _fork(self, ctx: Any, ends: Any, parents_ends: Any, progress: Any) -> Any:
        s, trainer = self._s, self._job.session.trainer
        with s.cond:  # the flags and the hook together: no change falls between them
            s.aim(self._job, trainer.epoch)  # the window shows progress towards it
            start = Start(s.flags(), s.in_flight, s.frames_served, list(s.pending))
            self._history_at_fork = s.history.copy()
            store = trainer.snapshots
            self._snapshots_at_fork = (store.snapshots(), store.stride, store.best_epoch)
            child = ctx.Process(
                target=child_main,
                args=(self._job, start, ends, parents_ends, progress),
                name="lstm-playground-training",
                daemon=True,
            )
            collecting = gc.isenabled()
            gc.disable()  # no collection in the child before it freezes what it inherits
            try:
                with warnings.catch_warnings():  # Python ≥ 3.12: fork with threads; see above
                    warnings.simplefilter("ignore", DeprecationWarning)
                    child.start()
            finally:
                if collecting:
                    gc.enable()
            s.remote = self
        return child

    def _relay(self, child: Any, cmd: Connection, out: Connection, progress: Any) -> Ended | None:
        s, job = self._s, self._job
        asked_since: float | None = None
        while True:
            ready = mp_wait([out, self._wake_read], _POLL_SECONDS)
            if self._wake_read in ready:
                os.read(self._wake_read, 4096)
            self._pass_on(cmd)
            if out in ready:
                try:
                    message = out.recv()
                except (EOFError, OSError):
                    return self._lost(child, "it stopped unexpectedly")
                if message[0] == "frame":
                    self._on_frame(*message[1:])
                else:
                    return self._on_end(*message[1:])
                continue
            with s.cond:
                s.epoch = max(s.epoch, int(progress.value))
                leaving = s.quit or s.hold > 0
                current = s.wants(job)
                give_up = QUIT_GIVE_UP_SECONDS if s.quit else GIVE_UP_SECONDS
            if child.exitcode is not None:
                if out.poll(0):
                    continue  # it ended after sending its end: read that first
                return self._lost(child, f"it stopped unexpectedly (exit code {child.exitcode})")
            if not leaving and current:
                asked_since = None
                continue
            with s.cond:  # again and again: the child's run() forgets a stop asked
                self._flags_due = s.flags()  # just before it began (as _exclusive knows)
            if asked_since is None:
                asked_since = time.monotonic()
            elif time.monotonic() - asked_since > give_up:
                child.kill()
                return self._lost(child, f"it did not stop within {give_up:g} s")

    def _pass_on(self, cmd: Connection) -> None:
        """Send the window's latest changes, if the pipe has room (never blocks)."""
        s = self._s
        with s.cond:
            flags, handled = self._flags_due, self._handled_due
            if flags is None and not handled:
                return
            # Writable means PIPE_BUF bytes free: one small message goes in whole.
            room = select.poll()
            room.register(cmd.fileno(), select.POLLOUT)
            if not room.poll(0):
                return  # no room: kept for a later turn (the loop polls)
            self._flags_due, self._handled_due = None, 0
        with contextlib.suppress(OSError):  # the child is gone: the loop reports it
            cmd.send(("update", flags, handled))

    def _on_frame(
        self,
        frame: Frame,
        served: int,
        new: list[Snapshot],
        epochs: list[int],
        stride: int,
        best: int | None,
    ) -> None:
        for column in frame.metrics.values():
            column.flags.writeable = False  # as built: pickling does not keep the flag
        store = self._job.session.trainer.snapshots
        known = {snap.epoch: snap for snap in store.snapshots()}
        known.update((snap.epoch, snap) for snap in new)
        store.restore([known[e] for e in epochs], stride, best)
        s = self._s
        with s.cond:
            _record(s, frame.reports)
            s.pending.clear()  # the child sent them
            s.epoch = max(s.epoch, frame.epoch)
            s.snapshot_epochs = epochs
            s.frames_served = max(s.frames_served, served)  # asked since: another comes
            s.in_flight += 1
            generation = s.generation
        self._send(frame, generation)

    def _on_end(
        self, ended: Ended | None, state: Any, config: Any, pending: list[Any], error: str
    ) -> Ended | None:
        if error:
            log.error("training failed in the training process:\n%s", error)
        if state is None:
            return self._rolled_back("its state could not be taken over")
        s, job, trainer = self._s, self._job, self._job.session.trainer
        with s.cond:
            _record(s, pending)
            s.pending = list(pending)
            # The frames brought every report (and the last one is always kept).
            last = s.history[-1].epoch if s.history else None
            complete = state.epoch in (trainer.epoch, last)  # trained none, or all arrived
            history = s.history.copy()
        if not complete:
            return self._rolled_back("its reports did not all arrive")
        trainer.load_state(state, keep_history=True)
        self._taken_over = True
        trainer.history = history  # the very reports the window holds: no second copy
        trainer.train_config = config  # with a learning rate set while it ran
        with s.cond:
            s.epoch = trainer.epoch
            s.snapshot_epochs = trainer.snapshots.epochs()
            # As on the worker thread: a run that ended (step done, stop condition, NaN,
            # error) was the window's run, unless the window has asked for another since.
            if ended is not None and s.wants(job):
                s.command = None
            if ended is not None and ended[0] == FINISHED:
                s.target_epoch = None
            s.apply_pending_lr()
        return ended

    def _lost(self, child: Any, why: str) -> Ended:
        child.join(0.5)
        return self._rolled_back(why)

    def _rolled_back(self, why: str) -> Ended:
        """Back to where the run began: the window's trainer never left it."""
        s, job, trainer = self._s, self._job, self._job.session.trainer
        trainer.snapshots.restore(*self._snapshots_at_fork)
        with s.cond:
            s.history = self._history_at_fork
            s.pending = []  # the full frame below has every report
            s.epoch = trainer.epoch
            s.snapshot_epochs = trainer.snapshots.epochs()
            if s.wants(job):
                s.command = None
            selected, generation = s.selected, s.generation
            s.frames_served = s.frames_asked  # the full frame below
            s.in_flight += 1
        self._send(job.session.full_frame(selected), generation)
        return FAILED, (
            f"The training process ended: {why}. The model is back at epoch "
            f"{trainer.epoch}, where this run began; press Train to try again."
        )


def _record(s: Shared, reports: Any) -> None:
    """Append the reports the history does not have yet (a child re-sends unsent ones)."""
    last = s.history[-1].epoch if s.history else -1
    s.history.add_all(r for r in reports if r.epoch > last)
