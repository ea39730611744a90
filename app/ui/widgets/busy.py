"""Work too slow for the GUI thread: one pure-Python job at a time on a worker thread.

A view hands :meth:`BackgroundJob.start` a plain function and plain data (arrays,
frozen dataclasses — never a Qt object); the function runs on one worker thread
(NumPy releases the GIL, so the window stays responsive) and is passed
``should_stop``, a check it calls between pieces of work.  The GUI thread polls the
job with a ``QTimer`` and emits :attr:`~BackgroundJob.done` (or
:attr:`~BackgroundJob.failed`) there — no Qt object is touched, emitted from or freed
off the GUI thread.  Starting a new job or :meth:`~BackgroundJob.cancel` abandons the
old one: it is told to stop, and its result, should it still come, is dropped.

:class:`BusyIndicator` is the strip a view shows meanwhile: a moving bar and a line.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

POLL_MS = 15
"""How often the GUI thread looks whether the job is done."""


class BackgroundJob(QObject):
    """At most one job running for its owner; only the latest job's outcome is reported."""

    done = Signal(object)  # the latest job's result
    failed = Signal(object)  # the exception the latest job raised

    def __init__(self, parent: QObject | None = None, name: str = "view-job") -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._future: Future[Any] | None = None
        self._stop = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        # A plain function, not a method: it must run when this object is gone.  It
        # reads the current job's stop flag from this list.
        self._stops = [self._stop]
        self.destroyed.connect(functools.partial(_shut_down, self._pool, self._stops))

    @property
    def running(self) -> bool:
        """A job was started and its outcome not reported yet."""
        return self._future is not None

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args, should_stop=...)`` on the worker, abandoning any job before it."""
        self.cancel()
        self._stop = self._stops[0] = threading.Event()
        self._future = self._pool.submit(fn, *args, should_stop=self._stop.is_set)
        self._timer.start()

    def cancel(self) -> None:
        """Abandon the running job: it is asked to stop and its outcome is never reported."""
        self._stop.set()
        if self._future is not None:
            self._future.cancel()  # if it has not started yet
            self._future = None
        self._timer.stop()

    @Slot()
    def _poll(self) -> None:
        future = self._future
        if future is None or not future.done():
            return
        self._future = None
        self._timer.stop()
        error = future.exception()
        if error is not None:
            self.failed.emit(error)
        else:
            self.done.emit(future.result())


def _shut_down(pool: ThreadPoolExecutor, stops: list[threading.Event], *_: object) -> None:
    for stop in stops:
        stop.set()
    pool.shutdown(wait=False, cancel_futures=True)


class BusyIndicator(QWidget):
    """A moving bar and what is being computed; hidden until :meth:`start`."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # no known end: Qt animates it
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.label = QLabel(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        self.hide()

    def start(self) -> None:
        self.show()

    def stop(self) -> None:
        self.hide()
