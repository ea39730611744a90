"""The *Experiment* control: hold a gate, knock out units, wipe the memory — on one project.

A compact, collapsible strip: a header (what the experiment is, in words, and *Clear
experiment*) over one row per gate of the model in the lecture's words (forget, ignore,
select, possibilities; GRU reset, update), the knocked-out units and the wipe.  Every
panel edits the document's one :class:`~app.ui.document.experiment.Experiment`, so the
views that show it (Inside the cell, Generate) always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.experiment import phrase
from app.engine.gates import GATES, Clamp
from app.engine.intervene import ALL, Intervention, InterventionError
from app.ui.document.experiment import Experiment
from app.ui.plots import _theme as theme
from app.ui.widgets.experiment_rows import GateRow, parse_units

ACCENT = "#b35900"  # the experiment's colour: pins on the diagram, the header (with words)
TIP = (
    "Experiment on the mechanism: change how the trained network runs — hold a gate at a "
    "value, knock out hidden units, wipe the memory — and compare with the untouched run. "
    "The trained weights never change; Clear experiment puts everything back."
)
RNN_NOTE = "An RNN has no gates to hold: knock out units or wipe its memory."
UNITS_TIP = "Hidden units (from 0) whose h and c are 0 at every step, e.g. 0, 3, 5-7."


class ExperimentPanel(QWidget):
    """Header + collapsible rows editing ``experiment``; ``extra`` widgets join the header."""

    def __init__(
        self, experiment: Experiment, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.experiment = experiment
        self._hint = f" ({hint})" if hint else ""
        self.setToolTip(TIP)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setText("Experiment")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolTip(TIP)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.clear_button = QPushButton("Clear experiment")
        self.clear_button.setToolTip("Back to the network as trained (one click).")
        self.header = QHBoxLayout()
        self.header.setContentsMargins(0, 0, 0, 0)
        self.header.addWidget(self.toggle)
        self.header.addWidget(self.summary, 1)
        self.header.addWidget(self.clear_button)

        self.body = QWidget()
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.rows: dict[str, GateRow] = {}
        self.rnn_note = QLabel(RNN_NOTE)
        self.rnn_note.setStyleSheet(f"color: {theme.MUTED}")
        self.units = QLineEdit()
        self.units.setPlaceholderText("e.g. 0, 3, 5-7")
        self.units.setToolTip(UNITS_TIP)
        self.all_units = QCheckBox("all")
        self.all_units.setToolTip("Knock out every hidden unit: the network has no memory.")
        self.clear_units = QPushButton("clear")
        self.clear_units.setToolTip("No unit knocked out.")
        self.wipe = QCheckBox("wipe memory after step")
        self.wipe.setToolTip("Set the memory (c and h) to 0 after this step: “away for two weeks”.")
        self.wipe_step = QSpinBox()
        self.wipe_step.setValue(3)
        self.wipe_step.setKeyboardTracking(False)
        self.wipe_step.setRange(1, 9999)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.WRONG}")
        self.error.hide()
        self.body.hide()
        rest = QHBoxLayout()
        rest.setContentsMargins(0, 0, 0, 0)
        knock = QLabel("knock out units:")
        knock.setToolTip(UNITS_TIP)
        for w in (knock, self.units, self.all_units, self.clear_units):
            rest.addWidget(w)
        rest.addSpacing(16)
        rest.addWidget(self.wipe)
        rest.addWidget(self.wipe_step)
        rest.addStretch(1)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(18, 0, 0, 0)
        body.setSpacing(2)
        body.addLayout(self.grid)
        body.addWidget(self.rnn_note)
        body.addLayout(rest)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.header)
        layout.addWidget(self.body)
        layout.addWidget(self.error)
        self._kind = ""
        self._build_rows()

        self.toggle.toggled.connect(self._on_toggled)
        self.clear_button.clicked.connect(self._on_clear)
        self.units.editingFinished.connect(self._on_edited)
        self.all_units.toggled.connect(self._on_edited)
        self.clear_units.clicked.connect(self._on_clear_units)
        self.wipe.toggled.connect(self._on_edited)
        self.wipe_step.valueChanged.connect(self._on_edited)
        experiment.changed.connect(self._on_changed)
        experiment.dropped.connect(self._on_dropped)
        experiment.document.edited.connect(self._on_document_edited)
        experiment.document.replaced.connect(self._on_document_edited)
        self._on_changed()

    # -- public ---------------------------------------------------------------------------
    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def add_to_header(self, widget: QWidget) -> None:
        """An action of the tab (e.g. "Wipe memory here") next to Clear experiment."""
        self.header.insertWidget(self.header.count() - 1, widget)

    def apply(self, intervention: Intervention) -> bool:
        """Make ``intervention`` the experiment; False (and a red line) if it does not fit."""
        try:
            self.experiment.set(intervention)
        except InterventionError as exc:
            self._show_error(str(exc))
            self._sync()
            return False
        self._show_error("")
        return True

    # -- building ---------------------------------------------------------------------------
    def _build_rows(self) -> None:
        kind = self.experiment.config.kind
        if kind == self._kind:
            return
        self._kind = kind
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = {g: GateRow(g) for g in GATES.get(kind, ())}
        for k, row in enumerate(self.rows.values()):
            r, c = divmod(k, 2)
            for j, w in enumerate(row.widgets):
                self.grid.addWidget(w, r, 3 * c + j)
            row.check.toggled.connect(self._on_edited)
            row.spin.valueChanged.connect(self._on_edited)
            row.slider.valueChanged.connect(self._on_slider)
        self.rnn_note.setVisible(not self.rows)

    def _read(self) -> Intervention:
        """The experiment the widgets describe (units of a clamp read from a file are kept)."""
        old = {c.gate: c for c in self.experiment.intervention.clamps}
        clamps = tuple(
            Clamp(g, row.value(), old[g].units if g in old else None)
            for g, row in self.rows.items()
            if row.check.isChecked()
        )
        knockout: tuple[int, ...] | str = (
            ALL if self.all_units.isChecked() else parse_units(self.units.text())
        )
        wipe = self.wipe_step.value() if self.wipe.isChecked() else None
        return Intervention(clamps, knockout, wipe)  # type: ignore[arg-type]

    def _sync(self) -> None:
        """Show the experiment in the widgets without their signals firing."""
        self._build_rows()
        iv = self.experiment.intervention
        clamps = {c.gate: c for c in iv.clamps}
        for g, row in self.rows.items():
            row.set(clamps.get(g))
        for w in (self.units, self.all_units, self.wipe, self.wipe_step):
            w.blockSignals(True)
        self.all_units.setChecked(iv.knockout == ALL)
        self.units.setEnabled(iv.knockout != ALL)
        if iv.knockout != ALL:
            self.units.setText(", ".join(str(u) for u in iv.knockout))
        self.wipe.setChecked(iv.wipe_after is not None)
        if iv.wipe_after is not None:
            self.wipe_step.setValue(iv.wipe_after)
        for w in (self.units, self.all_units, self.wipe, self.wipe_step):
            w.blockSignals(False)
        if iv.is_empty:
            text = (
                f"<span style='color:{theme.MUTED}'>none — the network runs as trained"
                f"{self._hint}</span>"
            )
        else:
            text = f"<b style='color:{ACCENT}'>{phrase(iv)}</b>"
        theme.set_label_text(self.summary, text)
        self.clear_button.setEnabled(not iv.is_empty)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- events -----------------------------------------------------------------------------
    @Slot()
    def _on_changed(self) -> None:
        self._sync()

    @Slot()
    def _on_document_edited(self) -> None:
        if self.experiment.config.kind != self._kind:
            self._sync()

    @Slot(str)
    def _on_dropped(self, message: str) -> None:
        self._show_error(message)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 10000)

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    @Slot()
    def _on_clear(self) -> None:
        self._show_error("")
        self.experiment.clear()

    @Slot()
    def _on_clear_units(self) -> None:
        self.units.clear()
        self.all_units.setChecked(False)
        self._on_edited()

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        row = next(r for r in self.rows.values() if r.slider is self.sender())
        row.spin.setValue(value / 100)  # → _on_edited
        if not row.check.isChecked():
            row.check.setChecked(True)

    @Slot()
    def _on_edited(self) -> None:
        for row in self.rows.values():
            blocked = row.slider.blockSignals(True)
            row.slider.setValue(round(row.spin.value() * 100))
            row.slider.blockSignals(blocked)
        try:
            intervention = self._read()
        except (ValueError, InterventionError) as exc:
            self._show_error(str(exc))
            return
        self.apply(intervention)
