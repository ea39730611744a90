"""Presentation mode's ← / →: small helpers the views' ``present_step`` methods share."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def step_combo(combo: QComboBox, delta: int) -> bool:
    """Choose the item ``delta`` places on (as a click would); False at either end."""
    index = combo.currentIndex() + delta
    if not combo.isEnabled() or not 0 <= index < combo.count() or delta == 0:
        return False
    combo.setCurrentIndex(index)
    return True


def neighbour_epoch(epochs: list[int], shown: int, delta: int) -> int | None:
    """The stored epoch ``delta`` snapshots from ``shown`` (None past either end)."""
    if not epochs:
        return None
    nearest = min(range(len(epochs)), key=lambda i: abs(epochs[i] - shown))
    index = nearest + delta
    return epochs[index] if 0 <= index < len(epochs) else None
