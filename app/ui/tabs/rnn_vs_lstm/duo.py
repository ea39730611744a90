"""Training two networks: both at once, or the project's first and then the second.

Train both first brings the two to the same epoch: the one behind (say the second
network, when the project's was trained on the Train tab) trains alone until it has
caught up, so the two curves end together.  Then "together" trains both at once;
"one after the other" trains the project's network until its stop condition and hands
over: the second one then catches up to the same epoch.  Pausing either network any
other way (Pause, the Train tab, a failure, a reset) cancels what was still to come.
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
        self._then: tuple[str, tuple[str, float]] | None = None  # after catching up
        self._behind: TrainingController | None = None
        left.state_changed.connect(self._on_left_state)
        right.state_changed.connect(self._on_right_state)
        left.stop_condition_met.connect(self._on_left_done)
        right.stop_condition_met.connect(self._on_right_done)

    def start(self, order: str, stop: tuple[str, float]) -> str:
        """Train per ``order`` ("together"/"sequential") until ``stop``; "" or why not.

        The network behind first catches up alone to the other's epoch.
        """
        if order == "sequential" and stop[0] == "none":
            return texts.ORDER_NEEDS_STOP
        gap = self.left.epoch - self.right.epoch
        if gap == 0:
            self._start(order, stop)
            return ""
        behind = self.right if gap > 0 else self.left
        self._then, self._behind = (order, stop), behind
        behind.set_stop_condition("epochs", abs(gap))
        behind.start()
        if behind.state != "running":
            self._cancel_catch_up()
        self.changed.emit()
        return ""

    def catching_up(self) -> bool:
        """One network is training alone up to the other's epoch before both go on."""
        return self._then is not None

    def _start(self, order: str, stop: tuple[str, float]) -> None:
        kind, value = stop
        if order == "sequential":
            self.handing_over = True
            self.left.start()
            if self.left.state != "running":
                self.handing_over = False
            self.changed.emit()
            return
        self.right.set_stop_condition(kind, value)
        self.left.start()
        self.right.start()

    def pause(self) -> None:
        self.handing_over = False
        self._cancel_catch_up()
        self.left.pause()
        self.right.pause()
        self.changed.emit()

    def running(self) -> bool:
        return (
            self.handing_over
            or self.catching_up()
            or "running" in (self.left.state, self.right.state)
        )

    def _on_left_state(self, state: str) -> None:
        if state != "running" and (self.handing_over or self._behind is self.left):
            # A finish announces stop_condition_met right after this state change, in the
            # same call: settle once that has had its say.
            QTimer.singleShot(0, self, self._settle)
        self.changed.emit()

    def _on_right_state(self, state: str) -> None:
        if state != "running" and self._behind is self.right:
            QTimer.singleShot(0, self, self._settle)
        self.changed.emit()

    def _settle(self) -> None:
        """Stopped without meeting its stop condition: nothing more follows."""
        if self.handing_over and self.left.state != "running":
            self.handing_over = False
            self.changed.emit()
        if self._behind is not None and self._behind.state != "running":
            self._cancel_catch_up()
            self.changed.emit()

    def _cancel_catch_up(self) -> None:
        """Forget what was to follow; the project's network gets its own stop back."""
        then, behind = self._then, self._behind
        self._then = self._behind = None
        if then is not None and behind is self.left:
            self.left.set_stop_condition(*then[1])

    def _on_right_done(self) -> None:
        if self._behind is self.right:
            self._caught_up()

    def _caught_up(self) -> None:
        """The one behind reached the other's epoch: now train as asked."""
        then = self._then
        self._cancel_catch_up()
        if then is not None:
            self._start(*then)
        self.changed.emit()

    def _on_left_done(self) -> None:
        """The project's network met its stop condition: the second one catches up."""
        if self._behind is self.left:
            self._caught_up()
            return
        if not self.handing_over:
            return
        self.handing_over = False
        gap = self.left.epoch - self.right.epoch
        if gap > 0:
            self.right.set_stop_condition("epochs", gap)
            self.right.start()
        self.changed.emit()
