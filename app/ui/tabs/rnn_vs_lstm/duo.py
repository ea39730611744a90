"""Training two networks: both at once, or the project's first and then the second.

"One after the other" hands over when the project's network meets its stop condition:
the second one then trains until it has caught up to the same epoch.  Pausing either
network any other way (Pause, the Train tab, a failure, a reset) cancels the hand-over.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.training.controller import TrainingController
from app.ui.tabs.rnn_vs_lstm import texts


class Duo(QObject):
    """Starts, pauses and hands over between ``left`` (the project's) and ``right``.

    Signals
    -------
    changed
        Either network started or stopped, or a hand-over began or ended.
    """

    changed = Signal()

    def __init__(
        self, left: TrainingController, right: TrainingController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.left, self.right = left, right
        self.handing_over = False
        left.state_changed.connect(self._on_left_state)
        right.state_changed.connect(self.changed)
        left.stop_condition_met.connect(self._on_left_done)

    def start(self, order: str, stop: tuple[str, float]) -> str:
        """Train per ``order`` ("together"/"sequential") until ``stop``; "" or why not."""
        kind, value = stop
        if order == "sequential":
            if kind == "none":
                return texts.ORDER_NEEDS_STOP
            self.handing_over = True
            self.left.start()
            if self.left.state != "running":
                self.handing_over = False
            self.changed.emit()
            return ""
        self.right.set_stop_condition(kind, value)
        self.left.start()
        self.right.start()
        return ""

    def pause(self) -> None:
        self.handing_over = False
        self.left.pause()
        self.right.pause()
        self.changed.emit()

    def running(self) -> bool:
        return self.handing_over or "running" in (self.left.state, self.right.state)

    def _on_left_state(self, state: str) -> None:
        if state != "running" and self.handing_over:
            # A finish announces stop_condition_met right after this state change, in the
            # same call: settle once that has had its say.
            QTimer.singleShot(0, self, self._settle)
        self.changed.emit()

    def _settle(self) -> None:
        if self.handing_over and self.left.state != "running":
            self.handing_over = False
            self.changed.emit()

    def _on_left_done(self) -> None:
        """The project's network met its stop condition: the second one catches up."""
        if not self.handing_over:
            return
        self.handing_over = False
        gap = self.left.epoch - self.right.epoch
        if gap > 0:
            self.right.set_stop_condition("epochs", gap)
            self.right.start()
        self.changed.emit()
