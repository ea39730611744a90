"""Export image…: the file dialog, and writing a widget (or any painting) as PNG or SVG.

PNG is drawn at :data:`EXPORT_SCALE` times the screen size (sharp on slides), SVG at
the screen's resolution through Qt's generator.  The pyqtgraph plots of the Train tab
keep their own exporter (``plots._theme.export_item``); the dialog is the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from app.ui.plots import _theme as theme
from app.ui.shell import dialogs

IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"
SUFFIXES = (".png", ".svg")
EXPORT_SCALE = theme.EXPORT_SCALE
TITLE = "LSTM Playground"
BUTTON_TIP = "Save what this view shows as a picture for slides or notes: PNG or SVG."


# -- the dialog ----------------------------------------------------------------------------
def ask_image_path(parent: QWidget, start: str | Path) -> Path | None:
    """The "Export image" save dialog, opened at ``start`` (a file name or a path).

    Returns the path chosen, with ``.png`` or ``.svg`` added (by the type chosen) when it
    has neither; None when cancelled.
    """
    path, chosen = QFileDialog.getSaveFileName(parent, "Export image", str(start), IMAGE_FILTER)
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in SUFFIXES:
        target = target.with_name(target.name + (".svg" if "SVG" in chosen else ".png"))
    return target


def ask_and_export(parent: QWidget, start: str | Path, write: Callable[[str], None]) -> Path | None:
    """Ask where to save (:func:`ask_image_path`), then ``write(path)``.

    Returns the path written; None when cancelled, or when writing failed (the error
    is shown in a dialog).
    """
    target = ask_image_path(parent, start)
    if target is None:
        return None
    try:
        write(str(target))
    except (OSError, ValueError, RuntimeError) as exc:
        dialogs.show_error(parent, "Cannot export the image", f"{target}: {exc}")
        return None
    return target


def export_button(parent: QWidget, name: str, write: Callable[[str], None]) -> QPushButton:
    """An "Export image…" button: the dialog suggests ``name``.png, then ``write(path)``."""
    button = QPushButton("Export image…")
    button.setToolTip(BUTTON_TIP)
    button.clicked.connect(lambda: ask_and_export(parent, f"{name}.png", write))
    return button


# -- writing -------------------------------------------------------------------------------
def image_suffix(path: str | Path) -> str:
    """``".png"`` or ``".svg"`` (the extension of ``path``, lower case).

    Raises
    ------
    ValueError
        For any other extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"export as .png or .svg, not {suffix or 'no extension'!r}")
    return suffix


def save_widget_image(
    widget: QWidget,
    path: str,
    title: str = TITLE,
    scale: float = EXPORT_SCALE,
    pixels: QSize | None = None,
) -> None:
    """Draw ``widget`` and its children to ``path`` on the plots' background.

    PNG at ``scale`` times the widget's size (children draw at their own size, ``scale``
    times as sharp) or exactly ``pixels`` when given, or SVG at the screen's resolution;
    by extension.

    Raises
    ------
    ValueError
        For an extension other than ``.png`` or ``.svg``.
    OSError
        When the file cannot be written.
    """
    size = widget.size()
    save_image(path, QSizeF(size), _widget_painter(widget), title, scale,
               widget.logicalDpiX(), pixels)  # fmt: skip


def widget_raster(widget: QWidget, scale: float, pixels: QSize) -> QImage:
    """``widget`` drawn as :func:`save_widget_image` draws a PNG, into an image of
    ``pixels`` (the frames of an animation)."""
    return _raster(_widget_painter(widget), scale, pixels)


def _widget_painter(widget: QWidget) -> Callable[[QPainter], None]:
    size = widget.size()

    def paint(painter: QPainter) -> None:
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(theme.BACKGROUND))
        # QWidget's own render, also for a graphics view (whose render() draws its scene).
        QWidget.render(widget, painter, QPoint(0, 0))

    return paint


def save_image(
    path: str,
    size: QSizeF,
    paint: Callable[[QPainter], None],
    title: str = TITLE,
    scale: float = EXPORT_SCALE,
    resolution: int | None = None,
    pixels: QSize | None = None,
) -> None:
    """Write what ``paint(painter)`` draws in ``size`` (logical units) to PNG or SVG.

    The PNG is ``scale`` times ``size`` in pixels (or exactly ``pixels``), drawn at a
    device pixel ratio of ``scale`` and filled with the plots' background first; the
    SVG has ``size`` and ``resolution`` (dots per inch; Qt's default when None), and
    only what ``paint`` draws.

    Raises
    ------
    ValueError
        For an extension other than ``.png`` or ``.svg``.
    OSError
        When the file cannot be written.
    """
    if image_suffix(path) == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(size.toSize())
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        if resolution is not None:
            generator.setResolution(resolution)
        _paint_on(generator, paint)
        if not Path(path).is_file():  # the generator fails silently
            raise OSError(f"could not write {path}")
        drop_empty_paths(path)
        return
    image = _raster(paint, scale, pixels or (size * scale).toSize())
    if not image.save(path):
        raise OSError(f"could not write {path}")


def _raster(paint: Callable[[QPainter], None], scale: float, pixels: QSize) -> QImage:
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    image.fill(QColor(theme.BACKGROUND))
    _paint_on(image, paint)
    return image


EMPTY_PATH = re.compile(rb'<path\b[^>]*\sd=""[^>]*/>\n?')
"""A ``<path d="">`` Qt's generator writes for an empty painter path (an empty curve)."""


def drop_empty_paths(path: str | Path) -> int:
    """Remove the empty ``<path d="">`` elements from the SVG file at ``path``.

    Qt's SVG generator writes one for every empty curve it is asked to draw; the SVG
    grammar requires path data, and other renderers (Inkscape, browsers, slide
    software) draw such files garbled or refuse them.  Returns how many were removed.
    """
    file = Path(path)
    svg = file.read_bytes()
    cleaned, removed = EMPTY_PATH.subn(b"", svg)
    if removed:
        file.write_bytes(cleaned)
    return removed


def _paint_on(device: QImage | QSvgGenerator, paint: Callable[[QPainter], None]) -> None:
    painter = QPainter(device)
    try:
        paint(painter)
    finally:
        painter.end()
