"""The experiment on the Train tab: the panel, a click on a unit's row in the gate
heatmaps knocks that unit out (a second click brings it back), and the predictions of
the newest stored epoch with the experiment lined up under the untouched ones.

The loss and prediction plots keep showing the network as it trains; the strip and,
while an experiment is set, the gate heatmaps (:attr:`TrainExperiment.intervened`) are
computed from the newest snapshot (:func:`~app.analysis.sequence_view.view_at`) for the
sequence shown.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.analysis.sequence_view import SequenceView, view_at
from app.analysis.usable import UnusableWeights
from app.engine.intervene import ALL
from app.ui.document.document import Document
from app.ui.document.experiment import Experiment
from app.ui.plots import _theme as theme
from app.ui.widgets.experiment_panel import ExperimentPanel
from app.ui.widgets.experiment_strip import comparison_html

if TYPE_CHECKING:
    from app.training.controller import TrainingController

CLICK_HINT = "click a unit's row in the heatmaps to knock it out"
CLICK_TIP = "Click a hidden unit's row in the heatmaps below to knock it out (again: back)."


class TrainExperiment(QWidget):
    """The panel over the strip; :meth:`show_sequence` follows the sequence shown."""

    gates_changed = Signal()
    """The experiment changed: :attr:`intervened` is new (the gate heatmaps follow it)."""

    def __init__(
        self, controller: TrainingController, document: Document, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self.experiment = Experiment.of(document)
        self.panel = ExperimentPanel(self.experiment, hint=CLICK_HINT)
        self.panel.toggle.setToolTip(f"{self.panel.toggle.toolTip()} {CLICK_TIP}")
        self.compare = QLabel()
        self.compare.setTextFormat(Qt.TextFormat.RichText)
        self.compare.setWordWrap(True)
        self.compare.hide()
        self._index: int | None = None
        self.intervened: SequenceView | None = None
        """The sequence shown run with the experiment, at the newest stored epoch (None:
        no experiment that fits, or nothing to run): what the gate heatmaps show."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.panel)
        layout.addWidget(self.compare)
        self.experiment.changed.connect(self._on_changed)

    def show_sequence(self, index: int | None) -> None:
        """Compare the runs of sequence ``index`` at the newest stored epoch (None: hide)."""
        self._index = index
        self.intervened = None
        model = self._controller.model()
        snapshot = self._controller.snapshot(self._controller.epoch)
        if index is None or model is None or snapshot is None:
            self.compare.hide()
            return
        network, data = model
        iv = self.experiment.fitting(network.config)
        if iv is None or not 0 <= index < data.n_sequences:
            self.compare.hide()
            return
        try:
            plain = view_at(network, snapshot, data, index)
            changed = view_at(network, snapshot, data, index, iv)
        except UnusableWeights:
            self.compare.hide()
            return
        self.intervened = changed
        theme.set_label_text(self.compare, comparison_html(plain, changed, iv))
        self.compare.show()

    @Slot(int)
    def toggle_unit(self, unit: int) -> None:
        """Knock ``unit`` out, or bring it back if it is knocked out."""
        iv = self.experiment.intervention
        units = set(iv.knocked_out(self.experiment.config.hidden_size))
        units ^= {unit}
        self.panel.apply(replace(iv, knockout=tuple(sorted(units))))
        if iv.knockout == ALL or unit in iv.knockout:
            message = f"Unit {unit} is back (click its row again to knock it out)."
        else:
            message = f"Unit {unit} knocked out: its h and c are 0 at every step."
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 6000)

    @Slot()
    def _on_changed(self) -> None:
        self.show_sequence(self._index)
        self.gates_changed.emit()
