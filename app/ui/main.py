"""Starting the desktop app: ``run_gui([])``, ``run_gui([path])``, ``run_gui(["--self-test"])``.

``app/__main__.py`` calls :func:`run_gui` with the command-line arguments after the
program name.  The QApplication is created here (or reused, under pytest-qt), named
for QSettings, given the app icon, and the main window is shown on the default
project or on the file given.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import app
from app.resources import resource_path
from app.training.controller import TrainingController
from app.ui.document.preferences import APPLICATION, ORGANIZATION, Preferences
from app.ui.shell.window import MainWindow

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SELF_TEST_FLAG = "--self-test"


def app_icon() -> QIcon:
    """The application icon from ``resources/icons`` (PNG renders of ``app.svg``)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"app-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def _needs_offscreen() -> bool:
    """No display to draw on (a bare Linux box, CI): use Qt's offscreen platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def application(offscreen_if_headless: bool = False) -> QApplication:
    """The process's QApplication, created and configured once."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        qapp = existing
    else:
        if offscreen_if_headless and _needs_offscreen():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        qapp = QApplication([sys.argv[0] if sys.argv else "lstm-playground"])
    qapp.setOrganizationName(ORGANIZATION)
    qapp.setApplicationName(APPLICATION)
    qapp.setApplicationDisplayName(APPLICATION)
    qapp.setApplicationVersion(app.__version__)
    qapp.setDesktopFileName("lstm-playground")
    qapp.setWindowIcon(app_icon())
    return qapp


def run_gui(argv: Sequence[str]) -> int:
    """Open the window (or run the self-test); returns the process exit code."""
    args = list(argv)
    if args and args[0] == SELF_TEST_FLAG:
        qapp = application(offscreen_if_headless=True)
        from app.ui.shell.self_test import run_self_test

        return run_self_test(qapp)
    path = Path(args[0]) if args else None
    if _needs_offscreen():  # Qt would abort with a plugin error nobody can act on
        print(
            "lstm-playground: error: no display to open the window on (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run it in a desktop session, check an installation "
            "with `lstm-playground --self-test`, or use the commands (`lstm-playground --help`).",
            file=sys.stderr,
        )
        return 1
    qapp = application()
    window = build_window()
    freeze_startup_heap()
    window.open_initial(path)
    window.show()
    QTimer.singleShot(0, window.controller.warm_up)  # the training process, once shown
    code = qapp.exec()
    window.controller.shutdown()
    return int(code)


def freeze_startup_heap() -> None:
    """Leave what start-up built (Qt, pyqtgraph, the window) out of full garbage collections.

    A full collection scans every tracked object while holding the interpreter, so the
    window and the training thread both stop: with ~80,000 such objects that was a
    ~100 ms hitch every few seconds of training.  Objects that live as long as the app
    gain nothing from being scanned again and again (``gc.freeze``).
    """
    gc.collect()
    gc.freeze()


def build_window() -> MainWindow:
    """The main window with a fresh training controller and the user's preferences."""
    return MainWindow(TrainingController(), Preferences())
