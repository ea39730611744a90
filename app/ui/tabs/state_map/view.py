"""The State map tab: the hidden state over time of the chosen lines, as a PCA map.

Computed from a stored snapshot (the latest by default), never from the model that is
training.  While training runs and "latest" is chosen, the map follows the frames, only
while the tab is shown (the training controller paces the frames).

A small map is computed at once; a big one (thousands of symbols, a wide network, long
lines — see :func:`~app.analysis.state_map.map_work`) on a worker thread while a busy
strip shows.  Changing the epoch, the lines or the axes, or leaving the tab, abandons
it; a new frame lets it finish and then draws the latest epoch.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis.pca import Pca
from app.analysis.rollout import join_symbols
from app.analysis.state_map import (
    MapError,
    MapPoints,
    Stopped,
    default_selection,
    map_with_axes,
    map_work,
)
from app.data import NEWLINE
from app.data.dataset import SequenceData
from app.ui.document.document import Document
from app.ui.document.text_check import TextCheck
from app.ui.plots import _theme as theme
from app.ui.shell.image_export import export_button
from app.ui.tabs.generate.epoch_picker import EpochPicker, parse_epoch_choice
from app.ui.tabs.state_map import texts
from app.ui.tabs.state_map.plot import COLOUR_BY, StateMapPlot, starts_with_colours
from app.ui.widgets.busy import BackgroundJob, BusyIndicator
from app.ui.widgets.line_combo import excerpt_place
from app.ui.widgets.shown import RefreshWhenShown

if TYPE_CHECKING:
    from app.training.controller import TrainingController
    from app.training.frames import Frame

UI_KEY = "state_map"
LISTED_SYMBOLS = 60
"""Symbols of a line written in the list of lines (the rest as "…")."""
SYNC_WORK = 20_000_000
"""Multiply-adds a map may take on the GUI thread (a few ms); bigger maps run on a worker."""

log = logging.getLogger(__name__)


def default_colour_by(data: SequenceData | None) -> str:
    """How a project's map is coloured until the learner chooses: by each line's first
    word when every line starts with a colour word (long-memory: which colour the line
    carries is the point), else by the symbol read."""
    firsts = [] if data is None else [tokens[0] for tokens in data.tokens if tokens]
    return "first" if starts_with_colours(firsts) else "symbol"


class StateMapView(QWidget):
    """Lines to show on the left; epoch, fixed axes and export on top; the map below."""

    def __init__(
        self, controller: TrainingController, document: Document, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._document = document
        self._data: SequenceData | None = None
        self._fixed_epoch: int | None = None
        self._axes_cache: tuple[Any, tuple[int, Pca] | None] | None = None
        self._text = TextCheck()

        self.sequence_list = QListWidget()
        self.sequence_list.setToolTip(texts.SEQUENCES)
        self.sequence_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sequence_list.setWordWrap(True)  # a line's words wrap: the names were cut
        self.sequence_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.sequence_list.setSpacing(2)  # (wrapped names apart from each other)
        self.sequence_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.all_button = QPushButton("All")
        self.all_button.setToolTip(texts.ALL)
        self.none_button = QPushButton("None")
        self.none_button.setToolTip(texts.NONE)
        self.epoch = EpochPicker(controller)
        self.fix_axes = QCheckBox("Keep these axes")
        self.fix_axes.setToolTip(texts.FIX_AXES)
        self.colour_by = QComboBox()
        for key, name in COLOUR_BY.items():
            self.colour_by.addItem(name, key)
        self.colour_by.setToolTip(texts.COLOUR_BY)
        self.plot = StateMapPlot()
        self.export = export_button(self, "state-map", self.plot.export_image)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {theme.WRONG}; font-weight: bold")
        self.message.hide()
        self.busy = BusyIndicator(texts.BUSY)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {theme.MUTED}")
        self.note.hide()
        self._job = BackgroundJob(self, "state-map")
        self._job_key: tuple[Any, ...] | None = None  # the fixed-axes key the job fits for
        self._frame_waiting = False  # a frame came while the job ran: refresh when it ends
        self.explain = explain = QLabel(texts.EXPLAIN)
        explain.setWordWrap(True)
        explain.setStyleSheet(f"color: {theme.MUTED}")

        left = QVBoxLayout()
        colour_row = QHBoxLayout()
        colour_label = QLabel("Colour by:")
        colour_label.setToolTip(texts.COLOUR_BY)
        colour_row.addWidget(colour_label)
        colour_row.addWidget(self.colour_by, 1)
        left.addLayout(colour_row)
        self.lines_label = QLabel("Lines shown:")
        self.lines_label.setToolTip(texts.SEQUENCES)
        left.addWidget(self.lines_label)
        left.addWidget(self.sequence_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        left.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(self.epoch)
        top.addSpacing(16)
        top.addWidget(self.fix_axes)
        top.addStretch(1)
        top.addWidget(self.export)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(explain)
        right.addWidget(self.message)
        right.addWidget(self.busy)
        right.addWidget(self.note)
        right.addWidget(self.plot, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        side = QWidget()
        side.setLayout(left)
        side.setMaximumWidth(300)
        layout.addWidget(side)
        layout.addLayout(right, 1)

        self._refresh = RefreshWhenShown(self, self.refresh)
        self.sequence_list.itemChanged.connect(self._on_selection_changed)
        self.all_button.clicked.connect(self._on_all_clicked)
        self.none_button.clicked.connect(self._on_none_clicked)
        self.epoch.changed.connect(self._on_settings_changed)
        self.fix_axes.toggled.connect(self._on_fix_axes_toggled)
        self.colour_by.currentIndexChanged.connect(self._on_colour_by_chosen)
        self._job.done.connect(self._on_map_done)
        self._job.failed.connect(self._on_map_failed)
        controller.frame_ready.connect(self._on_frame_ready)
        document.replaced.connect(self._restore)
        document.edited.connect(self._on_edited)
        self._restore()

    # -- public API -----------------------------------------------------------------------
    def selected(self) -> list[int]:
        """Indices (into the data) of the ticked lines."""
        lst = self.sequence_list
        return [i for i in range(lst.count()) if lst.item(i).checkState() == Qt.CheckState.Checked]

    def set_selected(self, indices: Any) -> None:
        """Tick exactly ``indices`` (one update, one stored change)."""
        chosen = set(indices)
        lst = self.sequence_list
        lst.blockSignals(True)
        for i in range(lst.count()):
            state = Qt.CheckState.Checked if i in chosen else Qt.CheckState.Unchecked
            lst.item(i).setCheckState(state)
        lst.blockSignals(False)
        self._on_selection_changed()

    def refresh(self) -> None:
        """Recompute and draw the map: now if it is small, else on the worker thread."""
        self._refresh.stale = False
        self._abandon()
        model = self._controller.model()
        snap = self.epoch.snapshot()
        if model is None or snap is None or not self._text.trainable:
            return self._show_message(texts.NO_MODEL)
        network, data = model
        indices = self.selected()
        if not indices:
            return self._show_message(texts.NO_SEQUENCES)
        axes, fit_snap = self._fixed_axes(indices)
        args = (network, snap, data, indices, axes, fit_snap)
        if map_work(network, data, indices) * (2 if fit_snap is not None else 1) <= SYNC_WORK:
            try:
                result = map_with_axes(*args)
            except Exception as exc:
                return self._on_map_failed(exc)
            return self._on_map_done(result)
        self.busy.start()
        self._job.start(map_with_axes, *args)

    def busy_computing(self) -> bool:
        """A map is being computed on the worker thread."""
        return self._job.running

    # -- updates ------------------------------------------------------------------------------
    def _on_frame_ready(self, frame: Frame) -> None:
        self.epoch.update_range()
        model = self._controller.model()
        if model is not None and model[1] is not self._data:
            self._fill_list(model[1], self._stored_selection(model[1]))
        if frame.replaces_history or self.epoch.choice() is None:
            if self._job.running:  # let it finish (frames would starve it), then redraw
                self._frame_waiting = True
            else:
                self._refresh.request()

    @Slot(object)
    def _on_map_done(self, result: tuple[MapPoints | None, Any]) -> None:
        m, axes = result
        if self._job_key is not None and axes is not None:
            self._axes_cache = (self._job_key, axes)
        self.busy.stop()
        self.message.hide()
        self.plot.set_map(m)
        self._update_note(m)
        self._redraw_if_waiting()

    @Slot(object)
    def _on_map_failed(self, error: BaseException) -> None:
        self.busy.stop()
        if isinstance(error, MapError):
            shown = self.epoch.choice()
            text = texts.UNUSABLE.format(why=error, epoch="the latest epoch" if shown is None
                                         else f"epoch {shown:,}")  # fmt: skip
        elif isinstance(error, Stopped):
            return
        else:  # a bug: said in one line, logged in full
            log.error("state map failed", exc_info=error)
            text = texts.FAILED.format(error=f"{type(error).__name__}: {error}")
        self._show_message(text)
        self._redraw_if_waiting()

    def _redraw_if_waiting(self) -> None:
        if self._frame_waiting:
            self._frame_waiting = False
            self._refresh.request()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the tab abandons a map being computed; it is computed again when shown."""
        if self._job.running:
            self._abandon()
            self._refresh.stale = True
        super().hideEvent(event)

    @Slot()
    def _on_all_clicked(self) -> None:
        self.set_selected(range(self.sequence_list.count()))

    @Slot()
    def _on_none_clicked(self) -> None:
        self.set_selected([])

    def _on_edited(self) -> None:
        if self._text.update(self._document.project):
            self._refresh.request()

    def _on_settings_changed(self) -> None:
        self._save()
        self._refresh.request()

    def _on_selection_changed(self, *_: object) -> None:
        self._on_settings_changed()

    @Slot()
    def _on_colour_by_chosen(self) -> None:
        self.plot.set_colour_by(self.colour_by.currentData())
        self._save()

    def _on_fix_axes_toggled(self, on: bool) -> None:
        shown = self.plot.map
        if on:
            self._fixed_epoch = shown.epoch if shown is not None else self._controller.epoch
        else:
            self._fixed_epoch = None
        self._update_fix_label()
        self._on_settings_changed()

    # -- internals -------------------------------------------------------------------------------
    def _fixed_axes(self, indices: list[int]) -> tuple[tuple[int, Pca] | None, Any]:
        """The kept projection if it is cached (per fit epoch, lines and data), else the
        snapshot to fit it to (None, None: the axes are not kept)."""
        self._job_key = None
        model = self._controller.model()
        if self._fixed_epoch is None or model is None:
            return None, None
        key = (self._fixed_epoch, tuple(indices), id(model[1]))
        if self._axes_cache is not None and self._axes_cache[0] == key:
            return self._axes_cache[1], None
        self._job_key = key
        return None, self._controller.snapshot(self._fixed_epoch)

    def _abandon(self) -> None:
        self._job.cancel()
        self._frame_waiting = False
        self.busy.stop()

    def _update_note(self, m: MapPoints | None) -> None:
        parts = []
        if m is not None and m.lines_cut:
            parts.append(
                texts.LINES_CUT.format(shown=len(m.spans), ticked=len(m.spans) + m.lines_cut)
            )
        if m is not None and m.steps_cut is not None:
            parts.append(texts.STEPS_CUT.format(steps=m.steps_cut, points=m.budget))
        self.note.setText(" ".join(parts))
        self.note.setVisible(bool(parts))

    def _update_fix_label(self) -> None:
        if self._fixed_epoch is None:
            self.fix_axes.setText("Keep these axes")
        else:
            self.fix_axes.setText(f"Keep the axes of epoch {self._fixed_epoch:,}")

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.plot.set_map(None)
        self._update_note(None)

    def _fill_list(self, data: SequenceData, selected: list[int]) -> None:
        self._data = data
        lst = self.sequence_list
        lst.blockSignals(True)
        lst.clear()
        chosen = set(selected)
        tokenizer = data.spec.to_string()
        stream = data.mode == "stream"
        self.lines_label.setText("Excerpts shown:" if stream else "Lines shown:")
        self.explain.setText(texts.EXPLAIN_STREAM if stream else texts.EXPLAIN)
        self.plot.set_stream(stream)
        for i, (line, tokens) in enumerate(zip(data.line_numbers, data.tokens, strict=True)):
            # The start of the line is all a list row (or its tooltip) can show, and
            # joining 10,000-symbol lines in full would hold up the window.
            text = join_symbols(tokens[:LISTED_SYMBOLS], tokenizer)
            more = " …" if len(tokens) > LISTED_SYMBOLS else ""
            where, size = f"line {line}", f" ({len(tokens):,} symbols)"
            if stream:  # an excerpt of whole lines: its line breaks as ⏎
                text = " ".join(text.replace(NEWLINE, " \u23ce ").split())
                where, size = excerpt_place(i, line), f", {len(tokens):,} symbols"
            item = QListWidgetItem(f"{where}: {text}{more}")
            item.setToolTip(f"{where}{size}: {text}{more}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if i in chosen else Qt.CheckState.Unchecked)
            lst.addItem(item)
        lst.blockSignals(False)
        self._refresh.stale = True

    def _stored(self) -> dict[str, Any]:
        raw = self._document.project.ui.get(UI_KEY)
        return raw if isinstance(raw, dict) else {}

    def _stored_selection(self, data: SequenceData) -> list[int]:
        raw = self._stored().get("sequences")
        if not isinstance(raw, list):
            return default_selection(data.n_sequences)
        valid = sorted(
            {i for i in raw if isinstance(i, int) and not isinstance(i, bool)}
            & set(range(data.n_sequences))
        )
        return valid if valid or not raw else default_selection(data.n_sequences)

    def _save(self) -> None:
        value = {
            "sequences": self.selected(),
            "epoch": self.epoch.to_json(),
            "fixed_axes": self._fixed_epoch,
            "colour_by": self.plot.colour_by,
        }
        self._document.store_ui(UI_KEY, value)

    def _restore(self) -> None:
        """The project's stored choices (checked), or the defaults; nothing is marked modified."""
        stored = self._stored()
        self._text.update(self._document.project)
        self.epoch.update_range()
        self.epoch.set_choice(parse_epoch_choice(stored.get("epoch")))
        self._fixed_epoch = parse_epoch_choice(stored.get("fixed_axes"))
        self._axes_cache = None
        self.fix_axes.blockSignals(True)
        self.fix_axes.setChecked(self._fixed_epoch is not None)
        self.fix_axes.blockSignals(False)
        self._update_fix_label()
        model = self._controller.model()
        by = stored.get("colour_by")
        if not isinstance(by, str) or by not in COLOUR_BY:
            by = default_colour_by(None if model is None else model[1])
        self.colour_by.blockSignals(True)
        self.colour_by.setCurrentIndex(max(self.colour_by.findData(by), 0))
        self.colour_by.blockSignals(False)
        self.plot.set_colour_by(by)
        if model is None:
            self._data = None
            self.sequence_list.clear()
        else:
            self._fill_list(model[1], self._stored_selection(model[1]))
        self._refresh.request()

    def present_step(self, delta: int) -> bool:
        """Presentation mode's ← / →: the map at an earlier or later stored epoch."""
        return self.epoch.present_step(delta)
