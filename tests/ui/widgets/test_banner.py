"""The message strip above the plots."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.widgets.banner import Banner


def test_banner(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show()
    banner.hide()
    banner.show_message("Loss became NaN", "error")
    assert banner.isVisible() and banner.kind == "error"
    banner.close_button.click()
    assert not banner.isVisible()
