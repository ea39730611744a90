"""One light theme for every plot: colours, fonts, colour maps, axis styling and export.

The app never calls ``pg.setConfigOptions``: each widget sets its own background and
pens here, so the plots look the same whatever else the process configured.  White
with dark text, because these plots end up on projectors and slides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QLabel

BACKGROUND = "#ffffff"
FOREGROUND = "#222222"
MUTED = "#555555"  # captions: dark enough for a projector (7.5:1 on white)
GRID_ALPHA = 0.18

# Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
TRAIN = "#0072B2"  # blue
VALIDATION = "#D55E00"  # vermillion
WRONG = "#D62728"  # red for wrong predictions (always paired with a shape, never alone)
WRONG_TEXT = "#B42318"
"""The same red darkened for text: 5.9:1 on the window's grey, where WRONG has 4.4:1 (a
projector washes out anything under 4.5:1)."""

TICK_POINT_SIZE = 10
TITLE_POINT_SIZE = 11
LABEL_POINT_SIZE = 10
TITLE_SIZE = "11pt"
"""The title size at the current font zoom (rebound by :func:`set_font_zoom`)."""
LABEL_STYLE = {"color": FOREGROUND, "font-size": "10pt"}
"""Axis label style at the current font zoom (updated in place by :func:`set_font_zoom`)."""
_font_zoom = 1.0

SIGMOID_LEVELS = (0.0, 1.0)
TANH_LEVELS = (-1.0, 1.0)
CELL_LIMIT = 3.0
"""The memory's colour scale is ±3: tanh(3) ≈ 0.995, so beyond it squashing changes nothing."""
CELL_LEVELS = (-CELL_LIMIT, CELL_LIMIT)
EXPORT_SCALE = 2
"""PNG exports are drawn at twice the on-screen size, sharp enough for a slide."""


def sigmoid_map() -> pg.ColorMap:
    """Perceptually uniform, colour-blind safe map for 0…1 (closed … open)."""
    return pg.colormap.get("viridis")


def diverging_map() -> pg.ColorMap:
    """Blue–white–red for −1…1: white is zero, the sign reads as hue."""
    return pg.colormap.get("CET-D1")


def graphics_widget() -> pg.GraphicsLayoutWidget:
    """A layout widget with the theme's background (set here, not in global config)."""
    widget = pg.GraphicsLayoutWidget()
    widget.setBackground(BACKGROUND)
    return widget


def tick_font() -> QFont:
    """The tick labels' font at the current font zoom."""
    font = QFont()
    font.setPointSizeF(TICK_POINT_SIZE * _font_zoom)
    return font


def font_zoom() -> float:
    """The factor every plot font is drawn at (1.0 = the theme's sizes)."""
    return _font_zoom


def set_font_zoom(factor: float) -> None:
    """Draw plot fonts built from now on ``factor`` times the theme's sizes.

    Items already drawn keep their fonts: :mod:`app.ui.shell.zoom` restyles those.
    """
    global _font_zoom, TITLE_SIZE
    _font_zoom = float(factor)
    TITLE_SIZE = _points(TITLE_POINT_SIZE * _font_zoom)
    LABEL_STYLE["font-size"] = _points(LABEL_POINT_SIZE * _font_zoom)


def _points(size: float) -> str:
    return f"{size:.4g}pt"


def style_axis(axis: pg.AxisItem, label: str | None = None) -> None:
    """Dark axis line, ticks and text on the light background."""
    axis.setPen(pg.mkPen(FOREGROUND))
    axis.setTextPen(pg.mkPen(FOREGROUND))
    axis.setTickFont(tick_font())
    # No "(×0.001)" unit prefixes: a loss of 0.002 should read 0.002.  (It also spares
    # re-typesetting the label whenever the range moves.)
    axis.enableAutoSIPrefix(False)
    if label is not None:
        axis.setLabel(label, **LABEL_STYLE)


def show_grid(plot: pg.PlotItem, x: bool = True, y: bool = True) -> None:
    """pyqtgraph's grid (``showGrid`` with :data:`GRID_ALPHA`), drawn fast.

    Qt's raster engine draws translucent lines about 30 times slower than opaque ones
    (79 grid lines across a 700 × 230 plot: 6.6 ms against 0.2 ms), and pyqtgraph
    repaints an axis's whole grid whenever anything in the plot changes: 12 ms a
    repaint for one small plot.  Here each grid line gets the opaque colour it had over
    the background, so it looks the same, and the axes go behind the data, where the
    grid belongs (a translucent grid only tinted the curves it crossed).
    """
    plot.showGrid(x=x, y=y, alpha=GRID_ALPHA)
    for name, on in (("bottom", x), ("left", y)):
        if on:
            _opaque_ticks(plot.getAxis(name))


