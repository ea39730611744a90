"""The gates at A and at B on one colour scale, and what changed (B − A), row by row.

One row per quantity (forget gate, ignore gate, …, hidden state): A | B | B − A.  A and
B use the quantity's fixed scale (0…1 for gates, −1…1 for tanh values, ±3 for the
memory), so a colour means the same value in both; the difference uses a symmetric
blue–white–red scale as wide as the quantity's whole range.  Every panel's axes are
linked: zoom or pan one and the others follow.

The 18 pyqtgraph heatmaps take about a second to create, so the rows are built one per
turn of the event loop (about 0.15 s each): the window answers in between.  Reading
:attr:`CompareHeatmaps.rows` builds whatever is still pending at once.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.analysis.sequence_view import SequenceView
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.plots.gate_heatmaps import PANELS, SQUASH_TIP, Panel
from app.ui.plots.heatmap import Heatmap
from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.link import RangeLink
from app.ui.tabs.compare_epochs.state import SHOW_ALL
from app.ui.tabs.compare_epochs.timeline import COLOURS

ROW_HEIGHT = 190
"""Pixels per quantity when every row is shown (the rest scrolls)."""
COLUMNS = ("a", "b", "diff")


def scale_of(panel: Panel) -> tuple[tuple[float, float], tuple[float, float], pg.ColorMap]:
    """(levels of A and B, levels of B − A, colour map of A and B) for ``panel``."""
    if panel.scale == "sigmoid":
        return theme.SIGMOID_LEVELS, (-1.0, 1.0), theme.sigmoid_map()
    if panel.scale == "cell":
        return theme.CELL_LEVELS, theme.CELL_LEVELS, theme.diverging_map()
    return theme.TANH_LEVELS, (-2.0, 2.0), theme.diverging_map()


def quantity(view: SequenceView, key: str) -> np.ndarray:
    """The ``(T, H)`` values of gate or state ``key`` in ``view``."""
    if key == "hidden":
        return view.hidden
    if key == "cell":
        if view.cell is None:
            raise LookupError(f"a {view.kind} has no memory line")
        return view.cell
    return view.gates[key]


def _width_free(label: pg.LabelItem) -> None:
    """Let ``label``'s text not widen its column (it may overhang a very narrow one).

    pyqtgraph's LabelItem sets its minimum width to its text on every resize; one title
    longer than the others would then make its panel wider than its neighbours.
    """
    update_min = label.updateMin

    def without_width() -> None:
        update_min()
        label.setMinimumWidth(0)
        label.setPreferredWidth(0)

    label.updateMin = without_width
    without_width()


@dataclass
class Row:
    """One quantity: its own graphics widget (so rows hide and show instantly)."""

    panel: Panel
    graphics: pg.GraphicsLayoutWidget
    heatmaps: dict[str, Heatmap]  # "a", "b", "diff"


class CompareHeatmaps(QWidget):
    """Rows of A | B | B − A heatmaps for one sequence, built once per model kind.

    Signals: ``hovered(str)``, a read-out ("" when the mouse is off the cells), and
    ``step_hovered(object)``, the step under the mouse (None off the cells).
    """

    hovered = Signal(str)
    step_hovered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(text.VIEW + "\n\n" + SQUASH_TIP)
        self.container = QWidget()
        self.container.setAutoFillBackground(True)
        palette = self.container.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.BACKGROUND))
        self.container.setPalette(palette)
        self.rows_layout = QVBoxLayout(self.container)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.container)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self.kind: str | None = None
        self.chosen = SHOW_ALL
        self._rows: dict[str, Row] = {}  # built so far, in order
        self._pending: list[Panel] = []  # still to build
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.timeout.connect(self._build_next)
        self.link = RangeLink()
        self.external: list[pg.ViewBox] = []
        self.views: tuple[SequenceView, SequenceView] | None = None

    # -- public API -----------------------------------------------------------------------
    def keys(self, kind: str) -> tuple[str, ...]:
        """The quantities a model of ``kind`` has (gate names, "cell", "hidden")."""
        return tuple(p.key for p in PANELS.get(kind, ()))

    @property
    def rows(self) -> dict[str, Row]:
        """Every row of the model kind (the pending ones are built now)."""
        while self._pending:
            self._build_next()
        return self._rows

    @property
    def building(self) -> bool:
        """Some rows are still to be built (on the next turns of the event loop)."""
        return bool(self._pending)

    def shown_keys(self) -> tuple[str, ...]:
        keys = self.keys(self.kind) if self.kind is not None else ()
        return (self.chosen,) if self.chosen in keys else keys

    def set_show(self, show: str) -> None:
        """One quantity (a key) or every one (``"all"``)."""
        if show != self.chosen:
            self.chosen = show
            self._apply_show()
            if self.views is not None:
                self.set_views(*self.views)

    def link_x(self, vb: pg.ViewBox) -> None:
        """Let another plot (the predictions) share the panels' steps."""
        self.external.append(vb)
        self.link.add(vb, y=False)

    def set_views(self, a: SequenceView | None, b: SequenceView | None) -> None:
        """Show ``a`` and ``b`` (one sequence, two epochs); None clears every panel."""
        if a is None or b is None:
            self.views = None
            for row in self._rows.values():
                for heatmap in row.heatmaps.values():
                    heatmap.clear()
            return
        self.views = (a, b)
        if a.kind != self.kind:
            self._build(a.kind)
        for key in self.shown_keys():  # hidden rows catch up when they are shown
            if key in self._rows:  # (rows still to build are filled when built)
                self._fill(self._rows[key], a, b)

    @staticmethod
    def _fill(row: Row, a: SequenceView, b: SequenceView) -> None:
        key = row.panel.key
        labels = a.tokens[:-1]
        units = [str(i) for i in range(a.hidden.shape[1])]
        va, vb = quantity(a, key), quantity(b, key)
        values = {"a": va, "b": vb, "diff": vb - va}
        for col, heatmap in row.heatmaps.items():
            heatmap.set_data(values[col])
            heatmap.set_x_labels(labels)
            heatmap.set_y_labels(units)

    def images(self, key: str) -> dict[str, np.ndarray]:
        """The arrays shown in row ``key``: ``{"a", "b", "diff"}`` (for tests)."""
        return {col: h.image.image for col, h in self.rows[key].heatmaps.items()}

    # -- internals ------------------------------------------------------------------------
    def _build(self, kind: str) -> None:
        """One row per quantity of ``kind`` (only when the model kind changes): the first
        now, the others on the next turns of the event loop."""
        self.link.clear()
        for row in self._rows.values():
            row.graphics.setParent(None)
            row.graphics.deleteLater()
        self._rows = {}
        for vb in self.external:
            self.link.add(vb, y=False)
        self.kind = kind
        self._pending = list(PANELS[kind])
        self._build_next()

    def _build_next(self) -> None:
        """Build (and fill, if shown) the next pending row; then wait a turn."""
        self._builder.stop()
        if not self._pending:
            return
        panel = self._pending.pop(0)
        row = self._rows[panel.key] = self._row(panel)
        self.rows_layout.addWidget(row.graphics)
        self._apply_show()
        if self.views is not None and panel.key in self.shown_keys():
            self._fill(row, *self.views)
        if self._pending:
            self._builder.start(0)

    def _row(self, panel: Panel) -> Row:
        graphics = theme.graphics_widget()
        graphics.ci.setContentsMargins(4, 4, 4, 4)
        graphics.ci.setSpacing(4)
        levels, diff_levels, cmap = scale_of(panel)
        heatmaps: dict[str, Heatmap] = {}
        for c, col in enumerate(COLUMNS):
            diff = col == "diff"
            tip = text.DIFFERENCE if diff else f"{panel.tip}\n\n{text.SHARED_SCALE}"
            heatmap = Heatmap(
                graphics.ci, 0, 2 * c, panel.title, diff_levels if diff else levels,
                theme.diverging_map() if diff else cmap, tooltip=tip,
                title_html=self._title(panel, col),
            )  # fmt: skip
            # Equal (large) preferred widths, and titles that do not count: the three
            # columns share the room equally instead of by the length of their titles.
            heatmap.plot.setPreferredWidth(2000)
            _width_free(heatmap.title_label)
            self.link.add(heatmap.plot.vb)
            heatmaps[col] = heatmap
        graphics.scene().sigMouseMoved.connect(
            lambda pos, key=panel.key: self._on_mouse_moved(key, pos)
        )
        return Row(panel, graphics, heatmaps)

    def _apply_show(self) -> None:
        shown = self.shown_keys()
        many = len(shown) > 1
        for key, row in self._rows.items():
            row.graphics.setVisible(key in shown)
            row.graphics.setMinimumHeight(ROW_HEIGHT if many else 0)
        self.scroll_area.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if many else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    @staticmethod
    def _title(panel: Panel, col: str) -> str:
        """ "forget gate at A": set once, so a new epoch never re-lays the panels out
        (the epochs are written on the prediction rows and the selectors)."""
        name = html.escape(panel.short)
        if col == "diff":
            return f"<b>{name}</b>: change B − A"
        return f"<b>{name}</b> at <b style='color:{COLOURS[col]}'>{col.upper()}</b>"

    def _on_mouse_moved(self, key: str, scene_pos: QPointF) -> None:
        for heatmap in self._rows[key].heatmaps.values():
            cell = heatmap.cell_at(scene_pos)
            if cell is not None:
                self.show_cursor(cell[0])
                self.hovered.emit(self.describe(key, *cell))
                self.step_hovered.emit(cell[0])
                return
        self.show_cursor(None)
        self.hovered.emit("")
        self.step_hovered.emit(None)

    def show_cursor(self, step: int | None) -> None:
        """Outline step ``step`` in every panel (None hides the outline)."""
        for row in self._rows.values():
            for heatmap in row.heatmaps.values():
                heatmap.show_cursor(step)

    def describe(self, key: str, step: int, unit: int) -> str:
        """The read-out for (``step``, ``unit``) of row ``key``: A, B and B − A."""
        if self.views is None or key not in self._rows:
            return ""
        a, b = self.views
        va, vb = float(quantity(a, key)[step, unit]), float(quantity(b, key)[step, unit])
        token = display_symbol(a.tokens[step])
        return (
            f"{self._rows[key].panel.short} · unit {unit} · step {step + 1} of {a.steps}, "
            f"reading “{token}” · A (epoch {a.epoch:,}) {va:+.3f} · "
            f"B (epoch {b.epoch:,}) {vb:+.3f} · B − A {vb - va:+.3f}"
        )
