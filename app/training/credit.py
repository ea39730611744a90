"""Flow control by credit: the one way frames are paced.

The training process sends a frame only when the window owes it none.  After each frame
the window waits until it has drawn it — :data:`DRAW_TURNS` turns of the event loop, as
Qt paints what a frame changed on a later turn than the one that changed it — then rests
:data:`REST` times as long as that took, and gives the credit back.  So a busy window is
never sent a queue of frames, at most about a quarter of its time goes to them, and the
refresh rate the learner chose is only an upper limit.  Hidden tabs draw nothing: they
read the latest state when they are shown (``app/ui/widgets/shown.py``).
"""

from __future__ import annotations

import time
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal, Slot

REST: Final = 3.0
"""The window rests this many times as long as drawing a frame took."""
MAX_REST_SECONDS: Final = 1.0
"""A turn slow for another reason (a Save writing its file) must not stop the frames."""
DRAW_TURNS: Final = 3
"""Turns of the event loop until a frame counts as drawn: plots post their repaints, and
the window's update request comes after those."""


class FrameCredit(QObject):
    """Call :meth:`shown` after each frame; :attr:`given` says when ``n`` frames are drawn.

    (A signal, not a callback: a callback back into the owner would tie the two Qt objects
    in a Python reference cycle, and a garbage collection that frees such a cycle can
    crash PySide.)
    """

    given = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owed, self._turns, self._shown_at = 0, 0, 0.0
        self._drawn = QTimer(self)  # a zero timer: fires once the event loop has turned
        self._rested = QTimer(self)
        for timer, slot in ((self._drawn, self._on_drawn), (self._rested, self._on_rested)):
            timer.setSingleShot(True)
            timer.timeout.connect(slot)

    def shown(self) -> None:
        """A frame was handed to the views."""
        self._owed += 1
        self._turns, self._shown_at = DRAW_TURNS, time.perf_counter()
        self._drawn.start(0)

    def forget(self) -> None:
        """The frames owed belong to a model the window dropped: nobody waits for them."""
        self._owed = 0

    def stop(self) -> None:
        self._drawn.stop()
        self._rested.stop()

    @Slot()
    def _on_drawn(self) -> None:
        self._turns -= 1
        if self._turns > 0:
            self._drawn.start(0)
            return
        cost = time.perf_counter() - self._shown_at
        self._rested.start(round(1000 * min(REST * cost, MAX_REST_SECONDS)))

    @Slot()
    def _on_rested(self) -> None:
        if self._owed:
            owed, self._owed = self._owed, 0
            self.given.emit(owed)
