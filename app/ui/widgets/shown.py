"""Draw only what is seen: a view's refresh runs now while it is visible, else when shown.

Every tab hears every change — a new frame about 20 times a second while training, a
setting, the text — but only one tab is seen.  A hidden tab spends nothing on them: it
notes that it is stale and reads the latest state from the controller when it is shown.
How often frames come at all is the training controller's business (credit: the next
frame only once the window has drawn the last one and rested).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QObject):
    """Calls ``refresh()`` for ``view`` on :meth:`request` if it is visible, else once it
    is shown.  ``refresh`` may also be called directly; :attr:`stale` says whether it is due.
    """

    def __init__(self, view: QWidget, refresh: Callable[[], object]) -> None:
        super().__init__(view)
        self._view = view
        self._refresh = refresh
        self.stale = True
        view.installEventFilter(self)

    def request(self) -> None:
        """Something the view shows changed: refresh now, or when the view is shown."""
        self.stale = True
        if self._view.isVisible():
            self.run()

    def run(self) -> None:
        self.stale = False
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            self.run()
        return False
