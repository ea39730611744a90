"""Start, stop and keep alive the worker's QThread.

PySide6 destroys a QObject created from Python when its last Python reference goes;
a QThread destroyed while running aborts the process.  So every started thread and
its worker stay referenced here until Qt has deleted them (``deleteLater`` after the
thread finished), whatever happens to the controller that started them, and any
thread still running at interpreter exit is stopped first.
"""

from __future__ import annotations

import atexit

import shiboken6
from PySide6.QtCore import Qt, QThread

from app.training.shared import Shared
from app.training.worker import TrainingWorker

_live: set[WorkerThread] = set()


class WorkerThread:
    """One QThread running one :class:`TrainingWorker` (STYLE.md lifecycle)."""

    def __init__(self, shared: Shared, in_process: bool | None = None) -> None:
        _live.difference_update([h for h in _live if h.deleted])
        self.shared = shared
        self.thread = QThread()
        self.thread.setObjectName("training")
        self.worker = TrainingWorker(shared, in_process)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Direct: the GUI thread may be blocked in wait() and could not run a queued quit.
        self.worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.finished.connect(self.thread.deleteLater)
        _live.add(self)
        self.thread.start()

    @property
    def deleted(self) -> bool:
        """Qt has deleted the thread object (it had finished)."""
        return not shiboken6.isValid(self.thread)

    def request_quit(self, *_: object) -> None:
        """Ask the worker to leave its loop after the update in progress (non-blocking)."""
        s = self.shared
        with s.cond:
            s.quit = True
            s.interrupt()

    def stop(self, timeout_ms: int) -> bool:
        """Quit and wait for the thread to end; True when it has."""
        self.request_quit()
        if self.deleted:
            return True
        # quit() before the event loop starts makes it return at once, so this is safe
        # even while the worker's loop is still running.
        self.thread.quit()
        return bool(self.thread.wait(max(0, int(timeout_ms))))


@atexit.register
def _stop_all() -> None:
    for handle in list(_live):
        if not handle.deleted:
            handle.stop(2000)
