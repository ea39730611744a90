"""The "Export image…" button of the exploring views: ask for a file, write PNG or SVG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from app.ui import dialogs
from app.ui.plots import _theme as theme

IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"
TIP = "Save what this view shows as a picture for slides or notes: PNG or SVG."


def export_button(parent: QWidget, name: str, write: Callable[[str], None]) -> QPushButton:
    """A button that asks where to save (``name``.png suggested) and calls ``write(path)``."""
    button = QPushButton("Export image…")
    button.setToolTip(TIP)
    button.clicked.connect(lambda: ask_and_export(parent, name, write))
    return button


def ask_and_export(parent: QWidget, name: str, write: Callable[[str], None]) -> str | None:
    """The save dialog, then ``write``; returns the path written, or None."""
    path, chosen = QFileDialog.getSaveFileName(parent, "Export image", f"{name}.png", IMAGE_FILTER)
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        target = target.with_name(target.name + (".svg" if "SVG" in chosen else ".png"))
    try:
        write(str(target))
    except (OSError, ValueError, RuntimeError) as exc:
        dialogs.show_error(parent, "Cannot export the image", f"{target}: {exc}")
        return None
    return str(target)


def export_widget(widget: QWidget, path: str) -> None:
    """Draw ``widget`` (and its children) to PNG (at twice its size) or SVG, by extension."""
    suffix = Path(path).suffix.lower()
    size = widget.size()
    if suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setResolution(widget.logicalDpiX())
        generator.setTitle("LSTM Playground")
        _paint(widget, generator)
        return
    if suffix != ".png":
        raise ValueError(f"export as .png or .svg, not {suffix or 'no extension'!r}")
    scale = theme.EXPORT_SCALE
    image = QImage(QSize(size.width() * scale, size.height() * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)  # children draw at their size, twice as sharp
    image.fill(QColor(theme.BACKGROUND))
    _paint(widget, image)
    if not image.save(path):
        raise OSError("the image could not be written")


def _paint(widget: QWidget, device: QImage | QSvgGenerator) -> None:
    painter = QPainter(device)
    try:
        if isinstance(device, QSvgGenerator):
            painter.fillRect(widget.rect(), QColor(theme.BACKGROUND))
        # QWidget's own render, also for a graphics view (whose render() draws its scene).
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
