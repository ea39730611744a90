"""One row of the *Experiment* panel per gate, and reading the knocked-out units typed."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSlider, QWidget

from app.engine.gates import LECTURE, Clamp

GATE_TIPS = {
    "forget": "Hold the forget gate: 0 forgets all memory at every step, 1 keeps all of it.",
    "input": "Hold the ignore (input) gate: 0 lets no new possibilities into memory.",
    "output": "Hold the select (output) gate: 0 keeps every memory inside (no prediction out).",
    "candidate": "Shut the possibilities (candidate): nothing new is written to memory.",
    "reset": "Hold the GRU's reset gate: 0 makes the candidate ignore the previous state.",
    "update": "Hold the GRU's update gate: 1 keeps the old state, 0 takes the candidate whole.",
}


def gate_word(gate: str) -> str:
    """The lecture's word for an engine gate name ("ignore" for "input")."""
    return LECTURE.get(gate, gate)


def parse_units(text: str) -> tuple[int, ...]:
    """ "0, 3 5-7" → (0, 3, 5, 6, 7); ValueError (one line) for anything else."""
    units: set[int] = set()
    for part in filter(None, re.split(r"[,\s]+", text.strip())):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if m is None:
            raise ValueError(f"“{part}” is not a unit number (write e.g. 0, 3, 5-7)")
        a, b = int(m[1]), int(m[2] or m[1])
        units.update(range(min(a, b), max(a, b) + 1))
    return tuple(sorted(units))


class GateRow:
    """A checkbox "hold forget at" with a slider and a spin box 0…1 (possibilities: shut)."""

    def __init__(self, gate: str) -> None:
        self.gate = gate
        shut_only = gate == "candidate"
        word = gate_word(gate)
        self.check = QCheckBox(f"shut the {word} (0)" if shut_only else f"hold {word} at")
        self.check.setToolTip(GATE_TIPS.get(gate, ""))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setMinimumWidth(60)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(0.0, 1.0)
        self.spin.setSingleStep(0.05)
        self.spin.setDecimals(2)
        self.spin.setKeyboardTracking(False)
        for w in (self.slider, self.spin):
            w.setToolTip(GATE_TIPS.get(gate, ""))
            w.setVisible(not shut_only)
        self.widgets: tuple[QWidget, ...] = (self.check, self.slider, self.spin)

    def set(self, clamp: Clamp | None) -> None:
        for w in self.widgets:
            w.blockSignals(True)
        self.check.setChecked(clamp is not None)
        value = 0.0 if clamp is None else clamp.value
        self.spin.setValue(value)
        self.slider.setValue(round(value * 100))
        for w in self.widgets:
            w.blockSignals(False)

    def value(self) -> float:
        return 0.0 if self.gate == "candidate" else float(self.spin.value())
