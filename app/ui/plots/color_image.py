"""An image item for values on fixed levels through a fixed colour map, cheap to redraw."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage


class ColorImage(pg.ImageItem):
    """A ``pg.ImageItem`` that renders 2-D values straight to premultiplied ARGB32.

    pyqtgraph renders such an image as 8-bit indexed, with a 256-entry colour table
    built in Python on every render, and Qt converts indexed images to ARGB again on
    every paint.  Here it is one table lookup and a paint without conversion.  Colours
    are pyqtgraph's exactly (``tests/ui/plots/test_color_image.py`` compares them):
    ``index = clip((value − low) · n / (high − low), 0, n − 1)`` truncated, then the
    lookup table; NaN is transparent.  Anything else (RGB data, a callable lookup
    table, no levels) is left to pyqtgraph.  It sets what ``render`` sets (``qimage``,
    ``_renderRequired``, ``_unrenderable``; checked against pyqtgraph 0.14.0).

    Kept because plain ``pg.ImageItem`` costs about twice as much per frame.  Measured
    with ``bench/bench_plots.py`` (commit d3ff244, CPU ms per frame of new values with
    its repaint, p50 / p95; a 700 × 450 ``Heatmap`` panel, levels 0…1, viridis): one
    panel of 50 steps × 64 rows 0.59 / 0.65 here, 1.76 / 2.35 with ``pg.ImageItem``;
    the Train tab's six LSTM panels, redrawn every frame of training, 3.5 / 3.9 against
    6.7 / 8.9, which with the loss plot's ~4.5 in the same frame would pass the ~10 a
    frame may take; 200 × 512 values 1.3 / 2.3 against 2.2 / 3.4 per panel.
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
