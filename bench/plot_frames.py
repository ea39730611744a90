"""The measurements ``bench_plots.py`` runs in a child process, and the curve variants.

Each function builds the real widget of the tree on ``sys.path`` (``$BENCH_SRC`` or the
repository), shows it, and times live frames: the update call, then the event loop
until the repaint it caused is done.  Qt, NumPy and the app are imported inside the
functions, after ``bench_plots.py`` has pinned the BLAS threads and chosen the platform.

The loss plot's curve variants all plug into the real ``LossPlot`` where it makes its
curves (``loss_plot.CurveSet``), so axes, legend, read-out and pens stay the app's:

* ``envelope``: the tree's own ``CurveSet`` (incremental min/max envelopes, ranges
  that follow in round steps);
* ``library``: :func:`library_curves`, pyqtgraph's idiom as the Versus and Compare
  tabs use it: whole columns to ``setData``, ``setDownsampling(auto=True,
  method="peak")``, ``setClipToView(True)``, auto-range (y over the visible epochs);
* ``stepped``: the library's downsampling and clipping, with the tree's round-step
  ranges instead of auto-range.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

SETTLE_PASSES = 3  # a paint may ask for another (pyqtgraph's auto-range): let it happen


def columns(n: int, scale: int, seed: int = 0) -> dict[str, Any]:
    """``n`` epochs of a noisy falling loss and rising accuracy, training and validation.

    ``scale`` is the run's length (the loss falls over its first sixth or so), so a
    history and the frames appended after it continue one curve.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    e = np.arange(1, n + 1, dtype=np.float64)
    loss = 2.0 * np.exp(-e / max(scale / 6, 1)) + 0.01 + 0.05 * rng.random(n)
    acc = np.clip(1.0 - loss / 2.2 + 0.03 * rng.standard_normal(n), 0.0, 1.0)
    val = loss * 1.1 + 0.02 * rng.random(n)
    return {"epoch": e, "train_loss": loss, "val_loss": val,
            "train_accuracy": acc, "val_accuracy": np.clip(acc - 0.05, 0.0, 1.0)}  # fmt: skip


def library_curves(stepped: bool) -> type:
    """A stand-in for ``following.CurveSet`` drawn by pyqtgraph (see the module doc)."""
    import numpy as np

    from app.ui.plots.following import epoch_axis_end, loss_axis_range

    class LibraryCurves:
        def __init__(self, history: Any, primary: Any, series: dict[str, Any]) -> None:
            self.history, self.primary = history, primary
            self.curves: dict[str, Any] = {}
            self._pens = {name: (smooth, fast) for name, (_, smooth, fast) in series.items()}
            for name, (plot, smooth, _) in series.items():
                curve = plot.plot(pen=smooth, connect="finite", antialias=True,
                                  autoDownsampleFactor=1.0, dynamicRangeLimit=None)  # fmt: skip
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
                self.curves[name] = curve
            self._smooth = True
            self._follow_x = self._follow_y = True
            self._y_range: tuple[float, float] | None = None
            vb = primary.getViewBox()
            vb.setAutoVisible(y=True)
            vb.sigRangeChangedManually.connect(self._on_manual)
            self.follow()

        def _on_manual(self, mask: list[bool]) -> None:
            self._follow_x = self._follow_x and not mask[0]
            self._follow_y = self._follow_y and not mask[1]

        def follow(self, y_only: bool = False) -> None:
            self._follow_y, self._y_range = True, None
            self._follow_x = self._follow_x or not y_only
            if not stepped:
                self.primary.enableAutoRange(x=self._follow_x, y=True)

        def cleared(self) -> None:
            pass

        def update(self) -> None:
            h = self.history
            smooth = len(h) <= max(int(self.primary.getViewBox().width()), 100)
            for name, curve in self.curves.items():  # the app's pens, as in CurveSet
                if smooth != self._smooth:
                    curve.setPen(self._pens[name][0 if smooth else 1])
                curve.setData(h.column("epoch"), h.column(name), antialias=smooth)
            self._smooth = smooth
            vb = self.primary.getViewBox()
            if stepped and self._follow_x:
                end = epoch_axis_end(h.last("epoch") if len(h) else 0)
                if vb.viewRange()[0] != [0.0, end]:
                    vb.setRange(xRange=(0.0, end), padding=0)
            self.redraw()

        def redraw(self) -> None:
            if not (stepped and self._follow_y and len(self.history)):
                return
            vb = self.primary.getViewBox()
            # what pyqtgraph draws (peaks of the visible epochs), as the envelope's ranges
            shown = [c.getData()[1] for c in self.curves.values() if c.getViewBox() is vb]
            log = bool(self.primary.getAxis("left").logMode)
            seen = np.concatenate([y for y in shown if y is not None])
            wanted = loss_axis_range(10.0**seen if log else seen, log)  # data: log10 units
            if wanted is not None and wanted != self._y_range:
                self._y_range = wanted
                vb.setRange(yRange=wanted, padding=0)

    return LibraryCurves


