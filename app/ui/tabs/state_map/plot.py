"""The state map drawn: trajectories with arrows, points coloured by symbol (or by line,
or by the line's first word), a legend.

Items are created once; new maps only ``setData``.  One scatter item per legend entry, so
the legend is a real one (click an entry to hide its points) — up to :data:`MAX_LEGEND`
entries.  A bigger vocabulary lists the symbols most often on the map (vocabulary order)
and one grey entry for all the others: a legend of 4,096 entries would take minutes to
lay out and could not be read.  Colouring by line or by first word tells apart lines
that read the same symbols (long-memory's 19 symbols share 8 colours; its lines differ
only by their colour word).  The aspect
ratio is locked: a PCA map's distances mean something, and arrowheads drawn in data
units keep their shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.analysis.state_map import MapPoints
from app.data.tokenize import display_symbol
from app.ui.plots import _theme as theme
from app.ui.shell.image_export import save_widget_image
from app.ui.tabs.state_map import texts
from app.ui.tabs.state_map.palette import legend_styles, named_colour
from app.ui.tabs.symbols import named_symbol as legend_name
from app.ui.widgets.line_combo import excerpt_place

LINE = (120, 120, 120, 150)  # grey: colour belongs to the symbols
ARROW = (70, 70, 70, 190)  # dark grey, a little see-through where heads pile up
ARROW_ANGLE = math.radians(24)
HOVER_PIXELS = 10
MAX_LEGEND_ROWS = 14
MAX_LEGEND = 3 * MAX_LEGEND_ROWS
"""Legend entries at most (three columns); beyond, the last one stands for the rest."""
OTHERS = ("#9a9a9a", "o")  # grey dots: no symbol of their own
COLOUR_BY = {"symbol": "symbol read", "line": "line", "first": "first word"}
"""What the colours and shapes tell apart (key: its name in the "Colour by" combo)."""
LEGEND_POINTS = 10
"""The legend's text size at 100 % zoom."""
Entry = tuple[str, str, str]  # (legend label, colour, marker)


