"""Numbers for Qt's ``int`` arguments: Qt's spin boxes, sliders and progress bars hold a
32-bit ``int``, and PySide raises ``OverflowError`` (or worse) for anything bigger.

Epochs go up to ``2**31 − 1`` (the project format refuses more), so an epoch always
fits; :func:`qt_int` clamps whatever else might not — a sum, a product, a count read
from a file — instead of letting it overflow.
"""

from __future__ import annotations

import math

QT_INT_MAX = 2**31 - 1
QT_INT_MIN = -(2**31)


def qt_int(value: float) -> int:
    """``value`` as an ``int`` Qt accepts: rounded, clamped to the 32-bit range (NaN → 0)."""
    if isinstance(value, float) and not math.isfinite(value):
        return 0 if math.isnan(value) else (QT_INT_MAX if value > 0 else QT_INT_MIN)
    return max(QT_INT_MIN, min(QT_INT_MAX, round(value)))
