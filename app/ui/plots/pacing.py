"""From the controller's frames to the plots: coalesced, drawn when the event loop is free,
and acknowledged once they are on screen.

Drawing takes longer than receiving, especially while the training thread competes for
the interpreter.  Drawing straight from the signal would keep the event loop busy with
frame after frame, and Qt then starves its timers and input; collecting frames and
drawing from a zero-delay timer coalesces frames that arrive during a redraw (their
epochs are kept, none is dropped).  The controller counts a frame as handled only when
:class:`FramePacer` says it was drawn and painted, so the worker never sends the next
one into a window that is still busy with the last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea

from app.analysis.columns import METRICS

if TYPE_CHECKING:
    from app.analysis.sequence_view import SequenceView
    from app.training.controller import TrainingController
    from app.training.frames import Frame

PAINT_WAIT_MS = 100
"""Acknowledge after this long even if no plot painted (e.g. a minimised window)."""


class FrameBatch:
    """Frames received since the last redraw: their epochs in order and the newest view."""

    def __init__(self) -> None:
        self.frames = 0
        self.replaces_history = False
        self.view: SequenceView | None = None
        self._chunks: list[dict[str, np.ndarray]] = []

    def add(self, frame: Frame) -> None:
        if frame.replaces_history:  # everything before it is history no more
            self._chunks.clear()
            self.replaces_history = True
        self._chunks.append(dict(frame.metrics))
        self.view = frame.view
        self.frames += 1

    def metrics(self) -> dict[str, np.ndarray]:
        """Every epoch of the batch as columns (``Frame.metrics`` joined)."""
        if len(self._chunks) == 1:
            return self._chunks[0]
        if not self._chunks:
            return {name: np.empty(0) for name in METRICS}
        columns = {name: np.concatenate([c[name] for c in self._chunks]) for name in METRICS}
        for column in columns.values():
            column.flags.writeable = False  # like each frame's own columns
        return columns


class FramePacer(QObject):
    """Collects ``controller``'s frames, calls ``draw(batch)`` from a zero-delay timer and
    tells the controller (:meth:`TrainingController.frame_drawn`) once one of
    ``canvases`` has painted since, or at once when none of them is visible."""

    def __init__(
        self,
        controller: TrainingController,
        draw: Callable[[FrameBatch], None],
        canvases: Sequence[QAbstractScrollArea],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._draw = draw
        self._canvases = list(canvases)
        self._batch = FrameBatch()
        self._awaiting_paint = False
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(0)
        self._redraw.timeout.connect(self.flush)
        self._acknowledge = QTimer(self)
        self._acknowledge.setSingleShot(True)
        self._acknowledge.timeout.connect(self._on_acknowledge)
        for canvas in self._canvases:
            canvas.viewport().installEventFilter(self)
        controller.frame_ready.connect(self._on_frame_ready)
        controller.acknowledge_frames()

    @property
    def pending(self) -> bool:
        return self._batch.frames > 0

    def flush(self) -> None:
        """Draw what has arrived now (the timer, tests, exports, screenshots)."""
        self._redraw.stop()
        if not self.pending:
            return
        batch, self._batch = self._batch, FrameBatch()
        try:
            self._draw(batch)
        finally:
            self._await_paint()

    def discard(self) -> None:
        """Forget frames not drawn yet (the plots were cleared); they count as handled."""
        self._redraw.stop()
        self._batch = FrameBatch()
        self._await_paint()

    def _on_frame_ready(self, frame: Frame) -> None:
        self._batch.add(frame)
        if not self._redraw.isActive():
            self._redraw.start()

    def _await_paint(self) -> None:
        visible = any(canvas.isVisible() for canvas in self._canvases)
        self._awaiting_paint = visible
        self._acknowledge.start(PAINT_WAIT_MS if visible else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._awaiting_paint and event.type() == QEvent.Type.Paint:
            # Widgets paint in one pass: a zero-delay timer fires after all of them.
            self._awaiting_paint = False
            self._acknowledge.start(0)
        return False

    def _on_acknowledge(self) -> None:
        self._awaiting_paint = False
        self._controller.frame_drawn()
