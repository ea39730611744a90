"""The learning-rate control: a logarithmic slider and an exact spin box, kept in sync."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

LR_MIN = 1e-5
LR_MAX = 10.0
SLIDER_STEPS = 600  # 100 ticks per decade over the six decades 1e-5 … 10


def slider_to_lr(position: int) -> float:
    """Slider position (0…SLIDER_STEPS) → learning rate, on a log scale, 3 significant digits."""
    exponent = math.log10(LR_MIN) + position / SLIDER_STEPS * math.log10(LR_MAX / LR_MIN)
    return float(f"{10**exponent:.3g}")


def lr_to_slider(lr: float) -> int:
    lr = min(max(lr, LR_MIN), LR_MAX)
    fraction = math.log10(lr / LR_MIN) / math.log10(LR_MAX / LR_MIN)
    return round(fraction * SLIDER_STEPS)


class LogSpinBox(QDoubleSpinBox):
    """A spin box that shows ``0.02`` rather than ``0.020000`` and steps by ~26% (log scale)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(LR_MIN, LR_MAX)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.strip()
        if not stripped or stripped in (".", "-", "e", "E") or stripped.lower().endswith("e"):
            return (QValidator.State.Intermediate, text, pos)
        try:
            value = float(stripped)
        except ValueError:
            return (QValidator.State.Invalid, text, pos)
        if LR_MIN <= value <= LR_MAX:
            return (QValidator.State.Acceptable, text, pos)
        return (QValidator.State.Intermediate, text, pos)

    def stepBy(self, steps: int) -> None:
        value = self.value() * 10 ** (steps / 10)
        self.setValue(float(f"{min(max(value, LR_MIN), LR_MAX):.3g}"))


class LearningRateControl(QWidget):
    """Emits :attr:`value_changed` with the new rate when the learner moves either part."""

    value_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setPageStep(50)
        self.spin = LogSpinBox()
        self.spin.setMinimumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.spin.valueChanged.connect(self._on_spin_changed)

    def value(self) -> float:
        return float(self.spin.value())

    def set_value(self, lr: float) -> None:
        """Show ``lr`` without emitting :attr:`value_changed`."""
        for w in (self.slider, self.spin):
            w.blockSignals(True)
        self.spin.setValue(lr)
        self.slider.setValue(lr_to_slider(lr))
        for w in (self.slider, self.spin):
            w.blockSignals(False)

    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.spin.setToolTip(text)

    def _on_slider_moved(self, position: int) -> None:
        lr = slider_to_lr(position)
        self.spin.blockSignals(True)
        self.spin.setValue(lr)
        self.spin.blockSignals(False)
        self.value_changed.emit(lr)

    def _on_spin_changed(self, lr: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(lr_to_slider(lr))
        self.slider.blockSignals(False)
        self.value_changed.emit(float(lr))
