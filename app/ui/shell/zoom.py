"""Zoom of the whole window as a font scale, and thicker plot lines for presentations.

``QT_SCALE_FACTOR`` is read once at start-up, so zoom cannot scale pixels at run time;
it scales fonts instead.  One factor drives every font:

- the application font (every widget without a font of its own follows it);
- widgets that set a font of their own (a bigger sentence, a bold button) keep their
  size *relative* to the theme: each remembers its size at 100 % and is set to that size
  times the factor;
- the plots' tick fonts, axis labels and titles (:func:`app.ui.plots._theme.set_font_zoom`
  for items built later; the items already in a scene are restyled here), and text items
  sized in points.  Text sized in pixels (the cell diagram's, which scales with its view)
  is left alone.

:func:`apply_font_factor` and :func:`apply_line_scale` work on the whole application or
on one widget's subtree, so a headless figure can use them too (see
:mod:`app.ui.shell.presentation`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QApplication, QGraphicsTextItem, QGraphicsView, QWidget

from app.ui.document.preferences import DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, Preferences
from app.ui.plots import _theme as theme

ZOOM_STEPS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
"""Zoom levels in percent, as browsers offer them; Ctrl + and Ctrl − move between them."""
PRESENTATION_ZOOM = 1.25
"""Presentation mode draws fonts this much larger than the person's own zoom…"""
PRESENTATION_LINES = 1.5
"""… and the plots' curves this much thicker."""

_BASE_PT = "zoomBasePointSize"
_BASE_PX = "zoomBasePixelSize"
_factor = 1.0  # the factor the fonts on screen are drawn at now
_line_scale = 1.0
_app_base: QFont | None = None  # the application font at 100 %


def clamp_zoom(percent: int) -> int:
    return max(MIN_ZOOM, min(MAX_ZOOM, int(percent)))


def zoom_step(percent: int, direction: int) -> int:
    """The next zoom level up (``direction`` > 0) or down from ``percent``, clamped."""
    if direction > 0:
        return next((z for z in ZOOM_STEPS if z > percent), MAX_ZOOM)
    return next((z for z in reversed(ZOOM_STEPS) if z < percent), MIN_ZOOM)


def font_factor() -> float:
    """The factor fonts are drawn at now (the zoom, times the presentation's step)."""
    return _factor


def line_scale() -> float:
    return _line_scale


def apply_font_factor(factor: float, root: QWidget | None = None) -> None:
    """Draw every font ``factor`` times its size at 100 %.

    ``root`` None restyles every widget of the application; else ``root`` and its
    children only (a widget rendered on its own, as the figure command does).
    """
    global _factor, _app_base
    qapp = QApplication.instance()
    if not isinstance(qapp, QApplication) or factor <= 0:
        return
    old, _factor = _factor, float(factor)
    theme.set_font_zoom(_factor)
    if _app_base is None:
        _app_base = QFont(qapp.font())
    font = QFont(_app_base)
    font.setPointSizeF(_app_base.pointSizeF() * _factor)
    qapp.setFont(font)
    # Qt posts the change to every widget; deliver it now, so sizes are right on return.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange.value)
    for widget in _widgets(root):
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            _scale_widget_font(widget, old)
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            _restyle_scene_fonts(widget, old)
    for widget in _widgets(root):  # sizes measured from the fonts, measured again
        refit = getattr(widget, "font_zoom_changed", None)
        if callable(refit):
            refit()


def apply_line_scale(scale: float, root: QWidget | None = None) -> None:
    """Draw the plots' curves ``scale`` times as thick as their own pens (1.0 = as built).

    Curves whose pens change later keep the new pen until this is applied again.
    """
    global _line_scale
    _line_scale = float(scale)
    for widget in _widgets(root):
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                _scale_curve(item)


