"""Export image…: the dialog's extension rule, error dialogs, and PNG (2×) / SVG writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.ui.shell.image_export import (
    EXPORT_SCALE,
    ask_and_export,
    ask_image_path,
    export_button,
    image_suffix,
    save_widget_image,
)
from tests.ui.conftest import Dialogs, FileDialogs


@pytest.fixture
def widget(qtbot: QtBot) -> QWidget:
    label = QLabel("forget gate")
    qtbot.addWidget(label)
    label.resize(120, 40)
    return label


def test_the_chosen_type_is_added_when_the_name_has_none(
    widget: QWidget, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    file_dialogs.next_save(tmp_path / "plot", "SVG image (*.svg)")
    assert ask_image_path(widget, "plot.png") == tmp_path / "plot.svg"
    file_dialogs.next_save(tmp_path / "plot", "PNG image (*.png)")
    assert ask_image_path(widget, "plot.png") == tmp_path / "plot.png"
    file_dialogs.next_save(tmp_path / "plot.SVG", "PNG image (*.png)")
    assert ask_image_path(widget, "plot.png") == tmp_path / "plot.SVG"  # kept as typed
    file_dialogs.next_save("")  # cancelled
    assert ask_image_path(widget, "plot.png") is None


def test_a_failed_write_is_shown_and_nothing_returned(
    widget: QWidget, file_dialogs: FileDialogs, dialogs: Dialogs, tmp_path: Path
) -> None:
    def fail(path: str) -> None:
        raise OSError("disk full")

    file_dialogs.next_save(tmp_path / "x.png")
    assert ask_and_export(widget, "x.png", fail) is None
    assert dialogs.calls == [
        ("critical", "Cannot export the image", f"{tmp_path / 'x.png'}: disk full")
    ]


def test_the_button_suggests_its_name_and_writes(
    widget: QWidget, file_dialogs: FileDialogs, tmp_path: Path
) -> None:
    written: list[str] = []
    file_dialogs.next_save(tmp_path / "map")
    export_button(widget, "state-map", written.append).click()
    assert written == [str(tmp_path / "map.png")]


def test_png_is_twice_the_size_and_svg_is_vector(widget: QWidget, tmp_path: Path) -> None:
    png, svg = tmp_path / "w.png", tmp_path / "w.svg"
    save_widget_image(widget, str(png))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (120 * EXPORT_SCALE, 40 * EXPORT_SCALE)
    save_widget_image(widget, str(svg), title="a title")
    text = svg.read_text()
    assert "<svg" in text and "a title" in text and "forget gate" in text


def test_other_extensions_are_refused(widget: QWidget, tmp_path: Path) -> None:
    assert image_suffix("a/B.PNG") == ".png"
    with pytest.raises(ValueError, match=r"png or \.svg, not '\.jpg'"):
        save_widget_image(widget, str(tmp_path / "w.jpg"))
    with pytest.raises(ValueError, match="no extension"):
        image_suffix("plot")
