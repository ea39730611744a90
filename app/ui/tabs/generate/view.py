"""The Generate tab: a prompt, a roll-out from a stored epoch, and each step's candidates.

Everything runs on a snapshot's weights (the latest by default), never on the model
that is training, so it works while training runs.  While the tab is shown, every
change of a setting runs the roll-out again at once (it takes milliseconds); with
"latest" chosen it also follows training's frames (which the training controller paces).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.analysis.rollout import (
    PromptError,
    describe_ending,
    encode_prompt,
    join_symbols,
    roll_out_at,
    typed_prompt,
)
from app.analysis.usable import UnusableWeights
from app.engine.inference import Generated
from app.ui.document.document import Document
from app.ui.document.text_check import TextCheck
from app.ui.plots import _theme as theme
from app.ui.shell.image_export import export_button, save_widget_image
from app.ui.tabs.generate import texts
from app.ui.tabs.generate.candidates import CandidatesTable
from app.ui.tabs.generate.controls import GenerateControls, Settings
from app.ui.tabs.generate.experiment import GenerateExperiment
from app.ui.tabs.generate.heatmap import RolloutHeatmap
from app.ui.tabs.symbols import text_html
from app.ui.widgets.shown import RefreshWhenShown

if TYPE_CHECKING:
    from app.training.controller import TrainingController
    from app.training.frames import Frame

UI_KEY = "generate"


HEATMAP_WIDTH = 380
"""The heatmap's share of the width before the table grows to its full width."""
STREAM_LENGTH = 200
"""The default length in a stream: a few lines of text."""


