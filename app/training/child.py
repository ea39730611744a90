"""The training process's side (see :mod:`app.training.process` for the window's).

A child forked for one run: it inherits the trainer and the session, trains them with
:class:`~app.training.loop.TrainLoop` under its own :class:`~app.training.shared.Shared`
(a listener thread applies the window's flag updates to it), sends frames and, at the
end, the trainer's exact state, then exits.  It never touches Qt: it inherits Qt's
memory but calls nothing in it, collects none of what it inherited, ignores Ctrl+C
(the window decides), and ends when the window's process does.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import threading
import traceback
from multiprocessing.connection import Connection
from typing import Any

from app.training.frames import Frame
from app.training.loop import Ended, TrainLoop
from app.training.shared import Flags, Job, Shared

_GONE: tuple[Any, ...] = ("gone",)  # the listener's news: the window went away


class Start:
    """What the child needs from the window's side when it is forked."""

    def __init__(self, flags: Flags, in_flight: int, served: int, pending: list[Any]) -> None:
        self.flags, self.in_flight, self.served, self.pending = flags, in_flight, served, pending
        self.parent = os.getpid()


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


def child_main(
    job: Job,
    start: Start,
    ends: tuple[Connection, Connection],
    parents_ends: tuple[Connection, Connection],
    progress: Any,
) -> None:
    """The training process: train ``job``, send frames, send the state, exit."""
    gc.freeze()  # the window's objects (Qt's too) are never collected here
    gc.enable()  # (the window disabled collection around the fork)
    for end in parents_ends:  # else the pipes would never report the other side gone
        end.close()
    cmd, out = ends
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(start.parent)
    trainer = job.session.trainer
    trainer.snapshots.after_fork()
    s = _ChildShared(progress)
    s.session = job.session
    s.frames_served = start.served
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
        served = s.frames_served  # set by this thread, just before
        with out_lock:
            out.send(("frame", frame, served, new, epochs, store.stride, store.best_epoch))

    threading.Thread(target=_listen, args=(s, cmd, start.parent), daemon=True).start()
    loop = TrainLoop(s, send_frame, give_way=False)
    ended: Ended | None = None
    error = ""
    try:
        ended = loop.train(job)
    except Exception as exc:  # the window must hear of any bug in a run
        error = traceback.format_exc()  # the window logs it
        ended = loop.fail(job, exc)
    try:
        # Not the history: the window has every report from the frames already.
        state = trainer.export_state(history=False)
    except Exception:
        state, error = None, error + traceback.format_exc()
    with s.cond:
        pending = list(s.pending)
    with out_lock:
        out.send(("end", ended, state, trainer.train_config, pending, error))


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
            if message[0] != "update":
                s.quit = True
                s.interrupt()
                return
            _, flags, handled = message
            s.in_flight -= handled
            if flags is not None:
                s.apply_flags(flags)
                s.interrupt()
            s.cond.notify_all()


def _end_with_parent(parent: int) -> None:
    """Linux: the kernel stops this child if the window's process dies first."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)
