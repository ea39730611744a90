"""Which epoch's weights a view uses: the latest, or any epoch (the nearest stored one).

Shared by the Generate and State map views.  The choice is ``None`` for "latest" or
an epoch number; it is stored in the project as ``"latest"`` or that number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from app.engine.snapshots import Snapshot
from app.ui.widgets.qt_int import QT_INT_MAX, qt_int

if TYPE_CHECKING:
    from app.training.controller import TrainingController

LATEST = "latest"
_FAR_FUTURE = 2**62  # nearest() to this is the most recent snapshot

TIP = (
    "Which stage of learning to look at. “Latest” follows training as it goes; untick "
    "it to pick an epoch (← → or the arrows step through them). The weights are kept "
    "for every epoch early on and for every 2nd, 4th, 8th … epoch later, so the "
    "nearest kept epoch is used; epoch 0 is the untrained network."
)


def parse_epoch_choice(raw: Any) -> int | None:
    """A stored choice checked: ``"latest"`` (or junk) → None, a whole number ≥ 0 → it."""
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 2**53:
        return raw
    return None


class EpochPicker(QWidget):
    """A "latest" check box and an epoch spin box; ``changed`` fires on every new choice."""

    changed = Signal()

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.latest_check = QCheckBox("latest")
        self.latest_check.setChecked(True)
        self.spin = QSpinBox()
        self.spin.setRange(0, 0)
        self.spin.setEnabled(False)
        self.spin.setKeyboardTracking(False)  # typing "120" is one choice, not three
        self.spin.setGroupSeparatorShown(True)
        # Room for any epoch up to 2,147,483,647 (the most a project holds).
        width = self.spin.fontMetrics().horizontalAdvance(f"{QT_INT_MAX:,}")
        self.spin.setMinimumWidth(width + 30)
        self.used = QLabel()
        self.used.setMinimumWidth(self.used.fontMetrics().horizontalAdvance("(stored: 00000)"))
        label = QLabel("Epoch:")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (label, self.latest_check, self.spin, self.used):
            w.setToolTip(TIP)
            layout.addWidget(w)
        self.latest_check.toggled.connect(self._on_latest_toggled)
        self.spin.valueChanged.connect(self._on_spin_changed)

    # -- the choice ---------------------------------------------------------------------
    def choice(self) -> int | None:
        """None for the latest epoch, else the epoch asked for."""
        return None if self.latest_check.isChecked() else self.spin.value()

    def set_choice(self, epoch: int | None) -> None:
        """Show ``epoch`` (None = latest) without emitting ``changed``."""
        self.blockSignals(True)
        if epoch is None:
            self.latest_check.setChecked(True)
        else:
            self.spin.setMaximum(max(self.spin.maximum(), qt_int(epoch)))
            self.spin.setValue(qt_int(epoch))
            self.latest_check.setChecked(False)
        self.blockSignals(False)

    def to_json(self) -> str | int:
        choice = self.choice()
        return LATEST if choice is None else choice

    def snapshot(self) -> Snapshot | None:
        """The stored snapshot for the choice (None before there is a model)."""
        choice = self.choice()
        snap = self._controller.snapshot(_FAR_FUTURE if choice is None else choice)
        self._show_used(snap)
        return snap

    # -- training moves on -----------------------------------------------------------------
    def update_range(self) -> None:
        """Let the spin box reach the newest epoch; "latest" shows it."""
        latest = qt_int(max(self._controller.epoch, 0))
        self.spin.blockSignals(True)
        self.spin.setMaximum(latest)
        if self.latest_check.isChecked():
            self.spin.setValue(latest)
        self.spin.blockSignals(False)

    # -- internals -------------------------------------------------------------------------
    def _show_used(self, snap: Snapshot | None) -> None:
        choice = self.choice()
        if snap is None:
            text = ""
        elif choice is None:
            text = f"(epoch {snap.epoch:,})"
        elif snap.epoch != choice:
            text = f"(stored: {snap.epoch:,})"
        else:
            text = ""
        if self.used.text() != text:
            self.used.setText(text)

    def _on_latest_toggled(self, latest: bool) -> None:
        self.spin.setEnabled(not latest)
        self.update_range()
        self.changed.emit()

    def _on_spin_changed(self, _value: int) -> None:
        if not self.latest_check.isChecked():
            self.changed.emit()

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: the stored epoch ``delta`` snapshots back or on."""
        from app.ui.widgets.stepping import neighbour_epoch  # (here: the method stands alone)

        snap = self.snapshot()
        if snap is None:
            return False
        target = neighbour_epoch(self._controller.snapshot_epochs(), snap.epoch, delta)
        if target is None:
            return False
        self.set_choice(target)
        self.changed.emit()
        return True
