"""MetricColumns: growing arrays, NaN handling, rewinds."""

from __future__ import annotations

import math

import numpy as np

from app.analysis.columns import MetricColumns, report_columns


def test_append_keeps_values_in_order_and_doubles_capacity(make_reports):
    history = MetricColumns(capacity=4)
    chunks = [make_reports(1, 3), make_reports(4, 5), make_reports(9, 100)]
    for chunk in chunks:
        history.append(chunk)
    everything = [r for chunk in chunks for r in chunk]
    assert len(history) == 108
    assert history.capacity == 128  # 4 → 8 → 16 → … → 128: doubled, never per epoch
    np.testing.assert_array_equal(history.column("epoch"), np.arange(1, 109))
    np.testing.assert_array_equal(history.column("train_loss"), [r.train_loss for r in everything])
    np.testing.assert_array_equal(
        history.column("val_accuracy"), [r.val_accuracy for r in everything]
    )


def test_columns_are_read_only_views(make_reports):
    history = MetricColumns()
    history.append(make_reports(1, 5))
    column = history.column("train_loss")
    assert not column.flags.writeable
    assert np.shares_memory(column, history.column("train_loss"))


def test_missing_validation_and_non_finite_values_become_nan(make_report):
    history = MetricColumns()
    history.append([make_report(1, float("inf"), 0.5), make_report(2, float("nan"), 0.6),
                    make_report(3, 0.5, 0.7, val_loss=0.6, val_accuracy=0.8)])  # fmt: skip
    loss = history.column("train_loss")
    assert math.isnan(loss[0]) and math.isnan(loss[1]) and loss[2] == 0.5
    assert np.isnan(history.column("val_loss")[:2]).all()
    assert history.column("val_loss")[2] == 0.6
    assert history.has_values("val_loss")


def test_no_validation_at_all(make_reports):
    history = MetricColumns()
    history.append(make_reports(1, 10, validation=False))
    assert not history.has_values("val_loss")
    assert not history.has_values("val_accuracy")


def test_an_earlier_epoch_rewinds_the_history(make_reports):
    history = MetricColumns()
    history.append(make_reports(1, 10))
    history.append(make_reports(6, 2))  # training went back to epoch 5 and went on
    np.testing.assert_array_equal(history.column("epoch"), [1, 2, 3, 4, 5, 6, 7])


def test_clear_and_last(make_reports):
    history = MetricColumns()
    assert math.isnan(history.last("train_loss"))
    history.append(make_reports(1, 3))
    assert history.last("epoch") == 3
    history.clear()
    assert len(history) == 0
    history.append([])
    assert len(history) == 0


def test_past_its_limit_the_history_thins_like_the_trainers(make_reports):
    history = MetricColumns(capacity=4, limit=50)
    kept = [history.append_columns(report_columns(make_reports(s, 20))) for s in (1, 21, 41)]
    assert kept == [0, 20, 0]  # the third batch went past the limit: everything moved
    epochs = history.column("epoch")
    assert len(history) <= 50 and epochs[0] == 1 and epochs[-1] == 60
    assert history.stride == 2 and np.all(epochs[1:-1] % 2 == 0)
    reports = {r.epoch: r for r in make_reports(1, 60)}
    np.testing.assert_array_equal(
        history.column("train_loss"), [reports[int(e)].train_loss for e in epochs]
    )
    history.append(make_reports(61, 500))  # far past: thinned again, never above the limit
    assert len(history) <= 50 and history.column("epoch")[-1] == 560
    assert history.stride >= 16
    history.clear()
    assert history.stride == 1 and len(history) == 0
