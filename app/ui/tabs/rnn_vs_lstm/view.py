"""The "RNN vs LSTM" tab: two networks on the same data from the same seed, side by side.

The left network is the project's, trained by the window's controller; the right one
(the *rival*) has a second controller owned here (:class:`RivalSide`).  Frames from
both only append to the curves' arrays and mark the view dirty; it redraws on the event
loop's next turn, and only while the tab is visible.  Predictions and generated
text come from each network's newest stored snapshot, never from a live trainer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.analysis import rnn_vs_lstm as compare
from app.analysis.usable import UnusableWeights
from app.project import Project
from app.training.frames import Frame
from app.ui.document.document import Document, stop_condition, with_ui
from app.ui.shell.image_export import ask_and_export, save_widget_image
from app.ui.tabs.rnn_vs_lstm import texts
from app.ui.tabs.rnn_vs_lstm.choice import UI_KEY, VersusChoice, model_name, short_names
from app.ui.tabs.rnn_vs_lstm.closing import CloseWatcher
from app.ui.tabs.rnn_vs_lstm.controls import ControlBar, ask_restart
from app.ui.tabs.rnn_vs_lstm.curves import LEFT_COLOUR, RIGHT_COLOUR, OverlayPlot
from app.ui.tabs.rnn_vs_lstm.duo import Duo
from app.ui.tabs.rnn_vs_lstm.panels import SideBySide
from app.ui.tabs.rnn_vs_lstm.rival import RivalSide, usable
from app.ui.widgets.banner import Banner

if TYPE_CHECKING:
    from app.training.controller import TrainingController

TYPING_MS = 50  # settings typed in redraw once the typing pauses


class VersusView(QWidget):
    """Choose a second network, train both, compare curves, predictions and writing."""

    def __init__(self, controller: TrainingController, document: Document) -> None:
        super().__init__()
        self.controller = controller
        self.document = document
        self.rival = RivalSide(self)
        self.duo = Duo(controller, self.rival.controller, self)
        self.choice = VersusChoice()
        self.trainable = False
        self.names = ("", "")
        self._shown_key: tuple[object, ...] | None = None

        self.controls = ControlBar()
        self.plot = OverlayPlot()
        self.side_by_side = SideBySide()
        self.banner = Banner()  # weights nothing can be computed from
        self.content = QSplitter(Qt.Orientation.Vertical)
        self.content.addWidget(self.plot)
        # The tables scroll in a short window rather than squeeze the curves below their
        # axis names (at 1920×1080 × 2 the view is 960×540).
        self.tables = QScrollArea()
        self.tables.setWidget(self.side_by_side)
        self.tables.setWidgetResizable(True)
        self.tables.setFrameShape(QFrame.Shape.NoFrame)
        self.tables.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content.addWidget(self.tables)
        self.content.setStretchFactor(0, 3)
        self.content.setStretchFactor(1, 2)
        self.content.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        layout.addWidget(self.banner)
        layout.addWidget(self.content, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._refresh)
        self._dirty = True
        self._user_sized = False  # the divider was dragged: leave it where it was put
        self.content.splitterMoved.connect(self._on_divider_moved)
        self.side_by_side.installEventFilter(self)  # its rows change: balance again
        self._connect()
        self.closing = CloseWatcher(self, self.shutdown)
        self._on_replaced()

    def _connect(self) -> None:
        d, b, s = self.document, self.controls, self.side_by_side
        self.controller.frame_ready.connect(lambda frame: self._on_frame("left", frame))
        self.rival.controller.frame_ready.connect(lambda frame: self._on_frame("right", frame))
        self.duo.changed.connect(self._update_buttons)
        d.replaced.connect(self._on_replaced)
        d.edited.connect(self._on_edited)
        d.about_to_save.connect(self._on_about_to_save)
        b.kind_combo.activated.connect(self._on_kind_chosen)
        b.hidden_spin.valueChanged.connect(self._on_hidden_chosen)
        b.window_spin.valueChanged.connect(self._on_window_chosen)
        b.window_note.linkActivated.connect(self._on_window_link)
        b.order_combo.activated.connect(
            lambda: self._store(replace(self.choice, order=b.order_combo.currentData()))
        )
        b.train_button.clicked.connect(self.train_both)
        b.pause_button.clicked.connect(self.duo.pause)
        b.reset_button.clicked.connect(self.reset_rival)
        b.export_button.clicked.connect(
            lambda: ask_and_export(self, "rnn-vs-lstm.png", self.export_image)
        )
        s.hint.linkActivated.connect(self._on_window_link)
        s.sequence_combo.currentIndexChanged.connect(self._on_sequence_chosen)
        s.prompt_edit.textEdited.connect(
            lambda text: self._store(replace(self.choice, prompt=text))
        )
        s.steps_spin.valueChanged.connect(
            lambda steps: self._store(replace(self.choice, steps=steps))
        )
        self.plot.log_check.toggled.connect(
            lambda on: self._store(replace(self.choice, log_scale=on))
        )

    # -- public API -----------------------------------------------------------------
    def train_both(self) -> None:
        """Bring the two networks to the same epoch, then train both (together, or the
        project's first), per the order chosen; the curves are shown in full."""
        if self.trainable and self.rival.project is not None:
            self.plot.fit()
            problem = self.duo.start(self.choice.order, stop_condition(self.document.project))
            self.side_by_side.show_message(problem)

    def reset_rival(self) -> None:
        """A fresh second network: same seed, so the same initial weights as a new one."""
        trained = self.rival.is_trained()
        self._install_fresh(self.document.project)
        if trained:
            self.document.set_modified(True)

    def shutdown(self) -> bool:
        """Stop the second network's thread (the window's close does this)."""
        self._timer.stop()
        self.duo.handing_over = False
        return self.rival.shutdown()

    def export_image(self, path: str) -> None:
        """The curves and both networks' rows as a PNG or SVG (by extension)."""
        self._refresh(force=True)
        save_widget_image(self.content, path, "LSTM Playground — RNN vs LSTM")

    # -- the project ------------------------------------------------------------------
    def _on_replaced(self) -> None:
        project = self.document.project
        self.choice = VersusChoice.from_ui(project.ui)
        self.duo.handing_over = False
        self.side_by_side.show_message("")
        self.trainable = usable(project)
        if not self.trainable:
            self.rival.project = None
        elif project.rival is None or not self.rival.install(project, project.rival):
            self._install_fresh(project)  # (else: the saved one, exactly where it stopped)
        self._after_change(sequences=True)

    def _on_edited(self) -> None:
        project = self.document.project
        if not self.rival.fits(project):  # new text or seed: the project's model was reset too
            self.trainable = usable(project)
            if self.trainable:
                self._install_fresh(project)
            else:
                self.duo.pause()
                self.rival.project = None
            self._after_change(sequences=True)
        elif not self.rival.is_trained() and self._wanted_differs(project):
            self._install_fresh(project)  # untrained: it follows the project's settings
            self._after_change(sequences=False)
        else:
            self._sync_controls()  # the project's model may have a new name

    def _wanted_differs(self, project: Project) -> bool:
        current = self.rival.project
        model = replace(self.choice.rival_model(project.model), vocab_size=project.model.vocab_size)
        wanted = (
            model,
            self.choice.rival_train(project.train, project.model, project.sequences == "stream"),
        )
        return current is None or (current.model, current.train) != wanted

    def _install_fresh(self, project: Project) -> None:
        model = self.choice.rival_model(project.model)
        if not self.rival.install_fresh(
            project,
            model,
            self.choice.rival_train(project.train, project.model, project.sequences == "stream"),
        ):
            self.side_by_side.show_message(self.rival.error)

    def _after_change(self, sequences: bool) -> None:
        self._sync_controls()
        if sequences:
            usable = self.document.project if self.trainable else None
            self.side_by_side.set_sequences(usable, self.choice.sequence)
            self._show_prompt()
        self._schedule()

    def _on_about_to_save(self, project: Project) -> None:
        try:
            project.rival = self.rival.capture()
        except (RuntimeError, ValueError):
            project.rival = None  # no second network to save (the text is unusable)

    # -- choices ----------------------------------------------------------------------
    def _on_kind_chosen(self) -> None:
        self._choose(replace(self.choice, kind=self.controls.kind_combo.currentData()))

    def _on_hidden_chosen(self, hidden: int) -> None:
        self._choose(replace(self.choice, hidden_size=hidden))

    def _on_window_chosen(self, window: int) -> None:
        self._choose(replace(self.choice, window=window))

    def _on_window_link(self, href: str) -> None:
        """ "whole line" / "1 step back" in the sentence under the choice: as the spin box."""
        window = texts.WINDOW_LINKS.get(href)
        project = self.document.project
        if window == 0 and project.sequences == "stream":  # a stream has no whole line
            window = project.train.tbptt_window  # the link offers the project's window
        if window is not None and self.controls.window_spin.isEnabled():
            self.controls.window_spin.setValue(window)  # asks first if it has trained

    def _choose(self, choice: VersusChoice) -> None:
        """A different second network (kind, size or window): a fresh one, asking first
        when the current one has trained.  A kind change keeps a default window default:
        a plain RNN learns 1 step back, another kind as the project's model."""
        project = self.document.project
        model = choice.rival_model(project.model)
        window = choice.rival_train(
            project.train, project.model, project.sequences == "stream"
        ).tbptt_window
        current = self.rival.project
        if current is not None and (
            current.model.kind,
            current.model.hidden_size,
            current.train.tbptt_window,
        ) == (model.kind, model.hidden_size, window):
            return
        trained = self.rival.is_trained()
        if trained and not ask_restart(self):
            self._sync_controls()  # back to the trained network's settings
            return
        self.choice = choice
        if self.trainable:
            self._install_fresh(project)
        self.document.update(with_ui(project, UI_KEY, self.choice.to_ui()), modified=trained)
        self._after_change(sequences=False)

    def _on_sequence_chosen(self, index: int) -> None:
        if index >= 0 and index != self.choice.sequence:
            self._store(replace(self.choice, sequence=index))
            if self.choice.prompt is None:
                self._show_prompt()

    def _store(self, choice: VersusChoice) -> None:
        """Keep a selection in the project (view state: not an unsaved change by itself)."""
        if choice == self.choice:
            return
        self.choice = choice
        self.document.update(with_ui(self.document.project, UI_KEY, choice.to_ui()), False)
        self._schedule(TYPING_MS)

    def _show_prompt(self) -> None:
        text = self.choice.prompt
        if text is None and self.trainable:
            text = compare.default_prompt(self.document.project.data(), self.choice.sequence)
        self.side_by_side.show_prompt(text or "")

    # -- training ---------------------------------------------------------------------
    def _on_frame(self, side: str, frame: Frame) -> None:
        if side == "right" and frame.reports and not frame.replaces_history:
            self.document.set_modified(True)  # at once: closing must ask, tab seen or not
        self._update_buttons()
        self._schedule()

    def _update_buttons(self) -> None:
        ready = self.trainable and self.rival.project is not None
        self.controls.enable(ready, self.duo.running(), self.rival.is_trained())

    def _sync_controls(self) -> None:
        project = self.document.project
        right = self.rival.model or self.choice.rival_model(project.model)
        window = (
            self.rival.project.train.tbptt_window
            if self.rival.project is not None
            else self.choice.rival_train(
                project.train, project.model, project.sequences == "stream"
            ).tbptt_window
        )
        self.names = short_names(project.model, right)
        left_name = model_name(project.model)
        self.plot.set_names(f"{left_name} (your project)", f"{model_name(right)} (second)")
        long_memory = self.document.project.preset == "long-memory"
        stream = project.sequences == "stream"
        self.controls.show_choice(left_name, right, window, self.choice.order, long_memory,
                                  stream, project.train.tbptt_window)  # fmt: skip
        if self.plot.log_check.isChecked() != self.choice.log_scale:
            self.plot.set_log_scale(self.choice.log_scale)
        self.side_by_side.steps_spin.blockSignals(True)
        self.side_by_side.steps_spin.setValue(self.choice.steps)
        self.side_by_side.steps_spin.blockSignals(False)
        self._update_buttons()

    # -- drawing ------------------------------------------------------------------------
    def _schedule(self, delay_ms: int = 0) -> None:
        """Redraw on the event loop's next turn (or after ``delay_ms``), if the tab is seen;
        a hidden tab redraws when it is shown (the training controller paces the frames)."""
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._timer.start(delay_ms)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._balance()
        if self._dirty:
            self._timer.start(0)

    def _refresh(self, force: bool = False) -> None:
        if not (self.isVisible() or force):
            return  # drawn when the tab is shown again
        self._dirty = False
        self.plot.redraw(self.controller.columns(), self.rival.controller.columns())
        self._update_comparison()
        series = self.plot.series.values()
        rival = self.rival.project
        both = all(len(s) and s.last("train_accuracy") == 1.0 for s in series)
        hint = ""
        if both and rival is not None and rival.model.kind == "rnn":
            long_memory = self.document.project.preset == "long-memory"
            hint = texts.both_learned(rival.train.tbptt_window == 0, long_memory)
        self.side_by_side.show_hint(hint)
        self._balance()

    def _balance(self) -> None:
        """The tables whole if they fit, the curves the rest (never below their minimum),
        until the learner drags the divider."""
        if self._user_sized or not self.isVisible():
            return
        total = sum(self.content.sizes()) or self.content.height()
        curves = self.plot.minimumSizeHint().height()
        tables = self.side_by_side.sizeHint().height()
        self.content.setSizes([max(curves, total - tables), max(0, min(tables, total - curves))])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.side_by_side and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self._balance)  # once the tables' new size is known
        return super().eventFilter(watched, event)

    @Slot()
    def _on_divider_moved(self) -> None:
        self._user_sized = True

    def _update_comparison(self) -> None:
        """Both networks on the chosen line and prompt, if anything changed since last time."""
        left = self.controller.snapshot(compare.LATEST) if self.trainable else None
        right = self.rival.controller.snapshot(compare.LATEST) if self.rival.project else None
        c, prompt = self.choice, self.side_by_side.prompt_edit.text()
        key = (left, right, (c.sequence, prompt, c.steps, self.names))
        old = self._shown_key
        if old is not None and old[0] is left and old[1] is right and old[2] == key[2]:
            return  # same snapshots, same question: the rows on screen are still right
        left_model, right_model = self.controller.model(), self.rival.controller.model()
        if left is None or right is None or left_model is None or right_model is None:
            self._shown_key = None
            self.banner.dismiss()
            self.side_by_side.clear()
            return
        self._shown_key = key
        try:
            sides = (
                compare.side_at(*left_model, left, self.names[0], LEFT_COLOUR),
                compare.side_at(*right_model, right, self.names[1], RIGHT_COLOUR),
            )
            self.side_by_side.compare((sides[0], sides[1]), c.sequence, prompt, c.steps)
        except UnusableWeights as exc:  # NaN weights: say which network, not NaN rows
            self.side_by_side.clear()
            self.side_by_side.show_message("")
            self.banner.show_message(f"{exc} {texts.UNUSABLE}")
        else:
            self.banner.dismiss()

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: the previous or next sequence."""
        from app.ui.widgets.stepping import step_combo  # (here: the method stands alone)

        return step_combo(self.side_by_side.sequence_combo, delta)
