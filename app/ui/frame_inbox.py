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
from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QWidget

from app.training.frames import METRICS, Frame


def merge_frames(frames: list[Frame]) -> Frame:
    """One frame with the epochs of ``frames`` (oldest first) and the newest state."""
    if len(frames) == 1:
        return frames[0]
    first, last = frames[0], frames[-1]
    reports = tuple(r for f in frames for r in f.reports)
    metrics = {name: np.concatenate([f.metrics[name] for f in frames]) for name in METRICS}
    for column in metrics.values():
        column.flags.writeable = False
    return Frame(
        reports,
        last.epoch,
        last.view,
        last.running,
        replaces_history=first.replaces_history,
        metrics=metrics,
    )


class FrameInbox:
    """Calls ``handle(frame)`` now while ``view`` is visible; otherwise keeps the frame
    until :meth:`release` (call it from the view's ``showEvent``)."""

    def __init__(self, view: QWidget, handle: Callable[[Frame], None]) -> None:
        self._view = view
        self._handle = handle
        self._held: list[Frame] = []

    @property
    def held(self) -> int:
        """Frames waiting for the view to be shown."""
        return len(self._held)

    def receive(self, frame: Frame) -> None:
        if frame.replaces_history:
            self._held.clear()
            self._handle(frame)
        elif self._view.isVisible():
            self.release()
            self._handle(frame)
        else:
            if self._held:  # only the newest view is ever shown: let the others go
                self._held[-1] = replace(self._held[-1], view=None)
            self._held.append(frame)

    def release(self) -> None:
        """Hand over what was held, as one frame."""
        if self._held:
            held, self._held = self._held, []
            self._handle(merge_frames(held))
