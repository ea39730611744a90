"""The experiment on *Generate*: the panel, and the untouched text beside the one written
with the experiment (same prompt, same settings, same random seed), with a one-line
reading of where they part (:func:`app.analysis.experiment.generation_reading`)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.analysis.experiment import generation_reading
from app.engine.config import ModelConfig
from app.engine.intervene import Intervention
from app.ui.document.document import Document
from app.ui.document.experiment import Experiment
from app.ui.plots import _theme as theme
from app.ui.tabs.symbols import text_html
from app.ui.widgets.experiment_panel import ACCENT, ExperimentPanel

STYLE = "white-space: pre-wrap"  # spaces of a characters model stay visible


class GenerateExperiment(QWidget):
    """The panel over a comparison line (hidden while there is no experiment)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment = Experiment.of(document)
        self.panel = ExperimentPanel(self.experiment)
        self.compare = QLabel()
        self.compare.setTextFormat(Qt.TextFormat.RichText)
        self.compare.setWordWrap(True)
        self.compare.hide()
        self._used: Intervention | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.panel)

    def fitting(self, config: ModelConfig) -> Intervention | None:
        """The experiment to write with (None: none, or it does not fit this network)."""
        self._used = self.experiment.fitting(config)
        return self._used

    def heading(self) -> str:
        """What goes before the text written with the experiment ("" without one)."""
        if self._used is None:
            return ""
        return f"<span style='color:{ACCENT}'><b>With the experiment:</b></span> "

    def show_runs(self, head: str, plain_tail: str, plain: list[str], changed: list[str]) -> None:
        """The untouched text (``head`` + ``plain_tail``) and the reading, under the
        text written with the experiment; hidden without an experiment."""
        iv = self._used
        if iv is None:
            self.compare.hide()
            return
        line = html.escape(generation_reading(plain, changed, iv))
        theme.set_label_text(
            self.compare,
            f"<b>Untouched:</b> <span style='color:{theme.MUTED}; {STYLE}'>"
            f"{text_html(head, theme.MUTED)}</span>"
            f"<b style='{STYLE}'>{text_html(plain_tail, theme.MUTED)}</b>"
            f"<br><i>{line}</i>",
        )
        self.compare.show()

    def hide_runs(self) -> None:
        self.compare.hide()