class UiZoom(QObject):
    """The window's zoom: the person's level (remembered) times the presentation's step."""

    changed = Signal(int)
    """The person's zoom level changed (in percent)."""

    def __init__(self, preferences: Preferences, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._preferences = preferences
        self.percent = preferences.ui_zoom()
        self.presenting = False

    def factor(self) -> float:
        """The font factor on screen: the zoom, times :data:`PRESENTATION_ZOOM` if presenting."""
        return self.percent / 100 * (PRESENTATION_ZOOM if self.presenting else 1.0)

    def zoom_in(self) -> None:
        self.set_percent(zoom_step(self.percent, +1))

    def zoom_out(self) -> None:
        self.set_percent(zoom_step(self.percent, -1))

    def reset(self) -> None:
        self.set_percent(DEFAULT_ZOOM)

    def set_percent(self, percent: int) -> None:
        percent = clamp_zoom(percent)
        if percent == self.percent:
            return
        self.percent = percent
        self._preferences.set_ui_zoom(percent)
        self.apply()
        self.changed.emit(percent)

    def set_presenting(self, on: bool) -> None:
        self.presenting = on
        self.apply()
        apply_line_scale(PRESENTATION_LINES if on else 1.0, self._window)

    def apply(self) -> None:
        """Restyle every widget and plot of the application at :meth:`factor`."""
        if abs(self.factor() - _factor) > 1e-9:
            apply_font_factor(self.factor(), self._window)


# -- widgets -----------------------------------------------------------------------------------
def _widgets(root: QWidget | None) -> Iterable[QWidget]:
    roots = QApplication.topLevelWidgets() if root is None else [root]
    return [w for top in roots for w in (top, *top.findChildren(QWidget))]


_SIZE_RESOLVED = 0x0002  # QFont::SizeResolved (not exposed by PySide6)


def _scale_widget_font(widget: QWidget, old: float) -> None:
    font = QFont(widget.font())
    if not font.resolveMask() & _SIZE_RESOLVED and widget.property(_BASE_PT) is None:
        # Its own font sets only a style (a bold button): its size follows the
        # application font, already zoomed; scaling it again made it 1.25² as large.
        return
    if font.pointSizeF() > 0:
        base = widget.property(_BASE_PT)
        if not isinstance(base, float):
            base = font.pointSizeF() / old
            widget.setProperty(_BASE_PT, base)
        font.setPointSizeF(max(base * _factor, 1.0))
    elif font.pixelSize() > 0:
        base = widget.property(_BASE_PX)
        if not isinstance(base, float):
            base = font.pixelSize() / old
            widget.setProperty(_BASE_PX, base)
        font.setPixelSize(max(round(base * _factor), 1))
    widget.setFont(font)


# -- plots -------------------------------------------------------------------------------------
_PT = re.compile(r"^\s*([0-9.]+)\s*pt\s*$")


def _scaled_points(item: object, attr: str, size: object, old: float) -> str | None:
    """``size`` ("10pt") at the current factor; its size at 100 % is kept on ``item``."""
    base = getattr(item, attr, None)
    if not isinstance(base, float):
        match = _PT.match(size) if isinstance(size, str) else None
        if match is None:
            return None
        base = float(match.group(1)) / old
        setattr(item, attr, base)
    return f"{base * _factor:.4g}pt"


def _restyle_scene_fonts(view: QGraphicsView, old: float) -> None:
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            _restyle_axis(item, old)
        elif isinstance(item, pg.LabelItem):
            size = _scaled_points(item, "_zoom_base_size", item.opts.get("size"), old)
            if size is not None:
                item.setText(item.text, size=size)
        elif isinstance(item, QGraphicsTextItem) and not _in_plot_label(item):
            font = item.font()
            if font.pointSizeF() > 0:  # pixel-sized text scales with its view: left alone
                base = getattr(item, "_zoom_base_pt", None)
                if not isinstance(base, float):
                    base = font.pointSizeF() / old
                    item._zoom_base_pt = base  # type: ignore[attr-defined]
                font.setPointSizeF(base * _factor)
                item.setFont(font)
    view.viewport().update()


def _in_plot_label(item: QGraphicsTextItem) -> bool:
    """Is ``item`` the text of an axis or a pyqtgraph label (restyled with its owner)?"""
    # Never parentItem() on a top-level item: PySide6 then hands the item to its Python
    # wrapper, and it disappears from the scene once the wrapper is collected (the cell
    # diagram lost its top-level texts at every zoom step).
    if item.topLevelItem() is item:
        return False
    return isinstance(item.parentItem(), (pg.AxisItem, pg.LabelItem))


def _restyle_axis(axis: pg.AxisItem, old: float) -> None:
    font = axis.style.get("tickFont")
    if isinstance(font, QFont) and font.pointSizeF() > 0:
        base = getattr(axis, "_zoom_base_pt", None)
        if not isinstance(base, float):
            base = font.pointSizeF() / old
            axis._zoom_base_pt = base
        font = QFont(font)
        font.setPointSizeF(base * _factor)
        axis.setTickFont(font)
        # Axes that measure their own labels (the token axes) measure them again.
        if hasattr(axis, "_line_px"):
            axis._line_px = QFontMetricsF(font).height()
        labels = getattr(axis, "labels", None)
        if labels and callable(getattr(axis, "set_labels", None)):
            axis.set_labels(labels)
    width = axis.fixedWidth
    if axis.orientation in ("left", "right") and isinstance(width, (int, float)):
        # A width chosen for the theme's font (two plots' axes kept aligned) grows with it.
        base, applied = getattr(axis, "_zoom_width", (None, None))
        if base is None or applied != width:  # set by the view since: its new base
            base = width / old
        axis._zoom_width = (base, round(base * _factor))
        axis.setWidth(round(base * _factor))
    size = _scaled_points(axis, "_zoom_base_label", axis.labelStyle.get("font-size"), old)
    if size is not None:
        axis.labelStyle["font-size"] = size
        axis._updateLabel()


def _scale_curve(item: object) -> None:
    inner = isinstance(item, pg.PlotCurveItem) and isinstance(item.parentItem(), pg.PlotDataItem)
    if not isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)) or inner:
        return  # (a PlotDataItem's own curve takes its pen from the PlotDataItem)
    pen = item.opts.get("pen")
    if pen is None:
        return
    pen = QPen(pg.mkPen(pen))
    # (width as built, width set here): a pen the view changed since is the new base.
    base, applied = getattr(item, "_zoom_pen_width", (None, None))
    if base is None or applied is None or abs(pen.widthF() - applied) > 1e-6:
        base = pen.widthF()
    width = base if _line_scale == 1.0 else max(base, 1.0) * _line_scale
    item._zoom_pen_width = (base, width)
    if abs(pen.widthF() - width) > 1e-6:
        pen.setWidthF(width)
        item.setPen(pen)