class StateMapPlot(QWidget):
    """Draws a :class:`MapPoints`; hovering a point describes it and highlights its line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = theme.graphics_widget()
        ci = self.graphics.ci
        ci.setContentsMargins(6, 6, 12, 6)  # room for the legend's frame on the right
        self.title = ci.addLabel(texts.PLOT_TITLE, row=0, col=0, colspan=2,
                                 color=theme.FOREGROUND, size=theme.TITLE_SIZE)  # fmt: skip
        self.plot: pg.PlotItem = ci.addPlot(row=1, col=0)
        theme.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)
        theme.show_grid(self.plot, x=True, y=True)
        self.plot.setToolTip(texts.PLOT)
        self.title.setToolTip(texts.PLOT)
        self.legend = pg.LegendItem(
            labelTextColor=theme.FOREGROUND,
            labelTextSize=f"{LEGEND_POINTS}pt",
            pen=pg.mkPen("#bbbbbb"),
        )
        self.legend.setToolTip(texts.LEGEND)
        ci.addItem(self.legend, row=1, col=1)
        # At its own size at the top, not stretched down the plot's full height.
        self.legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)
        self.lines = pg.PlotDataItem(pen=pg.mkPen(LINE, width=1.5))
        self.arrows = QGraphicsPathItem()
        self.arrows.setBrush(pg.mkBrush(ARROW))
        self.arrows.setPen(pg.mkPen(None))
        self.highlight = pg.PlotDataItem(pen=pg.mkPen(theme.FOREGROUND, width=3))
        self.marker = pg.ScatterPlotItem(size=22, pen=pg.mkPen(theme.FOREGROUND, width=2),
                                         brush=None, symbol="o")  # fmt: skip
        self.plot.addItem(self.lines)
        self.plot.addItem(self.arrows, ignoreBounds=True)
        self.plot.addItem(self.highlight)
        self.highlight.setZValue(5)
        self.marker.setZValue(20)
        self.plot.addItem(self.marker, ignoreBounds=True)
        self.scatters: list[pg.ScatterPlotItem] = []
        self.colour_by = "symbol"
        self.group = np.zeros(0, dtype=np.int64)  # (P,) each point's legend entry
        self._legend_key: tuple[object, ...] = ()

        self.stream = False  # the map's lines are excerpts of a stream (see set_stream)
        self.readout = QLabel(texts.HOVER_IDLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.readout)
        self.map: MapPoints | None = None
        self.hovered: int | None = None
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # -- data ---------------------------------------------------------------------------
    def set_map(self, m: MapPoints | None) -> None:
        """Draw ``m`` (None: an empty map)."""
        self.map = m
        if m is None:
            self._set_entries([])
            self.group = np.zeros(0, dtype=np.int64)
            self.lines.setData([], [])
            self.arrows.setPath(QPainterPath())
            self._show_hover(None)
            return
        self._colour_points(m)
        x, y = m.coords[:, 0], m.coords[:, 1]
        connect = np.zeros(len(x), dtype=bool)
        for start, stop in m.spans:
            connect[start : stop - 1] = True  # no line from one sequence to the next
        self.lines.setData(x, y, connect=connect)
        self.arrows.setPath(_arrowheads(m.coords, connect))
        pc1, pc2 = (100 * m.explained).round().astype(int)
        theme.style_axis(
            self.plot.getAxis("bottom"), f"principal direction 1 ({pc1}% of the spread)"
        )
        theme.style_axis(self.plot.getAxis("left"), f"principal direction 2 ({pc2}%)")
        fixed = "" if m.fit_epoch == m.epoch else f", axes from epoch {m.fit_epoch:,}"
        self.title.setText(f"{texts.PLOT_TITLE} — epoch {m.epoch:,}{fixed}",
                           color=theme.FOREGROUND, size=theme.TITLE_SIZE)  # fmt: skip
        self._show_hover(self.hovered)

    def set_stream(self, stream: bool) -> None:
        """Whether the map's lines are excerpts of a text read as one stream: the read-out
        and the legend then name "excerpt 2 (text line 40)", not "line 40"."""
        if stream != self.stream:
            self.stream = stream
            if self.map is not None:
                self._colour_points(self.map)
            self._show_hover(self.hovered)

    def idle_text(self) -> str:
        """The read-out while no dot is hovered."""
        return texts.HOVER_IDLE_STREAM if self.stream else texts.HOVER_IDLE

    def where(self, i: int) -> str:
        """ "line 40" of point ``i``, or in a stream "excerpt 2 (text line 40)"."""
        m = self.map
        assert m is not None
        if self.stream:
            return excerpt_place(int(m.sequence[i]), int(m.line[i]))
        return f"line {m.line[i]}"

    def set_colour_by(self, by: str) -> None:
        """Colour the points by ``by`` (a key of :data:`COLOUR_BY`); the map stays."""
        if by in COLOUR_BY and by != self.colour_by:
            self.colour_by = by
            if self.map is not None:
                self._colour_points(self.map)

    def points(self) -> np.ndarray:
        """``(P, 2)`` coordinates as drawn, in point order (read back from the scatters)."""
        if self.map is None:
            return np.zeros((0, 2))
        out = np.full((len(self.map.coords), 2), np.nan)
        for item in self.scatters:
            x, y = item.getData()
            out[item.data["data"].astype(np.int64)] = np.c_[x, y]
        return out

    def describe(self, i: int) -> str:
        """The hover read-out of point ``i``."""
        m = self.map
        if m is None or not 0 <= i < len(m.coords):
            return self.idle_text()
        show = display_symbol
        return (
            f"{self.where(i)}, step {m.step[i] + 1}: reads “{show(m.vocabulary[m.symbol[i]])}”, "
            f"predicts “{show(m.vocabulary[m.predicted[i]])}” next ({m.confidence[i]:.2f})"
        )

    def point_at(self, scene_pos: QPointF) -> int | None:
        """The point within ``HOVER_PIXELS`` of a scene position (the nearest), or None."""
        m, vb = self.map, self.plot.getViewBox()
        if m is None or not len(m.coords) or not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        px, py = vb.viewPixelSize()
        d = np.hypot((m.coords[:, 0] - p.x()) / px, (m.coords[:, 1] - p.y()) / py)
        visible = np.zeros(len(d), dtype=bool)
        for g, item in enumerate(self.scatters):
            visible[self.group == g] = item.isVisible()  # hidden in the legend: not hit
        d[~visible] = np.inf
        i = int(np.argmin(d))
        return i if d[i] <= HOVER_PIXELS else None

    def export_image(self, path: str) -> None:
        """The map as drawn, legend included: PNG (at twice the size) or SVG."""
        # The widget drawn into the file, not pyqtgraph's exporter: that one scales the
        # axes for a bigger PNG but leaves the legend at screen size, tiny beside them.
        save_widget_image(self.graphics, path)

    # -- internals --------------------------------------------------------------------
    def _colour_points(self, m: MapPoints) -> None:
        self.group, entries = legend_groups(m, self.colour_by, self.stream)
        self._set_entries(entries)
        for g, item in enumerate(self.scatters):
            chosen = np.flatnonzero(self.group == g)
            item.setData(pos=m.coords[chosen], data=chosen)

    def _set_entries(self, entries: list[Entry]) -> None:
        """One scatter item and legend entry per ``(label, colour, marker)`` (rebuilt only
        when they change); a grey one (:data:`OTHERS`) stands for the rest."""
        key = tuple(entries)
        if key == self._legend_key:
            return
        self._legend_key = key
        for item in self.scatters:
            self.legend.removeItem(item)
            self.plot.removeItem(item)
        self.scatters = []
        columns = max(1, math.ceil(len(entries) / MAX_LEGEND_ROWS))
        self.legend.setColumnCount(columns)
        # At the window's zoom (presentation mode: larger), as the axes and the title.
        self.legend.setLabelTextSize(f"{LEGEND_POINTS * theme.font_zoom():.4g}pt")
        for name, colour, shape in entries:
            item = pg.ScatterPlotItem(size=11, symbol=shape, brush=pg.mkBrush(colour),
                                      pen=pg.mkPen("#333333", width=0.8), name=name)  # fmt: skip
            item.setZValue(9 if (colour, shape) == OTHERS else 10)
            self.plot.addItem(item)
            self.scatters.append(item)
        # The legend fills across its rows: added in this order, it reads down the columns.
        for i in down_the_columns(len(entries), columns):
            self.legend.addItem(self.scatters[i], entries[i][0])

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        self._show_hover(self.point_at(scene_pos))

    def _show_hover(self, i: int | None) -> None:
        m = self.map
        if m is None or i is None or i >= len(m.coords):
            self.hovered = None
            self.highlight.setData([], [])
            self.marker.setData([])
            theme.set_label_text(self.readout, self.idle_text())
            return
        self.hovered = i
        start, stop = next(s for s in m.spans if s[0] <= i < s[1])
        self.highlight.setData(m.coords[start:stop, 0], m.coords[start:stop, 1])
        self.marker.setData(pos=m.coords[i : i + 1])
        theme.set_label_text(self.readout, self.describe(i))


def legend_groups(m: MapPoints, by: str, stream: bool = False) -> tuple[np.ndarray, list[Entry]]:
    """Each point's legend entry ``(P,)`` and the entries, colouring by ``by``.

    No two entries look alike (:func:`legend_styles`); a symbol naming a colour is drawn
    in it. ``stream``: the lines are a stream's excerpts, named "excerpt 2" by line."""
    vocabulary = m.vocabulary
    if by == "symbol":
        listed, others = legend_symbols(m)
        index = np.full(len(vocabulary), len(listed), dtype=np.int64)  # (V,) → entry
        index[list(listed)] = np.arange(len(listed))
        names = [vocabulary[v] for v in listed]
        entries = [
            (legend_name(n), *style) for n, style in zip(names, legend_styles(names), strict=True)
        ]
        if others:
            entries.append((texts.OTHERS.format(n=others), *OTHERS))
        return index[m.symbol], entries
    group = np.zeros(len(m.coords), dtype=np.int64)
    if by == "line":
        for k, (start, stop) in enumerate(m.spans):
            group[start:stop] = k
        labels = [
            f"excerpt {m.sequence[start] + 1:,}" if stream else f"line {m.line[start]}"
            for start, _ in m.spans
        ]
        styles = legend_styles([""] * len(labels))
        more = texts.OTHER_LINES
    else:  # by the symbol each line starts with
        firsts = [int(m.symbol[start]) for start, _ in m.spans]
        order = sorted(set(firsts))  # vocabulary order
        place = {v: k for k, v in enumerate(order)}
        for first, (start, stop) in zip(firsts, m.spans, strict=True):
            group[start:stop] = place[first]
        names = [vocabulary[v] for v in order]
        labels = [legend_name(n) for n in names]
        styles = legend_styles(names)
        more = texts.OTHER_FIRSTS
    entries = [(label, *style) for label, style in zip(labels, styles, strict=True)]
    if len(entries) > MAX_LEGEND:
        others = len(entries) - (MAX_LEGEND - 1)
        group = np.minimum(group, MAX_LEGEND - 1)
        entries = [*entries[: MAX_LEGEND - 1], (more.format(n=others), *OTHERS)]
    return group, entries


