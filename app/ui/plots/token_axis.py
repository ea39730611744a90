"""An axis labelled with symbols that shows only as many labels as fit without overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsSceneResizeEvent

from app.ui.plots._theme import tick_font
from app.ui.tabs.symbols import spoken_symbol

_GAP_PX = 8.0  # free space between neighbouring labels, so words never touch
_MINOR_SPACING = 0.5  # marks the unlabelled level (real spacings are whole numbers ≥ 1)
_MAX_CHARS = 14  # longer symbols are shortened with "…" on the axis (hover shows them whole)
FLAT_HEIGHT = 30.0  # a horizontal axis with upright labels: ticks plus one line of text
_TICK_ROOM = 12.0  # tick length and the gap before the text


def axis_label(symbol: str) -> str:
    """``symbol`` as its tick reads: a lone full stop is named (". full stop"), a speck
    on a projector otherwise; a long symbol shortened with "…"."""
    shown = spoken_symbol(symbol)
    return shown if len(shown) <= _MAX_CHARS else shown[: _MAX_CHARS - 1] + "…"


class TokenAxis(pg.AxisItem):
    """Ticks at integer positions ``0 … n−1`` labelled ``labels[i]``.

    pyqtgraph draws every top-level tick label even when they overlap, so this axis
    picks a stride: every k-th label is a major tick, chosen from the label size and
    the pixels per position, and recomputed as the view zooms or resizes.  The
    positions in between keep a short unlabelled tick.

    A bottom axis turns its labels upright (reading upwards) when that fits more of
    them, as in a narrow heatmap of words; its height then grows to the longest label
    and ``height_changed`` tells the panel, so a colour bar beside it can follow.
    """

    height_changed = Signal(float)
    stride_changed = Signal(int)
    """Every how many positions a label is drawn now (1: all of them)."""
    # Class-level defaults: pyqtgraph resizes the axis inside AxisItem.__init__.
    labels: tuple[str, ...] = ()
    rotated = False

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self._shown: tuple[str, ...] = ()
        self.shown_stride = 1
        self._width_px = 0.0  # the widest label, upright
        self._line_px = QFontMetricsF(tick_font()).height()
        self.setTickFont(tick_font())
        if self._horizontal:
            # Let the first and last symbols stick out a little past the axis ends;
            # pyqtgraph would otherwise drop them, and they matter most.
            self.setStyle(hideOverlappingLabels=40)
            self.setHeight(FLAT_HEIGHT)

    @property
    def _horizontal(self) -> bool:
        return self.orientation in ("top", "bottom")

    def set_labels(self, labels: Sequence[str]) -> None:
        """Label position ``i`` with ``labels[i]`` (spaces and line breaks made visible)."""
        self.labels = tuple(labels)
        self._shown = tuple(axis_label(s) for s in self.labels)
        metrics = QFontMetricsF(tick_font())
        self._width_px = max((metrics.horizontalAdvance(s) for s in self._shown), default=0.0)
        if not self._horizontal:
            # Room for the widest symbol now: pyqtgraph widens the axis only after a
            # paint, and until then it leaves out every label wider than the axis.
            self._updateMaxTextSize(math.ceil(self._width_px) + 2)
        self._choose_rotation()
        self.picture = None  # pyqtgraph's cached drawing
        self.update()

    def setTickFont(self, font: QFont | None) -> None:
        """A new tick font (zoom, presentation mode): the labels are measured again, so
        upright ones keep their room and a left axis its width."""
        super().setTickFont(font)
        if not hasattr(self, "_shown"):
            return  # still inside AxisItem.__init__
        metrics = QFontMetricsF(font if font is not None else tick_font())
        self._line_px = metrics.height()
        self._width_px = max((metrics.horizontalAdvance(s) for s in self._shown), default=0.0)
        if not self._horizontal:
            self._updateMaxTextSize(math.ceil(self._width_px) + 2)
        elif self.rotated:
            self.setHeight(_TICK_ROOM + self._width_px + 4)
            self.height_changed.emit(self.total_height())
        self._choose_rotation()
        self.picture = None
        self.update()

    def label_extent(self) -> float:
        """Pixels one label needs along the axis, gap included."""
        if self._horizontal and not self.rotated:
            return self._flat_extent()
        if not self._horizontal:
            # A left axis: pyqtgraph lays each label out in 0.8 of a line; labels that
            # far apart never touch.
            return 0.8 * self._line_px + 1.0
        return self._stacked_extent()

    def _flat_extent(self) -> float:
        return self._width_px + _GAP_PX

    def _stacked_extent(self) -> float:
        # Lines of text stacked (a left axis, or upright labels side by side) can sit
        # closer than their line height, which includes leading and descender room.
        return 0.72 * self._line_px + 1.0

    def stride(self, first: float, last: float, size_px: float) -> int:
        """Every how many positions a label fits between ``first`` and ``last``."""
        span = abs(last - first)
        if size_px <= 0 or span <= 0:
            return 1
        px_per_step = size_px / span
        return max(1, math.ceil(self.label_extent() / px_per_step))

    def label_at(self, value: float) -> str:
        """The shown label at ``value`` ('' between or outside the positions)."""
        i = round(value)
        if abs(value - i) > 1e-6 or not 0 <= i < len(self._shown):
            return ""
        return self._shown[i]

    def text_rects(self) -> list[tuple[QRectF, str]]:
        """The ink of every label drawn now, in the axis's coordinates (layout checks)."""
        image = QImage(8, 8, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            specs = self.generateDrawSpecs(painter)
        finally:
            painter.end()
        if specs is None:
            return []
        metrics = QFontMetricsF(tick_font())
        out = []
        for rect, flags, text in specs[2]:
            if not text:
                continue
            tight = metrics.tightBoundingRect(text)  # about the baseline origin
            advance = metrics.horizontalAdvance(text)
            if self.rotated:
                # drawPicture: right-aligned in (-length…0) × (-line/2…line/2), turned
                # by -90° about (centre x, top): local (x, y) lands at (cx + y, top - x).
                baseline = -self._line_px / 2 + metrics.ascent()
                cx, top = rect.center().x(), rect.top()
                ink = QRectF(
                    cx + baseline + tight.top(),
                    top + advance - tight.right(),
                    tight.height(),
                    tight.width(),
                )
            else:
                align = Qt.AlignmentFlag
                if flags & align.AlignRight.value:
                    x = rect.right() - advance
                elif flags & align.AlignHCenter.value:
                    x = rect.center().x() - advance / 2
                else:
                    x = rect.left()
                if flags & align.AlignTop.value:
                    y = rect.top()
                elif flags & align.AlignBottom.value:
                    y = rect.bottom() - metrics.height()
                else:
                    y = rect.center().y() - metrics.height() / 2
                ink = tight.translated(x, y + metrics.ascent())
            out.append((ink, text))
        return out

    # -- pyqtgraph / Qt overrides -------------------------------------------------
    def tickValues(
        self,
        minVal: float,
        maxVal: float,
        size: float,
    ) -> list[tuple[float, list[float]]]:
        n = len(self.labels)
        lo = max(0, math.ceil(min(minVal, maxVal)))
        hi = min(n - 1, math.floor(max(minVal, maxVal)))
        if hi < lo:
            return []
        k, labelled = self.labelled_positions(lo, hi, self.stride(minVal, maxVal, size))
        if k != self.shown_stride:
            self.shown_stride = k
            self.stride_changed.emit(k)
        major = [float(i) for i in labelled]
        if len(labelled) == hi - lo + 1:
            return [(1.0, major)]
        shown = set(labelled)
        minor = [float(i) for i in range(lo, hi + 1) if i not in shown]
        # A second level, marked by a spacing below 1, draws short unlabelled ticks
        # where the labels had to be left out.
        return [(float(k), major), (_MINOR_SPACING, minor)]

    def labelled_positions(self, lo: int, hi: int, needed: int) -> tuple[int, list[int]]:
        """(stride, the positions labelled, ascending) between ``lo`` and ``hi`` when a
        label fits every ``needed`` positions: multiples of the stride, so labels stay put
        while panning, and the last symbol always (it matters as much as the first)."""
        k = needed
        labelled = set(range(lo + (-lo) % k, hi + 1, k))
        if hi == len(self.labels) - 1 and hi not in labelled:
            # The last takes the place of the multiple of k before it, too close to it.
            labelled = {i for i in labelled if i <= hi - k} | {hi}
        return k, sorted(labelled)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if spacing < 1.0:
            return ["" for _ in values]
        return [self.label_at(v) for v in values]

    def resizeEvent(self, ev: QGraphicsSceneResizeEvent | None = None) -> None:
        super().resizeEvent(ev)
        self._choose_rotation()

    def _updateHeight(self) -> None:
        """pyqtgraph leaves a fixed height without the axis name's room: the name was drawn
        over the lowest tick labels (upright words).  Here it goes below them."""
        super()._updateHeight()
        total = self.total_height()
        if total != self.fixedHeight and self.isVisible():
            self.setMaximumHeight(total)
            self.setMinimumHeight(total)

    def total_height(self) -> float:
        """The axis's height: its tick labels and, below them, its name if it shows one."""
        base = float(self.fixedHeight or 0.0)
        if not self._horizontal or self.fixedHeight is None or not self.label.isVisible():
            return base
        # pyqtgraph puts the name's box (text plus its document margins) at the bottom,
        # nudged 5 px down: the ink starts a margin below the box's top.
        box = self.label.boundingRect().height()
        return base + box - 5 - self.label.document().documentMargin() + 2

    def drawPicture(
        self,
        p: QPainter,
        axisSpec: object,
        tickSpecs: object,
        textSpecs: list,
    ) -> None:
        if not self.rotated:
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        super().drawPicture(p, axisSpec, tickSpecs, [])
        p.setPen(self.textPen())
        p.setFont(self.style["tickFont"])
        length = self._width_px + 2
        for rect, _flags, text in textSpecs:
            # pyqtgraph laid the text out flat, centred under its tick: turn it upright
            # about that point, ending just below the tick.
            p.save()
            p.translate(rect.center().x(), rect.top())
            p.rotate(-90)
            box = QRectF(-length, -self._line_px / 2, length, self._line_px)
            p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            p.restore()

    # -- internals ----------------------------------------------------------------
    def _choose_rotation(self) -> None:
        """Upright labels when flat ones would have to skip symbols and upright ones help."""
        if not self._horizontal or not hasattr(self, "_shown"):
            return  # still inside AxisItem.__init__
        n, length = len(self.labels), self.geometry().width()
        rotated = False
        if n and length > 0:
            crowded = self._flat_extent() > length / n
            # Only worth turning when it fits clearly more (not for single characters).
            rotated = crowded and self._stacked_extent() < 0.75 * self._flat_extent()
        elif n:
            rotated = self.rotated  # not laid out yet: decide on the first resize
        if rotated != self.rotated:
            self.rotated = rotated
            height = _TICK_ROOM + self._width_px + 4 if self.rotated else FLAT_HEIGHT
            self.setHeight(height)
            self.picture = None
            self.height_changed.emit(self.total_height())