class _Frames:
    """Times frames: ``update()`` then event-loop passes; paint events timed on the side."""

    def __init__(self, clock: str = "wall") -> None:
        import pyqtgraph as pg
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication([])
        # process CPU time: what the frame costs, whatever else the machine is running
        now = time.process_time if clock == "cpu" else time.perf_counter
        self.painting = 0.0
        self.paints = 0
        original = pg.GraphicsView.paintEvent
        frames = self

        def timed(view: Any, event: Any) -> None:
            started = now()
            original(view, event)
            frames.painting += now() - started
            frames.paints += 1

        pg.GraphicsView.paintEvent = timed  # type: ignore[method-assign]
        self.now = now

    def settle(self) -> None:
        for _ in range(SETTLE_PASSES):
            self.app.processEvents()

    def run(self, update: Callable[[int], None], warmup: int, frames: int) -> dict[str, Any]:
        """Seconds per frame: the call, the whole frame, the paint; paints per frame."""
        calls, totals, paints = [], [], []
        for i in range(warmup + frames):
            self.painting, self.paints = 0.0, 0
            started = self.now()
            update(i)
            called = self.now()
            self.settle()
            if i >= warmup:
                calls.append(called - started)
                totals.append(self.now() - started)
                paints.append((self.painting, self.paints))
        return {"call": calls, "frame": totals, "paint": [p for p, _ in paints],
                "paints_per_frame": sum(k for _, k in paints) / max(len(paints), 1)}  # fmt: skip


def loss_frames(
    impl: str, n: int, mode: str, frames: int, chunk: int, size: Any, clock: str
) -> dict:
    """Live frames of ``chunk`` new epochs onto ``n`` in the real LossPlot.

    ``mode``: ``follow`` (the view follows the newest epoch), ``log`` (the same on a
    log axis) or ``zoomed`` (the learner zoomed into the middle tenth of the epochs).
    """
    from app.ui.plots import LossPlot, loss_plot

    if impl != "envelope":
        loss_plot.CurveSet = library_curves(stepped=impl == "stepped")  # type: ignore[misc]
    meter = _Frames(clock)
    warmup = 10
    data = columns(n + (warmup + frames) * chunk, scale=n)
    plot = LossPlot()
    plot.resize(*size)
    plot.show()
    meter.settle()
    plot.set_history_columns({k: v[:n] for k, v in data.items()})
    if mode == "log":
        plot.set_log_scale(True)
    meter.settle()
    if mode == "zoomed":
        vb = plot.loss_plot.getViewBox()
        vb.setXRange(0.45 * n, 0.55 * n, padding=0)
        vb.sigRangeChangedManually.emit([True, False])  # as the mouse does: stop following
        meter.settle()

    def update(i: int) -> None:
        start = n + i * chunk
        plot.append_columns({k: v[start : start + chunk] for k, v in data.items()})

    result = meter.run(update, warmup, frames)
    x, _ = plot.curves["train_loss"].getData()
    newest = plot.history.last("epoch")
    result["points_drawn"] = 0 if x is None else len(x)
    # the newest epoch's value, at the newest epoch, among the points drawn
    result["newest_drawn"] = bool(x is not None and len(x) and x[-1] == newest)
    result["x_range"] = plot.loss_plot.getViewBox().viewRange()[0]
    plot.close()
    return result


def image_frames(frames: int, clock: str) -> dict:
    """One heatmap panel and the Train tab's gate heatmaps, with ColorImage and without.

    The real :class:`~app.ui.plots.heatmap.Heatmap` (colour bar, fixed levels, a
    colour map's lookup table) with its image item as the tree has it (``ColorImage``)
    and as plain ``pg.ImageItem``; frames of the two alternate.
    """
    import numpy as np
    import pyqtgraph as pg

    from app.ui.plots import GateHeatmaps, _theme, heatmap
    from app.ui.plots.demo import synthetic_view

    meter = _Frames(clock)
    own = heatmap.ColorImage
    classes = {"ColorImage": own, "ImageItem": pg.ImageItem}
    rng = np.random.default_rng(1)
    results: dict[str, Any] = {}
    for steps, rows in ((50, 64), (200, 512)):
        values = [rng.uniform(0.0, 1.0, (steps, rows)) for _ in range(8)]
        panels = {}
        for name, cls in classes.items():
            heatmap.ColorImage = cls  # type: ignore[misc]
            widget = _theme.graphics_widget()
            panel = heatmap.Heatmap(widget.ci, 0, 0, "gate", (0.0, 1.0), _theme.sigmoid_map())
            panel.set_data(values[0])
            widget.resize(700, 450)
            widget.show()
            panels[name] = (widget, panel)
        meter.settle()
        for name, (widget, panel) in panels.items():
            image = panel.image
            render = []
            for i in range(frames):  # the conversion alone: new values, then render()
                started = meter.now()
                image.setImage(values[i % 8], autoLevels=False)
                image.render()
                render.append(meter.now() - started)
            result = meter.run(lambda i, p=panel, v=values: p.set_data(v[i % 8]), 5, frames)
            results[f"panel {steps}×{rows}", name] = result | {"render": render}
            widget.close()
        for name, cls in classes.items():  # the Train tab: six LSTM panels, (steps, hidden)
            heatmap.ColorImage = cls  # type: ignore[misc]
            first = synthetic_view("lstm", steps, rows, 30, 0)
            # new values every frame, the same tokens (as in training: one sequence shown)
            views = [replace(synthetic_view("lstm", steps, rows, 30, seed), tokens=first.tokens)
                     for seed in range(4)]  # fmt: skip
            gates = GateHeatmaps()
            gates.resize(1200, 700)
            gates.show()
            gates.set_view(views[0])
            meter.settle()
            result = meter.run(lambda i, g=gates, v=views: g.set_view(v[1 + i % 3]), 5, frames)
            results[f"GateHeatmaps, 6 panels {steps}×{rows}", name] = result
            gates.close()
    heatmap.ColorImage = own  # type: ignore[misc]
    return {f"{what}|{name}": r for (what, name), r in results.items()}


if __name__ == "__main__":
    sys.exit("run bench/bench_plots.py")
