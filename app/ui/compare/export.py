"""Whole-widget export: PNG at twice the screen size, or SVG through Qt's generator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from app.ui.plots import _theme as theme


def export_widget(widget: QWidget, path: str) -> None:
    """Draw ``widget`` and everything in it to ``path`` (``.png`` or ``.svg``).

    Raises
    ------
    ValueError
        For another extension.
    OSError
        When the file cannot be written.
    """
    suffix = Path(path).suffix.lower()
    size = widget.size()
    if suffix == ".png":
        scale = theme.EXPORT_SCALE
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(QColor(theme.BACKGROUND))
        widget.render(pixmap)
        if not pixmap.save(path, "PNG"):
            raise OSError(f"could not write {path}")
    elif suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(size))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle("LSTM Playground — compare epochs")
        generator.setResolution(widget.logicalDpiX())
        painter = QPainter(generator)
        try:
            painter.fillRect(QRect(0, 0, size.width(), size.height()), QColor(theme.BACKGROUND))
            widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
        if not Path(path).is_file():
            raise OSError(f"could not write {path}")
    else:
        raise ValueError(f"export as .png or .svg, not {suffix or 'no extension'!r}")
