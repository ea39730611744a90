"""Run a callback when the window holding a widget really closes.

A view that owns a training thread must stop it with the window, but it cannot edit
the window's ``closeEvent``.  It watches the window instead: a ``Close`` event that the
window accepts is followed, within the same ``close()`` call, by the window hiding
itself — a *non-spontaneous* ``Hide`` (minimising sends a spontaneous one, and a close
the window refused sends none).  A window closed while it was never shown does not
hide, so that case is checked right after the event loop resumes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class CloseWatcher(QObject):
    """Calls ``on_close`` once, when ``widget``'s top-level window closes."""

    def __init__(self, widget: QWidget, on_close: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._on_close = on_close
        self._window: QWidget | None = None
        self._close_seen = False
        self.fired = False
        widget.installEventFilter(self)  # ParentChange and Show: which window we are in
        self._attach()

    def _attach(self) -> None:
        window = self._widget.window()
        if window is self._window or window is self._widget:
            return
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._widget:
            if kind in (QEvent.Type.ParentChange, QEvent.Type.Show):
                self._attach()
        elif watched is self._window:
            if kind == QEvent.Type.Close:
                self._close_seen = True
                QTimer.singleShot(0, self, self._after_close)
            elif kind == QEvent.Type.Hide and self._close_seen and not event.spontaneous():
                self._fire()
        return False

    def _after_close(self) -> None:
        """A close that hid nothing: fire if the window is gone from the screen."""
        if self._close_seen and self._window is not None and not self._window.isVisible():
            self._fire()
        self._close_seen = False

    def _fire(self) -> None:
        self._close_seen = False
        if not self.fired:
            self.fired = True
            self._on_close()
