"""LossPlot: curves carry the reports' values, live appends, log scale, long runs, export."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis.columns import report_columns
from app.ui.plots import LossPlot


@pytest.fixture
def plot(qtbot):
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _y(curve):
    return curve.getData()[1]


def test_curves_equal_the_reports(plot, make_reports):
    reports = make_reports(1, 30)
    plot.set_history(reports)
    x, y = plot.curves["train_loss"].getData()
    np.testing.assert_array_equal(x, [r.epoch for r in reports])
    np.testing.assert_allclose(y, [r.train_loss for r in reports])
    np.testing.assert_allclose(_y(plot.curves["val_loss"]), [r.val_loss for r in reports])
    np.testing.assert_allclose(
        _y(plot.curves["train_accuracy"]), [r.train_accuracy for r in reports]
    )
    np.testing.assert_allclose(_y(plot.curves["val_accuracy"]), [r.val_accuracy for r in reports])
    assert [label.text for _, label in plot.legend.items] == ["training", "validation"]


def test_append_after_set_history_continues(plot, make_reports):
    plot.set_history(make_reports(1, 10))
    plot.append(make_reports(11, 3))
    plot.append([])
    x, y = plot.curves["train_loss"].getData()
    np.testing.assert_array_equal(x, np.arange(1, 14))
    assert y[-1] == pytest.approx(make_reports(13, 1)[0].train_loss)
    assert "epoch 13" in plot.readout.text()


def test_without_validation_the_curves_are_empty_gaps_and_unlisted(plot, make_reports):
    plot.set_history(make_reports(1, 10, validation=False))
    assert np.isnan(_y(plot.curves["val_loss"])).all()
    assert [label.text for _, label in plot.legend.items] == ["training"]
    assert "validation" not in plot.readout.text()


def test_non_finite_losses_are_gaps_not_errors(plot, make_report, qtbot):
    plot.set_history([make_report(1, 1.0), make_report(2, float("nan")),
                      make_report(3, float("inf")), make_report(4, 0.5)])  # fmt: skip
    y = _y(plot.curves["train_loss"])
    assert y[0] == 1.0 and np.isnan(y[1]) and np.isnan(y[2]) and y[3] == 0.5
    plot.set_log_scale(True)  # log10 of NaN must not warn (warnings are errors here)
    # the view follows to a finite range in log units (log10 0.5 < 0)
    qtbot.waitUntil(lambda: plot.loss_plot.vb.viewRange()[1][0] < 0)
    assert np.isfinite(plot.loss_plot.vb.viewRange()).all()


def test_log_scale_toggle_and_checkbox_agree(plot, make_reports):
    plot.set_history(make_reports(1, 20))
    plot.set_log_scale(True)
    assert plot.log_check.isChecked() and plot.log_scale()
    assert plot.curves["train_loss"].opts["logMode"] == [False, True]
    y = _y(plot.curves["train_loss"])
    np.testing.assert_allclose(y, np.log10([r.train_loss for r in make_reports(1, 20)]))
    low, high = plot.loss_plot.getViewBox().viewRange()[1]  # whole quarter decades
    assert low <= y.min() and high >= y.max()  # y is in log10 units here
    assert 4 * low == round(4 * low) and 4 * high == round(4 * high)
    plot.log_check.setChecked(False)  # the user's click works the same way
    assert plot.curves["train_loss"].opts["logMode"] == [False, False]
    assert plot.curves["train_accuracy"].opts["logMode"] == [False, False]


def test_clear(plot, make_reports):
    plot.set_history(make_reports(1, 5))
    plot.clear()
    assert len(plot.history) == 0
    y = _y(plot.curves["train_loss"])
    assert y is None or len(y) == 0
    assert "No epochs yet" in plot.readout.text()


def test_a_hundred_thousand_epochs_in_chunks(plot, make_reports, qtbot):
    plot.set_history([])
    for start in range(1, 100_001, 2_000):
        plot.append(make_reports(start, 2_000))
    assert len(plot.history) == 100_000
    assert plot.history.capacity == 1024 * 128  # grown by doubling from 1024
    qtbot.wait(10)
    width = plot.loss_plot.getViewBox().width()
    x, y = plot.curves["train_loss"].getData()
    # min/max of blocks, about two points per pixel: not 100,000 points
    assert len(x) <= 4 * width + 256
    # every epoch is covered: the first block starts at epoch 1, the newest is exact
    assert x[0] == 1 and x[-1] == 100_000
    assert y[-1] == pytest.approx(make_reports(100_000, 1)[0].train_loss)
    assert y.max() == pytest.approx(make_reports(1, 1)[0].train_loss)
    # the epoch axis ends at a round number past the newest epoch
    assert plot.loss_plot.getViewBox().viewRange()[0] == [0.0, 100_000.0]
    # zoomed in, only the visible stretch is drawn, point by point
    plot.loss_plot.setXRange(50_000, 50_100, padding=0)
    x, _ = plot.curves["train_loss"].getData()
    assert x.min() >= 49_000 and x.max() <= 51_000
    np.testing.assert_array_equal(np.diff(x), 1.0)


def test_long_curves_draw_thin_and_fast(plot, make_reports):
    plot.set_history(make_reports(1, 100))
    assert plot.curves["train_loss"].opts["antialias"]
    assert plot.curves["train_loss"].opts["pen"].width() == 2
    plot.append(make_reports(101, 5_000))
    assert not plot.curves["train_loss"].opts["antialias"]
    assert plot.curves["train_loss"].opts["pen"].width() <= 1


def test_the_view_follows_until_the_learner_zooms(plot, make_reports):
    plot.set_history(make_reports(1, 30))
    vb = plot.loss_plot.getViewBox()
    assert vb.viewRange()[0] == [0.0, 30.0]
    plot.append(make_reports(31, 5))
    assert vb.viewRange()[0] == [0.0, 40.0]  # 1, 1.2, 1.5, 2, 2.5, 3, 4, 5 … × 10ⁿ
    low, high = vb.viewRange()[1]
    assert low == 0.0 and high >= make_reports(1, 1)[0].val_loss
    vb.scaleBy(x=0.5)
    vb.sigRangeChangedManually.emit([True, False])  # as a mouse zoom does
    zoomed = vb.viewRange()[0]
    plot.append(make_reports(36, 100))
    assert vb.viewRange()[0] == zoomed
    plot.set_history(make_reports(1, 10))  # a new project: follow again
    assert vb.viewRange()[0] == [0.0, 10.0]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_image(plot, make_reports, tmp_path, suffix):
    plot.set_history(make_reports(1, 50))
    path = tmp_path / f"loss{suffix}"
    plot.export_image(str(path))
    data = path.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_export_rejects_other_formats(plot, tmp_path):
    with pytest.raises(ValueError, match=r"png or \.svg"):
        plot.export_image(str(tmp_path / "loss.jpg"))


def test_tooltips_speak_the_lectures_language(plot):
    assert "loss" in plot.loss_plot.toolTip().lower()
    assert "prediction vector" in plot.loss_plot.toolTip()
    assert "accuracy" in plot.accuracy_plot.toolTip().lower()
    assert "log" in plot.log_check.toolTip().lower()


def test_a_thinned_history_still_draws_every_curve_to_the_newest_epoch(plot, make_reports, qtbot):
    plot.history.limit = 5_000
    plot.set_history([])
    for start in range(1, 20_001, 1_000):
        plot.append(make_reports(start, 1_000))
    assert len(plot.history) <= 5_000 and plot.history.stride > 1
    qtbot.wait(10)
    x, y = plot.curves["train_loss"].getData()
    assert x[0] == 1 and x[-1] == 20_000
    assert y[-1] == pytest.approx(make_reports(20_000, 1)[0].train_loss)
    assert y.max() == pytest.approx(make_reports(1, 1)[0].train_loss)
    assert plot.loss_plot.getViewBox().viewRange()[0][1] >= 20_000


def test_the_log_toggle_leaves_the_epoch_axis_alone(plot, make_reports, qtbot):
    plot.set_history(make_reports(1, 30))
    vb = plot.loss_plot.getViewBox()
    assert vb.viewRange()[0] == [0.0, 30.0]
    plot.set_log_scale(True)
    qtbot.wait(10)
    assert vb.viewRange()[0] == [0.0, 30.0]  # following: still the round end
    plot.loss_plot.setXRange(5, 20, padding=0)
    vb.sigRangeChangedManually.emit([True, False])  # as a mouse zoom does
    plot.set_log_scale(False)
    qtbot.wait(10)
    assert vb.viewRange()[0] == [5.0, 20.0]  # zoomed: where the learner put it


def _long_columns(make_reports, n: int) -> dict[str, np.ndarray]:
    """``n`` epochs as writable columns (``Frame.metrics``), to break on purpose."""
    return {k: np.array(v) for k, v in report_columns(make_reports(1, n)).items()}


def test_zoomed_in_the_loss_axis_fits_the_visible_epochs(plot, make_reports, qtbot):
    plot.set_history(make_reports(1, 10_000))
    vb = plot.loss_plot.getViewBox()
    assert vb.viewRange()[1][1] >= make_reports(1, 1)[0].val_loss  # all: the first epochs'
    vb.setXRange(8_000, 9_000, padding=0)
    vb.sigRangeChangedManually.emit([True, False])  # as a mouse zoom does
    qtbot.wait(10)
    x, _ = plot.curves["train_loss"].getData()
    assert x.min() >= 7_990 and x.max() <= 9_010  # the visible stretch only
    top = max(np.nanmax(_y(plot.curves[name])) for name in ("train_loss", "val_loss"))
    low, high = vb.viewRange()[1]
    assert low == 0.0 and top <= high <= 1.1 * top  # fits what is visible, not the start


def test_a_gap_in_a_long_history_stays_a_gap(plot, make_reports):
    columns = _long_columns(make_reports, 50_000)
    columns["train_loss"][20_000:21_000] = np.nan  # epochs 20,001 … 21,000 diverged
    plot.set_history_columns(columns)
    x, y = plot.curves["train_loss"].getData()
    assert len(x) < 5_000  # downsampled
    inside = (x >= 20_001 + 256) & (x <= 21_000 - 256)  # blocks of up to 256 epochs
    assert inside.any() and np.isnan(y[inside]).all()
    assert np.isfinite(y[(x < 19_700) | (x > 21_300)]).all()  # drawn on either side


def test_a_spike_survives_downsampling(plot, make_reports):
    columns = _long_columns(make_reports, 100_000)
    columns["val_loss"][60_000] = 5.0  # one epoch, far above the rest
    plot.set_history_columns(columns)
    x, y = plot.curves["val_loss"].getData()
    assert len(x) < 5_000 and y.max() == 5.0
    assert abs(x[np.argmax(y)] - 60_001) <= 256  # drawn where it happened, within a block
    assert plot.loss_plot.getViewBox().viewRange()[1][1] >= 5.0  # and the axis holds it


def test_a_narrow_readout_still_says_accuracy_with_its_percent(qtbot, make_report):
    """The Train tab at 1280×720 gives the readout ~300 px: the numbers stay whole, and
    the accuracy keeps its name and its % (it showed "loss 6.1e-05, 100.0%")."""
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(370, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_history([make_report(1500, 6.1e-5, 1.0, None, None)])
    qtbot.waitUntil(lambda: widget.readout.width() < 370)
    shown = widget.readout.shown_text()
    assert widget.readout.shown_width() <= widget.readout.contentsRect().width()
    assert "accuracy <b>100.0%</b>" in shown and "1,500" in shown, shown


def _title_rect(plot):
    axis = plot.getAxis("left")
    return axis.label.mapRectToScene(axis.label.boundingRect())


def test_y_titles_never_overlap_or_run_off_their_plots_at_any_zoom(qtbot):
    """The two y titles stay inside their own plots: short ("loss", "acc.") when a plot is
    shorter than its long title, at 100 % and in presentation look; the minimum heights
    follow the font, so the short titles always fit."""
    from app.ui.shell.presentation import presentation_style

    widget = LossPlot()
    qtbot.addWidget(widget)
    for height, present in ((600, False), (260, False), (600, True), (260, True)):
        look = presentation_style(widget) if present else _nothing()
        with look:
            widget.resize(500, height)
            widget.show()
            qtbot.waitExposed(widget)
            qtbot.wait(20)
            widget.fit_titles()
            rects = {}
            for name, plot in (("loss", widget.loss_plot), ("accuracy", widget.accuracy_plot)):
                box = plot.getViewBox().sceneBoundingRect()
                title = _title_rect(plot)
                rects[name] = title
                assert plot.getAxis("left").labelText in (
                    ("loss (cross-entropy)", "loss") if name == "loss" else ("accuracy", "acc.")
                )
                assert title.height() <= box.height() + 1, (height, present, name)
            assert not rects["loss"].intersects(rects["accuracy"]), (height, present)
            if height == 600:
                assert widget.loss_plot.getAxis("left").labelText == "loss (cross-entropy)"
    short = widget.graphics.height() < 300
    assert short or widget.accuracy_plot.getAxis("left").labelText == "accuracy"


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize(
    ("size_px", "expected"),
    [
        (400, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),  # room: every 20 %
        (70, [0.0, 0.5, 1.0]),  # a short plot: 0, 50, 100 %, never crammed
        (20, [0.0, 1.0]),
    ],
)
def test_accuracy_ticks_thin_to_0_50_100_when_short(size_px, expected):
    from app.ui.plots.loss_plot import percent_ticks

    assert percent_ticks(-0.03, 1.03, size_px, line_px=15.0) == pytest.approx(expected)


def test_a_short_accuracy_axis_draws_0_50_100_only(qtbot):
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(500, 230)
    widget.show()
    qtbot.waitExposed(widget)
    axis = widget.accuracy_plot.getAxis("left")
    low, high = widget.accuracy_plot.getViewBox().viewRange()[1]
    (_, ticks), *_ = axis.tickValues(low, high, axis.height())
    assert ticks == pytest.approx([0.0, 0.5, 1.0])
    assert axis.tickStrings(ticks, 1, 0.5) == ["0%", "50%", "100%"]


@pytest.mark.parametrize("width", [370, 900])
def test_the_readout_says_which_numbers_are_validation(qtbot, make_report, width):
    """ "loss 1.05 / 2.34, accuracy 67.1% / 41.2%" did not say which was which: the
    validation numbers are named, and the accuracy keeps a name (review of the figures)."""
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(width, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_history([make_report(12, 1.0512, 0.671, 2.3377, 0.412)])
    qtbot.waitUntil(lambda: widget.readout.width() < width)
    shown = widget.readout.shown_text()
    assert widget.readout.shown_width() <= widget.readout.contentsRect().width()
    assert "1.05" in shown and "2.34" in shown and "67.1%" in shown and "41.2%" in shown
    assert "val" in shown and "acc" in shown, shown
    assert "/" not in shown.replace("</", "")
