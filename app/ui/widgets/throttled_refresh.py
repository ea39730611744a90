"""When an exploring view recomputes: at once for the learner, paced for training.

A change the learner makes (a setting, the text) recomputes at once; training frames
at most every ``interval_ms``, or four times as long as the last recompute took if that
is longer, so at most a quarter of the GUI thread's time goes to it.  Given a ``turn``
(the training controller's ``drawing_turn``), the recompute and its repaint run inside
it, so the training thread waits instead of taking turns with them for the interpreter.
Nothing runs while the view is hidden: it catches up when shown (the view calls
:meth:`run_if_visible` from its ``showEvent``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from time import perf_counter

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget


class ThrottledRefresh(QObject):
    """Runs ``refresh`` for ``view`` when :attr:`stale` and the view is visible.

    ``refresh`` itself should clear :attr:`stale` (it may also be called directly).
    """

    def __init__(
        self,
        view: QWidget,
        refresh: Callable[[], object],
        interval_ms: int,
        turn: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._refresh = refresh
        self._turn = turn or nullcontext
        self._interval_ms = interval_ms
        self.stale = True
        """Settings or weights changed since the last refresh."""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_if_visible)

    def now(self) -> None:
        """Something the learner did: refresh at once (if the view is visible)."""
        self.stale = True
        self.run_if_visible()

    def soon(self) -> None:
        """Training moved on: refresh when the timer runs out (one refresh per interval)."""
        self.stale = True
        if not self.timer.isActive():
            self.timer.start()

    def run_if_visible(self) -> None:
        if self.stale and self._view.isVisible():
            started = perf_counter()
            with self._turn():  # e.g. TrainingController.drawing_turn: training waits
                self._refresh()
                self._view.repaint()  # drawn now, inside the turn
            spent_ms = 1000 * (perf_counter() - started)
            self.timer.setInterval(max(self._interval_ms, round(4 * spent_ms)))