class GenerateView(QWidget):
    """Prompt → roll-out → text, the loop it falls into, and the candidates at each step."""

    def __init__(
        self, controller: TrainingController, document: Document, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._document = document
        self.result: Generated | None = None
        self.text = ""  # the prompt and the continuation as plain text
        self._text = TextCheck()

        self.prompt = QLineEdit()
        self.prompt.setToolTip(texts.PROMPT)
        self.prompt.setClearButtonEnabled(True)
        self.generate_button = QPushButton("Generate")
        self.generate_button.setToolTip(texts.GENERATE)
        self.generate_button.setDefault(True)
        self.controls = GenerateControls(controller)
        self.experiment = GenerateExperiment(document)  # the run intervened on, and the untouched
        explain = QLabel(texts.EXPLAIN)
        explain.setObjectName("generateExplain")
        explain.setWordWrap(True)  # (the theme's text colour: grey was hard to read)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(f"color: {theme.WRONG}; font-weight: bold")
        self.message.hide()

        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.RichText)
        self.sentence.setToolTip(texts.SENTENCE)
        font = self.sentence.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)  # read from the back of the room
        self.sentence.setFont(font)
        self.ending = QLabel()
        self.ending.setWordWrap(True)
        self.ending.setToolTip(texts.ENDING)
        self.table = CandidatesTable()
        self.heatmap = RolloutHeatmap()
        self.heatmap.setToolTip(texts.HEATMAP)
        self.copy_button = QPushButton("Copy text")
        self.copy_button.setToolTip(texts.COPY)
        self.export = export_button(self, "generated", self.export_image)

        top = QHBoxLayout()
        prompt_label = QLabel("Prompt:")
        prompt_label.setToolTip(texts.PROMPT)
        top.addWidget(prompt_label)
        top.addWidget(self.prompt, 1)
        top.addWidget(self.generate_button)
        # Three short rows rather than one long one: the tab must fit beside the docks.
        third = QHBoxLayout()
        third.addWidget(self.controls.epoch)
        third.addStretch(1)
        third.addWidget(self.copy_button)
        third.addWidget(self.export)
        self.results = QWidget()  # what an exported image shows
        self.results.setAutoFillBackground(True)
        palette = self.results.palette()  # white like the plots, on screen and exported
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.BACKGROUND))
        self.results.setPalette(palette)
        results = QVBoxLayout(self.results)
        results.setContentsMargins(4, 4, 4, 4)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.heatmap)
        self.splitter.setStretchFactor(0, 0)  # the table takes what it needs
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._user_sized = False  # the divider was dragged: leave it where it was put
        self.splitter.splitterMoved.connect(self._on_divider_moved)
        results.addWidget(self.sentence)
        results.addWidget(self.experiment.compare)
        results.addWidget(self.ending)
        results.addWidget(self.splitter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.controls)
        layout.addWidget(self.experiment)
        layout.addLayout(third)
        layout.addWidget(explain)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)

        self._refresh = RefreshWhenShown(self, self.generate)
        self.prompt.returnPressed.connect(self.generate)
        self.generate_button.clicked.connect(self.generate)
        self.controls.changed.connect(self._on_settings_changed)
        self.experiment.experiment.changed.connect(self._on_settings_changed)
        self.copy_button.clicked.connect(self.copy_text)
        controller.frame_ready.connect(self._on_frame_ready)
        document.replaced.connect(self._restore)
        document.edited.connect(self._on_edited)
        self._restore()

    # -- public API -----------------------------------------------------------------------
    def generate(self) -> bool:
        """Run the roll-out with the current settings; False (and a message) if it cannot."""
        self._refresh.stale = False
        self._save_settings()
        model = self._controller.model()
        snap = self.controls.epoch.snapshot()
        if model is None or snap is None or not self._text.trainable:
            return self._fail(texts.NO_MODEL)
        network, data = model
        tokenizer = data.spec.to_string()
        try:
            stream = data.mode == "stream"
            prefix = encode_prompt(self.prompt.text(), tokenizer, data.vocabulary, stream)
        except PromptError as exc:
            return self._fail(str(exc))
        s = self.controls.settings(self.prompt.text())
        rng = np.random.default_rng(s.seed) if s.sample else None
        temperature = s.temperature if s.sample else 0.0
        iv = self.experiment.fitting(network.config)
        try:
            length = self.controls.length.value()
            result = roll_out_at(network, snap, prefix, length, temperature, rng, iv)
            plain = None  # the untouched roll-out, from the same seed
            if iv is not None:
                rng = np.random.default_rng(s.seed) if s.sample else None
                plain = roll_out_at(network, snap, prefix, length, temperature, rng)
        except UnusableWeights as exc:  # NaN weights: say so where the text would be
            return self._fail(f"{exc} {texts.UNUSABLE}")
        vocabulary = data.vocabulary.symbols
        prompt_symbols = [vocabulary[i] for i in prefix]
        written = [vocabulary[i] for i in result.ids]
        self.result = result
        self._show(prompt_symbols, written, tokenizer, snap.epoch, result, vocabulary)
        if plain is not None:
            untouched = [vocabulary[i] for i in plain.ids]
            head = join_symbols(prompt_symbols, tokenizer)
            tail = join_symbols(prompt_symbols + untouched, tokenizer)[len(head) :]
            self.experiment.show_runs(head, tail, untouched, written)
        else:
            self.experiment.hide_runs()
        return True

    def copy_text(self) -> None:
        if self.text:
            QGuiApplication.clipboard().setText(self.text)

    def export_image(self, path: str) -> None:
        """The generated text, the table and the heatmap as one picture (PNG or SVG)."""
        save_widget_image(self.results, path)

    # -- showing ----------------------------------------------------------------------------
    def _show(
        self,
        prompt: list[str],
        written: list[str],
        tokenizer: str,
        epoch: int,
        result: Generated,
        vocabulary: tuple[str, ...],
    ) -> None:
        self.message.hide()
        head = join_symbols(prompt, tokenizer)
        self.text = join_symbols(prompt + written, tokenizer)
        tail = self.text[len(head) :]  # joining is left to right, so the head is a prefix
        mode = "most likely" if not self.controls.sample.isChecked() else "sampled"
        style = "white-space: pre-wrap"  # spaces of a characters model stay visible
        theme.set_label_text(
            self.sentence,
            f"{self.experiment.heading()}"
            f"<span style='color:{theme.MUTED}; {style}'>{text_html(head, theme.MUTED)}</span>"
            f"<b style='{style}'>{text_html(tail, theme.MUTED)}</b>",
        )
        ending = describe_ending(result.ids, vocabulary)
        theme.set_label_text(
            self.ending,
            f"Epoch {epoch:,}, {len(written)} symbols after the prompt (in grey), {mode}. {ending}",
        )
        inputs = [prompt[-1], *written[:-1]]
        self.table.set_rollout(inputs, result.ids, result.probs, vocabulary)
        self.heatmap.set_rollout(inputs, result.ids, result.probs, vocabulary)
        self._balance()

    def _balance(self) -> None:
        """The table as wide as its columns want if the heatmap keeps a useful width (the
        table scrolls sideways otherwise), until the learner drags the divider."""
        total = sum(self.splitter.sizes())
        if self._user_sized or total <= 0:
            return
        heatmap = max(HEATMAP_WIDTH, self.heatmap.minimumSizeHint().width())
        table = max(self.table.minimumSizeHint().width(), min(self.table.sizeHint().width(),
                                                              total - heatmap))  # fmt: skip
        self.splitter.setSizes([table, max(0, total - table)])

    @Slot()
    def _on_divider_moved(self) -> None:
        self._user_sized = True

    def _fail(self, message: str) -> bool:
        self.result = None
        self.text = ""
        self.message.setText(message)
        self.message.show()
        self.sentence.clear()
        self.experiment.hide_runs()
        self.ending.clear()
        self.table.setRowCount(0)
        self.heatmap.clear()
        return False

    # -- updates ------------------------------------------------------------------------------
    def _on_settings_changed(self) -> None:
        self._refresh.request()

    def _on_edited(self) -> None:
        if self._text.update(self._document.project):
            self._measure_lines()
            self._on_settings_changed()

    def _on_frame_ready(self, frame: Frame) -> None:
        self.controls.epoch.update_range()
        if frame.replaces_history or self.controls.epoch.choice() is None:
            self._refresh.request()

    def _default_prompt(self) -> str:
        """The first symbol of the text: a prompt the network has surely seen."""
        try:
            data = self._document.project.data()
        except ValueError:  # DataError: no usable text yet
            return ""
        return typed_prompt(data.tokens[0][:1], data.spec.to_string()) if data.tokens else ""

    def _measure_lines(self) -> None:
        """The default length: what a typical (median) training line has after its first
        symbol, so the roll-out stops about where the lines it learned from end."""
        try:
            data = self._document.project.data()
        except ValueError:  # DataError: no usable text yet
            return
        if data.mode == "stream":  # excerpts are no lines it learned to end: a paragraph
            self.controls.set_typical(STREAM_LENGTH)
        elif data.tokens:
            self.controls.set_typical(int(np.median([len(t) for t in data.tokens])) - 1)

    # -- view state ----------------------------------------------------------------------------
    def _save_settings(self) -> None:
        self._document.store_ui(UI_KEY, self.controls.settings(self.prompt.text()).to_json())

    def _restore(self) -> None:
        """The project's stored settings (checked), or the defaults."""
        s = Settings.from_json(self._document.project.ui.get(UI_KEY))
        self._text.update(self._document.project)
        self.controls.epoch.update_range()
        self._measure_lines()
        self.controls.set_settings(s)
        self.prompt.setText(self._default_prompt() if s.prompt is None else s.prompt)
        self._fail("")
        self.message.hide()
        self._refresh.request()

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: generate with an earlier or later epoch's weights."""
        return self.controls.epoch.present_step(delta)
