"""Help ▸ Documentation and Help ▸ Guide, shown inside the app.

The pages are the Markdown files in ``docs/`` (bundled with the executable), rendered by
Qt's own Markdown support in a :class:`QTextBrowser`: images and links between the pages
work, web links open in the browser, and nothing depends on an outside program being
able to open a ``.md`` file (which failed in the executable, and showed raw Markdown
where it worked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

PAGES = (
    ("using-the-app.md", "Using the app"),
    ("guide.md", "The lecture, step by step"),
    ("FORMAT.md", "The project file format"),
)
"""The pages offered in the window's page list, in order: (file name, title)."""


MAX_IMAGE_WIDTH = 820
"""Logical pixels: screenshots in the pages are scaled down to at most this width
(less in a narrower window)."""


class _Browser(QTextBrowser):
    """A text browser whose images are scaled down to fit the page (kept sharp on HiDPI)."""

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, url)
        path = (url if isinstance(url, QUrl) else QUrl(url)).toLocalFile() or str(url)
        found = next(
            (Path(p) / path for p in self.searchPaths() if (Path(p) / path).is_file()), None
        )
        image = QImage(str(found if found is not None else path))
        if image.isNull():
            return super().loadResource(kind, url)
        ratio = self.devicePixelRatioF()
        room = self.viewport().width() - 80  # list indents and margins
        width = int(min(MAX_IMAGE_WIDTH, max(room, 200)) * ratio)
        if image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            image.setDevicePixelRatio(ratio)
        return image


class HelpWindow(QWidget):
    """A window of its own showing the documentation pages in ``folder``."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("LSTM Playground — Help")
        self.setObjectName("helpWindow")
        self.folder = folder
        self.browser = _Browser()
        self.browser.setOpenLinks(False)  # anchorClicked decides: pages here, web outside
        self.browser.setSearchPaths([str(folder)])
        self.browser.anchorClicked.connect(self._on_link)
        self.pages = QComboBox()
        for name, title in PAGES:
            if (folder / name).is_file():
                self.pages.addItem(title, name)
        self.pages.activated.connect(self._on_page_chosen)
        self.back = QToolButton()
        self.back.setText("\u2190 Back")
        self.back.setToolTip("Back (Alt+Left)")
        self.back.setEnabled(False)
        self.back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        QShortcut(QKeySequence.StandardKey.Back, self, self.browser.backward)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)
        bar = QHBoxLayout()
        bar.addWidget(self.back)
        bar.addWidget(QLabel("Page:"))
        bar.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self.resize(900, 700)

    def show_page(self, name: str) -> bool:
        """Show ``docs/<name>`` (False when it is not there)."""
        path = self.folder / name
        if not path.is_file():
            return False
        self._load(QUrl.fromLocalFile(str(path)))
        return True

    def _load(self, url: QUrl) -> None:
        fragment, path = url.fragment(), url.toLocalFile()  # a local path has no fragment
        if path != self.browser.source().toLocalFile():
            page = QUrl.fromLocalFile(path)
            self.browser.setSource(page, QTextDocument.ResourceType.MarkdownResource)
        if fragment:
            self.browser.scrollToAnchor(fragment)
        name = Path(path).name
        index = self.pages.findData(name)
        if index >= 0:
            self.pages.setCurrentIndex(index)

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        target = self.browser.source().resolved(url) if url.isRelative() else url
        if target.isLocalFile() and target.toLocalFile().endswith(".md"):
            self._load(target)
        elif target.isLocalFile() and not url.toString().startswith("#"):
            QDesktopServices.openUrl(target)  # an image or another file: the system viewer
        elif url.toString().startswith("#"):
            self.browser.scrollToAnchor(url.fragment())
        else:
            QDesktopServices.openUrl(target)  # the web: the user's browser

    @Slot(int)
    def _on_page_chosen(self, index: int) -> None:
        self.show_page(self.pages.itemData(index))
