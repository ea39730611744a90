"""Weights that hold NaN (FORMAT.md allows them): the Generate, Cell, Compare epochs and
RNN vs LSTM views say so inside the view instead of throwing, and recover on good weights.

pytest-qt fails a test when an exception escapes into Qt (a slot, a paint), so each test
also shows that nothing is thrown while the views draw.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import STOP_KEY, Document, with_ui
from app.ui.tabs.cell import CellView
from app.ui.tabs.compare_epochs import CompareView
from app.ui.tabs.generate import GenerateView
from app.ui.tabs.rnn_vs_lstm import VersusView
from tests.ui.helpers import train_headless, trained_project

EPOCHS = 4
NAN_AT_LATEST = f"At epoch {EPOCHS} the weights hold NaN (1 of "


def poisoned(project: Project) -> Project:
    """``project`` with one NaN in its latest weights and its newest snapshot (a copy)."""
    st = project.trainer_state
    assert st is not None and st.snapshot_epochs[-1] == st.epoch
    params = {k: v.copy() for k, v in st.params.items()}
    params["Wx"].flat[0] = np.nan
    snapshots = [w.copy() for w in st.snapshot_weights]
    snapshots[-1][0] = np.nan  # the first value of Wx
    return replace(project, trainer_state=replace(st, params=params, snapshot_weights=snapshots))


@functools.cache
def _trained() -> Project:
    return trained_project("dinner", EPOCHS)  # every epoch stored: 0 … 4


def nan_project() -> Project:
    return poisoned(replace(_trained(), ui={}))


Make = Callable[..., Any]


@pytest.fixture
def make_view(qtbot: QtBot) -> Iterator[Make]:
    """``make_view(cls, project)``: a shown view of class ``cls`` on a fresh controller."""
    made: list[tuple[TrainingController, QWidget]] = []

    def make(cls: type[QWidget], project: Project) -> Any:
        controller = TrainingController()
        controller.set_project(project)
        view = cls(controller, Document(project))
        made.append((controller, view))
        qtbot.addWidget(view)
        view.resize(1200, 800)
        view.show()
        qtbot.waitExposed(view)
        return view

    yield make
    for controller, view in made:
        if isinstance(view, VersusView):
            assert view.shutdown()
        assert controller.shutdown(5000)


def settle(qtbot: QtBot) -> None:
    """Let queued refreshes and paints run (an exception there fails the test)."""
    qtbot.wait(50)


def test_generate_says_the_weights_hold_nan_and_recovers(make_view: Make, qtbot: QtBot) -> None:
    view: GenerateView = make_view(GenerateView, nan_project())
    settle(qtbot)
    assert view.result is None and view.table.rowCount() == 0 and view.text == ""
    assert view.message.isVisible() and view.message.text().startswith(NAN_AT_LATEST)
    assert ", in Wx)." in view.message.text() and "Reset" in view.message.text()

    picker = view.controls.epoch
    picker.latest_check.setChecked(False)  # still epoch 4: still NaN
    assert view.message.isVisible() and view.result is None
    picker.spin.setValue(EPOCHS - 1)  # a good epoch: the roll-out is back
    settle(qtbot)
    assert not view.message.isVisible() and view.result is not None
    assert view.table.rowCount() == view.controls.length.value()
    assert np.isfinite(view.result.probs).all()

    picker.latest_check.setChecked(True)
    settle(qtbot)
    assert view.message.isVisible() and view.message.text().startswith(NAN_AT_LATEST)
    assert view.table.rowCount() == 0


def test_cell_says_the_weights_hold_nan_and_recovers(make_view: Make, qtbot: QtBot) -> None:
    view: CellView = make_view(CellView, nan_project())
    view.refresh()
    settle(qtbot)
    assert view.banner.isVisible() and view.banner.message.text().startswith(NAN_AT_LATEST)
    assert view.view is None and view.diagram.kind == "none"
    assert view.controls.epoch_spin.isEnabled()  # another epoch can still be picked

    view.set_epoch(EPOCHS - 1)
    settle(qtbot)
    assert not view.banner.isVisible()
    assert view.view is not None and view.view.epoch == EPOCHS - 1
    assert view.diagram.kind == "lstm" and np.isfinite(view.diagram.cell_values("cell")).all()

    view.epoch_by(+1)  # back to the NaN epoch with the keys
    settle(qtbot)
    assert view.banner.isVisible() and view.view is None


def test_compare_epochs_says_which_epoch_holds_nan_and_recovers(
    make_view: Make, qtbot: QtBot
) -> None:
    view: CompareView = make_view(CompareView, nan_project())
    view.set_epoch("a", 1)
    view.set_epoch("b", EPOCHS)
    view.refresh_now()
    settle(qtbot)
    assert view.banner.isVisible() and view.banner.message.text().startswith(NAN_AT_LATEST)
    assert view.shown is None and view.words.views is None

    view.set_epoch("b", EPOCHS - 1)
    view.refresh_now()
    settle(qtbot)
    assert not view.banner.isVisible()
    assert view.shown is not None and (view.shown[0].epoch, view.shown[1].epoch) == (1, 3)

    view.set_epoch("a", EPOCHS)  # A can hold the NaN too
    view.refresh_now()
    settle(qtbot)
    assert view.banner.isVisible() and view.shown is None


def test_rnn_vs_lstm_names_the_network_whose_weights_hold_nan(
    make_view: Make, qtbot: QtBot
) -> None:
    """The second network's weights hold NaN; resetting it (its own button) recovers."""
    project = with_ui(replace(_trained(), ui={}), STOP_KEY, {"kind": "epochs", "value": 2})
    rnn = replace(project.model, kind="rnn")
    rival = train_headless(replace(project, model=rnn, trainer_state=None), 2)
    project.set_rival_from(poisoned(rival))
    view: VersusView = make_view(VersusView, project)
    settle(qtbot)
    banner = view.banner
    assert banner.isVisible()
    assert banner.message.text().startswith("RNN, epoch 2: the weights hold NaN (1 of ")
    assert view.side_by_side.predictions.rows == []

    view.reset_rival()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
    assert view.side_by_side.predictions.rows != []