def starts_with_colours(firsts: Sequence[str]) -> bool:
    """Whether every line starts with a word naming a colour (long-memory's lines): then
    the map is coloured by that word, in its own colour, at first."""
    return bool(firsts) and all(named_colour(f) is not None for f in firsts)


def down_the_columns(n: int, columns: int) -> list[int]:
    """The order to add ``n`` legend entries to a legend of ``columns`` columns (which
    fills across each row) so they read down each column, as a list does."""
    rows = math.ceil(n / columns) if columns else 0
    order = []
    for r in range(rows):
        for c in range(columns):
            i = c * rows + r
            if i < n:
                order.append(i)
    return order


def legend_symbols(m: MapPoints) -> tuple[tuple[int, ...], int]:
    """The symbols the legend lists, and how many others are on the map.

    Every symbol of a small vocabulary; of a big one, the symbols on the map — the
    ``MAX_LEGEND - 1`` most frequent (first in the vocabulary on a tie) if there are more.
    """
    V = len(m.vocabulary)
    if V <= MAX_LEGEND:
        return tuple(range(V)), 0
    counts = np.bincount(m.symbol, minlength=V)  # (V,)
    present = np.flatnonzero(counts)
    listed = present
    if len(present) > MAX_LEGEND:
        listed = np.sort(present[np.argsort(-counts[present], kind="stable")[: MAX_LEGEND - 1]])
    return tuple(int(v) for v in listed), len(present) - len(listed)


