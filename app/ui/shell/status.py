"""The status bar: progress towards the stop condition, epoch, loss/accuracy, speed and ETA.

Its first part says what training is doing, and when Train is disabled, why.  While
epochs take seconds (the training process reports how far each has got), the epoch
part follows the epoch in progress — "Epoch 3: 41 % · 1:12 left" — and the speed is
the time an epoch takes; short epochs (the lecture's presets) show the finished epochs
and epochs per second, as they always did.
"""

from __future__ import annotations

import math
import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from app.analysis.stop import format_duration, stop_progress
from app.engine.trainer import EpochReport
from app.training.process import LIVE_AFTER_S
from app.ui.document.document import Document, stop_condition
from app.ui.plots.loss_plot import format_accuracy, format_loss
from app.ui.plots.readout import Readout
from app.ui.shell import help_text
from app.ui.widgets.qt_int import qt_int

if TYPE_CHECKING:
    from app.training.controller import TrainingController
    from app.training.frames import Frame
    from app.ui.document.edits import ProjectEdits

SPEED_WINDOW_S = 3.0
MAX_REASON_CHARS = 70
EPOCH_IN_PROGRESS_TIP = (
    "The epoch in progress: how much of it is done, and how long the rest of it takes "
    "at the speed so far."
)
SPEED_PER_EPOCH_TIP = "Training speed: how long one epoch takes."
"""A longer reason for not training is cut with "…" (the whole one is in the tooltip)."""


