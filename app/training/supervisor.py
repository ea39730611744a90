"""Keeping the training process going: start it, hear it, wait for it, replace it.

The controller (:mod:`app.training.controller`) decides what training does; this object
only keeps one training process — or, as the fallback, one training thread — for it,
through a :class:`~app.training.connection.TrainingConnection`.  It hands the process's
events over on the GUI thread (:attr:`ProcessSupervisor.arrived`), woken by a
``QSocketNotifier`` on the connection's wake-up socket, and says when the process is
gone (:attr:`ProcessSupervisor.lost`): whether a new one should be started, or whether
it will not run here (it never came up, or died :data:`RESTARTS` times without handing
over a state).  It talks back only through signals: a callback into the controller
would tie two Qt objects in a reference cycle, which PySide cannot always free safely.
"""

from __future__ import annotations

import functools
import logging
import queue
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

from app.training.connection import Lost, TrainingConnection
from app.training.messages import Command, Event, Quit

log = logging.getLogger(__name__)

RESTARTS: Final = 3
"""A process that dies this many times without handing over a state is not restarted
again: the window offers to train on a thread instead."""


class ProcessSupervisor(QObject):
    """One training process (or thread) at a time, for one controller."""

    arrived = Signal(object)  # an event of the current process
    lost = Signal(object, bool)  # Lost, and whether to start another (False: it cannot run)

    def __init__(self, thread: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_thread = thread
        self.link: TrainingConnection | None = None
        self._notifier: QSocketNotifier | None = None  # readable: the link has events
        self._deaths = 0  # processes lost since the last hand-over
        # Not a method of this object: it must run when the object itself is gone.
        self._held: list[TrainingConnection] = []
        self.destroyed.connect(functools.partial(_quit_all, self._held))

    @property
    def pid(self) -> int | None:
        return None if self.link is None else self.link.pid

    def start(self) -> str:
        """Start a process unless one runs; "" when one does, else why none can."""
        if self.link is not None:
            return ""
        link = TrainingConnection(self.on_thread)
        try:
            link.start()
        except Exception as exc:  # no process can start here (memory, a sandbox, …)
            link.close()
            log.warning("no training process: %s", exc)
            return f"{type(exc).__name__}: {exc}"
        self._notifier = QSocketNotifier(link.wake_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        self.link, self._held[:] = link, [link]
        return ""

    def send(self, command: Command) -> None:
        if self.link is not None:
            self.link.send(command)

    def handed_over(self) -> None:
        """The process handed over its state: it works here."""
        self._deaths = 0

    def kill(self, why: str) -> bool:
        """End a hung process (``Lost`` follows); False for a thread, which cannot be."""
        return self.link is not None and self.link.kill(why)

    def end(self, why: str) -> None:
        """End it whatever it does (a thread after its update in progress)."""
        if self.link is not None:
            self.link.end(why)

    def stop(self, timeout: float) -> bool:
        """Quit and wait; True when it is gone (then nothing more is heard of it)."""
        ended = self.link is None or self.link.stop(timeout)
        if ended:
            self._forget()
        return ended

    def use_thread(self) -> bool:
        """Train on a thread from now on; True if a process was given up for it."""
        self.on_thread = True
        had = self.link is not None
        if had:
            assert self.link is not None
            self.link.stop(0.5)
            self._forget()
        return had

    def wait(self, done: Callable[[], bool], seconds: float) -> bool:
        """Hand the events over here until ``done()`` (blocking, for Save), at most
        ``seconds``, and only this process's: False if it ends or time runs out first."""
        deadline, link = time.monotonic() + seconds, self.link
        while not done() and link is not None and self.link is link:
            try:
                self._take(link.events.get(timeout=deadline - time.monotonic()))
            except (queue.Empty, ValueError):  # ValueError: a negative timeout, time is up
                break
        return done()

    # -- internals ------------------------------------------------------------------------
    @Slot()
    def _on_readable(self) -> None:
        link = self.link
        if link is not None:
            link.woken()
        while link is not None and link is self.link:
            try:
                event = link.events.get_nowait()
            except queue.Empty:
                return
            self._take(event)

    def _take(self, event: Event | Lost) -> None:
        if not isinstance(event, Lost):
            self.arrived.emit(event)
            return
        self._forget()
        self._deaths += event.was_up
        self.lost.emit(event, event.was_up and self._deaths < RESTARTS)

    def _forget(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.link is not None:
            self.link.close()
        self.link = None
        self._held.clear()


def _quit_all(links: list[TrainingConnection], *_: object) -> None:
    """Deleted without :meth:`ProcessSupervisor.stop`: no orphans.

    Only asks (the process quits at once): this may run inside a garbage collection,
    where waiting would let other threads run amid a half-freed object graph.
    """
    for link in links:
        link.send(Quit())
        link.close()
