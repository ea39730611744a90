"""Inside the cell: the lecture's LSTM (and GRU, RNN) diagram with live numbers."""

from __future__ import annotations

from app.ui.tabs.cell.texts import TAB_TIP, TAB_TITLE
from app.ui.tabs.cell.view import CellView

__all__ = ["TAB_TIP", "TAB_TITLE", "CellView"]
