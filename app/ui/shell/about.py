"""Help ▸ About, Help ▸ Documentation and Help ▸ Guide (shown in :mod:`help_window`)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

import app
from app.resources import resource_root
from app.ui.shell.help_window import HelpWindow

DESCRIPTION = (
    "Type symbol sequences \u2014 a roommate's dinner menu, a children's book \u2014 train "
    "a recurrent network on them, and watch it learn: the loss falling, the forget, "
    "ignore and select gates opening and closing, and the prediction vector sharpening "
    "from a guess into a sure thing. Everything runs on your computer, in plain NumPy."
)
CREDITS = (
    "The examples and the words used throughout the app \u2014 squashing, gating, "
    "forget / ignore / select, possibilities, the prediction vector, the dinner cycle "
    "and \u201cDoug saw Jane\u201d \u2014 follow the lecture \u201cRecurrent Neural Networks "
    "(RNN) and Long Short Term Memory (LSTM)\u201d and Brandon Rohrer's explanation it is "
    "based on. Built with Qt (PySide6), pyqtgraph and NumPy."
)


def about_html() -> str:
    return (
        f"<h3>LSTM Playground {html.escape(app.__version__)}</h3>"
        f"<p>{html.escape(DESCRIPTION)}</p>"
        f"<p style='color:#555'>{html.escape(CREDITS)}</p>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, "About LSTM Playground", about_html())


def docs_path() -> Path | None:
    """The local documentation: ``docs/`` next to ``resources/`` (source runs, bundles)."""
    root = resource_root().parent
    for candidate in (root / "docs" / "using-the-app.md", root / "README.md", root / "docs"):
        if candidate.exists():
            return candidate
    return None


def guide_path() -> Path | None:
    """The illustrated guide to the lecture's lessons, ``docs/guide.md`` (else the docs)."""
    guide = resource_root().parent / "docs" / "guide.md"
    return guide if guide.exists() else docs_path()


def open_documentation(parent: QWidget | None) -> bool:
    """Show the user documentation in the app's help window; say so if there is none."""
    return _open(docs_path(), parent, "Documentation")


def open_guide(parent: QWidget | None) -> bool:
    """Show the guide (the lecture, step by step) in the app's help window."""
    return _open(guide_path(), parent, "Guide")


def help_window(parent: QWidget | None, folder: Path) -> HelpWindow:
    """The help window of ``parent`` (one per main window, kept by Qt as its child)."""
    found = parent.findChild(HelpWindow) if parent is not None else None
    if found is None or found.folder != folder:
        found = HelpWindow(folder, parent)
    return found


def _open(path: Path | None, parent: QWidget | None, title: str) -> bool:
    if path is not None and path.suffix == ".md":
        window = help_window(parent, path.parent)
        if window.show_page(path.name):
            window.show()
            window.raise_()
            window.activateWindow()
            return True
    QMessageBox.information(
        parent,
        title,
        "The documentation could not be found. It lives in the docs/ folder and the "
        "README of the LSTM Playground source code.",
    )
    return False