class StatusPanel(QWidget):
    """Owns the permanent widgets of the window's status bar and keeps them current."""

    def __init__(
        self,
        status_bar: QStatusBar,
        controller: TrainingController,
        document: Document,
        edits: ProjectEdits | None = None,
    ) -> None:
        super().__init__(status_bar)
        self.hide()  # a holder for the permanent widgets, not shown itself
        self._controller = controller
        self._document = document
        self._edits = edits
        self._samples: deque[tuple[float, int]] = deque()
        self._first: EpochReport | None = None
        self._last: EpochReport | None = None
        self._epoch = 0
        self._rate = 0.0
        self._end_epoch: int | None = None
        self._state = controller.state

        self.state_label = QLabel()
        # Readouts, not labels: they change with every frame (see Readout).
        self.metrics_label = Readout(rich=False)
        self.metrics_label.setToolTip(help_text.LOSS_PLOT)
        self.epoch_label = Readout(rich=False)
        self.epoch_label.setToolTip(help_text.EPOCH)
        self.speed_label = Readout(rich=False)
        self.speed_label.setToolTip(help_text.SPEED)
        self.eta_label = Readout(rich=False)
        self.eta_label.setToolTip(help_text.ETA)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.setToolTip(help_text.PROGRESS)
        for w in (self.state_label, self.metrics_label, self.epoch_label, self.speed_label,
                  self.eta_label):  # fmt: skip
            w.setContentsMargins(8, 0, 8, 0)
            status_bar.addPermanentWidget(w)
        status_bar.addPermanentWidget(self.progress)

        controller.frame_ready.connect(self._on_frame_ready)
        controller.progressed.connect(self._update_labels)
        controller.state_changed.connect(self._on_state_changed)
        controller.stop_condition_met.connect(self._on_stop_condition_met)
        document.edited.connect(self._update_labels)
        # The reason can change while the text stays untrainable; it is read once the
        # edit is complete (the document announces an edit before the reason is set).
        self._state_timer = QTimer(self)
        self._state_timer.setSingleShot(True)
        self._state_timer.setInterval(0)
        self._state_timer.timeout.connect(self._update_state_label)
        if edits is not None:
            edits.trainable_changed.connect(self._state_timer.start)
            document.edited.connect(self._state_timer.start)
        self.reload()

    def reload(self) -> None:
        """Start over from the controller's history (after Open, New, Reset, a rebuild)."""
        history = self._controller.history()
        self._end_epoch = self._controller.target_epoch
        self._state = self._controller.state
        self._first = history[0] if history else None
        self._last = history[-1] if history else None
        self._epoch = self._controller.epoch
        self._samples.clear()
        self._rate = 0.0
        self._on_state_changed(self._controller.state)

    @property
    def epochs_per_second(self) -> float:
        return self._rate

    def _on_frame_ready(self, frame: Frame) -> None:
        if frame.replaces_history:
            self._first = self._last = None
        if frame.reports:
            if self._first is None:
                self._first = frame.reports[0]
            self._last = frame.reports[-1]
        self._epoch = frame.epoch
        now = time.monotonic()
        self._samples.append((now, frame.epoch))
        while len(self._samples) > 2 and now - self._samples[0][0] > SPEED_WINDOW_S:
            self._samples.popleft()
        (t0, e0), (t1, e1) = self._samples[0], self._samples[-1]
        if t1 > t0 and e1 >= e0:
            self._rate = (e1 - e0) / (t1 - t0)
        self._update_labels()

    def _on_stop_condition_met(self, _message: str) -> None:
        if stop_condition(self._document.project)[0] == "epochs":
            self._epoch = self._controller.epoch
            self._end_epoch = self._epoch  # exactly there, whatever was estimated
        self._update_labels()

    def _on_state_changed(self, state: str) -> None:
        self._update_state_label()
        if state != "running":
            self._samples.clear()
        elif self._state != "paused" or self._end_epoch is None:
            # A fresh Train counts "N more epochs" from here (a resume keeps its target).
            kind, target = stop_condition(self._document.project)
            if kind == "epochs":
                self._end_epoch = self._controller.epoch + round(target)
        self._state = state
        self._update_labels()

    def _update_state_label(self) -> None:
        state = self._controller.state
        blocked = self._blocked_reason() if state != "running" else ""
        tooltip = ""
        if blocked:  # Train is disabled: say why, not "Ready"
            text = blocked
            if len(text) > MAX_REASON_CHARS:
                text = text[: MAX_REASON_CHARS - 1] + "\u2026"
            text, tooltip = f"Can\u2019t train: {text}", blocked
        elif state == "idle":
            text = "Stopped" if self._controller.epoch > 0 else "Ready to train"
        else:
            text = {"running": "Training…", "paused": "Paused"}.get(state, state)
        if not self._controller.trains_in_process:
            text += " (in the window: slower)"
            tooltip = help_text.TRAINING_IN_WINDOW
        self.state_label.setToolTip(tooltip)
        self.state_label.setText(text)

    def _blocked_reason(self) -> str:
        """Why the text cannot be trained on ("" when it can, or nobody says)."""
        edits = self._edits
        if edits is None or edits.trainable:
            return ""
        return edits.data_error or help_text.FIX_PROBLEMS

    def _epoch_in_progress(self, running: bool) -> tuple[int, float, float, float] | None:
        """The epoch in progress, when epochs take seconds: its number, the share done,
        the seconds one epoch takes and the seconds left in it (NaN: not known)."""
        p = self._controller.progress
        if p is not None and p.epoch == self._epoch + 1:
            share = p.symbols / p.symbols_in_epoch if p.symbols_in_epoch else 0.0
            seconds = p.elapsed / share if share > 0 else math.nan
            left = p.elapsed * (1 - share) / share if share > 0 else math.nan
            return p.epoch, p.updates / max(p.updates_in_epoch, 1), seconds, left
        last = self._last
        if running and last is not None and last.elapsed >= LIVE_AFTER_S:
            return self._epoch + 1, 0.0, last.elapsed, last.elapsed  # until it reports
        return None

    def _update_labels(self) -> None:
        kind, target = stop_condition(self._document.project)
        running = self._controller.state == "running"
        within = self._epoch_in_progress(running)
        if within is None:
            self.epoch_label.setText(f"Epoch {self._epoch:,}")
            self.epoch_label.setToolTip(help_text.EPOCH)
        else:
            number, share, _, left = within
            text = f"Epoch {number:,}: {_floor_percent(share)}"
            if running and math.isfinite(left):
                text += f" \u00b7 {format_duration(left)} left"
            self.epoch_label.setText(text)
            self.epoch_label.setToolTip(EPOCH_IN_PROGRESS_TIP)
        last, now = self._last, self._controller.progress
        if within is not None and now is not None and now.epoch == within[0]:
            self.metrics_label.setText(  # the epoch in progress, as the thin line shows it
                f"loss so far {format_loss(now.train_loss)}, "
                f"accuracy {format_accuracy(now.train_accuracy)}"
            )
        elif last is not None and math.isfinite(last.train_loss):
            self.metrics_label.setText(
                f"loss {format_loss(last.train_loss)}, "
                f"accuracy {format_accuracy(last.train_accuracy)}"
            )
        else:
            self.metrics_label.setText("")
        if within is not None:
            seconds = within[2]
            speed = f"{format_duration(seconds)} per epoch" if running and seconds > 0 else ""
            self.speed_label.setToolTip(SPEED_PER_EPOCH_TIP)
        else:
            speed = f"{self._rate:,.1f} epochs/s" if running and self._rate else ""
            self.speed_label.setToolTip(help_text.SPEED)
        self.speed_label.setText(speed)
        # The controller forgets its target once a run ends (and a short run may end
        # before any frame shows it); keep the last one, so a finished "train N
        # epochs" shows 100% until the next Train.
        current = self._controller.target_epoch
        if current is not None:
            self._end_epoch = current
        end_epoch = self._end_epoch
        progress = stop_progress(kind, target, self._epoch, self._first, last, end_epoch)
        # Counting epochs: the epoch in progress counts its share.
        counting = kind == "epochs" and target > 0 and (end_epoch or 0) > self._epoch
        if progress is not None and within is not None and counting:
            progress = min(progress + within[1] / target, 1.0)
        self.progress.setVisible(progress is not None)
        if progress is not None:
            if not math.isfinite(progress):  # e.g. a first loss of inf: nothing to show
                progress = 0.0
            self._set_progress(qt_int(progress * 1000), f"{progress:.0%}")
        eta = ""
        if running and end_epoch is not None and end_epoch > self._epoch:
            if within is not None and math.isfinite(within[2]):
                epochs_left = end_epoch - self._epoch - within[1]
                eta = f"ETA {format_duration(epochs_left * within[2])}"
            elif self._rate > 0:
                eta = f"ETA {format_duration((end_epoch - self._epoch) / self._rate)}"
        self.eta_label.setText(eta)

    def _set_progress(self, value: int, text: str) -> None:
        bar = self.progress
        if value != bar.value():
            # setValue repaints the bar on the spot; let it join the window's next paint.
            bar.setUpdatesEnabled(False)
            bar.setValue(value)
            bar.setUpdatesEnabled(True)
            bar.update()
        if text != bar.format():
            bar.setFormat(text)


def _floor_percent(share: float) -> str:
    """``41%``, rounded down: an epoch never shows 100% before it has ended."""
    return f"{math.floor(100 * min(max(share, 0.0), 1.0))}%"
