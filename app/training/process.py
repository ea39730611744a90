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

The child never touches Qt: it inherits Qt's memory but calls nothing in it, ignores
Ctrl+C (the window decides), and ends when the window's process does.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any, Final

from app.engine.snapshots import Snapshot
from app.training.frames import Frame
from app.training.loop import FAILED, FINISHED, Ended, SendFrame, TrainLoop
from app.training.shared import Flags, Job, Shared

log = logging.getLogger(__name__)

MODE_VARIABLE: Final = "LSTM_PLAYGROUND_TRAINING"
"""``thread`` trains on the worker thread even where a training process is possible."""
GIVE_UP_SECONDS: Final = 15.0
"""A child that has not ended this long after being asked to is killed."""
_POLL_SECONDS: Final = 0.05  # how often the worker looks at the child's epoch count
_GONE: tuple[Any, ...] = ("gone",)  # the child's listener: the window went away


def process_mode() -> bool:
    """Train in a child process?  Only with ``fork`` (safe for Qt apps on Linux only)."""
    if os.environ.get(MODE_VARIABLE, "").strip().lower() == "thread":
        return False
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


class ProcessRun:
    """One job trained in a forked child, relayed by the worker thread (:meth:`run`)."""

    def __init__(self, shared: Shared, job: Job, send_frame: SendFrame) -> None:
        self._s = shared
        self._job = job
        self._send = send_frame
        self._lock = threading.Lock()  # the GUI and worker threads both send commands
        self._cmd: Connection | None = None

    # -- Remote: called by Shared with cond held ----------------------------------------
    def sync(self, flags: Flags) -> None:
        self._command(("flags", flags))

    def handled(self, n: int) -> None:
        self._command(("handled", n))

    def _command(self, message: tuple[Any, ...]) -> None:
        with self._lock:
            if self._cmd is None:
                return
            try:
                self._cmd.send(message)
            except OSError:  # the child is gone: run() finds out and reports it
                self._cmd = None

    # -- the run, on the worker thread --------------------------------------------------
    def run(self) -> Ended | None:
        """Fork, relay until the child ends, take its state; like ``TrainLoop.train``.

        Raises ``OSError`` when no process can be started (nothing has changed then).
        """
        s, trainer = self._s, self._job.session.trainer
        ctx = mp.get_context("fork")
        cmd_read, cmd_write = ctx.Pipe(duplex=False)
        out_read, out_write = ctx.Pipe(duplex=False)
        progress = ctx.RawValue("q", trainer.epoch)
        with s.cond:  # the flags and the hook together: no change falls between them
            if self._job.command == "run" and s.target_epoch is None:
                s.target_epoch = s.stop.target_epoch(trainer.epoch)
            start = _Start(s.flags(), s.in_flight, list(s.pending), os.getpid())
            self._history_at_fork = s.history.copy()
            self._pending_at_fork = list(s.pending)
            self._snapshots_at_fork = (trainer.snapshots.snapshots(), trainer.snapshots.stride,
                                       trainer.snapshots.best_epoch)  # fmt: skip
            child = ctx.Process(
                target=_child_main,
                args=(self._job, start, (cmd_read, out_write), (cmd_write, out_read), progress),
                name="lstm-playground-training",
                daemon=True,
            )
            try:
                child.start()
            except BaseException:
                cmd_write.close()
                out_read.close()
                raise
            finally:
                cmd_read.close()
                out_write.close()
            self._cmd = cmd_write
            s.remote = self
        try:
            return self._relay(child, out_read, progress)
        finally:
            with s.cond:
                s.remote = None
            with self._lock:
                self._cmd = None
            cmd_write.close()
            out_read.close()
            child.join(1.0)
            if child.exitcode is None:
                child.kill()
                child.join(1.0)

    def _relay(self, child: Any, out: Connection, progress: Any) -> Ended | None:
        s = self._s
        asked_since: float | None = None
        while True:
            if out.poll(_POLL_SECONDS):
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
            if child.exitcode is not None:
                return self._lost(child, f"it stopped unexpectedly (exit code {child.exitcode})")
            if not leaving:
                asked_since = None
            elif asked_since is None:
                asked_since = time.monotonic()
            elif time.monotonic() - asked_since > GIVE_UP_SECONDS:
                child.kill()
                return self._lost(child, f"it did not stop within {GIVE_UP_SECONDS:g} s")

    def _on_frame(
        self, frame: Frame, new: list[Snapshot], epochs: list[int], stride: int, best: int | None
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
            s.frame_wanted = False  # the child had every request for it
            s.in_flight += 1
            generation = s.generation
        self._send(frame, generation)

    def _on_end(
        self, ended: Ended | None, command: str | None, state: Any, config: Any,
        pending: list[Any], error: str,
    ) -> Ended | None:  # fmt: skip
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
        trainer.load_state(state, keep_history=len(trainer.history))
        trainer.history = history  # the very reports the window holds: no second copy
        trainer.train_config = config  # with a learning rate set while it ran
        with s.cond:
            s.epoch = trainer.epoch
            s.snapshot_epochs = trainer.snapshots.epochs()
            mine = s.command == job.command and s.run_id == job.run_id
            if command is None and mine:
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
            s.pending = list(self._pending_at_fork)
            s.epoch = trainer.epoch
            s.snapshot_epochs = trainer.snapshots.epochs()
            if s.command == job.command and s.run_id == job.run_id:
                s.command = None
            selected, generation = s.selected, s.generation
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


class _Start:
    """What the child needs from the window's side when it is forked."""

    def __init__(self, flags: Flags, in_flight: int, pending: list[Any], parent: int) -> None:
        self.flags, self.in_flight, self.pending, self.parent = flags, in_flight, pending, parent


class _ChildShared(Shared):
    """The child's flags; its epoch count is also written where the window can read it."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        super().__init__()

    @property
    def epoch(self) -> int:
        return int(self._progress.value)

    @epoch.setter
    def epoch(self, value: int) -> None:
        self._progress.value = value


def _child_main(
    job: Job,
    start: _Start,
    ends: tuple[Connection, Connection],
    parents_ends: tuple[Connection, Connection],
    progress: Any,
) -> None:
    """The training process: train ``job``, send frames, send the state, exit."""
    for end in parents_ends:  # else the pipes would never report the other side gone
        end.close()
    cmd, out = ends
    gc.freeze()  # the window's objects (Qt's too) are never collected here
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(start.parent)
    trainer = job.session.trainer
    trainer.snapshots.after_fork()
    s = _ChildShared(progress)
    s.session = job.session
    s.apply_flags(start.flags)
    s.in_flight, s.pending, s.busy = start.in_flight, list(start.pending), True
    s.epoch = trainer.epoch
    sent = set(trainer.snapshots.epochs())
    out_lock = threading.Lock()

    def send_frame(frame: Frame, generation: int) -> None:
        store = trainer.snapshots
        epochs = store.epochs()
        new = [store.get(e) for e in epochs if e not in sent]
        sent.clear()
        sent.update(epochs)
        with out_lock:
            out.send(("frame", frame, new, epochs, store.stride, store.best_epoch))

    threading.Thread(target=_listen, args=(s, cmd, start.parent), daemon=True).start()
    loop = TrainLoop(s, send_frame, give_way=False)
    ended: Ended | None = None
    error = ""
    try:
        ended = loop.train(job)
    except Exception as exc:  # the window must hear of any bug in a run
        error = traceback.format_exc()
        with s.cond:
            if s.run_id == job.run_id:
                s.command = None
        ended = FAILED, f"Training stopped because of an unexpected error: {exc}"
        loop.try_final_frame(job)
    try:
        # Not the history: the window has every report from the frames already.
        state = trainer.export_state(history_from=len(trainer.history))
    except Exception:
        state, error = None, error + traceback.format_exc()
    with s.cond:
        command, pending = s.command, list(s.pending)
    with out_lock:
        out.send(("end", ended, command, state, trainer.train_config, pending, error))


def _listen(s: Shared, cmd: Connection, parent: int) -> None:
    """The child's ear: apply the window's flags, and quit when the window is gone."""
    while True:
        message: tuple[Any, ...] | None
        try:
            message = cmd.recv() if cmd.poll(1.0) else None
        except (EOFError, OSError):
            message = _GONE
        if message is None:
            if os.getppid() == parent:
                continue
            message = _GONE
        with s.cond:
            if message[0] == "flags":
                s.apply_flags(message[1])
                s.interrupt()
            elif message[0] == "handled":
                s.in_flight -= message[1]
                s.cond.notify_all()
            else:
                s.quit = True
                s.interrupt()
                return


def _end_with_parent(parent: int) -> None:
    """Linux: the kernel stops this child if the window's process dies first."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)
