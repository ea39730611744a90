"""ColorImage draws exactly the colours pyqtgraph's ImageItem draws, only faster."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from app.ui.plots import _theme as theme
from app.ui.plots.color_image import ColorImage


def _argb(item: pg.ImageItem) -> np.ndarray:
    item.render()
    image = item.qimage.convertToFormat(QImage.Format.Format_ARGB32)
    ptr = image.constBits()
    raw = np.frombuffer(ptr, np.uint32, count=image.width() * image.height())
    argb = raw.reshape(image.height(), image.width()).copy()
    argb[argb >> 24 == 0] = 0  # transparent is transparent, whatever colour it hides
    return argb


@pytest.mark.parametrize("cmap", [theme.sigmoid_map(), theme.diverging_map()])
@pytest.mark.parametrize("levels", [(0.0, 1.0), (-3.0, 3.0)])
def test_same_colours_as_pyqtgraph(qapp, cmap, levels) -> None:
    values = np.random.default_rng(0).uniform(-4, 4, size=(9, 7))  # (steps, rows)
    values[2, 3] = np.nan
    values[0, 0], values[1, 1] = levels  # the ends of the scale exactly
    ours, theirs = ColorImage(axisOrder="col-major"), pg.ImageItem(axisOrder="col-major")
    for item in (ours, theirs):
        item.setColorMap(cmap)
        item.setLevels(levels)
        item.setImage(values, autoLevels=False)
    np.testing.assert_array_equal(_argb(ours), _argb(theirs))
    assert _argb(ours).shape == (7, 9)  # rows of pixels: one per hidden unit / symbol
    assert _argb(ours)[3, 2] >> 24 == 0  # NaN is transparent


def test_other_images_are_left_to_pyqtgraph(qapp) -> None:
    rgb = np.zeros((4, 5, 3), np.uint8)
    item = ColorImage(axisOrder="col-major")
    item.setImage(rgb)
    item.render()
    assert item.qimage is not None and item.qimage.width() == 4
