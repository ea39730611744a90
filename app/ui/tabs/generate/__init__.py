"""The Generate tab: prompt the network and watch its "away for two weeks" roll-out."""

from __future__ import annotations

from app.ui.tabs.generate.texts import TAB as GENERATE_TIP
from app.ui.tabs.generate.view import GenerateView

__all__ = ["GENERATE_TIP", "GenerateView"]
