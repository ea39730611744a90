"""A whole widget (plots and painted rows together) as a PNG or SVG image."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from app.ui.plots import _theme as theme


def export_widget(widget: QWidget, path: str) -> None:
    """Render ``widget`` to ``path``: PNG at twice the screen size (for slides), or SVG.

    Raises
    ------
    ValueError
        For an extension other than ``.png`` or ``.svg``.
    OSError
        When the file cannot be written.
    """
    suffix = Path(path).suffix.lower()
    size = widget.size()
    if suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle("LSTM Playground — RNN vs LSTM")
        generator.setResolution(widget.logicalDpiX())
        painter = QPainter(generator)
        try:
            painter.fillRect(QRect(0, 0, size.width(), size.height()), QColor(theme.BACKGROUND))
            widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
        return
    if suffix != ".png":
        raise ValueError(f"export as .png or .svg, not {suffix or 'no extension'!r}")
    scale = theme.EXPORT_SCALE
    image = QImage(QSize(size.width() * scale, size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor(theme.BACKGROUND))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    if not image.save(path):
        raise OSError(f"could not write {path}")
