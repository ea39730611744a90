"""The "Inside the cell" tab: the cell diagram with one sequence's numbers flowing through it.

Values come from a stored snapshot's weights (``epoch_views.view_at``), never from
the live model.  Following the latest epoch, the view recomputes at most every
``LIVE_INTERVAL_MS`` and only while it is visible; stepping through time only
recolours the cells of the diagram, which are created once per model shape.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.analysis.cell_values import step_vectors, summary, top_candidates
from app.analysis.sequence_view import SequenceView
from app.analysis.usable import UnusableWeights
from app.engine.snapshots import Snapshot
from app.training.frames import Frame
from app.ui.document.document import Document
from app.ui.document.text_check import TextCheck
from app.ui.plots import _theme as theme
from app.ui.shell.image_export import ask_and_export
from app.ui.tabs.cell import texts
from app.ui.tabs.cell.canvas import CellCanvas
from app.ui.tabs.cell.controls import ControlBar, StepBar, sequence_labels
from app.ui.tabs.cell.diagram import Diagram, empty_diagram
from app.ui.tabs.cell.experiment import CellExperiment
from app.ui.tabs.cell.items import MAX_ZOOM
from app.ui.tabs.cell.layouts import build
from app.ui.tabs.cell.panels import title_html
from app.ui.tabs.cell.state import CellState
from app.ui.widgets.banner import Banner
from app.ui.widgets.line_combo import shown_word

if TYPE_CHECKING:
    from app.data.dataset import SequenceData
    from app.training.controller import TrainingController

LIVE_INTERVAL_MS = 200


def diagram_zoom() -> float:
    """The size the diagram's texts and cells are drawn at: the window's font zoom
    (presentation mode: 1.25), from 1 up to :data:`items.MAX_ZOOM`."""
    return round(max(1.0, min(theme.font_zoom(), MAX_ZOOM)), 3)


class CellView(QWidget):
    """Sequence, epoch and step selectors over the cell diagram (``project.ui["cell"]``)."""

    TITLE = texts.TAB_TITLE
    TIP = texts.TAB_TIP

    def __init__(
        self, controller: TrainingController, document: Document, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._document = document
        self.controls = ControlBar()
        self.canvas = CellCanvas()
        self.steps = StepBar()
        self.banner = Banner()  # weights nothing can be computed from
        self.experiment = CellExperiment(document)  # the run intervened on, beside the untouched
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.controls)
        layout.addWidget(self.banner)
        layout.addWidget(self.experiment)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.steps)
        self.setFocusProxy(self.canvas)

        self._state = CellState.from_json(document.project.ui.get(texts.KEY))
        self._data: SequenceData | None = None
        self._snapshot: Snapshot | None = None
        self.view: SequenceView | None = None
        self.plain: SequenceView | None = None  # the untouched run (the view, with no experiment)
        self._shown: tuple[int, int] | None = None  # (id of the view, step) on screen
        self._dirty = True
        self._text = TextCheck()  # does the text give sequences? (else the model is stale)
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_INTERVAL_MS)
        self._live.timeout.connect(self._on_live_timeout)
        self.canvas.set_diagram(empty_diagram())

        c, s = self.controls, self.steps
        c.sequence_combo.currentIndexChanged.connect(self._on_sequence_chosen)
        c.epoch_spin.valueChanged.connect(self._on_epoch_chosen)
        c.latest_check.toggled.connect(self.set_latest)
        c.export_button.clicked.connect(self._on_export)
        s.slider.valueChanged.connect(self.set_step)
        s.back.clicked.connect(lambda: self.step_by(-1))
        s.forward.clicked.connect(lambda: self.step_by(1))
        self.canvas.step_requested.connect(self.step_by)
        self.canvas.end_requested.connect(self._on_end)
        self.canvas.epoch_requested.connect(self.epoch_by)
        self.canvas.hovered.connect(self._on_hovered)
        controller.frame_ready.connect(self._on_frame_ready)
        document.replaced.connect(self._on_replaced)
        document.edited.connect(self._on_edited)
        self.experiment.experiment.changed.connect(self._on_experiment_changed)
        self._sync_controls()

    # -- public -----------------------------------------------------------------------------
    @property
    def state(self) -> CellState:
        return self._state

    @property
    def diagram(self) -> Diagram:
        assert self.canvas.diagram is not None
        return self.canvas.diagram

    def set_sequence(self, index: int) -> None:
        self._change(sequence=max(0, int(index)))

    def set_epoch(self, epoch: int) -> None:
        """Show the stored epoch nearest ``epoch`` (stops following the latest)."""
        self._change(epoch=max(0, int(epoch)), latest=False)

    def set_latest(self, on: bool) -> None:
        if on:
            self._change(latest=True)
        else:  # stay on the epoch on screen
            shown = self._snapshot.epoch if self._snapshot else self._state.epoch
            self._change(latest=False, epoch=shown)

    def set_step(self, step: int) -> None:
        self._change(step=max(0, int(step)))

    def step_by(self, delta: int) -> None:
        last = self.view.steps - 1 if self.view else 0
        self.set_step(max(0, min(last, self._state.step + delta)))

    def epoch_by(self, delta: int) -> None:
        """The previous (−1) or next (+1) stored epoch."""
        spin = self.controls.epoch_spin
        shown = self._snapshot.epoch if self._snapshot else spin.value()
        self.set_epoch(spin.neighbour(shown, delta))

    def export_image(self, path: str) -> None:
        self.refresh()
        self.canvas.export_image(path)

    def refresh(self) -> None:
        """Recompute what is needed (new weights, sequence or model) and redraw."""
        self._live.stop()
        self._dirty = False
        model = self._controller.model()
        if model is None or not self._text.trainable:
            self._show_empty()
            return
        network, data = model
        if data is not self._data:
            self._data = data
            self._snapshot = None
            self._fill_sequences()
        stored, newest = self._controller.snapshot_epochs(), self._controller.epoch
        self.controls.epoch_spin.set_stored(stored, newest)
        state = self._state
        snapshot = self._controller.snapshot(newest if state.latest else state.epoch)
        if snapshot is None or data.n_sequences == 0:
            self._show_empty()
            return
        index = min(state.sequence, data.n_sequences - 1)
        view = self.view
        if snapshot is not self._snapshot or view is None or view.index != index:
            try:
                plain, view = self.experiment.runs(network, snapshot, data, index)
            except UnusableWeights as exc:
                self._show_unusable(snapshot, exc)
                return
            self.view, self.plain, self._snapshot = view, plain, snapshot
        self.banner.dismiss()
        size = view.hidden.shape[1]
        d = self.canvas.diagram
        zoom = diagram_zoom()
        if d is None or d.kind != view.kind or d.size != size or d.zoom != zoom:
            self.canvas.set_diagram(build(view.kind, size, zoom))
            self._shown = None
        self._sync_controls()
        self._draw_step()

    # -- drawing ----------------------------------------------------------------------------
    def _draw_step(self) -> None:
        view, snapshot = self.view, self._snapshot
        if view is None or snapshot is None:
            return
        t = min(self._state.step, view.steps - 1)
        if self._shown == (id(view), t):
            return
        self._shown = (id(view), t)
        values = step_vectors(view, t, self.experiment.intervention)
        self.diagram.show(
            values,
            self.experiment.title(self._title(view, snapshot, t)),
            view.tokens[t],
            top_candidates(view, t, 5),
        )
        assert self.plain is not None
        self.experiment.show_step(self.canvas, self.plain, view, t)

    def _title(self, view: SequenceView, snapshot: Snapshot, t: int) -> str:
        if self._state.latest:
            epoch = f"epoch {snapshot.epoch} (latest)"
        elif snapshot.epoch != self._state.epoch:
            epoch = f"epoch {snapshot.epoch} (nearest stored to {self._state.epoch})"
        else:
            epoch = f"epoch {snapshot.epoch}"
        return title_html(epoch, summary(view, t))

    def _show_unusable(self, snapshot: Snapshot, exc: UnusableWeights) -> None:
        """The weights hold NaN: say so above an empty diagram; the epoch stays pickable."""
        self.view, self._snapshot, self._shown = None, snapshot, None
        self.canvas.set_diagram(empty_diagram(texts.UNUSABLE_EMPTY))
        self.banner.show_message(f"{exc} {texts.UNUSABLE}")
        self._sync_controls()

    def _show_empty(self) -> None:
        self.banner.dismiss()
        self.view, self._snapshot, self._shown, self._data = None, None, None, None
        self._fill_sequences()
        if self.canvas.diagram is None or self.canvas.diagram.kind != "none":
            self.canvas.set_diagram(empty_diagram())
        self._sync_controls()

    def _fill_sequences(self) -> None:
        combo = self.controls.sequence_combo
        combo.blockSignals(True)
        combo.clear()
        mode = self._document.project.sequences
        self.controls.sequence_label.setText(shown_word(mode, "Sequence:"))
        if self._data is not None:
            for i, label in enumerate(sequence_labels(self._document.project, self._data)):
                combo.addItem(label, i)
        combo.blockSignals(False)

    def _sync_controls(self) -> None:
        """Show the state in the controls without their signals firing."""
        c, s, state = self.controls, self.steps, self._state
        widgets = (c.sequence_combo, c.epoch_spin, c.latest_check, s.slider)
        for w in widgets:
            w.blockSignals(True)
        try:
            if c.sequence_combo.count():
                c.sequence_combo.setCurrentIndex(min(state.sequence, c.sequence_combo.count() - 1))
            shown = self._snapshot.epoch if self._snapshot else state.epoch
            c.epoch_spin.setValue(shown if state.latest else state.epoch)
            c.latest_check.setChecked(state.latest)
            steps = self.view.steps if self.view else 1
            s.slider.setRange(0, steps - 1)
            step = min(state.step, steps - 1)
            s.slider.setValue(step)
        finally:
            for w in widgets:
                w.blockSignals(False)
        has_view = self.view is not None
        note = ""
        if self._snapshot is not None and not state.latest and self._snapshot.epoch != state.epoch:
            note = f"→ nearest stored: {self._snapshot.epoch}"
        theme.set_label_text(c.epoch_note, note)
        theme.set_label_text(s.label, f"step {step + 1} of {steps}")
        s.slider.setEnabled(has_view)
        c.export_button.setEnabled(has_view)
        s.back.setEnabled(has_view and step > 0)
        s.forward.setEnabled(has_view and step < steps - 1)

    # -- state ------------------------------------------------------------------------------
    def _change(self, **changes: object) -> None:
        new = replace(self._state, **changes)  # type: ignore[arg-type]
        if new == self._state:
            return
        self._state = new
        self._store()
        self.refresh()  # asked for by the learner: cheap enough to do now, visible or not

    def _store(self) -> None:
        """Keep the selections in the project (saved with it; not an unsaved change)."""
        self._document.store_ui(texts.KEY, self._state.to_json())

    # -- events -----------------------------------------------------------------------------
    def _on_frame_ready(self, frame: Frame) -> None:
        if frame.replaces_history:
            self._snapshot = None  # a reset or another project: the same epoch, new weights
        if not self.isVisible():
            self._dirty = True
        elif frame.replaces_history:
            self._live.stop()
            QTimer.singleShot(0, self.refresh)
        elif not self._live.isActive():
            self._live.start()  # coalesce: at most one recompute per interval

    def _on_replaced(self) -> None:
        self._state = CellState.from_json(self._document.project.ui.get(texts.KEY))
        self._data, self._snapshot, self.view = None, None, None
        self._text.update(self._document.project)
        self._redraw_when_visible()

    def _on_edited(self) -> None:
        if self._text.update(self._document.project):
            self._redraw_when_visible()

    def _redraw_when_visible(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def _on_live_timeout(self) -> None:
        if self.isVisible():
            self.refresh()
        else:  # hidden since the frame came: recompute when shown again
            self._dirty = True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The window's zoom or presentation mode: the diagram is drawn again, larger.
        if event.type() == QEvent.Type.FontChange and self.view is not None:
            d = self.canvas.diagram
            if d is not None and d.zoom != diagram_zoom():
                self._redraw_when_visible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self.refresh)
        # ← and → should step through time straight away, not move a cursor elsewhere.
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_experiment_changed(self) -> None:
        self.view, self._shown = None, None  # recompute both runs
        self._redraw_when_visible()

    def _on_sequence_chosen(self, index: int) -> None:
        if index >= 0:
            self.set_sequence(index)

    def _on_epoch_chosen(self, epoch: int) -> None:
        self.set_epoch(epoch)

    def _on_end(self, direction: int) -> None:
        self.set_step(0 if direction < 0 else (self.view.steps - 1 if self.view else 0))

    def _on_hovered(self, text: str) -> None:
        self.steps.readout.setText(text or texts.READOUT_IDLE)

    def _on_export(self) -> None:
        folder = self._document.path.parent if self._document.path else Path.home()
        ask_and_export(self, folder / "cell.png", self.export_image)

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: one time step back or on."""
        before = self._state.step
        self.step_by(delta)
        return self._state.step != before
