"""Inside the network: one heatmap per gate and state, steps across, hidden units down."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.analysis.sequence_view import SequenceView
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.plots.heatmap import Heatmap, UnitAxis, fit_minimum_height
from app.ui.plots.readout import Readout

SQUASH_TIP = (
    "Gates are squashed by the logistic (sigmoid) function into 0…1: 0 (dark) blocks "
    "everything, 1 (yellow) lets everything through. Possibilities and the hidden state "
    "are squashed by tanh into −1…1 (blue negative, white zero, red positive), so values "
    "can go round the loop many times without exploding."
)


@dataclass(frozen=True)
class Panel:
    """One heatmap: where its values come from and how it is explained."""

    key: str  # a gate name, "cell" or "hidden"
    title: str
    short: str  # for the hover read-out
    scale: str  # "sigmoid", "tanh" or "cell"
    tip: str


_HIDDEN = Panel(
    "hidden", "hidden state (the prediction passed on)", "hidden state", "tanh",
    "The hidden state: what the cell releases at this step. It is read out as the "
    "prediction vector and passed on to the next step as the previous prediction.",
)  # fmt: skip
_POSSIBILITIES_TIP = (
    "The possibilities (candidate values): new information and the last prediction "
    "voted into values squashed by tanh to −1…1, offered to the memory."
)
PANELS: dict[str, tuple[Panel, ...]] = {
    "lstm": (
        Panel("forget", "forget gate — what memory to keep", "forget gate", "sigmoid",
              "The forget gate decides, for each memory unit, how much of the memory to "
              "keep from the last step: 1 keeps it, 0 forgets it. It is its own small "
              "neural network voting on the new input and the last prediction."),
        Panel("input", "ignore gate (input) — which possibilities get in", "ignore gate",
              "sigmoid",
              "The ignore gate (input gate) decides which of the new possibilities are let "
              "into memory: 1 adds them, 0 sets them aside so they do not cloud the memory."),
        Panel("output", "select gate (output) — what memory is released", "select gate",
              "sigmoid",
              "The select gate (output gate) decides which memories are released as this "
              "step's prediction and which are kept inside for later."),
        Panel("candidate", "possibilities (candidate)", "possibilities", "tanh",
              _POSSIBILITIES_TIP),
        Panel("cell", f"memory (cell state) — not squashed, colours ±{theme.CELL_LIMIT:g}",
              "memory", "cell",
              "The memory (cell state): what was kept (times the forget gate) plus the "
              "possibilities let in (times the ignore gate). It is not squashed, so it can "
              f"grow past ±1; the colours stop at ±{theme.CELL_LIMIT:g}, where tanh is already "
              "flat. Hover a cell for the exact value."),
        _HIDDEN,
    ),
    "gru": (
        Panel("reset", "reset gate — how much of the last state the possibilities see",
              "reset gate", "sigmoid",
              "The reset gate decides how much of the last hidden state is used when voting "
              "on the new possibilities: 0 ignores the past, 1 uses all of it."),
        Panel("update", "update gate — keep the old state or take the possibilities",
              "update gate", "sigmoid",
              "The update gate plays forget and ignore at once: 1 keeps the old hidden "
              "state, 0 replaces it with the new possibilities."),
        Panel("candidate", "possibilities (candidate)", "possibilities", "tanh",
              _POSSIBILITIES_TIP),
        _HIDDEN,
    ),
    "rnn": (_HIDDEN,),
}  # fmt: skip
COLUMNS = {"lstm": 3, "gru": 2, "rnn": 1}
MIN_IMAGE_PX = 72
"""The cells of a panel are never drawn shorter than this (logical pixels) ..."""
PX_PER_UNIT = 4
MAX_MIN_IMAGE_PX = 128
"""... more with more hidden units, up to this; below it the Train tab scrolls."""


def minimum_image_height(units: int) -> int:
    """How tall a panel's cells must stay for ``units`` hidden units to stay readable."""
    return max(MIN_IMAGE_PX, min(units * PX_PER_UNIT, MAX_MIN_IMAGE_PX))


_IDLE = "Hover over a cell to read its exact value."


