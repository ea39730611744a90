"""Loss and accuracy per epoch, live: two stacked plots sharing the epoch axis.

An epoch that takes seconds is also drawn while it runs (:meth:`LossPlot.show_within_epoch`):
a thin line of the loss so far in the epoch at fractional epochs, ending in a ring at
"now", which runs into the epoch's own point when the epoch ends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from app.analysis.columns import MetricColumns, report_columns
from app.engine.trainer import EpochReport, Progress
from app.ui.plots import _theme as theme
from app.ui.plots.following import CurveSet
from app.ui.plots.heatmap import fit_minimum_height
from app.ui.plots.readout import Readout

LOSS_TIP = (
    "Loss (cross-entropy): how surprised the network is by the true next symbol, "
    "−log of the probability its prediction vector gave that symbol. 0 means it was "
    "certain and right. Each update nudges the weights a little downhill on this "
    "loss, so the curve falls as the network learns the patterns in your sequences. "
    "If the validation loss turns upwards while the training loss keeps falling, the "
    "network is memorising its training lines instead of learning the pattern."
)
ACCURACY_TIP = (
    "Accuracy: the share of steps where the most likely symbol in the prediction "
    "vector was the true next symbol. It moves in jumps, because a prediction only "
    "counts once the right symbol gets the most votes; the loss shows the progress "
    "in between."
)
LOG_TIP = (
    "Show the loss on a logarithmic axis. Late in training the loss keeps shrinking "
    "by factors of ten; a log axis shows that progress instead of a flat line at zero."
)


_EMPTY = "No epochs yet: press Train and watch the loss fall."
WITHIN = "this epoch so far<br>(mean of its updates)"
"""The legend's name for the thin line of the loss inside long epochs (two lines: the
legend fits a 1280×720 window's plot)."""
NOW = "now"
"""The legend's name for the ring at the end of that line: where the epoch has got to."""
WITHIN_TIP = (
    "The thin dashed line: the loss and accuracy so far in an epoch that takes seconds, "
    "the mean over the updates done so far in that epoch, drawn while it runs; the ring "
    "is now. At the end of the epoch that mean is the epoch's own point on the thick "
    "line. It can sit below the thick line's last segment: the thick line joins whole "
    "epochs' means, and the network keeps improving inside the epoch."
)
WITHIN_COLOUR = "#3a8fc7"
"""The training blue lightened, opaque (translucent lines draw ~30× slower), still
3.5 : 1 against the white background (graphical objects need 3 : 1); dashed and thinner
than the training line, so it reads as secondary."""
WITHIN_DASH = [3.0, 2.0]
LEGEND_MARGIN = 8
"""The legend's distance from the plot's edges, in pixels."""
LEGEND_ALPHA, LEGEND_ALPHA_COVERING = 220, 150
"""The legend's background opacity (of 255): on free ground, and over curves."""
LEGEND_CORNERS = ((-1, 1), (1, -1), (1, 1), (-1, -1))
"""The corners the legend may take, preferred first: top right (which a falling loss
leaves free), bottom left, top left, bottom right (pyqtgraph's offset signs: x < 0 from
the right, y < 0 from the bottom); it takes the one the curves cross least."""
MARKED_EPOCHS = 200
"""With a line inside the epochs, each epoch's own point gets a dot, up to this many
epochs (epochs that take seconds are never many; the dots show where each one ended)."""


PERCENT_STEPS = (0.2, 0.5, 1.0)
"""The accuracy axis's tick spacings, finest first: 0, 20 … 100 % when each gap has room
for a line and a half of text, else 0, 50 and 100 %, else 0 and 100 % only."""
TITLES = {"loss": ("loss (cross-entropy)", "loss"), "accuracy": ("accuracy", "acc.")}
"""Each plot's axis title, and the short one for a plot not as tall as the long one."""


def percent_ticks(low: float, high: float, size_px: float, line_px: float) -> list[float]:
    """Round fractions in ``low…high`` spaced for an axis ``size_px`` long (never crammed)."""
    span = high - low
    if span <= 0 or size_px <= 0:
        return []
    px_per_unit = size_px / span
    step = next((s for s in PERCENT_STEPS if s * px_per_unit >= 1.5 * line_px), 1.0)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 6) for k in range(first, last + 1)]


