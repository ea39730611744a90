"""The Generate view's settings row and their stored form in ``project.ui["generate"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from app.ui.tabs.generate import texts
from app.ui.tabs.generate.epoch_picker import EpochPicker, parse_epoch_choice

if TYPE_CHECKING:
    from app.training.controller import TrainingController

MAX_LENGTH = 500
DEFAULT_LENGTH = 20
"""The length when the text has no lines to measure, or a stored one is broken."""
TYPICAL = "line"
"""The stored length that means "as long as a typical line of the text"."""
MAX_SEED = 2**31 - 1
TEMPERATURE_RANGE = (0.05, 5.0)


@dataclass(frozen=True)
class Settings:
    """What the view stores in the project; :meth:`from_json` checks a hand-edited file."""

    prompt: str | None = None  # None: start from the first symbol of the text
    length: int | None = None  # None: as long as a typical line (see GenerateControls)
    sample: bool = False
    temperature: float = 1.0
    seed: int = 1
    epoch: int | None = None  # None = latest

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "length": TYPICAL if self.length is None else self.length,
            "mode": "sample" if self.sample else "greedy",
            "temperature": self.temperature,
            "seed": self.seed,
            "epoch": "latest" if self.epoch is None else self.epoch,
        }

    @classmethod
    def from_json(cls, raw: Any) -> Settings:
        """Each valid entry of ``raw`` taken, anything else left at its default."""
        if not isinstance(raw, dict):
            return cls()
        d = cls()
        prompt = raw.get("prompt")
        lo, hi = TEMPERATURE_RANGE
        return cls(
            prompt=prompt if isinstance(prompt, str) and len(prompt) < 10_000 else None,
            length=None
            if raw.get("length") == TYPICAL
            else _whole(raw.get("length"), 1, MAX_LENGTH, DEFAULT_LENGTH),
            sample=raw.get("mode") == "sample",
            temperature=_number(raw.get("temperature"), lo, hi, d.temperature),
            seed=_whole(raw.get("seed"), 0, MAX_SEED, d.seed),
            epoch=parse_epoch_choice(raw.get("epoch")),
        )


def _whole(v: Any, lo: int, hi: int, default: int) -> int:
    ok = isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi
    return int(v) if ok else default


def _number(v: Any, lo: float, hi: float, default: float) -> float:
    ok = isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= hi
    return float(v) if ok else default


class GenerateControls(QWidget):
    """Length, greedy or sampling (temperature, seed) in a row, and ``epoch`` (a picker the
    view places); ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.length = QSpinBox()
        self.length.setRange(1, MAX_LENGTH)
        self.length.setKeyboardTracking(False)
        self.greedy = QRadioButton("most likely")
        self.sample = QRadioButton("sample")
        self.greedy.setChecked(True)
        self._mode = QButtonGroup(self)
        self._mode.addButton(self.greedy)
        self._mode.addButton(self.sample)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(*TEMPERATURE_RANGE)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setKeyboardTracking(False)
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)
        self.another = QPushButton("Another")
        self.epoch = EpochPicker(controller)
        self.typical = DEFAULT_LENGTH  # symbols a typical line has after its first
        self.length_follows = True  # the length is the typical line's until one is typed

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        pairs: list[tuple[QWidget, str]] = [
            (QLabel("Length:"), texts.LENGTH), (self.length, texts.LENGTH),
            (QLabel("   Choose:"), texts.GREEDY), (self.greedy, texts.GREEDY),
            (self.sample, texts.SAMPLE), (QLabel("temperature"), texts.TEMPERATURE),
            (self.temperature, texts.TEMPERATURE), (QLabel("seed"), texts.SEED),
            (self.seed, texts.SEED), (self.another, texts.ANOTHER),
        ]  # fmt: skip
        for widget, tip in pairs:
            widget.setToolTip(tip)
            layout.addWidget(widget)
        layout.addStretch(1)  # the epoch picker is laid out by the view, on a row of its own
        self.set_settings(Settings())

        self.length.valueChanged.connect(self._on_length_changed)
        self.sample.toggled.connect(self._on_mode_toggled)
        self.temperature.valueChanged.connect(self._on_sampling_changed)
        self.seed.valueChanged.connect(self._on_sampling_changed)
        self.another.clicked.connect(lambda: self.seed.setValue((self.seed.value() + 1) % MAX_SEED))
        self.epoch.changed.connect(self.changed)

    def settings(self, prompt: str | None) -> Settings:
        return Settings(
            prompt=prompt,
            length=None if self.length_follows else self.length.value(),
            sample=self.sample.isChecked(),
            temperature=self.temperature.value(),
            seed=self.seed.value(),
            epoch=self.epoch.choice(),
        )

    def set_settings(self, s: Settings) -> None:
        """Show ``s`` without emitting ``changed``."""
        self.blockSignals(True)
        self.length_follows = s.length is None
        self.length.setValue(self.typical if s.length is None else s.length)
        (self.sample if s.sample else self.greedy).setChecked(True)
        self.temperature.setValue(s.temperature)
        self.seed.setValue(s.seed)
        self.epoch.set_choice(s.epoch)
        self._enable_sampling(s.sample)
        self.blockSignals(False)

    def set_typical(self, symbols: int) -> None:
        """A typical line has ``symbols`` after its first: the length, unless one was typed."""
        self.typical = max(1, min(MAX_LENGTH, symbols))
        if self.length_follows and self.length.value() != self.typical:
            self.length.blockSignals(True)
            self.length.setValue(self.typical)
            self.length.blockSignals(False)

    def _on_length_changed(self) -> None:
        self.length_follows = False
        self.changed.emit()

    def _enable_sampling(self, on: bool) -> None:
        for w in (self.temperature, self.seed, self.another):
            w.setEnabled(on)

    def _on_mode_toggled(self, sample: bool) -> None:
        self._enable_sampling(sample)
        self.changed.emit()

    def _on_sampling_changed(self) -> None:
        if self.sample.isChecked():
            self.changed.emit()