def _experiment_header(view: SequenceView) -> list[str]:
    """The header of gates computed with an experiment: longest first."""
    where = f"{view.noun} {view.index + 1} · epoch {view.epoch:,}"
    back = "the untouched gates: Clear experiment"
    return [
        f"<b>Gates with the experiment</b> · {where} (the newest stored) — {back}, above. "
        "Steps →, hidden units ↓",
        f"<b>Gates with the experiment</b> · {where} — {back}",
        f"<b>With the experiment</b> · epoch {view.epoch:,} — untouched: Clear experiment",
        f"<b>With the experiment</b> · epoch {view.epoch:,}",
    ]


def _two_lines(title: str) -> tuple[str, str]:
    """ "forget gate — what memory to keep" → ("forget gate", "what memory to keep")."""
    name, dash, meaning = title.partition(" — ")
    if dash:
        return name, meaning
    name, paren, rest = title.partition(" (")
    return (name, paren.strip() + rest) if paren else (title, "")


def _scale(scale: str) -> tuple[tuple[float, float], pg.ColorMap]:
    if scale == "sigmoid":
        return theme.SIGMOID_LEVELS, theme.sigmoid_map()
    return (theme.CELL_LEVELS if scale == "cell" else theme.TANH_LEVELS), theme.diverging_map()


