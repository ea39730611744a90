"""The learning-rate control: a logarithmic slider and an exact spin box, kept in sync.

A typed rate outside :data:`LR_MIN` … :data:`LR_MAX` is refused out loud: the box turns
red while it holds one, and a line under it says what the range is and which rate is
kept (Qt's spin box would silently put the previous value back).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from app.ui.widgets.line_editor import ERROR_COLOR

LR_MIN = 1e-5
LR_MAX = 10.0
SLIDER_STEPS = 600  # 100 ticks per decade over the six decades 1e-5 … 10
REFUSED_BACKGROUND = QColor("#fff5f5")


def slider_to_lr(position: int) -> float:
    """Slider position (0…SLIDER_STEPS) → learning rate, on a log scale, 3 significant digits."""
    exponent = math.log10(LR_MIN) + position / SLIDER_STEPS * math.log10(LR_MAX / LR_MIN)
    return float(f"{10**exponent:.3g}")


def out_of_range(text: str) -> float | None:
    """The number ``text`` holds when it is one outside the learning-rate range, else None."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return None if LR_MIN <= value <= LR_MAX else value


def range_message(typed: str, kept: float | None = None) -> str:
    """ "The learning rate goes from 0.00001 to 10; 100 is outside" (and what is kept)."""
    message = f"The learning rate goes from {LR_MIN:.5f} to {LR_MAX:g}; {typed.strip()} is outside"
    return message + ("." if kept is None else f": it stays {kept:.6g}.")


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
        if (
            not stripped
            or stripped in (".", "-", "e", "E")
            or stripped.lower().endswith(("e", "e-", "e+"))
        ):
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
    """Emits :attr:`value_changed` with the new rate when the learner moves either part.

    :attr:`message` (under the slider and box) says why a typed rate was refused.
    """

    value_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setPageStep(50)
        self.spin = LogSpinBox()
        self.spin.setMinimumWidth(90)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR.name()};")
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._refused = ""  # the out-of-range text in the box now ("" when none)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.spin.valueChanged.connect(self._on_spin_changed)
        self.spin.lineEdit().textEdited.connect(self._on_text_edited)
        self.spin.editingFinished.connect(self._on_editing_finished)

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

    def refused(self) -> bool:
        """Is a refusal on show (the box red, or the line under it)?"""
        return not self.message.isHidden()

    def _on_text_edited(self, text: str) -> None:
        """Typing: red, with the range, while the box holds a number outside it."""
        refused = out_of_range(text) is not None
        self._refused = text if refused else ""
        self._show_refused(refused)
        self._show_message(range_message(text) if refused else "")

    def _on_editing_finished(self) -> None:
        """Enter or leaving the box: Qt puts the rate in use back; say that it did."""
        if self._refused:
            typed, self._refused = self._refused, ""
            self._show_refused(False)
            self._show_message(range_message(typed, kept=self.value()))

    def _show_refused(self, refused: bool) -> None:
        """The box red (text and background) while it holds a refused number; a palette,
        not a style sheet, so the style keeps drawing its arrows."""
        palette = self.spin.palette() if refused else self.palette()
        if refused:
            palette.setColor(QPalette.ColorRole.Text, ERROR_COLOR)
            palette.setColor(QPalette.ColorRole.Base, REFUSED_BACKGROUND)
        self.spin.setPalette(palette)
        self.spin.lineEdit().setPalette(palette)

    def is_red(self) -> bool:
        """Does the box show its text in red (a refused number)?"""
        return self.spin.lineEdit().palette().color(QPalette.ColorRole.Text) == ERROR_COLOR

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_slider_moved(self, position: int) -> None:
        self._show_message("")
        lr = slider_to_lr(position)
        self.spin.blockSignals(True)
        self.spin.setValue(lr)
        self.spin.blockSignals(False)
        self.value_changed.emit(lr)

    def _on_spin_changed(self, lr: float) -> None:
        self._refused = ""
        self._show_refused(False)
        self._show_message("")
        self.slider.blockSignals(True)
        self.slider.setValue(lr_to_slider(lr))
        self.slider.blockSignals(False)
        self.value_changed.emit(float(lr))
