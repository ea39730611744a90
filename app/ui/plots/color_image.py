"""An image item for values on fixed levels through a fixed colour map, cheap to redraw."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage


class ColorImage(pg.ImageItem):
    """A ``pg.ImageItem`` that renders 2-D values straight to premultiplied ARGB32.

    pyqtgraph renders such an image as 8-bit indexed, with a 256-entry colour table
    built in Python on every render, and Qt converts indexed images to ARGB again on
    every paint.  The heatmaps get new values with every frame, so that was ~0.3 ms per
    heatmap per frame; here it is one table lookup.  Colours are pyqtgraph's exactly:
    ``index = clip((value − low) · n / (high − low), 0, n − 1)`` truncated, then the
    lookup table; NaN is transparent.  Anything else (RGB data, a callable lookup
    table, no levels) is left to pyqtgraph.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._argb_lut: np.ndarray | None = None
        self._argb_lut_source: object = None
        self._pixels: np.ndarray | None = None
        super().__init__(*args, **kwargs)

    def render(self) -> None:
        image, lut, levels = self.image, self.lut, self.levels
        if (
            image is None
            or image.ndim != 2
            or image.size == 0
            or image.dtype.kind not in "fiu"
            or not isinstance(lut, np.ndarray)
            or levels is None
            or np.ndim(levels) != 1
        ):
            super().render()
            return
        table = self._table(lut)
        low, high = (float(v) for v in levels)
        n = len(table)
        scale = n / (high - low if high != low else 1.0)
        values = image.T if self.axisOrder == "col-major" else image  # rows of pixels
        index = (values - low) * scale
        nan = np.isnan(index)
        np.clip(index, 0, n - 1, out=index)
        index[nan] = 0
        pixels = np.ascontiguousarray(table[index.astype(np.intp)])  # (rows, columns)
        pixels[nan] = 0  # transparent
        self._pixels = pixels  # the QImage below reads this memory
        height, width = pixels.shape
        self.qimage = QImage(
            pixels.data, width, height, 4 * width, QImage.Format.Format_ARGB32_Premultiplied
        )
        self._renderRequired = False
        self._unrenderable = False

    def _table(self, lut: np.ndarray) -> np.ndarray:
        """The lookup table as premultiplied ARGB32 words (cached per table)."""
        if self._argb_lut is None or self._argb_lut_source is not lut:
            rgba = np.asarray(lut, dtype=np.uint32)
            if rgba.ndim == 1:
                rgba = np.repeat(rgba[:, None], 3, axis=1)
            alpha = rgba[:, 3] if rgba.shape[1] > 3 else np.full(len(rgba), 255, np.uint32)
            r, g, b = ((rgba[:, k] * alpha + 127) // 255 for k in range(3))
            self._argb_lut = (alpha << 24) | (r << 16) | (g << 8) | b
            self._argb_lut_source = lut
        return self._argb_lut
