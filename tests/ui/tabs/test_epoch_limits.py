"""Epochs up to 2³¹ − 1 (the most a project holds) in every tab: no Qt int overflows."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from app.project.project import Project
from app.ui.shell.window import MainWindow
from app.ui.tabs.cell.controls import EpochSpin
from app.ui.tabs.generate.epoch_picker import EpochPicker
from app.ui.widgets.qt_int import QT_INT_MAX, QT_INT_MIN, qt_int
from tests.ui.helpers import trained_project

TOP = 2**31 - 1


def _at_epoch(project: Project, top: int) -> Project:
    """``project`` (trained 2 epochs) relabelled as if it had trained to epoch ``top``."""
    state = project.trainer_state
    assert state is not None and state.epoch == 2
    shift = top - 2
    history = [{**h, "epoch": h["epoch"] + shift} for h in state.history]
    epochs = [0] + [e + shift for e in state.snapshot_epochs[1:]]
    best = None if state.best_epoch is None else state.best_epoch + shift
    state = replace(state, epoch=top, history=history, snapshot_epochs=epochs, best_epoch=best)
    return replace(project, trainer_state=state)


def test_every_tab_opens_at_the_largest_epoch(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.document.replace(_at_epoch(trained_project("dinner", 2), TOP))
    qtbot.waitUntil(lambda: window.controller.epoch == TOP, timeout=10_000)
    views = window.views
    for _ in range(2):  # there and back again: the crash came on switching tabs
        for i in range(views.count()):
            views.setCurrentIndex(i)
            qtbot.wait(20)
    pickers = window.findChildren(EpochPicker)
    assert len(pickers) == 2  # Generate and State map
    for picker in pickers:
        assert picker.spin.maximum() == TOP and picker.spin.value() == TOP
        picker.latest_check.setChecked(False)
        picker.spin.setValue(TOP - 1)
        assert picker.snapshot() is not None and picker.snapshot().epoch == TOP - 1
        assert picker.spin.text() == f"{TOP - 1:,}"
    (cell_spin,) = window.findChildren(EpochSpin)
    assert cell_spin.maximum() == TOP
    for spin in window.findChildren(QSpinBox):  # Compare epochs' A and B too
        assert 0 <= spin.value() <= spin.maximum()


@pytest.mark.parametrize(
    ("value", "want"),
    [(TOP, TOP), (TOP + 1, QT_INT_MAX), (2**53, QT_INT_MAX), (-(2**40), QT_INT_MIN),
     (2.6, 3), (math.inf, QT_INT_MAX), (-math.inf, QT_INT_MIN), (math.nan, 0)],
)  # fmt: skip
def test_qt_int_clamps(value: float, want: int) -> None:
    assert qt_int(value) == want


def test_pickers_clamp_what_qt_cannot_hold(qtbot: QtBot) -> None:
    spin = EpochSpin()
    qtbot.addWidget(spin)
    spin.set_stored([0, 2**40], 2**53)
    spin.setValue(2**45)
    assert spin.maximum() == spin.value() == QT_INT_MAX


def test_progress_of_a_loss_stop_from_an_infinite_first_loss(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    """The bar is fed ``progress × 1000``: a NaN progress must not reach ``round``/Qt."""
    project = trained_project("dinner", 2)
    state = project.trainer_state
    assert state is not None
    history = [{**state.history[0], "train_loss": math.inf}, *state.history[1:]]
    window = make_window()
    window.document.replace(replace(project, trainer_state=replace(state, history=history)))
    qtbot.waitUntil(lambda: window.controller.epoch == 2, timeout=10_000)
    window.edits.set_stop_condition("loss", 0.01)  # no exception escapes (pytest-qt)
    window.status.reload()
    assert window.status.progress.value() == 0
