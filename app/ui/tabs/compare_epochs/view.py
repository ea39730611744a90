"""The "Compare epochs" tab: two stored moments of training, A and B, side by side.

Everything shown is recomputed from stored snapshots (``view_at``), never read from the
live model.  Training frames only mark things dirty: the view redraws what is out of date
on the next turn of the event loop, and only while it is on screen (the training
controller paces the frames).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app.analysis.epoch_cache import ViewCache, line_steps
from app.analysis.epochs import nearest, step
from app.analysis.sequence_view import SequenceView
from app.analysis.usable import UnusableWeights
from app.engine.snapshots import Snapshot
from app.training.frames import Frame
from app.ui.document.document import SELECTION_KEY, Document
from app.ui.shell.image_export import ask_and_export, save_widget_image
from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.controls import TopBar
from app.ui.tabs.compare_epochs.panels import CompareHeatmaps
from app.ui.tabs.compare_epochs.replay import ReplayControls
from app.ui.tabs.compare_epochs.selectors import EpochSelectors, side_panel
from app.ui.tabs.compare_epochs.state import (
    KEY,
    CompareState,
    replay_next,
    replay_start,
    resolve,
)
from app.ui.tabs.compare_epochs.timeline import EpochTimeline
from app.ui.tabs.compare_epochs.words import PredictionRows
from app.ui.widgets.banner import Banner

if TYPE_CHECKING:
    from app.training.controller import TrainingController

SHORTCUTS = (("[", "a", -1), ("]", "a", 1), (",", "b", -1), (".", "b", 1))


class CompareView(QWidget):
    """Timeline and selectors on top, predictions at A and B, then the gates: A | B | B − A."""

    def __init__(
        self, controller: TrainingController, document: Document, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setToolTip(text.VIEW)
        self._controller = controller
        self._document = document
        self.state = CompareState()
        self.cache = ViewCache()
        self.epochs: list[int] = []
        """The stored epochs as of the last redraw."""
        self.shown: tuple[SequenceView, SequenceView] | None = None

        self.top = TopBar()
        self.timeline = EpochTimeline()
        self.selectors = EpochSelectors()
        self.replay = ReplayControls()
        self.words = PredictionRows()
        self.gates = CompareHeatmaps()
        self.readout = QLabel(text.IDLE_READOUT)
        self.banner = Banner()  # weights nothing can be computed from
        self._layout()

        self._first_loss: float | None = None
        self._dirty = {"model", "timeline", "views"}
        self._restoring = False
        self._sized = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh_now)
        self._connect()
        self._restore()

    # -- public API (tests, bench, screenshots) ------------------------------------------
    def refresh_now(self) -> None:
        """Redraw whatever is out of date (only while visible; otherwise on show)."""
        self._timer.stop()
        if not self.isVisible():
            return
        self._redraw_stale()

    def _redraw_stale(self) -> bool:
        """Redraw the out-of-date parts; whether there were any."""
        epochs = self._controller.snapshot_epochs()
        if epochs != self.epochs:
            self.epochs = epochs
            self._dirty |= {"timeline", "views"}
        stale = bool(self._dirty)
        if "model" in self._dirty:
            self._dirty.discard("model")
            self.top.fill_sequences(self._controller.model(), self._document.project,
                                    self._sequence_wanted())  # fmt: skip
        if "timeline" in self._dirty:
            self._dirty.discard("timeline")
            self.timeline.redraw(self._controller.columns(), epochs, self._epoch0_loss())
        if "views" in self._dirty:
            self._dirty.discard("views")
            self._update_views()
        return stale

    def show_views(self, a: SequenceView | None, b: SequenceView | None) -> None:
        """Put ``a`` and ``b`` into every panel (the costly part of a comparison)."""
        self.shown = None if a is None or b is None else (a, b)
        model = self._controller.model()
        steps = None if a is None or model is None else line_steps(model[1], a.index)
        self.words.set_views(a, b, steps)  # (a long line: only its first steps are shown)
        self.gates.set_views(a, b)
        self.top.fill_show(None if a is None else a.kind, self.gates)

    def set_epoch(self, key: str, epoch: int, snap: bool = True) -> None:
        """Compare at ``epoch`` (snapped to the nearest stored one unless ``snap`` is False)."""
        epochs = self._controller.snapshot_epochs()
        if snap and epochs:
            epoch = nearest(epochs, epoch) or 0
        if key == "a":
            self.state = replace(self.state, epoch_a=max(0, int(epoch)))
        else:
            self.replay.stop()
            follow = self.state.follow and bool(epochs) and epoch >= epochs[-1]
            self.state = replace(self.state, epoch_b=max(0, int(epoch)), follow=follow)
            self.selectors.set_follow(follow)
        self._changed()

    def step_epoch(self, key: str, n: int) -> None:
        """Move A or B ``n`` stored snapshots on (the [ ] , . keys and the arrows)."""
        epochs = self._controller.snapshot_epochs()
        current = self._resolved(key, epochs)
        if current is not None:
            target = step(epochs, current, n)
            if target is not None:
                self.set_epoch(key, target)

    def set_sequence(self, index: int) -> None:
        self.state = replace(self.state, sequence=max(0, int(index)))
        self.top.select_sequence(index)
        self._changed()

    def export_image(self, path: str) -> None:
        """The whole view as PNG (twice the screen size) or SVG, by extension."""
        self.refresh_now()
        save_widget_image(self, path, "LSTM Playground — compare epochs")

    # -- layout and wiring ---------------------------------------------------------------
    def _layout(self) -> None:
        upper = QWidget()
        upper_layout = QHBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.timeline, 3)
        self.side = side_panel(self.selectors, self.replay)  # (kept: it has Python overrides)
        upper_layout.addWidget(self.side, 2)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("compareSplitter")
        for widget in (upper, self.words, self.gates):
            self.splitter.addWidget(widget)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(2, 1)  # the gates take what the window gains
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.readout)

    def _connect(self) -> None:
        self._controller.frame_ready.connect(self._on_frame)
        self._document.replaced.connect(self._restore)
        self._document.edited.connect(self._on_edited)
        self.top.sequence_chosen.connect(self.set_sequence)
        self.top.show_chosen.connect(self._on_show_chosen)
        self.top.export_requested.connect(
            lambda: ask_and_export(self, "compare-epochs.png", self.export_image)
        )
        self.timeline.picked.connect(self.set_epoch)
        self.selectors.typed.connect(lambda key, epoch: self.set_epoch(key, epoch, snap=False))
        self.selectors.stepped.connect(self.step_epoch)
        self.selectors.follow_toggled.connect(self._on_follow_toggled)
        self.replay.toggled.connect(self._on_replay_toggled)
        self.replay.ticked.connect(self._on_replay_tick)
        self.replay.speed_changed.connect(self._on_speed_changed)
        self.words.hovered.connect(self._show_readout)
        self.gates.hovered.connect(self._show_readout)
        self.words.step_hovered.connect(self.gates.show_cursor)
        self.gates.step_hovered.connect(self.words.show_cursor)
        self.gates.link_x(self.words.plot.vb)
        for keys, key, n in SHORTCUTS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # only while on screen
            shortcut.activated.connect(lambda k=key, d=n: self.step_epoch(k, d))

    # -- events ---------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.side.fit_height(self.height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the gates get the most room (sizes are hints until shown)
            self._sized = True
            total = max(self.splitter.height(), 400)
            upper = min(230, total // 4)
            # The word rows as their minimum (a row a word high, the step axis) and both
            # sentences whole, as far as the gates keep a third.
            whole = self.words.minimumSizeHint().height() + self.words.sentences_more()
            words = max(min(250, total // 4), min(whole, total - upper - total // 3))
            self.splitter.setSizes([upper, words, total - upper - words])
        if self._dirty:
            self._schedule(0)

    def _on_frame(self, frame: Frame) -> None:
        if frame.replaces_history:  # a project was set or the model reset: new snapshots
            self.cache.clear()
            self._first_loss = None
            self.replay.stop()
            self._dirty |= {"model", "timeline", "views"}
            self._schedule(0)
        elif frame.reports:
            self._dirty.add("timeline")
            self._schedule(0)

    def _on_edited(self) -> None:
        """Until a line is chosen here, show the one the Train tab shows."""
        if self.state.sequence is None:
            wanted = self._sequence_wanted()
            if wanted != self.top.sequence_combo.currentIndex():
                self.top.select_sequence(wanted)
                self._dirty.add("views")
                self._schedule(0)

    def _restore(self) -> None:
        """Take the selections saved in the (new) project; nothing is marked modified."""
        self._restoring = True
        try:
            self.state = CompareState.from_ui(self._document.project.ui.get(KEY))
            self.replay.stop()
            self.replay.set_speed(self.state.speed)
            self.selectors.set_follow(self.state.follow)
            self.gates.set_show(self.state.show)
            self.words.set_tokenizer(self._document.project.tokenizer)
        finally:
            self._restoring = False
        self._dirty |= {"model", "views"}
        self._schedule(0)

    def _changed(self) -> None:
        """A selection changed: save it and redraw promptly."""
        self._persist()
        self._dirty.add("views")
        self._schedule(0)

    def _persist(self) -> None:
        if not (self._restoring or self.replay.playing):
            self._document.store_ui(KEY, self.state.to_ui())

    def _schedule(self, delay_ms: int) -> None:
        if not self._timer.isActive() or self._timer.remainingTime() > delay_ms:
            self._timer.start(delay_ms)

    def _on_show_chosen(self, show: str) -> None:
        self.state = replace(self.state, show=show)
        self.gates.set_show(show)
        self._persist()

    def _on_follow_toggled(self, on: bool) -> None:
        if on:
            self.replay.stop()
        self.state = replace(self.state, follow=on)
        self._changed()

    def _on_speed_changed(self, speed: float) -> None:
        self.state = replace(self.state, speed=speed)
        self._persist()

    def _on_replay_toggled(self, on: bool) -> None:
        epochs = self._controller.snapshot_epochs()
        start = replay_start(epochs, self._resolved("b", epochs)) if on else None
        if start is None:
            self.replay.stop()
            self._persist()
            return
        self.state = replace(self.state, epoch_b=start, follow=False)
        self.selectors.set_follow(False)
        self.replay.start()
        self._dirty.add("views")
        self.refresh_now()

    def _on_replay_tick(self) -> None:
        epochs = self._controller.snapshot_epochs()
        target = replay_next(epochs, self._resolved("b", epochs))
        if target is not None:
            self.state = replace(self.state, epoch_b=target)
            self._dirty.add("views")
            self.refresh_now()
        if target is None or target >= epochs[-1]:  # the last snapshot is on screen: done
            self.replay.stop()
            self._persist()

    def _show_readout(self, message: str) -> None:
        self.readout.setText(message or text.IDLE_READOUT)

    # -- computing ------------------------------------------------------------------------
    def _resolved(self, key: str, epochs: list[int]) -> int | None:
        return resolve(self.state, key, epochs)

    def _sequence_wanted(self) -> int:
        if self.state.sequence is not None:
            return self.state.sequence
        selected = self._document.project.ui.get(SELECTION_KEY, 0)
        return selected if isinstance(selected, int) and selected >= 0 else 0

    def _epoch0_loss(self) -> float:
        if self._first_loss is None:
            snap = self._controller.snapshot(0) if self.epochs else None
            if snap is not None and "train_loss" in snap.metrics:  # measured (maybe later)
                self._first_loss = float(snap.metrics["train_loss"])
        return float("nan") if self._first_loss is None else self._first_loss

    def _update_views(self) -> None:
        model, epochs = self._controller.model(), self.epochs
        ea, eb = self._resolved("a", epochs), self._resolved("b", epochs)
        snaps: list[Snapshot | None] = [
            None if e is None else self._controller.snapshot(e) for e in (ea, eb)
        ]
        snap_a, snap_b = snaps
        if model is None or snap_a is None or snap_b is None:
            self.banner.dismiss()
            self.show_views(None, None)
            self.selectors.clear()
            self.timeline.set_marks(None, None)
            self.replay.set_progress(0, 0, None)
            self.words.summary.setText(text.NOTHING)
            return
        network, data = model
        index = min(self._sequence_wanted(), data.n_sequences - 1)
        try:
            a, b = (self.cache.get(network, data, snap, index) for snap in (snap_a, snap_b))
        except UnusableWeights as exc:  # NaN weights at A or B: say so instead of panels
            self.banner.show_message(f"{exc} {text.UNUSABLE}")
            if self.shown is not None:
                self.show_views(None, None)
        else:
            self.banner.dismiss()
            if self.shown is None or a is not self.shown[0] or b is not self.shown[1]:
                self.show_views(a, b)  # only when something changed: cached views are reused
        latest = epochs[-1]
        asked_b = latest if self.state.follow else self.state.epoch_b
        whole = "the whole text" if data.mode == "stream" else "all lines"
        self.selectors.show_epoch(
            "a", snap_a.epoch, latest, self.state.epoch_a, snap_a.metrics, whole
        )
        self.selectors.show_epoch("b", snap_b.epoch, latest, asked_b, snap_b.metrics, whole)
        self.timeline.set_marks(snap_a.epoch, snap_b.epoch)
        position = bisect.bisect_left(epochs, snap_b.epoch)
        self.replay.set_progress(position, len(epochs), snap_b.epoch)

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: epoch B one stored snapshot back or on."""
        before = self.state
        self.step_epoch("b", delta)
        return self.state != before
