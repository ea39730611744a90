"""The State map tab: the hidden state over time, projected to 2-D with PCA."""

from __future__ import annotations

from app.ui.tabs.state_map.texts import TAB as STATE_MAP_TIP
from app.ui.tabs.state_map.view import StateMapView

__all__ = ["STATE_MAP_TIP", "StateMapView"]
