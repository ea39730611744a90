"""Replay controls: play/pause, speed (snapshots per second) and where the replay is."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QWidget,
)

from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.state import DEFAULT_SPEED, MAX_SPEED, MIN_SPEED, clamp_speed


class ReplayControls(QWidget):
    """A timer that ticks ``speed`` times a second while playing; the view moves B.

    Signals: ``ticked`` (time for the next snapshot), ``toggled(bool)`` (play/pause
    pressed), ``speed_changed(float)``.
    """

    ticked = Signal()
    toggled = Signal(bool)
    speed_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton("Replay")
        self.button.setCheckable(True)
        self.button.setToolTip(text.PLAY)
        self.speed = QDoubleSpinBox()
        self.speed.setRange(MIN_SPEED, MAX_SPEED)
        self.speed.setDecimals(1)
        self.speed.setSingleStep(1.0)
        self.speed.setValue(DEFAULT_SPEED)
        self.speed.setSuffix(" /s")
        self.speed.setToolTip(text.SPEED)
        speed_label = QLabel("speed")
        speed_label.setToolTip(text.SPEED)
        self.progress = QProgressBar()
        self.progress.setToolTip(text.PROGRESS)
        self.progress.setTextVisible(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("—")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(speed_label)
        layout.addWidget(self.speed)
        layout.addWidget(self.progress, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ticked)
        self.button.toggled.connect(self._on_toggled)
        self.speed.valueChanged.connect(self._on_speed)
        self._update_button()

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def set_speed(self, speed: float) -> None:
        self.speed.setValue(clamp_speed(speed))

    def start(self) -> None:
        """Play (the view has put B on the first snapshot)."""
        self.timer.start(round(1000 / self.speed.value()))
        self._set_checked(True)

    def stop(self) -> None:
        self.timer.stop()
        self._set_checked(False)

    def set_progress(self, position: int, count: int, epoch: int | None) -> None:
        """B is snapshot ``position`` (0-based) of ``count``, at ``epoch``."""
        bar = self.progress
        # QProgressBar.setValue repaints on the spot; let it join the next paint instead.
        bar.setUpdatesEnabled(False)
        bar.setRange(0, max(count - 1, 1))
        bar.setValue(max(0, position))
        bar.setUpdatesEnabled(True)
        bar.update()
        bar.setFormat("—" if epoch is None else f"epoch {epoch:,} · {position + 1}/{count}")

    def _set_checked(self, on: bool) -> None:
        self.button.blockSignals(True)
        self.button.setChecked(on)
        self.button.blockSignals(False)
        self._update_button()

    def _update_button(self) -> None:
        playing = self.button.isChecked()
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.button.setIcon(self.style().standardIcon(icon))
        self.button.setText("Pause" if playing else "Replay")

    def _on_toggled(self, on: bool) -> None:
        self._update_button()
        self.toggled.emit(on)

    def _on_speed(self, speed: float) -> None:
        if self.timer.isActive():
            self.timer.setInterval(round(1000 / speed))
        self.speed_changed.emit(speed)
