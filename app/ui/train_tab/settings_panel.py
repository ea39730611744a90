"""The model & training panel: network shape, training settings and the stop condition.

Widget ranges keep values inside what the engine accepts; whatever it still refuses is
shown in red under the form.  Settings that rebuild the model ask first
(:class:`~app.ui.document.edits.ProjectEdits`), and a refused or cancelled change puts the
widget back to the project's value.
"""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.engine.config import BIAS_INITS, DTYPES, MAX_HIDDEN, MODEL_KINDS, OPTIMIZERS
from app.engine.gates import GATES
from app.ui.document.document import Document, stop_condition
from app.ui.document.edits import ProjectEdits
from app.ui.shell import help_text
from app.ui.train_tab.lr_control import LearningRateControl
from app.ui.train_tab.stop_condition import StopConditionEdit

MAX_BATCH = 10_000
MAX_SEED = 2**128 - 1
NO_FORGET = (
    "Train an LSTM whose forget gate is held at 1 (wide open) at every step: the original "
    "1997 LSTM, which had no forget gate and so could never let go of a memory. Compare it "
    "with the LSTM on the preset 'Never a fresh start'.\n" + help_text.RESETS
)


class SettingsPanel(QWidget):
    """Model kind, hidden size, learning rate, optimiser, batch size, clipping, seed,
    validation split, number type, bias initialisation and stop condition."""

    def __init__(
        self, document: Document, edits: ProjectEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._edits = edits

        self.model_combo = QComboBox()
        for kind in MODEL_KINDS:
            title, about = help_text.MODEL_KINDS[kind]
            self.model_combo.addItem(title, kind)
            self.model_combo.setItemData(
                self.model_combo.count() - 1, about, Qt.ItemDataRole.ToolTipRole
            )
        self.model_combo.setToolTip(help_text.MODEL)
        self.model_about = QLabel()
        self.model_about.setWordWrap(True)
        self.model_about.setObjectName("hint")

        self.hidden_spin = _spin(1, MAX_HIDDEN, help_text.HIDDEN_SIZE, suffix=" units")
        self.no_forget_check = QCheckBox("held open: the 1997 LSTM")
        self.no_forget_check.setToolTip(NO_FORGET)
        self.lr_control = LearningRateControl()
        self.lr_control.setToolTip(help_text.LEARNING_RATE)
        self.optimizer_combo = QComboBox()
        for name in OPTIMIZERS:
            self.optimizer_combo.addItem(help_text.OPTIMIZER_NAMES[name], name)
        self.optimizer_combo.setToolTip(help_text.OPTIMIZER)
        self.batch_spin = _spin(1, MAX_BATCH, help_text.BATCH_SIZE, suffix=" sequences")
        self.clip_spin = QDoubleSpinBox()
        self.clip_spin.setRange(0.0, 1000.0)
        self.clip_spin.setSingleStep(0.5)
        self.clip_spin.setDecimals(2)
        self.clip_spin.setSpecialValueText("off")
        self.clip_spin.setKeyboardTracking(False)
        self.clip_spin.setToolTip(help_text.CLIPPING)
        self.seed_edit = QLineEdit()
        self.seed_edit.setValidator(QRegularExpressionValidator(r"[0-9]{1,39}"))
        self.seed_edit.setToolTip(help_text.SEED)
        self.new_seed_button = QToolButton()
        self.new_seed_button.setText("New")
        self.new_seed_button.setToolTip("Pick a new random seed. " + help_text.RESETS)
        seed_row = QHBoxLayout()
        seed_row.setContentsMargins(0, 0, 0, 0)
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.new_seed_button)
        self.validation_spin = _spin(0, 90, help_text.VALIDATION_SPLIT, suffix=" % held out")
        self.validation_spin.setSingleStep(5)
        self.validation_spin.setSpecialValueText("none (train on every line)")
        self.dtype_combo = QComboBox()
        for name in DTYPES:
            self.dtype_combo.addItem(name, name)
        self.dtype_combo.setToolTip(help_text.DTYPE)
        self.bias_init_combo = QComboBox()
        for name in BIAS_INITS:
            self.bias_init_combo.addItem(help_text.BIAS_INIT_NAMES[name], name)
        self.bias_init_combo.setToolTip(help_text.BIAS_INIT)
        self.stop_edit = StopConditionEdit()
        self.stop_edit.setToolTip(help_text.STOP_CONDITION)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c53030;")
        self.error_label.setToolTip(help_text.SETTINGS_ERROR)
        self.error_label.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_label("Model", help_text.MODEL), self.model_combo)
        form.addRow(self.model_about)
        form.addRow(_label("Hidden size", help_text.HIDDEN_SIZE), self.hidden_spin)
        form.addRow(_label("Forget gate", NO_FORGET), self.no_forget_check)
        form.addRow(_label("Learning rate", help_text.LEARNING_RATE), self.lr_control)
        form.addRow(_label("Optimiser", help_text.OPTIMIZER), self.optimizer_combo)
        form.addRow(_label("Batch size", help_text.BATCH_SIZE), self.batch_spin)
        form.addRow(_label("Clip gradients at", help_text.CLIPPING), self.clip_spin)
        form.addRow(_label("Seed", help_text.SEED), seed_row)
        form.addRow(_label("Validation", help_text.VALIDATION_SPLIT), self.validation_spin)
        form.addRow(_label("Numbers", help_text.DTYPE), self.dtype_combo)
        form.addRow(_label("Bias init", help_text.BIAS_INIT), self.bias_init_combo)
        form.addRow(_label("Stop", help_text.STOP_CONDITION), self.stop_edit)
        for combo in (self.model_combo, self.optimizer_combo, self.dtype_combo,
                      self.bias_init_combo):  # fmt: skip
            _shrinkable(combo)
        _shrinkable(self.stop_edit.kind_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.hidden_spin.valueChanged.connect(self._on_hidden_changed)
        self.no_forget_check.toggled.connect(self._on_no_forget_toggled)
        self.lr_control.value_changed.connect(self._on_learning_rate_changed)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        self.batch_spin.valueChanged.connect(self._on_batch_changed)
        self.clip_spin.valueChanged.connect(self._on_clip_changed)
        self.seed_edit.editingFinished.connect(self._on_seed_edited)
        self.new_seed_button.clicked.connect(self._on_new_seed_clicked)
        self.validation_spin.valueChanged.connect(self._on_validation_changed)
        self.dtype_combo.currentIndexChanged.connect(self._on_dtype_changed)
        self.bias_init_combo.currentIndexChanged.connect(self._on_bias_init_changed)
        self.stop_edit.changed.connect(self._on_stop_changed)
        edits.settings_error.connect(self._update_error)
        document.replaced.connect(self._update_from_project)
        document.edited.connect(self._update_from_project)
        self._update_from_project()

    # -- learner's changes ----------------------------------------------------------------
    def _on_model_changed(self) -> None:
        kind = self.model_combo.currentData()
        # A held gate the new kind does not have (forget, when the LSTM becomes a GRU) goes.
        clamp = tuple(c for c in self._document.project.model.clamp if c[0] in GATES[kind])
        self._change(kind=kind, clamp=clamp)

    def _on_no_forget_toggled(self, checked: bool) -> None:
        clamp = dict(self._document.project.model.clamp)
        clamp.pop("forget", None)
        if checked:
            clamp["forget"] = 1.0
        self._change(clamp=tuple(clamp.items()))

    def _on_hidden_changed(self, value: int) -> None:
        self._change(hidden_size=int(value))

    def _on_learning_rate_changed(self, lr: float) -> None:
        self._edits.set_learning_rate(lr)

    def _on_optimizer_changed(self) -> None:
        self._change(optimizer=self.optimizer_combo.currentData())

    def _on_batch_changed(self, value: int) -> None:
        self._change(batch_size=int(value))

    def _on_clip_changed(self, value: float) -> None:
        self._change(clip_norm=float(value))

    def _on_seed_edited(self) -> None:
        text = self.seed_edit.text()
        if text and int(text) <= MAX_SEED:
            self._change(seed=int(text))
        else:
            self._update_from_project()

    def _on_new_seed_clicked(self) -> None:
        self._change(seed=random.randrange(1, 1_000_000))

    def _on_validation_changed(self, percent: int) -> None:
        self._change(validation_split=percent / 100)

    def _on_dtype_changed(self) -> None:
        self._change(dtype=self.dtype_combo.currentData())

    def _on_bias_init_changed(self) -> None:
        self._change(bias_init=self.bias_init_combo.currentData())

    def _on_stop_changed(self, kind: str, value: float) -> None:
        self._edits.set_stop_condition(kind, value)

    def _change(self, **changes: Any) -> None:
        if not self._edits.change_settings(**changes):
            self._update_from_project()  # cancelled or refused: show what is really in use

    # -- showing the project --------------------------------------------------------------
    def _update_from_project(self) -> None:
        p = self._document.project
        widgets: list[QWidget] = [
            self.model_combo, self.hidden_spin, self.optimizer_combo, self.batch_spin,
            self.clip_spin, self.seed_edit, self.validation_spin, self.dtype_combo,
            self.no_forget_check, self.bias_init_combo,
        ]  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        self.model_combo.setCurrentIndex(self.model_combo.findData(p.model.kind))
        self.hidden_spin.setValue(p.model.hidden_size)
        self.no_forget_check.setChecked(dict(p.model.clamp).get("forget") == 1.0)
        self.no_forget_check.setEnabled(p.model.kind == "lstm")
        self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(p.train.optimizer))
        self.batch_spin.setValue(p.train.batch_size)
        stream = p.sequences == "stream"  # the batch: contiguous streams read side by side
        self.batch_spin.setSuffix(" streams" if stream else " sequences")
        self.batch_spin.setToolTip(help_text.BATCH_SIZE_STREAM if stream else help_text.BATCH_SIZE)
        self.clip_spin.setValue(p.train.clip_norm)
        if self.seed_edit.text() != str(p.seed):
            self.seed_edit.setText(str(p.seed))
        self.validation_spin.setValue(round(p.train.validation_split * 100))
        self.dtype_combo.setCurrentIndex(self.dtype_combo.findData(p.model.dtype))
        self.bias_init_combo.setCurrentIndex(self.bias_init_combo.findData(p.model.bias_init))
        for w in widgets:
            w.blockSignals(False)
        self.lr_control.set_value(p.train.learning_rate)
        self.stop_edit.set_condition(*stop_condition(p))
        self.model_about.setText(help_text.MODEL_KINDS[p.model.kind][1])

    def _update_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))


def _shrinkable(combo: QComboBox) -> QComboBox:
    """Let a combo box with long item texts shrink to a narrow dock (the popup stays wide)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _spin(low: int, high: int, tooltip: str, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)  # one change when typing ends, not one per digit
    spin.setToolTip(tooltip)
    return spin


def _label(text: str, tooltip: str) -> QLabel:
    label = QLabel(text)
    label.setToolTip(tooltip)
    return label
