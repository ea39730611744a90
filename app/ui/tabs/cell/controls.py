"""The view's controls: which sequence, which epoch (stored snapshots), which time step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.analysis.epochs import step
from app.data import DataError
from app.data.dataset import SequenceData
from app.data.tokenize import split_lines
from app.project import Project
from app.ui.tabs.cell import texts
from app.ui.widgets.line_combo import excerpt_labels, line_combo, line_label
from app.ui.widgets.qt_int import qt_int


def sequence_labels(project: Project, data: SequenceData) -> list[str]:
    """ "line 3: Doug saw Jane. …" for each sequence, as typed (a stream's excerpts:
    :func:`~app.ui.widgets.line_combo.excerpt_label`); validation lines marked."""
    try:
        _, held_out = project.split(data)
    except (DataError, ValueError):
        held_out = []
    if data.mode == "stream":
        return excerpt_labels(data, project.tokenizer, held_out)
    lines = split_lines(project.text)
    labels = []
    for i, line in enumerate(data.line_numbers):
        typed = lines[line - 1] if 0 < line <= len(lines) else ""
        mark = "  (validation)" if i in held_out else ""
        labels.append(line_label(line, typed, mark))
    return labels


class EpochSpin(QSpinBox):
    """An epoch number; the arrows, PgUp/PgDn and :meth:`step_stored` go from one stored
    epoch to the next (other epochs can be typed: the nearest stored one is shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stored: list[int] = [0]
        self.setRange(0, 0)
        self.setKeyboardTracking(False)  # typing "120" is not three epochs in a row
        self.setAccelerated(True)

    def set_stored(self, epochs: list[int], maximum: int) -> None:
        self.stored = sorted(epochs) or [0]
        top = qt_int(max(maximum, self.stored[-1]))
        if self.maximum() != top:
            blocked = self.blockSignals(True)  # a clamped value is not the learner's choice
            self.setMaximum(top)
            self.blockSignals(blocked)

    def neighbour(self, epoch: int, steps: int) -> int:
        """The stored epoch ``steps`` places after (or before, if negative) ``epoch``."""
        return step(self.stored, epoch, steps) or 0  # None only for no epochs: never here

    def setValue(self, value: int) -> None:
        """Show epoch ``value`` (clamped to what a Qt spin box holds)."""
        super().setValue(qt_int(value))

    def stepBy(self, steps: int) -> None:
        # Qt's PgUp/PgDn step by 10 stored epochs; the arrows by one.
        self.setValue(self.neighbour(self.value(), steps))


class ControlBar(QWidget):
    """Sequence selector, epoch selector, "latest" toggle and the export button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sequence_combo = line_combo(texts.SEQUENCE_TIP, 24)
        self.epoch_spin = EpochSpin()
        self.epoch_spin.setToolTip(texts.EPOCH_TIP)
        self.epoch_spin.setMinimumWidth(80)
        self.epoch_note = QLabel()
        self.epoch_note.setToolTip(texts.EPOCH_TIP)
        self.latest_check = QCheckBox("Latest")
        self.latest_check.setToolTip(texts.LATEST_TIP)
        self.export_button = QPushButton("Export image…")
        self.export_button.setToolTip(texts.EXPORT_TIP)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sequence_label = QLabel("Sequence:")
        for caption, widget, tip in (
            (self.sequence_label, self.sequence_combo, texts.SEQUENCE_TIP),
            (QLabel("Epoch:"), self.epoch_spin, texts.EPOCH_TIP),
        ):
            caption.setToolTip(tip)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget, 1 if widget is self.sequence_combo else 0)
        layout.addWidget(self.epoch_note)
        layout.addWidget(self.latest_check)
        layout.addSpacing(12)
        layout.addWidget(self.export_button)


class StepBar(QWidget):
    """◀ slider ▶ over the time steps, and the hover read-out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.back = QToolButton()
        self.back.setArrowType(Qt.ArrowType.LeftArrow)
        self.back.setToolTip("Previous step (←)")
        self.forward = QToolButton()
        self.forward.setArrowType(Qt.ArrowType.RightArrow)
        self.forward.setToolTip("Next step (→)")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(texts.STEP_TIP)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.label = QLabel("step 1 of 1")
        self.label.setToolTip(texts.STEP_TIP)
        self.label.setMinimumWidth(110)
        self.readout = QLabel(texts.READOUT_IDLE)
        self.readout.setToolTip("The exact value of the cell under the mouse.")
        self.readout.setMinimumWidth(330)
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setWordWrap(True)  # a second line rather than a cut-off value
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Step:")
        caption.setToolTip(texts.STEP_TIP)
        layout.addWidget(caption)
        layout.addWidget(self.back)
        layout.addWidget(self.slider, 2)
        layout.addWidget(self.forward)
        layout.addWidget(self.label)
        layout.addSpacing(12)
        layout.addWidget(self.readout, 1)
