"""Help ▸ Guide: the lecture's lessons step by step, opened like the documentation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.ui.shell import about
from app.ui.shell.help_window import HelpWindow
from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


def test_the_guide_sits_next_to_the_documentation_in_the_help_menu(window: MainWindow) -> None:
    a = window.menu_actions
    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Help")
    actions = help_menu.actions()
    assert actions.index(a.guide) == actions.index(a.documentation) + 1
    assert "lecture" in a.guide.text()
    assert "dinner" in a.guide.toolTip() and a.guide.statusTip()


def _help(window: MainWindow) -> HelpWindow:
    found = window.findChild(HelpWindow)
    assert found is not None
    return found


def test_the_guide_opens_inside_the_app(
    window: MainWindow, opened: list[QUrl], qtbot: QtBot
) -> None:
    window.menu_actions.guide.trigger()
    help_window = _help(window)
    qtbot.waitExposed(help_window)
    path = Path(help_window.browser.source().toLocalFile())
    assert path.name == "guide.md" and path.parent.name == "docs" and path.exists()
    text = help_window.browser.toPlainText()
    assert "Lesson 1" in text and "## " not in text  # rendered, not raw Markdown
    assert help_window.pages.currentData() == "guide.md"
    assert opened == []  # no outside program involved


def test_documentation_links_between_pages_and_back(
    window: MainWindow, opened: list[QUrl], qtbot: QtBot
) -> None:
    window.menu_actions.documentation.trigger()
    help_window = _help(window)
    assert Path(help_window.browser.source().toLocalFile()).name == "using-the-app.md"
    help_window.browser.anchorClicked.emit(QUrl("FORMAT.md#limits-the-loader-enforces"))
    assert Path(help_window.browser.source().toLocalFile()).name == "FORMAT.md"
    assert help_window.pages.currentData() == "FORMAT.md"
    assert help_window.back.isEnabled()
    help_window.back.click()
    assert Path(help_window.browser.source().toLocalFile()).name == "using-the-app.md"
    help_window.browser.anchorClicked.emit(QUrl("https://example.org/x"))
    assert [u.toString() for u in opened] == ["https://example.org/x"]  # the web: a browser
    window.menu_actions.guide.trigger()
    assert window.findChildren(HelpWindow) == [help_window]  # one window, reused


def test_frozen_the_guide_is_found_beside_the_bundled_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "using-the-app.md").write_text("# Using", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert about.guide_path() == tmp_path / "docs" / "using-the-app.md"  # no guide: the docs
    (tmp_path / "docs" / "guide.md").write_text("# Guide", encoding="utf-8")
    assert about.guide_path() == tmp_path / "docs" / "guide.md"


def test_a_guide_that_cannot_be_found_is_explained(
    window: MainWindow, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(about, "guide_path", lambda: None)
    window.menu_actions.guide.trigger()
    assert dialogs.kinds() == ["information"]
    assert "docs/" in dialogs.texts()[0]
