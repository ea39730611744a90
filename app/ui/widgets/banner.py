"""A dismissible message strip above the plots, for things the learner must notice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

STYLES = {
    "error": ("#fff5f5", "#c53030", "#742a2a", "\u26a0"),
    "info": ("#f0fff4", "#38a169", "#22543d", "\u2714"),
}


class Banner(QFrame):
    """Hidden until :meth:`show_message`; the \u2715 button (or :meth:`dismiss`) hides it.

    A message may offer one action: a button that runs it and dismisses the banner.
    """

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
        self.action_button = QPushButton()
        self.action_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button.clicked.connect(self.dismiss)
        self.action_button.clicked.connect(self._on_action)
        self._action: Callable[[], object] | None = None
        self.kind = ""
        self.hide()

    def show_message(
        self,
        text: str,
        kind: str = "error",
        action: tuple[str, Callable[[], object]] | None = None,
    ) -> None:
        background, border, color, icon = STYLES.get(kind, STYLES["error"])
        self.kind = kind
        self.setStyleSheet(
            f"QFrame#banner {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 4px; }} QLabel {{ color: {color}; }}"
        )
        self.icon.setText(icon)
        self.message.setText(text)
        self._action = None if action is None else action[1]
        self.action_button.setText("" if action is None else action[0])
        self.action_button.setVisible(action is not None)
        self.show()

    def has_action(self) -> bool:
        """Does the message on show offer an action button?"""
        return self._action is not None

    def dismiss(self) -> None:
        self.hide()
        self.kind = ""
        self._action = None

    def _on_action(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
