"""A whole widget (plots and painted rows together) as a PNG or SVG image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QWidget

from app.ui import dialogs
from app.ui.files import IMAGE_FILTER
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


def ask_and_export(parent: QWidget, export: Callable[[str], None]) -> bool:
    """The "Export image…" button: ask for a file (PNG or SVG), then ``export(path)``."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export image", "rnn-vs-lstm.png", IMAGE_FILTER
    )
    if not path:
        return False
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        target = target.with_name(target.name + (".svg" if "SVG" in chosen else ".png"))
    try:
        export(str(target))
    except (OSError, ValueError) as exc:
        dialogs.show_error(parent, "Cannot export the image", f"{target}: {exc}")
        return False
    return True
