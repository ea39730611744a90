"""Both models' loss and accuracy on one pair of plots: one colour per model.

Each model's epochs are its training controller's columns
(:class:`~app.analysis.columns.MetricColumns`); the curves downsample by peaks and clip
to the view, so long runs stay cheap to draw.
Training is a solid line, validation (when there is a split) a dashed one.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.analysis.columns import METRICS, MetricColumns
from app.ui.plots import _theme as theme
from app.ui.plots.loss_plot import PercentAxis, place_legend
from app.ui.tabs.rnn_vs_lstm import texts

LEFT_COLOUR = theme.TRAIN  # blue: the project's own model, as on the Train tab
RIGHT_COLOUR = "#E69F00"  # Okabe–Ito orange: the second model
SIDES = ("left", "right")


class OverlayPlot(QWidget):
    """Loss (top) and accuracy (bottom) per epoch for the two models, with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = {side: MetricColumns() for side in SIDES}
        self._revisions = {side: -1 for side in SIDES}
        self.names = {"left": "", "right": ""}
        self.readout = QLabel(texts.NO_EPOCHS)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)  # two networks' numbers: may need two lines
        self.log_check = QCheckBox("log scale")
        self.log_check.setToolTip(texts.LOG_TIP)
        self.log_check.toggled.connect(self._on_log_toggled)
        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 12, 4)
        self.loss_plot = self.graphics.addPlot(row=0, col=0)
        self.accuracy_plot = self.graphics.addPlot(
            row=1, col=0, axisItems={"left": PercentAxis("left")}
        )
        # Equal stretch: with the epoch axis in the lower row, the plots come out about
        # 3 : 2 at every height (3 : 2 here gave a tall figure a flat accuracy strip).
        self.graphics.ci.layout.setRowStretchFactor(0, 1)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        # Each plot at least as tall as its axis name, plus the epoch axis: below that the
        # names run into each other (the view scrolls the tables instead).
        line = QFontMetricsF(theme.tick_font()).height()
        self.graphics.setMinimumHeight(math.ceil(13 * line))
        self._style()
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for side, colour in zip(SIDES, (LEFT_COLOUR, RIGHT_COLOUR), strict=True):
            for name in METRICS[1:]:
                plot = self.loss_plot if name.endswith("loss") else self.accuracy_plot
                style = Qt.PenStyle.DashLine if name.startswith("val") else Qt.PenStyle.SolidLine
                pen = pg.mkPen(colour, width=2.5, style=style)
                curve = plot.plot(pen=pen, connect="finite", autoDownsampleFactor=1.0)
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
                self.curves[side, name] = curve
        self.legend = self.loss_plot.addLegend(
            offset=(-8, 8), brush=pg.mkBrush(255, 255, 255, 220), pen=pg.mkPen("#bbbbbb")
        )
        self.legend.setLabelTextColor(theme.FOREGROUND)
        self.legend.setLabelTextSize("11pt")
        self._legend_key: tuple[str, str, bool, tuple[str, ...]] | None = None
        # The legend takes the corner the curves cross least (an over-fitting model's
        # validation loss rises into the top right), after each change of the view.
        self._legend_timer = QTimer(self)
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._place_legend)
        self.loss_plot.getViewBox().sigRangeChanged.connect(self._on_range_changed)
        self.loss_plot.getViewBox().sigResized.connect(self._on_range_changed)
        top = QHBoxLayout()
        top.addWidget(self.readout, 1)
        top.addWidget(self.log_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)
        self.setToolTip(texts.OVERLAY)

    def _style(self) -> None:
        loss, acc = self.loss_plot, self.accuracy_plot
        theme.style_plot(loss)
        theme.style_plot(acc)
        theme.style_axis(loss.getAxis("left"), "loss")  # (cross-entropy: in its tooltip)
        theme.style_axis(acc.getAxis("left"), "accuracy")
        theme.style_axis(acc.getAxis("bottom"), "epoch")
        loss.getAxis("bottom").setStyle(showValues=False)
        for plot in (loss, acc):
            plot.getAxis("left").setWidth(64)  # equal widths keep the two x axes aligned
            plot.setMenuEnabled(False)
        acc.setXLink(loss)
        theme.show_grid(loss, x=True, y=True)
        theme.show_grid(acc, x=True, y=False)
        for level in (0.0, 0.5, 1.0):
            acc.addItem(
                pg.InfiniteLine(level, angle=0, pen=pg.mkPen("#c8c8c8", width=1)),
                ignoreBounds=True,
            )
        loss.vb.setLimits(xMin=0)
        acc.setYRange(0.0, 1.0, padding=0.03)
        acc.setMouseEnabled(x=True, y=False)
        acc.enableAutoRange(axis="y", enable=False)
        loss.setToolTip(texts.OVERLAY_LOSS)
        acc.setToolTip(texts.OVERLAY_ACCURACY)

    # -- public API ---------------------------------------------------------------
    def set_names(self, left: str, right: str) -> None:
        """Legend and read-out names of the two models."""
        if (left, right) != (self.names["left"], self.names["right"]):
            self.names = {"left": left, "right": right}
            self._sync_legend()
            self._update_readout()

    def redraw(self, left: MetricColumns, right: MetricColumns) -> None:
        """Draw the two models' columns (their controllers'); new ones are fitted afresh."""
        for side, columns in zip(SIDES, (left, right), strict=True):
            if columns is not self.series[side] or columns.revision != self._revisions[side]:
                self.fit()
            self.series[side], self._revisions[side] = columns, columns.revision
        for (side, name), curve in self.curves.items():
            s = self.series[side]
            curve.setData(s.column("epoch"), s.column(name), antialias=len(s) <= 2000)
        self._sync_legend()
        self._update_readout()
        self._legend_timer.start()

    def fit(self) -> None:
        """Both curves in full again (after a zoom or pan), following them as they grow.

        Only the loss plot fits the epoch axis; the accuracy plot follows through the
        link.  Both fitting it fought: each fit moved the other's linked range, which
        turns a view's auto-range off, and the axis stopped growing with the curves.
        """
        self.loss_plot.enableAutoRange()
        self.accuracy_plot.enableAutoRange(axis="x", enable=False)

    def export_image(self, path: str) -> None:
        theme.export_item(self.graphics.ci, path)

    def set_log_scale(self, on: bool) -> None:
        """Loss axis logarithmic or linear (the checkbox follows, without a signal)."""
        self.log_check.blockSignals(True)
        self.log_check.setChecked(on)
        self.log_check.blockSignals(False)
        self._on_log_toggled(on)

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(x=False, y=on)
        self.loss_plot.enableAutoRange(axis="y")

    # -- internals ----------------------------------------------------------------
    @Slot()
    def _on_range_changed(self) -> None:
        self._legend_timer.start()

    @Slot()
    def _place_legend(self) -> None:
        curves = [c for (_, name), c in self.curves.items() if name.endswith("loss")]
        place_legend(self.legend, self.loss_plot, [c for c in curves if c.isVisible()])

    def _sync_legend(self) -> None:
        validation = any(np.isfinite(s.column("val_loss")).any() for s in self.series.values())
        drawn = tuple(side for side in SIDES if len(self.series[side]))  # never list a
        key = (self.names["left"], self.names["right"], bool(validation), drawn)  # blank
        if key == self._legend_key:
            return  # rebuilding the legend re-lays out the plot: only when it changes
        self._legend_key = key
        self.legend.clear()
        for side in drawn:
            self.legend.addItem(self.curves[side, "train_loss"], self.names[side])
        if validation:
            self.legend.addItem(self.curves["left", "val_loss"], texts.DASHED_VALIDATION)

    def _update_readout(self) -> None:
        parts = []
        for side, colour in zip(SIDES, (LEFT_COLOUR, RIGHT_COLOUR), strict=True):
            s = self.series[side]
            name = f"<b style='color:{colour}'>{self.names[side]}</b>"
            if not len(s):
                parts.append(f"{name}: not trained yet")
                continue
            loss, acc = s.last("train_loss"), s.last("train_accuracy")
            loss_text = f"{loss:.3g}" if math.isfinite(loss) else "—"
            acc_text = f"{acc * 100:.1f}%" if math.isfinite(acc) else "—"
            parts.append(
                f"{name}: epoch {int(s.last('epoch')):,}, loss <b>{loss_text}</b>, "
                f"accuracy <b>{acc_text}</b>"
            )
        theme.set_label_text(self.readout, " &nbsp;·&nbsp; ".join(parts))