def _arrowheads(coords: np.ndarray, connect: np.ndarray) -> QPainterPath:
    """A filled arrowhead halfway along every drawn segment, pointing forward in time."""
    if len(coords) < 2:
        return QPainterPath()
    extent = float(np.ptp(coords, axis=0).max())
    size = 0.022 * extent if extent > 0 else 0.0
    a, b = coords[:-1][connect[:-1]], coords[1:][connect[:-1]]  # (S, 2) segment ends
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length > 1e-12
    a, d, length = a[keep], d[keep], length[keep]
    head = np.minimum(size, 0.4 * length)[:, None]  # (S, 1) short steps get small heads
    u = d / length[:, None]  # (S, 2) unit directions
    tip = a + d * 0.5 + u * head * 0.5
    left = tip - _rotate(u, ARROW_ANGLE) * head
    right = tip - _rotate(u, -ARROW_ANGLE) * head
    # Each head a closed triangle tip-left-right-tip, one subpath per head, built in one go.
    corners = np.stack([tip, left, right, tip], axis=1).reshape(-1, 2)  # (4S, 2)
    joined = np.ones(len(corners), dtype=bool)
    joined[3::4] = False  # no line from one head to the next
    path = pg.arrayToQPath(corners[:, 0], corners[:, 1], connect=joined)
    path.setFillRule(Qt.FillRule.WindingFill)  # overlapping heads stay filled
    return path


def _rotate(u: np.ndarray, angle: float) -> np.ndarray:
    """Unit vectors ``u`` (S, 2) turned by ``angle`` radians."""
    c, s = math.cos(angle), math.sin(angle)
    return np.c_[u[:, 0] * c - u[:, 1] * s, u[:, 0] * s + u[:, 1] * c]
