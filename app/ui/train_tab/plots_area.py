"""The window's centre: the message banner, the sequence selector and the three live plots.

Loss and accuracy sit top left and the prediction vector top right; the gate heatmaps
take the whole lower half, because they need the most room.  Two splitters let the
learner trade space between them (their positions are saved with the window).

Too short a window scrolls.  Until the learner moves the splitter between top and
bottom, the top row is sized by rule: room for every symbol's label when the window has
it; when it does not, only as tall as leaves the first row of gates on screen (down to
its minimum, where at most every 2nd symbol is labelled, and the view says so).  So a
teacher opening the tab at 1280×720 sees the loss, the predictions and the gates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.data import DataError
from app.data.tokenize import split_lines
from app.ui.document.document import Document, stop_condition
from app.ui.document.edits import ProjectEdits
from app.ui.plots import GateHeatmaps, LossPlot, PredictionView
from app.ui.shell import help_text
from app.ui.train_tab.experiment import TrainExperiment
from app.ui.widgets.banner import Banner
from app.ui.widgets.line_combo import excerpt_labels, line_label, shown_word

if TYPE_CHECKING:
    from app.analysis.sequence_view import SequenceView
    from app.project import Project
    from app.training.controller import TrainingController
    from app.training.frames import Frame

NOTHING_TO_SHOW = (
    "Nothing to show yet: the plots appear as soon as the sequences can be trained on "
    "(see the problems under the editor)."
)


class PlotsArea(QWidget):
    """Routes the controller's frames to the plots; the selector picks the sequence shown."""

    def __init__(
        self,
        controller: TrainingController,
        document: Document,
        edits: ProjectEdits,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._document = document
        self._edits = edits

        self.banner = Banner()
        self.sequence_combo = QComboBox()
        self.sequence_combo.setToolTip(help_text.SEQUENCE_SELECTOR)
        self.sequence_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sequence_combo.setMinimumContentsLength(30)
        self.sequence_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.selector_label = QLabel("Sequence shown:")
        self.selector_label.setToolTip(help_text.SEQUENCE_SELECTOR)
        selector = QHBoxLayout()
        selector.addWidget(self.selector_label)
        selector.addWidget(self.sequence_combo, 1)

        self.loss_plot = LossPlot()
        self.predictions = PredictionView()
        self.gates = GateHeatmaps()
        self.experiment = TrainExperiment(controller, document)  # predictions, experimented on
        self.gates.unit_clicked.connect(self.experiment.toggle_unit)
        self.experiment.gates_changed.connect(self._show_gates)
        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.setObjectName("topSplitter")
        self.top_splitter.addWidget(self.loss_plot)
        self.top_splitter.addWidget(self.predictions)
        self.top_splitter.setStretchFactor(0, 4)
        self.top_splitter.setStretchFactor(1, 5)
        self._lower = lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(selector)
        lower_layout.addWidget(self.experiment)
        lower_layout.addWidget(self.gates, 1)
        self.main_splitter = RowsSplitter()
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(lower)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        for splitter in (self.top_splitter, self.main_splitter):
            splitter.setChildrenCollapsible(False)

        # In place of the plots while the text cannot be trained on: drawn empty, they
        # would still carry the old text's symbols on their axes.
        self.empty_note = QLabel(NOTHING_TO_SHOW)
        self.empty_note.setWordWrap(True)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setObjectName("hint")
        self.empty_note.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        # Too short a window (a projector at scale 1.5) scrolls the plots instead of
        # squeezing them below the minimum heights they ask for.
        self.plots_scroll = QScrollArea()
        self.plots_scroll.setObjectName("plotsScroll")
        self.plots_scroll.setWidgetResizable(True)
        self.plots_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.plots_scroll.setWidget(self.main_splitter)
        layout.addWidget(self.plots_scroll, 1)
        layout.addWidget(self.empty_note, 1)
        self._arrange_timer = QTimer(self)
        self._arrange_timer.setSingleShot(True)
        self._arrange_timer.setInterval(0)
        self._arrange_timer.timeout.connect(self.arrange)
        self.plots_scroll.viewport().installEventFilter(self)
        # The top row's minimum grows after a layout (upright symbols, longer titles):
        # the rows are shared out again then, or the top row keeps too little room.
        self.loss_plot.installEventFilter(self)
        self.predictions.installEventFilter(self)

        self._view: SequenceView | None = None
        self._drawn: SequenceView | None = None  # the untouched view last drawn
        self._view_stale = False  # _view is not drawn yet (the plots were hidden)
        self._curves_stale = False  # the controller's columns grew since they were drawn
        self._within_stale = False  # so did the loss inside the epoch (its trace)
        self._unusable = False  # the banner says the weights gave NaN predictions
        self._settings = _settings(document.project)  # as of the last edit seen
        controller.frame_ready.connect(self._on_frame_ready)
        controller.progressed.connect(self._on_progressed)

        self.sequence_combo.currentIndexChanged.connect(self._on_sequence_chosen)
        edits.applied.connect(self._update_sequences)
        edits.applied.connect(self.dismiss_stale)
        edits.trainable_changed.connect(self._on_trainable_changed)
        document.edited.connect(self._on_edited)
        document.replaced.connect(self._on_replaced)
        self._update_sequences()

    def splitters(self) -> dict[str, QSplitter]:
        return {"top": self.top_splitter, "main": self.main_splitter}

    # -- the rows' heights -------------------------------------------------------------
    @Slot()
    def arrange(self) -> None:
        """Share the scroll area's height between the top row and the gates (see above)."""
        splitter = self.main_splitter
        viewport = self.plots_scroll.viewport().height()
        top_min = self.top_splitter.minimumSizeHint().height()
        top_full = max(top_min, self.predictions.minimumSizeHint().height())
        top_full += self.predictions.room_for_every_label()
        lower_min = self._lower.minimumSizeHint().height()
        handle = splitter.handleWidth()
        if splitter.chosen_top is not None:  # the learner's choice, within the minimum
            top = max(top_min, splitter.chosen_top)
        elif viewport >= top_full + lower_min + handle:
            top = top_full + (viewport - top_full - lower_min - handle) * 2 // 5
        else:
            # Everything above the gates (selector, experiment strip, spacing), then the
            # gates' first row with its symbols.
            above = lower_min - self.gates.minimumSizeHint().height()
            first_gates = above + self.gates.first_row_height()
            top = min(top_full, max(top_min, viewport - handle - first_gates))
        splitter.setMinimumHeight(top + handle + lower_min)
        total = max(viewport, top + handle + lower_min)
        if splitter.sizes() != [top, total - handle - top]:
            splitter.setSizes([top, total - handle - top])
        for graphics in (self.loss_plot.graphics, self.predictions.graphics, self.gates.graphics):
            # A plot resized again inside its own resize (its minimum grew with upright
            # symbols) can keep the viewport of the first size, cutting off its bottom.
            if graphics.viewport().size() != graphics.contentsRect().size():
                graphics.setViewportMargins(graphics.viewportMargins())  # lays it out again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The scroll area's size, or a top-row plot's minimum, changed.
        wanted = QEvent.Type.Resize if watched is self.plots_scroll.viewport() else None
        if event.type() in (wanted, QEvent.Type.LayoutRequest):
            self._arrange_timer.start()
        return super().eventFilter(watched, event)

    # -- frames -------------------------------------------------------------------------
    def flush(self) -> None:
        """Draw what has arrived now, hidden or not (tests, exports, screenshots)."""
        self._update_views(force=True)

    def _on_frame_ready(self, frame: Frame) -> None:
        self._view, self._view_stale = frame.view, True
        grew = bool(frame.reports) or frame.replaces_history
        self._curves_stale = self._curves_stale or grew
        self._within_stale = self._within_stale or grew  # an epoch ended: its dot goes
        self._update_views()

    @Slot()
    def _on_progressed(self) -> None:
        self._within_stale = True
        self._update_views()

    def _update_views(self, force: bool = False) -> None:
        """The curves and the newest view's gates and predictions; only when seen (or
        ``force``): a hidden Train tab catches up when it is shown."""
        if not (force or self.isVisible()) or not self._edits.trainable:
            return  # (an untrainable text: nothing of the old model is shown; see clear)
        if self._within_stale:
            self._within_stale = False
            c = self._controller
            trace = c.trace
            self.loss_plot.show_within_epoch(
                trace.x, trace.loss, trace.accuracy, trace.connect(), c.progress
            )
        if self._curves_stale:
            self._curves_stale = False
            self.loss_plot.show_columns(self._controller.columns())
        if not self._view_stale:
            return
        view, self._view_stale = self._view, False
        view = self._usable(view)
        self.predictions.set_view(view)
        self.experiment.show_sequence(None if view is None else view.index)
        self._drawn = view
        self._show_gates()
        self._arrange_timer.start()  # the views' minimum heights may have changed
        if view is not None and view.index != self.sequence_combo.currentIndex():
            self.sequence_combo.blockSignals(True)
            self.sequence_combo.setCurrentIndex(view.index)
            self.sequence_combo.blockSignals(False)

    @Slot()
    def _show_gates(self) -> None:
        """The gates of the run with the experiment while one is set, else the live view."""
        intervened = self.experiment.intervened
        if intervened is not None and self._drawn is not None:
            self.gates.set_view(intervened, experiment=True)
        else:
            self.gates.set_view(self._drawn)

    def _usable(self, view: SequenceView | None) -> SequenceView | None:
        """``view``, or None and a banner saying why when its weights gave NaN predictions
        (a project file may hold NaN weights: nothing drawn from them would mean anything)."""
        unusable = view is not None and not np.isfinite(view.probs).all()
        if unusable:
            self.banner.show_message(help_text.UNUSABLE_WEIGHTS, "error")
        elif self._unusable:
            self.banner.dismiss()
        self._unusable = unusable
        return None if unusable else view

    @Slot()
    def dismiss_banner(self) -> None:
        """Another project: its messages go, except what its own weights just said."""
        if not self._unusable:
            self.banner.dismiss()

    @Slot()
    def dismiss_stale(self) -> None:
        """The data, the settings or the model changed: what the banner said about the last
        run ("Done …", "Training stopped …") no longer holds.  A message offering an
        action (train in the window) and the NaN-weights note stay."""
        if not (self._unusable or self.banner.has_action()):
            self.banner.dismiss()

    @Slot()
    def _on_edited(self) -> None:
        settings = _settings(self._document.project)
        if settings != self._settings:  # (not a view's own selection being remembered)
            self._settings = settings
            self.dismiss_stale()

    @Slot()
    def _on_replaced(self) -> None:
        self._settings = _settings(self._document.project)

    @Slot(bool)
    def _on_trainable_changed(self, trainable: bool) -> None:
        """Untrainable: the plots and the selector empty (they showed the old text's
        model); trainable again: the latest frame and curves are drawn."""
        self._update_sequences()
        if trainable:
            self._curves_stale = self._view_stale = self._within_stale = True
            self._update_views()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_views()

    def clear(self) -> None:
        """Nothing to show (no trainable text)."""
        self._view, self._view_stale, self._curves_stale = None, False, False
        self._within_stale = False
        self._drawn = None
        self.loss_plot.clear()
        self.gates.set_view(None)
        self.predictions.set_view(None)

    # -- the sequence selector -------------------------------------------------------------
    def _update_sequences(self) -> None:
        project = self._document.project
        self.predictions.set_tokenizer(project.tokenizer)
        combo = self.sequence_combo
        self.selector_label.setText(shown_word(project.sequences, "Sequence") + " shown:")
        combo.blockSignals(True)
        combo.clear()
        if self._edits.trainable:
            try:
                data = project.data()
                _, held_out = project.split(data)
            except (DataError, ValueError):
                data, held_out = None, []
            if data is not None and data.mode == "stream":
                for i, label in enumerate(excerpt_labels(data, project.tokenizer, held_out)):
                    combo.addItem(label, i)
            elif data is not None:
                lines = split_lines(project.text)  # each line as it was typed
                validation = set(held_out)
                for i, line in enumerate(data.line_numbers):
                    mark = "  (validation)" if i in validation else ""
                    combo.addItem(line_label(line, lines[line - 1], mark), i)
            selected = project.ui.get("selected_sequence", 0)
            if isinstance(selected, int) and 0 <= selected < combo.count():
                combo.setCurrentIndex(selected)
        else:
            self.clear()
        combo.setEnabled(combo.count() > 0)
        combo.blockSignals(False)
        self.plots_scroll.setVisible(self._edits.trainable)
        self.main_splitter.setVisible(self._edits.trainable)
        self.empty_note.setVisible(not self._edits.trainable)

    def _on_sequence_chosen(self, index: int) -> None:
        if index >= 0:
            self._edits.select_sequence(index)

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: the previous or next sequence."""
        from app.ui.widgets.stepping import step_combo  # (here: the method stands alone)

        return step_combo(self.sequence_combo, delta)


class RowsSplitter(QSplitter):
    """The split between the top row and the gates: set by rule (PlotsArea.arrange) until
    the learner drags it; only a dragged position is saved and restored with the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.chosen_top: int | None = None
        """The top row's height the learner dragged to (None: the rule decides)."""
        self.splitterMoved.connect(self._on_moved)

    @Slot(int, int)
    def _on_moved(self, pos: int, index: int) -> None:
        self.chosen_top = self.sizes()[0]

    def saveState(self) -> QByteArray:
        return super().saveState() if self.chosen_top is not None else QByteArray()

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        restored = bool(state) and super().restoreState(state)
        if restored:
            self.chosen_top = self.sizes()[0]
        return restored


def _settings(project: Project) -> tuple[object, ...]:
    """What the learner sets (data, model, training, stop): not the views' selections."""
    p = project
    return (p.text, p.tokenizer, p.model, p.train, p.seed, stop_condition(p))
