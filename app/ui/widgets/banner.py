"""A dismissible message strip above the plots, for things the learner must notice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

STYLES = {
    "error": ("#fff5f5", "#c53030", "#742a2a", "\u26a0"),
    "info": ("#f0fff4", "#38a169", "#22543d", "\u2714"),
}


class Banner(QFrame):
    """Hidden until :meth:`show_message`; the \u2715 button (or :meth:`dismiss`) hides it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.icon = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("\u2715")
        self.close_button.setToolTip("Dismiss this message")
        self.close_button.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button.clicked.connect(self.dismiss)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        background, border, color, icon = STYLES.get(kind, STYLES["error"])
        self.kind = kind
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} QLabel {{ color: {color}; }}"
        )
        self.icon.setText(icon)
        self.message.setText(text)
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.kind = ""
