"""The "which line" combo box of the tabs that show one line of the text at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSizePolicy


def line_combo(tooltip: str, min_chars: int = 30) -> QComboBox:
    """A combo box for entries like "line 3: Doug saw Jane.".

    It takes the row's spare width and may shrink to ``min_chars`` characters (long
    lines are cut in the box; the popup stays wide), so the tab fits beside the docks.
    """
    combo = QComboBox()
    combo.setToolTip(tooltip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo
