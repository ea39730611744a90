"""Frames for a view that draws nothing while it is hidden: held, and handed over as one
when the view is shown.

Every tab hears every frame (about 20 a second while training), but only one tab is
seen.  Python runs one thread at a time, so each millisecond a hidden tab spends on a
frame is a millisecond the training thread waits.  A hidden view's inbox keeps the
frames instead and, when the view is shown, hands over a single frame holding all their
epochs (reports and metrics in order, the newest view, epoch and running state).

A frame that replaces the history (a project opened, the model reset) is handed over at
once, hidden or not, and drops what was held: it supersedes those epochs, and views
use it to forget state that no longer belongs to the model (caches, a replay).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.engine.trainer import EpochReport
from app.training.frames import Frame
from app.ui.plots.pacing import FrameBatch


class FrameInbox:
    """Calls ``handle(frame)`` now while ``view`` is visible; otherwise keeps the frame
    until :meth:`release` (call it from the view's ``showEvent``).

    Held frames are merged as they arrive, as the Train tab's pacer merges frames that
    come during a redraw (:class:`~app.ui.plots.pacing.FrameBatch`: the epochs' columns
    and the newest view only), plus their reports.
    """

    def __init__(self, view: QWidget, handle: Callable[[Frame], None]) -> None:
        self._view = view
        self._handle = handle
        self._batch = FrameBatch()
        self._reports: list[EpochReport] = []
        self._newest: Frame | None = None

    @property
    def held(self) -> int:
        """Frames waiting for the view to be shown."""
        return self._batch.frames

    def receive(self, frame: Frame) -> None:
        if frame.replaces_history:
            self._drop()
            self._handle(frame)
        elif self._view.isVisible():
            self.release()
            self._handle(frame)
        else:
            self._batch.add(frame)
            self._reports.extend(frame.reports)
            self._newest = frame

    def release(self) -> None:
        """Hand over what was held, as one frame: every epoch in order, the newest view,
        epoch and running state."""
        newest = self._newest
        if newest is None:
            return
        merged = Frame(
            tuple(self._reports),
            newest.epoch,
            self._batch.view,
            newest.running,
            metrics=self._batch.metrics(),
        )
        self._drop()
        self._handle(merged)

    def _drop(self) -> None:
        self._batch = FrameBatch()
        self._reports = []
        self._newest = None
