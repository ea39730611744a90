"""The window's end of the connection to the training process.

:class:`TrainingConnection` starts the process (``spawn``: on every platform, frozen or
not), sends it commands and hands its events to the GUI thread.  Neither direction ever
blocks the event loop: a command is pickled at once (so later changes to its objects
cannot leak into it) and written by a small writer thread; a small reader thread
receives events, queues them in :attr:`TrainingConnection.events` and writes a byte to
a wake-up socket, which the window watches with a ``QSocketNotifier``
(:attr:`TrainingConnection.wake_fd`).  No Qt object is touched, made or destroyed off
the GUI thread.  When the process ends — asked to, killed, or crashed — the reader
queues a :class:`Lost`.

``thread=True`` runs the very same :func:`~app.training.process.serve` on a thread of
the window's process instead: the fallback when no process can be started, slower
because training then shares the interpreter with drawing.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any, Final

from app.training.messages import Command, Event, Quit, Started
from app.training.process import serve

log = logging.getLogger(__name__)

MODE_VARIABLE: Final = "LSTM_PLAYGROUND_TRAINING"
"""``thread`` trains on a thread of the window's process (for comparisons and tests)."""


def thread_requested() -> bool:
    return os.environ.get(MODE_VARIABLE, "").strip().lower() == "thread"


@dataclass(frozen=True)
class Lost:
    """The process (or thread) ended: ``was_up`` if it had said it started; ``why`` if the
    window ended it (it hung); ``exitcode`` None for a thread or if unknown."""

    exitcode: int | None
    was_up: bool
    why: str = ""

    @property
    def reason(self) -> str:
        if self.why:
            return self.why
        code = "" if self.exitcode is None else f" (exit code {self.exitcode})"
        return f"it stopped {'unexpectedly' if self.was_up else 'as it started'}{code}"


class TrainingConnection:
    """One training process (or thread) and the two threads that talk to it."""

    def __init__(self, thread: bool = False) -> None:
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self.events: queue.SimpleQueue[Event | Lost] = queue.SimpleQueue()
        self.on_thread = thread
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._process: Any = None
        self._server: threading.Thread | None = None
        self._conn: Connection | None = None
        self._joining = threading.Lock()  # waitpid from two threads at once loses the code
        self._why = ""
        self.started = False  # start() succeeded
        self._up = False  # the process said so (Started)

    # -- life -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the process (returns at once; ``Started`` arrives when it is up).

        Raises ``OSError`` (or another error from ``multiprocessing``) when it cannot.
        """
        if self.on_thread:
            ours, theirs = mp.Pipe()
            self._server = threading.Thread(
                target=serve, args=(theirs, False), name="training", daemon=True
            )
            self._server.start()
        else:
            ctx = mp.get_context("spawn")
            ours, theirs = ctx.Pipe()
            try:
                self._process = ctx.Process(
                    target=serve, args=(theirs,), name="lstm-playground-training", daemon=True
                )
                self._process.start()
            except BaseException:
                ours.close()
                raise
            finally:
                theirs.close()  # the process has its own copy: EOF comes when it ends
        self._conn = ours
        self.started = True
        threading.Thread(target=self._read, name="training-events", daemon=True).start()
        threading.Thread(target=self._write, name="training-commands", daemon=True).start()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def send(self, command: Command) -> None:
        """Queue ``command`` (pickled now, written by the writer thread)."""
        if self.started:
            self._outbox.put(bytes(ForkingPickler.dumps(command)))

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the process to quit and wait for it; kill it after ``timeout``.  True when
        it is gone (a thread cannot be killed: False if it did not end in time)."""
        if not self.started:
            return True
        self.send(Quit())
        self._outbox.put(None)  # the writer ends after the Quit
        if self._process is not None:
            if self._join(timeout) is None:
                self.kill()
                self._join(1.0)
            return self._process.exitcode is not None
        assert self._server is not None
        self._server.join(timeout)
        return not self._server.is_alive()

    def kill(self, why: str = "") -> bool:
        """End a hung process now (``why``); the reader then queues ``Lost``.  False for a
        thread, which cannot be killed (and is left alone)."""
        if self._process is None:
            return False
        self._why = self._why or why
        if self._process.exitcode is None:
            with contextlib.suppress(OSError):
                self._process.kill()
        return True

    def end(self, why: str) -> None:
        """End it whatever it is doing: a process is killed, a thread quits after the
        update in progress; ``Lost`` follows."""
        if not self.kill(why):
            self._why = self._why or why
            self.send(Quit())

    # -- the two threads ----------------------------------------------------------------
    def _read(self) -> None:
        conn = self._conn
        assert conn is not None
        while True:
            try:
                event = conn.recv()
            except (EOFError, OSError):
                break
            except Exception:  # an event that cannot be unpickled: a bug, but keep reading
                log.exception("unreadable event from the training process")
                continue
            self._up = self._up or isinstance(event, Started)
            self.events.put(event)
            self._arrived()
        exitcode = None if self._process is None else self._join(5.0)
        self.events.put(Lost(exitcode, self._up, self._why))
        self._arrived()

    def _join(self, timeout: float) -> int | None:
        with self._joining:
            self._process.join(timeout)
            code: int | None = self._process.exitcode
            return code

    def close(self) -> None:
        """The window is done with it (after :meth:`stop`, or once ``Lost`` came)."""
        self._wake_in.close()
        self._wake_out.close()

    @property
    def wake_fd(self) -> int:
        """Readable when events are waiting (drain it with :meth:`woken`)."""
        return self._wake_in.fileno()

    def woken(self) -> None:
        """Empty the wake-up socket (the events themselves are in :attr:`events`)."""
        with contextlib.suppress(OSError):
            while self._wake_in.recv(4096):
                pass

    def _arrived(self) -> None:
        with contextlib.suppress(OSError):  # full: woken already; closed: nobody listens
            self._wake_out.send(b"!")

    def _write(self) -> None:
        conn = self._conn
        assert conn is not None
        while (data := self._outbox.get()) is not None:
            try:
                conn.send_bytes(data)
            except (BrokenPipeError, EOFError, OSError):
                return  # gone: the reader reports it
