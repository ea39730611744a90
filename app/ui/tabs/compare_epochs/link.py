"""Linked view ranges: zoom or pan one plot and the others show the same steps and units.

pyqtgraph's own ``setXLink`` lines views up by their position on screen when they
overlap, which goes wrong for a hidden row or a plot as wide as three panels; here every
linked view simply gets the same range.
"""

from __future__ import annotations

import pyqtgraph as pg


class RangeLink:
    """Views that share their x range (and, if asked, their y range)."""

    def __init__(self) -> None:
        self._boxes: list[tuple[pg.ViewBox, bool]] = []
        self._busy = False

    def add(self, vb: pg.ViewBox, y: bool = True) -> None:
        """Link ``vb``'s x range, and its y range too when ``y``."""
        self._boxes.append((vb, y))
        vb.sigRangeChanged.connect(self._on_range_changed)

    def clear(self) -> None:
        for vb, _ in self._boxes:
            vb.sigRangeChanged.disconnect(self._on_range_changed)
        self._boxes = []

    def _on_range_changed(self, source: pg.ViewBox, ranges: list, changed: list) -> None:
        if self._busy:  # our own setRange calls echo back: ignore them
            return
        source_y = next((y for vb, y in self._boxes if vb is source), False)
        self._busy = True
        try:
            for vb, y in self._boxes:
                if vb is source:
                    continue
                y_range = ranges[1] if y and source_y and changed[1] else None
                x_range = ranges[0] if changed[0] else None
                if x_range is not None or y_range is not None:
                    vb.setRange(xRange=x_range, yRange=y_range, padding=0)
        finally:
            self._busy = False
