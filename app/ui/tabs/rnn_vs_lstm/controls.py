"""The bar above the comparison: which two models, and Train both / Pause / Reset / Export."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.engine.config import MAX_HIDDEN, MODEL_KINDS, ModelConfig
from app.ui.tabs.rnn_vs_lstm import texts
from app.ui.tabs.rnn_vs_lstm.choice import KIND_NAMES, MAX_WINDOW
from app.ui.tabs.rnn_vs_lstm.curves import LEFT_COLOUR, RIGHT_COLOUR

KIND_LABELS = {"lstm": "LSTM", "rnn": "plain RNN", "gru": "GRU"}


def swatch(colour: str) -> str:
    return f"<span style='color:{colour}; font-size:large'>&#9632;</span>"


def window_suffix(steps: int) -> str:
    """The spin box's unit: "1 step back", "3 steps back"."""
    return " step back" if steps == 1 else " steps back"


class ControlBar(QWidget):
    """The widgets only; :class:`~app.ui.tabs.rnn_vs_lstm.view.VersusView` connects them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left_label = QLabel()
        self.left_label.setTextFormat(Qt.TextFormat.RichText)
        self.left_label.setToolTip(texts.LEFT_TIP)
        versus = QLabel("<b>vs</b>")
        right_swatch = QLabel(swatch(RIGHT_COLOUR))
        right_swatch.setTextFormat(Qt.TextFormat.RichText)

        self.kind_combo = QComboBox()
        for kind in MODEL_KINDS:
            self.kind_combo.addItem(KIND_LABELS.get(kind, KIND_NAMES[kind]), kind)
        self.kind_combo.setToolTip(texts.KIND_TIP)
        self.hidden_spin = QSpinBox()
        self.hidden_spin.setRange(1, MAX_HIDDEN)
        self.hidden_spin.setKeyboardTracking(False)  # one rebuild per typed number
        self.hidden_spin.setSuffix(" units")
        self.hidden_spin.setToolTip(texts.HIDDEN_TIP)
        self.window_label = QLabel("learning from")
        self.window_label.setToolTip(texts.WINDOW_TIP)
        self.window_spin = QSpinBox()
        self.window_spin.setRange(0, MAX_WINDOW)
        self.window_spin.setKeyboardTracking(False)
        self.window_spin.setSpecialValueText("whole line")  # 0: full back-propagation
        self.window_spin.setSuffix(window_suffix(1))
        self.window_spin.valueChanged.connect(self._on_window_value)
        self.window_spin.setToolTip(texts.WINDOW_TIP)
        self.window_note = QLabel()  # what "learning from" means, with the other choice
        self.window_note.setTextFormat(Qt.TextFormat.RichText)
        self.window_note.setWordWrap(True)
        self.window_note.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.window_note.setToolTip(texts.WINDOW_TIP)

        self.order_combo = QComboBox()
        self.order_combo.addItem("together", "together")
        self.order_combo.addItem("one after the other", "sequential")
        self.order_combo.setToolTip(texts.ORDER_TIP)
        style = self.style()
        self.train_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), "Train both"
        )
        font = self.train_button.font()
        font.setBold(True)
        self.train_button.setFont(font)
        self.train_button.setToolTip(texts.TRAIN_TIP)
        self.pause_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaPause), "Pause"
        )
        self.pause_button.setToolTip(texts.PAUSE_TIP)
        self.reset_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "Reset second"
        )
        self.reset_button.setToolTip(texts.RESET_TIP)
        self.export_button = QPushButton("Export image…")
        self.export_button.setToolTip(texts.EXPORT_TIP)

        # Two rows, so the tab fits next to the docks on a 1280-pixel screen: which two
        # networks (and Export) above, how to train them below.
        models = QHBoxLayout()
        widgets: tuple[QWidget, ...] = (
            self.left_label, versus, right_swatch, self.kind_combo, self.hidden_spin,
            self.window_label, self.window_spin,
        )  # fmt: skip
        for widget in widgets:
            models.addWidget(widget)
        models.addStretch(1)
        models.addWidget(self.export_button)
        training = QHBoxLayout()
        training.addWidget(QLabel("Train"))
        for widget in (self.order_combo, self.train_button, self.pause_button, self.reset_button):
            training.addWidget(widget)
        training.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addLayout(models)
        layout.addLayout(training)
        layout.addWidget(self.window_note)

    @Slot(int)
    def _on_window_value(self, value: int) -> None:
        self.window_spin.setSuffix(window_suffix(value))

    def show_choice(
        self,
        left: str,
        right: ModelConfig,
        window: int,
        order: str,
        long_memory: bool = False,
        stream: bool = False,
        project_window: int = 0,
    ) -> None:
        """Show the models and the order without announcing them as the learner's choice
        (``long_memory``: the long-memory example is open, see :func:`texts.window_note`;
        a ``stream`` always trains in windows: no "whole line", the sentence offers the
        project's window, ``project_window``, instead)."""
        self.left_label.setText(f"{swatch(LEFT_COLOUR)} <b>{left}</b> (yours)")
        for widget in (self.kind_combo, self.hidden_spin, self.window_spin, self.order_combo):
            widget.blockSignals(True)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(right.kind), 0))
        self.hidden_spin.setValue(right.hidden_size)
        self.window_spin.setMinimum(1 if stream else 0)
        self.window_spin.setValue(window)
        self.window_spin.setSuffix(window_suffix(window))  # (its signals are blocked)
        self.order_combo.setCurrentIndex(max(self.order_combo.findData(order), 0))
        self.window_note.setText(
            texts.stream_window_note(right.kind, window, project_window)
            if stream
            else texts.window_note(right.kind, window, long_memory)
        )
        for widget in (self.kind_combo, self.hidden_spin, self.window_spin, self.order_combo):
            widget.blockSignals(False)

    def enable(self, ready: bool, running: bool, resettable: bool) -> None:
        """Train when ready and idle, Pause while running, choices only while idle."""
        self.train_button.setEnabled(ready and not running)
        self.pause_button.setEnabled(running)
        self.reset_button.setEnabled(ready and resettable)
        for widget in (self.kind_combo, self.hidden_spin, self.window_spin, self.order_combo):
            widget.setEnabled(ready and not running)


def ask_restart(parent: QWidget) -> bool:
    """ "The second network has trained: start it again?" — True for Yes."""
    button = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent, texts.RESTART_TITLE, texts.RESTART_QUESTION, button.Yes | button.Cancel,
        button.Cancel,
    )  # fmt: skip
    return answer == button.Yes