class PercentAxis(pg.AxisItem):
    """Fractions 0…1 shown as percentages (the data stays as the reports give it),
    0/20/…/100 % when tall enough, else 0/50/100 % (see :func:`percent_ticks`)."""

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        font = self.style.get("tickFont")
        line = QFontMetricsF(font if isinstance(font, QFont) else theme.tick_font()).height()
        ticks = percent_ticks(min(minVal, maxVal), max(minVal, maxVal), size, line)
        spacing = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        return [(spacing, ticks)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{v * 100:.0f}%" for v in values]


class LossAxis(pg.AxisItem):
    """The loss axis, which starts at 0: its 0 (the goal) may stand half a line below the
    axis end, in the room of the epoch axis under it, where pyqtgraph would drop it."""

    def boundingRect(self) -> QRectF:
        rect = super().boundingRect()
        if self.orientation != "left":
            return rect
        half_line = QFontMetricsF(theme.tick_font()).height() / 2 + 1
        return rect.adjusted(0, 0, 0, half_line)


class LossPlot(QWidget):
    """Training and validation loss (top) and accuracy (bottom) against the epoch.

    It draws :class:`~app.analysis.columns.MetricColumns` (the training controller's,
    given with :meth:`show_columns`, or its own, filled with :meth:`set_history` and
    :meth:`append`).  The curves (:class:`~app.ui.plots.following.CurveSet`)
    draw only the visible epochs, at about two points per pixel from min/max envelopes
    kept up to date as epochs arrive, so 100,000 epochs draw as fast as a few hundred;
    the view follows the newest epoch until the learner zooms or pans.  Non-finite
    values (a diverged epoch) become gaps.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._own = MetricColumns()  # what set_history and append fill
        self.history = self._own  # what is drawn
        self._revision = self.history.revision
        self.setToolTip(LOSS_TIP + "\n\n" + ACCURACY_TIP + "\n\n" + WITHIN_TIP)

        self.readout = Readout(_EMPTY)
        self.log_check = QCheckBox("log scale")
        self.log_check.setToolTip(LOG_TIP)
        self.log_check.toggled.connect(self._on_log_toggled)
        top = QHBoxLayout()
        top.addWidget(self.readout, 1)
        top.addWidget(self.log_check)

        self.graphics = theme.graphics_widget()
        self.graphics.ci.setContentsMargins(4, 4, 12, 4)
        self.loss_plot = self.graphics.addPlot(row=0, col=0, axisItems={"left": LossAxis("left")})
        self.accuracy_plot = self.graphics.addPlot(
            row=1, col=0, axisItems={"left": PercentAxis("left")}
        )
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self._setup_axes()

        solid, dashed = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine
        series = {
            "train_loss": (self.loss_plot, theme.TRAIN, solid),
            "val_loss": (self.loss_plot, theme.VALIDATION, dashed),
            "train_accuracy": (self.accuracy_plot, theme.TRAIN, solid),
            "val_accuracy": (self.accuracy_plot, theme.VALIDATION, dashed),
        }
        pens = {
            name: (plot, pg.mkPen(colour, width=2, style=style), pg.mkPen(colour, style=style))
            for name, (plot, colour, style) in series.items()
        }
        self.curve_set = CurveSet(self.history, self.loss_plot, pens)
        self.curves: dict[str, pg.PlotDataItem] = self.curve_set.curves
        # The loss inside long epochs: thin, under the epochs' curves, and a dot at "now".
        self.within: dict[str, pg.PlotDataItem] = {}
        self.now_dots: dict[str, pg.PlotDataItem] = {}
        self._now: Progress | None = None
        for name, plot in (("train_loss", self.loss_plot), ("train_accuracy", self.accuracy_plot)):
            pen = pg.mkPen(WITHIN_COLOUR, width=1.5, style=Qt.PenStyle.CustomDashLine)
            pen.setDashPattern(WITHIN_DASH)
            line = plot.plot(pen=pen, antialias=True)
            line.setZValue(-1)
            line.setClipToView(True)
            line.setDownsampling(auto=True, method="peak")
            self.within[name] = line
            # A ring, not a dot like the epochs' points: where the epoch has got to.
            dot = plot.plot(pen=None, symbol="o", symbolSize=10,
                            symbolPen=pg.mkPen(theme.TRAIN, width=2.5),
                            symbolBrush=pg.mkBrush(theme.BACKGROUND))  # fmt: skip
            self.now_dots[name] = dot
        self.epoch_dots: dict[str, pg.PlotDataItem] = {}
        for name, (plot, colour, _) in series.items():
            self.epoch_dots[name] = plot.plot(pen=None, symbol="o", symbolSize=6,
                                              symbolPen=pg.mkPen(colour),
                                              symbolBrush=pg.mkBrush(colour))  # fmt: skip
        # One legend, top right of the loss plot, which a falling loss leaves free; the
        # accuracy curves have the same colours and would run into a legend of their own.
        self.legend = self._legend(self.loss_plot, (-LEGEND_MARGIN, LEGEND_MARGIN))
        self._legend_key: tuple[bool, bool, bool, bool] | None = None
        self._legend_has_validation = False
        self._legend_has_within = False
        self._legend_timer = QTimer(self)  # after a zoom or pan: out of the curves' way
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._place_legend)
        self.loss_plot.getViewBox().sigRangeChanged.connect(self._on_range_changed)
        self._marked = False  # the epochs' points have dots
        self._sync_legend()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)
        self._titles_timer = QTimer(self)  # after a zoom: measure the titles again
        self._titles_timer.setSingleShot(True)
        self._titles_timer.setInterval(0)
        self._titles_timer.timeout.connect(self.fit_titles)
        self.fit_titles()

    def fit_titles(self) -> None:
        """Each y axis titled at full length where its plot is as tall as the title, else
        short ("loss", "acc."); never shorter than the short title: they cannot overlap."""
        grew = False
        plots = {"loss": self.loss_plot, "accuracy": self.accuracy_plot}
        for name, plot in plots.items():
            full, short = TITLES[name]
            axis, vb = plot.getAxis("left"), plot.getViewBox()
            need = {text: _title_length(axis, text) + 8 for text in (full, short)}
            if abs(vb.minimumHeight() - need[short]) > 0.5:
                vb.setMinimumHeight(need[short])
                grew = True
            text = full if vb.height() >= need[full] else short
            if axis.labelText != text:
                axis.labelText = text
                axis._updateLabel()
        if grew:
            fit_minimum_height(self.graphics)

    @Slot()
    def _on_plot_resized(self) -> None:
        self._titles_timer.start()
        self._legend_timer.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window's zoom, presentation mode
            self._titles_timer.start()

    # -- public API ---------------------------------------------------------------
    def set_history(self, reports: Sequence[EpochReport]) -> None:
        """Replace everything (after loading a project or a reset)."""
        self.set_history_columns(report_columns(reports))

    def set_history_columns(self, metrics: Mapping[str, np.ndarray]) -> None:
        """:meth:`set_history` from columns (``Frame.metrics`` of a replacing frame)."""
        self._own.clear()
        self._own.append_columns(metrics)
        self.curve_set.follow()  # a zoom from before means nothing now
        self.show_columns(self._own)

    def show_columns(self, columns: MetricColumns) -> None:
        """Draw ``columns``, catching up with the epochs added since the last call.

        Other columns (another model) are followed afresh, a zoom from before means
        nothing now; rewritten ones (rewound, thinned) are drawn again from the start.
        """
        if columns is not self.history:
            self.history = self.curve_set.history = columns
            self.curve_set.cleared()
            self.curve_set.follow()
        elif columns.revision != self._revision:
            self.curve_set.cleared()
        self._revision = columns.revision
        self._update_curves()

    def append(self, reports: Sequence[EpochReport]) -> None:
        """Add newly finished epochs (oldest first)."""
        if reports:
            self.append_columns(report_columns(reports))

    def append_columns(self, metrics: Mapping[str, np.ndarray]) -> None:
        """:meth:`append` from columns (``Frame.metrics``): no loop over reports."""
        if len(metrics["epoch"]):
            self._own.append_columns(metrics)
            self.show_columns(self._own)

    def show_within_epoch(
        self,
        x: np.ndarray,
        loss: np.ndarray,
        accuracy: np.ndarray,
        connect: np.ndarray,
        now: Progress | None,
    ) -> None:
        """The loss and accuracy inside long epochs (``x``: fractional epochs, ascending;
        ``connect``: which point joins the next) and the epoch in progress, if any."""
        self.within["train_loss"].setData(x, loss, connect=connect)
        self.within["train_accuracy"].setData(x, accuracy, connect=connect)
        self._now = now
        for name, dot in self.now_dots.items():
            if now is None or not len(x):
                dot.setData([], [])
            else:
                value = now.train_loss if name == "train_loss" else now.train_accuracy
                dot.setData([x[-1]], [value])
        self.curve_set.set_extra(x, loss)
        self._update_curves()

    def clear(self) -> None:
        self.show_within_epoch(*(np.zeros(0),) * 3, np.zeros(0, dtype=bool), None)
        self.set_history(())

    def set_log_scale(self, on: bool) -> None:
        """Loss axis logarithmic (``True``) or linear; the checkbox follows."""
        if self.log_check.isChecked() != on:
            self.log_check.setChecked(on)  # its toggled signal applies the change
        else:
            self._on_log_toggled(on)

    def log_scale(self) -> bool:
        return self.log_check.isChecked()

    def export_image(self, path: str) -> None:
        """Write both plots to ``path``: PNG or SVG, chosen by the extension."""
        theme.export_item(self.graphics.ci, path)

    # -- internals ----------------------------------------------------------------
    def _setup_axes(self) -> None:
        loss, acc = self.loss_plot, self.accuracy_plot
        theme.style_plot(loss)
        theme.style_plot(acc)
        theme.style_axis(loss.getAxis("left"), TITLES["loss"][0])
        theme.style_axis(acc.getAxis("left"), TITLES["accuracy"][0])
        theme.style_axis(acc.getAxis("bottom"), "epoch")
        # The epoch numbers are written once, under the accuracy plot.
        loss.getAxis("bottom").setStyle(showValues=False)
        loss.getAxis("left").setWidth(64)
        acc.getAxis("left").setWidth(64)  # equal widths keep the two x axes aligned
        for plot in (loss, acc):
            plot.getViewBox().sigResized.connect(self._on_plot_resized)
        acc.setXLink(loss)
        for plot in (loss, acc):
            plot.setMenuEnabled(False)
            for name in ("left", "bottom"):
                # Major ticks only: the minor levels' grid lines cost most of a repaint
                # with 100,000 epochs and add nothing a viewer reads.
                plot.getAxis(name).setStyle(maxTickLevel=0)
        theme.show_grid(loss, x=True, y=True)
        # No y grid here: pyqtgraph drops tick labels at the edges of a gridded axis, and
        # 0% and 100% are the ones that matter.  Light lines mark 0, 50 and 100% instead.
        theme.show_grid(acc, x=True, y=False)
        for level in (0.0, 0.5, 1.0):
            line = pg.InfiniteLine(level, angle=0, pen=pg.mkPen("#c8c8c8", width=1))
            acc.addItem(line, ignoreBounds=True)
        loss.setXRange(0, 10, padding=0)
        loss.vb.setLimits(xMin=0)
        # Accuracy is a fraction: a fixed 0…100% axis, so jumps are comparable over time.
        acc.setYRange(0.0, 1.0, padding=0.03)
        acc.setMouseEnabled(x=True, y=False)
        # The grid lines make each axis as large as its plot: every new epoch repainted
        # all four.  Cached, they are drawn again only when their range changes.
        theme.cache_static(*(p.getAxis(n) for p in (loss, acc) for n in ("left", "bottom")))
        for plot in (loss, acc):  # the curve set moves the ranges (see following.py)
            plot.getViewBox().disableAutoRange()
        loss.setToolTip(LOSS_TIP + "\n\n" + WITHIN_TIP)
        acc.setToolTip(ACCURACY_TIP)

    @staticmethod
    def _legend(plot: pg.PlotItem, offset: tuple[int, int]) -> pg.LegendItem:
        legend = plot.addLegend(
            offset=offset, brush=pg.mkBrush(255, 255, 255, LEGEND_ALPHA), pen=pg.mkPen("#bbbbbb")
        )
        legend.setLabelTextColor(theme.FOREGROUND)
        legend.setLabelTextSize("10pt")
        return legend

    def _sync_legend(self) -> None:
        """List only what is drawn: "training" once an epoch has ended, "validation" while
        there is validation data, the line inside the epoch and its ring while they show."""
        h = self.history
        train = h.has_values("train_loss")
        want = h.has_values("val_loss") or h.has_values("val_accuracy")
        shown = self.within["train_loss"].xData
        within = shown is not None and len(shown) > 0
        key = (train, want, within, self._now is not None)
        if key == self._legend_key:
            return  # rebuilding the legend re-lays out the plot: only when it changes
        self._legend_key = key
        self.legend.clear()
        if train:
            self.legend.addItem(self.curves["train_loss"], "training")
        if want:
            self.legend.addItem(self.curves["val_loss"], "validation")
        if within:
            self.legend.addItem(self.within["train_loss"], WITHIN)
            if self._now is not None:
                self.legend.addItem(self.now_dots["train_loss"], NOW)
        self.legend.setVisible(bool(self.legend.items))
        self._legend_has_validation, self._legend_has_within = want, within

    @Slot()
    def _on_range_changed(self) -> None:
        self._legend_timer.start()

    @Slot()
    def _place_legend(self) -> None:
        loss = ("train_loss", "val_loss")
        curves = [self.curves[n] for n in loss] + [self.within["train_loss"]]
        curves.append(self.now_dots["train_loss"])
        place_legend(self.legend, self.loss_plot, [c for c in curves if c.isVisible()])

    def _update_curves(self) -> None:
        self.curve_set.update()
        self._sync_legend()
        self._legend_timer.start()
        self._mark_epochs()
        self._update_readout()

    def _mark_epochs(self) -> None:
        """A dot on each epoch's point while there is a line inside the epochs: the first
        epoch's point has no line to it, and the dots show where the thin line ends."""
        h = self.history
        marked = self._legend_has_within and len(h) <= MARKED_EPOCHS
        if not (marked or self._marked):
            return
        self._marked = marked
        epochs = h.column("epoch")
        for name, dots in self.epoch_dots.items():
            values = h.column(name)
            finite = np.isfinite(values) if marked else np.zeros(len(values), dtype=bool)
            dots.setData(epochs[finite], values[finite])

    def _update_readout(self) -> None:
        h, now = self.history, self._now
        if now is not None:
            self._update_readout_within(now)
            return
        if not len(h):
            theme.set_label_text(self.readout, _EMPTY)
            return
        epoch = f"{int(h.last('epoch')):,}"
        parts = [f"<b>epoch {epoch}</b>", self._stats("training", "train")]
        loss, acc = format_loss(h.last("train_loss")), format_accuracy(h.last("train_accuracy"))
        named = f"loss <b>{loss}</b>, accuracy <b>{acc}</b>"
        short = shorter = f"loss <b>{loss}</b>, acc. <b>{acc}</b>"
        if self._legend_has_validation:
            parts.append(self._stats("validation", "val"))
            val_loss = format_loss(h.last("val_loss"))
            val_acc = format_accuracy(h.last("val_accuracy"))
            val = f"<span style='color:{theme.VALIDATION}'>validation</span>"
            named = (
                f"loss <b>{loss}</b> ({val} {val_loss}), accuracy <b>{acc}</b> ({val} {val_acc})"
            )
            short = f"loss <b>{loss}</b> (val. {val_loss}), acc. <b>{acc}</b> (val. {val_acc})"
            # the accuracy's validation in brackets as the loss's, named once
            shorter = f"loss <b>{loss}</b> (val. {val_loss}), acc. <b>{acc}</b> ({val_acc})"
        # Shorter forms for a narrow plot: the numbers stay whole, the % stays, and the
        # word "accuracy" as long as there is room for it; the bold numbers are training's.
        self.readout.setTexts(
            [
                " · ".join(parts),
                f"<b>epoch {epoch}</b>: {named}",
                f"<b>epoch {epoch}</b> · {short}",
                f"<b>{epoch}</b> · {short}",
                f"<b>{epoch}</b> · {shorter}",
                f"<b>{epoch}</b> · {shorter.replace('acc. ', '')}",
            ]
        )

    def _update_readout_within(self, now: Progress) -> None:
        """The epoch in progress: how far, and its loss and accuracy so far (the thin
        line and its ring), in the status bar's words and numbers."""
        epoch = f"{now.epoch:,}"
        done = f"{now.updates / max(now.updates_in_epoch, 1):.0%}"
        loss, acc = format_loss(now.train_loss), format_accuracy(now.train_accuracy)
        so_far = f"loss so far <b>{loss}</b>, accuracy <b>{acc}</b>"
        line = f"<span style='color:{WITHIN_COLOUR}'>dashed line</span>"
        self.readout.setTexts(
            [
                f"<b>epoch {epoch}</b>, {done} done · {so_far} "
                f"({line}: mean of this epoch's updates, ring: now)",
                f"<b>epoch {epoch}</b>, {done} done · {so_far} ({line}, ring: now)",
                f"<b>epoch {epoch}</b>, {done} · {so_far}",
                f"<b>epoch {epoch}</b>, {done} · loss so far <b>{loss}</b>, acc. <b>{acc}</b>",
                f"<b>epoch {epoch}</b>, {done} · loss so far <b>{loss}</b>, <b>{acc}</b>",
                f"<b>{epoch}</b>, {done} · <b>{loss}</b>, <b>{acc}</b>",
            ]
        )

    def _stats(self, label: str, prefix: str) -> str:
        h = self.history
        colour = theme.TRAIN if prefix == "train" else theme.VALIDATION
        loss = format_loss(h.last(f"{prefix}_loss"))
        acc = format_accuracy(h.last(f"{prefix}_accuracy"))
        return (
            f"<span style='color:{colour}'>{label}</span> loss <b>{loss}</b>, accuracy <b>{acc}</b>"
        )

    def _on_log_toggled(self, on: bool) -> None:
        vb = self.loss_plot.getViewBox()
        epochs = vb.viewRange()[0]
        self.loss_plot.setLogMode(x=False, y=on)
        # setLogMode switches pyqtgraph's auto-range back on, which moves the epoch axis
        # at once; the curve set follows instead, from the epochs shown before.
        vb.disableAutoRange()
        vb.setXRange(*epochs, padding=0)
        self.curve_set.follow(y_only=True)
        self.curve_set.redraw()


def corner_hits(
    plot: pg.PlotItem, curves: Sequence[pg.PlotDataItem], size: tuple[float, float]
) -> list[int]:
    """For each of :data:`LEGEND_CORNERS`, how many pixel columns of the legend's place
    (``size``: its width and height in pixels) the drawn ``curves`` cross."""
    vb = plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    width, height = vb.width(), vb.height()
    if width <= 0 or height <= 0 or x1 <= x0 or y1 <= y0:
        return [0] * len(LEGEND_CORNERS)
    w, h = size
    lines = []
    for curve in curves:
        x, y = curve.getData()  # as drawn (log scale, downsampled)
        if x is None or not len(x):
            continue
        px = (np.asarray(x, dtype=float) - x0) / (x1 - x0) * width
        py = (y1 - np.asarray(y, dtype=float)) / (y1 - y0) * height
        lines.append((px, py))
    hits = []
    for sx, sy in LEGEND_CORNERS:
        left = LEGEND_MARGIN if sx > 0 else width - LEGEND_MARGIN - w
        top = LEGEND_MARGIN if sy > 0 else height - LEGEND_MARGIN - h
        columns = np.arange(left, left + w + 1, 2.0)
        count = 0
        for px, py in lines:
            if len(px) == 1:  # a lone point
                ys = np.where(np.abs(columns - px[0]) <= 2, py[0], np.nan)
            else:
                ys = np.interp(columns, px, py, left=np.nan, right=np.nan)
            count += int(np.count_nonzero((ys >= top) & (ys <= top + h)))
        hits.append(count)
    return hits


def place_legend(
    legend: pg.LegendItem, plot: pg.PlotItem, curves: Sequence[pg.PlotDataItem]
) -> None:
    """Move ``legend`` to the corner of ``plot`` the ``curves`` cross least; it stays
    where it is unless another corner is clearly better (no hopping between ties).
    Where every corner is crossed (a narrow plot, four entries) its background lets the
    curves under it show through more."""
    if not legend.items:
        return
    rect = legend.boundingRect()
    hits = corner_hits(plot, curves, (rect.width(), rect.height()))
    offset = legend.opts["offset"]
    signs = (1 if offset[0] >= 0 else -1, 1 if offset[1] >= 0 else -1)
    current = LEGEND_CORNERS.index(signs) if signs in LEGEND_CORNERS else 0
    best = min(range(len(hits)), key=lambda i: (hits[i], i))
    if hits[best] < hits[current]:
        sx, sy = LEGEND_CORNERS[best]
        legend.setOffset((sx * LEGEND_MARGIN, sy * LEGEND_MARGIN))
        current = best
    alpha = LEGEND_ALPHA_COVERING if hits[current] else LEGEND_ALPHA
    if legend.opts["brush"].color().alpha() != alpha:
        legend.setBrush(pg.mkBrush(255, 255, 255, alpha))


def _title_length(axis: pg.AxisItem, text: str) -> float:
    """How long ``axis``'s title would be (along the axis) with ``text``, in its style."""
    shown = axis.labelText
    axis.labelText = text
    axis._updateLabel()
    length = axis.label.boundingRect().width()
    if shown != text:
        axis.labelText = shown
        axis._updateLabel()
    return float(length)


def format_loss(value: float) -> str:
    """A loss as the readout and the status bar write it: three significant digits."""
    if not math.isfinite(value):
        return "—"
    return f"{value:.3g}" if value >= 1e-3 else f"{value:.1e}"


def format_accuracy(value: float) -> str:
    """An accuracy (a fraction) as the readout and the status bar write it: ``66.3%``."""
    return "—" if not math.isfinite(value) else f"{value * 100:.1f}%"
