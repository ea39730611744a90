"""Fixtures for the window tests: a real main window, and dialogs that answer themselves.

No test may ever block on a modal dialog: every ``QMessageBox`` static function is
replaced by :class:`Dialogs`, which records the call and returns the answer the test
queued (or a safe default), and file dialogs fail loudly unless a test patches them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.main import application, build_window
from app.ui.shell import dialogs as app_dialogs
from app.ui.shell.window import MainWindow

Button = QMessageBox.StandardButton
DEFAULTS = {
    "question": Button.Cancel,
    "warning": Button.Discard,
    "critical": Button.Ok,
    "information": Button.Ok,
}


@dataclass
class Dialogs:
    """Records message boxes; ``answer(kind, button)`` queues the next reply of a kind."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)
    queued: dict[str, list[Any]] = field(default_factory=dict)

    def answer(self, kind: str, button: Any) -> None:
        self.queued.setdefault(kind, []).append(button)

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.calls]

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _, text in self.calls if kind is None or k == kind]

    def make(self, kind: str) -> Callable[..., Any]:
        def fake(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((kind, title, text))
            queue = self.queued.get(kind)
            return queue.pop(0) if queue else DEFAULTS.get(kind, Button.Ok)

        return fake


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    recorder = Dialogs()
    for kind in DEFAULTS:
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder.make(kind)))
    monkeypatch.setattr(  # the questions the app builds itself (no mnemonics)
        app_dialogs,
        "run_box",
        lambda kind, box: recorder.make(kind)(box.parent(), box.windowTitle(), box.text()),
    )
    monkeypatch.setattr(
        QMessageBox, "about", staticmethod(lambda p, t, x: recorder.calls.append(("about", t, x)))
    )

    def no_file_dialog(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file dialog opened that the test did not patch")

    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(no_file_dialog))
    return recorder


@dataclass
class FileDialogs:
    """Queue paths for the next Open / Save dialogs."""

    monkeypatch: pytest.MonkeyPatch
    opened: list[str] = field(default_factory=list)

    def next_open(self, path: Path | str) -> None:
        self._queue("getOpenFileName", str(path))

    def next_save(self, path: Path | str, selected_filter: str = "") -> None:
        self._queue("getSaveFileName", str(path), selected_filter)

    def _queue(self, name: str, path: str, selected_filter: str = "") -> None:
        def fake(*args: Any, **kwargs: Any) -> tuple[str, str]:
            self.opened.append(name)
            return path, selected_filter

        self.monkeypatch.setattr(QFileDialog, name, staticmethod(fake))


@pytest.fixture
def file_dialogs(monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs) -> FileDialogs:
    return FileDialogs(monkeypatch)


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Build windows like the app does (``open_initial(path)``, then show)."""
    windows: list[MainWindow] = []

    def make(path: Path | None = None, show: bool = True) -> MainWindow:
        application()
        window = build_window()
        window.open_initial(path)
        if show:
            window.show()
            qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:  # closed here, not by qtbot: the dialogs are still patched
        window.document.set_modified(False)
        window.close()
        assert window.controller.shutdown(5000), "the training thread did not end"
        window.deleteLater()


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    """The app as it starts with no arguments: the dinner preset, untrained."""
    return make_window()