class GateHeatmaps(QWidget):
    """The gates, memory and hidden state of one sequence at one epoch.

    Steps run left to right, labelled with the symbol read at that step; hidden units
    run top to bottom.  Panels are built once per model kind; a new view of the same
    kind only replaces the images.  All panels share (link) their x and y ranges.
    """

    unit_clicked = Signal(int)
    """A hidden unit's row was clicked (the Train tab's experiment knocks it out)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("Inside the network while it reads the selected sequence. " + SQUASH_TIP)
        self.header = Readout("Select a sequence to see its gates.")
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 4, 4)
        self.graphics.ci.setSpacing(6)
        self.hover = QLabel(_IDLE)
        self.hover.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.hover)

        self.kind: str | None = None
        self.heatmaps: dict[str, Heatmap] = {}
        self.panels: dict[str, Panel] = {}
        self.view: SequenceView | None = None
        self._hovered: tuple[str, int, int] | None = None
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # -- public API ---------------------------------------------------------------
    def set_view(self, view: SequenceView | None, experiment: bool = False) -> None:
        """Show ``view``'s gates (None: empty panels); ``experiment``: ``view`` is a run
        with an experiment, and the header says so."""
        self.view = view
        if view is None:
            for heatmap in self.heatmaps.values():
                heatmap.clear()
            theme.set_label_text(self.header, "Select a sequence to see its gates.")
            self._show_hover(None)
            return
        if view.kind != self.kind:
            self._build(view.kind)
        labels = view.tokens[:-1]
        units = [str(i) for i in range(view.hidden.shape[1])]
        for key, heatmap in self.heatmaps.items():
            heatmap.set_data(self.values(key))
            heatmap.set_x_labels(labels)
            heatmap.set_y_labels(units)
            heatmap.set_minimum_image_height(minimum_image_height(len(units)))
        self._fit_minimum()
        where = f"<b>Inside the {view.kind.upper()}</b> reading {view.noun} {view.index + 1}"
        # Shorter forms for a narrow tab (the readout shows the longest that fits).
        if experiment:
            self.header.setTexts(_experiment_header(view))
            self._show_hover(self._hovered)
            return
        self.header.setTexts(
            [
                f"{where} at epoch {view.epoch:,}: steps left → right, labelled with the "
                "symbol read; hidden units top ↓ bottom.",
                f"{where} at epoch {view.epoch:,}: steps →, hidden units ↓",
                f"{where}, epoch {view.epoch:,}",
            ]
        )
        self._show_hover(self._hovered)

    def first_row_height(self) -> int:
        """From the top of this view to the bottom of the first row of panels at their
        minimum height (heading, titles, cells and symbols): "the gates' start"."""
        layout = self.layout()
        spacing = layout.spacing() if layout is not None else 0
        height = self.header.sizeHint().height() + spacing
        if not self.heatmaps:
            return height
        first = next(iter(self.heatmaps.values()))
        title = first.title_label.effectiveSizeHint(Qt.SizeHint.PreferredSize).height()
        cells = first.plot.getViewBox().minimumHeight()
        margin = 4 + 6  # the layout's margin (set in __init__) and its spacing
        return round(height + margin + title + cells + first.x_axis.height() + margin)

    def values(self, key: str) -> np.ndarray:
        """The ``(T, H)`` array shown in panel ``key`` for the current view."""
        view = self.view
        if view is None:
            raise LookupError("no view")
        if key == "hidden":
            return view.hidden
        if key == "cell":
            if view.cell is None:
                raise LookupError(f"a {view.kind} has no memory line")
            return view.cell
        return view.gates[key]

    def describe(self, key: str, step: int, unit: int) -> str:
        """The read-out for cell (``step``, ``unit``) of panel ``key`` (plain text)."""
        view = self.view
        if view is None:
            return _IDLE
        value = float(self.values(key)[step, unit])
        token = display_symbol(view.tokens[step])
        return (
            f"{self.panels[key].short} · unit {unit} · step {step + 1} of {view.steps}, "
            f"reading “{token}” · value {value:+.3f}"
        )

    def export_image(self, path: str) -> None:
        """Write every panel to ``path``: PNG or SVG, chosen by the extension."""
        theme.export_item(self.graphics.ci, path)

    # -- internals ----------------------------------------------------------------
    def _build(self, kind: str) -> None:
        """Lay out the panels of ``kind``: only when the model kind changes."""
        self.graphics.clear()
        self.heatmaps, self.panels = {}, {}
        columns = COLUMNS[kind]
        first: Heatmap | None = None
        for i, panel in enumerate(PANELS[kind]):
            levels, cmap = _scale(panel.scale)
            row, col = divmod(i, columns)
            name, meaning = _two_lines(panel.title)
            if len(meaning) > 24:  # a long explanation takes a third line, not width
                meaning = meaning.replace(", ", ",<br>", 1)
            heatmap = Heatmap(
                self.graphics.ci, row, 2 * col, panel.title, levels, cmap,
                tooltip=f"{panel.tip}\n\n{SQUASH_TIP}",
                # two lines keep three panels abreast in a narrow dock
                title_html=f"<b>{name}</b><br>{meaning}",
                y_axis=UnitAxis("left"),  # evenly spaced unit numbers
            )  # fmt: skip
            if first is None:
                first = heatmap
            else:  # zoom or pan one panel and all follow
                heatmap.plot.setXLink(first.plot)
                heatmap.plot.setYLink(first.plot)
            heatmap.x_axis.height_changed.connect(self._fit_minimum)
            self.heatmaps[panel.key] = heatmap
            self.panels[panel.key] = panel
        # Equal columns: without this the widest title took the most room, and the
        # narrower columns had to skip every other symbol.  Every plot column prefers the
        # width the widest title needs (beside its colour bar), and they share the rest.
        grid = self.graphics.ci.layout
        widths = [
            h.title_label.minimumWidth() - h.bar.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
            for h in self.heatmaps.values()
        ]
        width = max(widths, default=0.0)
        for col in range(columns):
            # Preferred, not minimum: in a very narrow tab each column may still shrink
            # to its own title rather than scroll sideways.
            grid.setColumnPreferredWidth(2 * col, width)
            grid.setColumnStretchFactor(2 * col, 1)
            grid.setColumnStretchFactor(2 * col + 1, 0)
        self.kind = kind
        self._hovered = None

    @Slot()
    def _fit_minimum(self) -> None:
        fit_minimum_height(self.graphics)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        for key, heatmap in self.heatmaps.items():
            cell = heatmap.cell_at(scene_pos)
            if cell is not None:
                self._show_hover((key, *cell))
                return
        self._show_hover(None)

    def _on_mouse_clicked(self, event: object) -> None:
        pos = event.scenePos()  # type: ignore[attr-defined]
        for heatmap in self.heatmaps.values():
            cell = heatmap.cell_at(pos)
            if cell is not None:
                self.unit_clicked.emit(cell[1])
                return

    def _show_hover(self, hovered: tuple[str, int, int] | None) -> None:
        view = self.view
        if hovered is not None and (
            view is None
            or hovered[0] not in self.heatmaps
            or hovered[1] >= view.steps
            or hovered[2] >= view.hidden.shape[1]
        ):
            hovered = None
        self._hovered = hovered
        step = None if hovered is None else hovered[1]
        for heatmap in self.heatmaps.values():
            heatmap.show_cursor(step)
        text = _IDLE if hovered is None else html.escape(self.describe(*hovered))
        theme.set_label_text(self.hover, text)
