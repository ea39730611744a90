"""Compare epochs side by side: predictions and gates at two stored epochs, and a replay."""

from __future__ import annotations

from app.ui.tabs.compare_epochs.text import TAB_TIP as COMPARE_TIP
from app.ui.tabs.compare_epochs.text import TAB_TITLE as COMPARE_TITLE
from app.ui.tabs.compare_epochs.view import CompareView

__all__ = ["COMPARE_TIP", "COMPARE_TITLE", "CompareView"]