def _opaque_ticks(axis: pg.AxisItem) -> None:
    axis.setZValue(-1)  # behind the view box: under the curves and images
    generate = axis.generateDrawSpecs
    background = QColor(BACKGROUND)

    def opaque(pen: QPen) -> QPen:
        colour = pen.color()
        a = colour.alphaF()
        if a >= 1.0:
            return pen
        solid = QPen(pen)
        solid.setColor(
            QColor.fromRgbF(
                background.redF() * (1 - a) + colour.redF() * a,
                background.greenF() * (1 - a) + colour.greenF() * a,
                background.blueF() * (1 - a) + colour.blueF() * a,
            )
        )
        return solid

    def specs(painter: QPainter) -> object:
        drawn = generate(painter)
        if drawn is None:
            return None
        axis_spec, tick_specs, text_specs = drawn
        return axis_spec, [(opaque(pen), a, b) for pen, a, b in tick_specs], text_specs

    axis.generateDrawSpecs = specs


def style_plot(plot: pg.PlotItem, title: str | None = None) -> None:
    """Apply the theme to a plot's axes and title; hide the context-menu clutter."""
    for name in ("left", "bottom"):
        style_axis(plot.getAxis(name))
    plot.hideButtons()
    if title is not None:
        set_title(plot, title)


def set_title(plot: pg.PlotItem, title: str) -> None:
    plot.setTitle(title, color=FOREGROUND, size=TITLE_SIZE)


def style_colorbar(bar: pg.ColorBarItem) -> None:
    for name in ("left", "right", "top", "bottom"):
        bar.getAxis(name).setPen(pg.mkPen(FOREGROUND))
    style_axis(bar.axis)


class HasText(Protocol):
    """A QLabel or a :class:`~app.ui.plots.readout.Readout`."""

    def text(self) -> str: ...

    def setText(self, text: str) -> None: ...


def set_label_text(label: QLabel | HasText, text: str) -> None:
    """Set ``text`` only if it differs: each setText re-runs the layout around the label."""
    if label.text() != text:
        label.setText(text)


def cache_static(*items: QGraphicsItem) -> None:
    """Keep the drawing of items that rarely change (axes, colour bars, titles) as pixmaps.

    An axis overlaps its plot (ticks, grid lines), so every new curve or image in the
    plot repainted it by replaying each tick and label; cached, that is one copy, and
    the axis is drawn again only when it changes.  :func:`export_item` draws without
    the caches, so exports stay sharp and SVG stays vector.
    """
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def export_item(item: QGraphicsItem, path: str) -> None:
    """Write ``item`` (usually a layout's central item) to PNG or SVG, by extension.

    Raises
    ------
    ValueError
        For an extension other than ``.png`` or ``.svg``.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(f"export as .png or .svg, not {suffix or 'no extension'!r}")
    scene = item.scene()
    cached = [(i, i.cacheMode()) for i in (scene.items() if scene else [])]
    cached = [(i, mode) for i, mode in cached if mode != QGraphicsItem.CacheMode.NoCache]
    for i, _ in cached:
        i.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        if suffix == ".svg":
            _export_svg(item, path)
            return
        exporter = ImageExporter(item)
        width = max(int(item.boundingRect().width()), 1)
        exporter.parameters()["width"] = width * EXPORT_SCALE
        exporter.parameters()["background"] = pg.mkColor(BACKGROUND)
        exporter.export(path)
    finally:
        for i, mode in cached:
            i.setCacheMode(mode)


def _export_svg(item: QGraphicsItem, path: str) -> None:
    """Render ``item``'s part of the scene through Qt's SVG generator.

    Not pyqtgraph's SVGExporter: in pyqtgraph 0.14 it fails on the closed paths
    ("… Z") that Qt 6.11 writes (pyqtgraph issue #3495).
    """
    scene = item.scene()
    source = item.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(target.size().toSize())
    generator.setViewBox(target)
    generator.setTitle("LSTM Playground")
    # The generator's default 72 dpi would shrink fonts and pyqtgraph's cached axis
    # pictures (recorded at the screen's dpi) against everything else.
    views = scene.views()
    generator.setResolution(views[0].logicalDpiX() if views else 96)
    painter = QPainter(generator)
    try:
        painter.fillRect(target, QColor(BACKGROUND))
        scene.render(painter, target, source)
    finally:
        painter.end()
    from app.ui.shell.image_export import drop_empty_paths  # (it imports this module)

    drop_empty_paths(path)  # an empty curve's <path d=""> garbles other renderers
