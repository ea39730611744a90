"""The status bar and the loss plot inside long epochs: the epoch's share and time left move.

Epochs of the dinner preset take milliseconds; here every update is slowed down and
every epoch counts as long (training on a thread, where monkeypatch reaches), so the
window hears how far each epoch has got, as it would from a minute-long epoch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.engine.network import LossStats, Network
from app.training import process
from app.ui.shell.window import MainWindow

IN_PROGRESS = re.compile(r"^Epoch (\d+): (\d+)% · (\d+ s|\d+:\d\d) left$")


def test_a_long_epoch_shows_its_share_and_the_time_left(
    make_window: Callable[..., MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LSTM_PLAYGROUND_TRAINING", "thread")
    monkeypatch.setattr(process, "LIVE_AFTER_S", 0.0)
    monkeypatch.setattr(process, "PROGRESS_EVERY_S", 0.0)
    real = Network.loss_and_grads

    def slow(self: Network, *args: Any, **kwargs: Any) -> LossStats:
        time.sleep(0.15)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Network, "loss_and_grads", slow)
    window = make_window()
    status, c = window.status, window.controller
    assert status.epoch_label.text() == "Epoch 0"
    window.edits.set_stop_condition("epochs", 2)
    window.menu_actions.train.trigger()
    qtbot.waitUntil(lambda: IN_PROGRESS.match(status.epoch_label.text()) is not None)
    shown = IN_PROGRESS.match(status.epoch_label.text())
    assert shown is not None and shown[1] == "1" and 0 < int(shown[2]) < 100
    # The readout's words and digits: three significant, not "2.4364".
    assert re.fullmatch(
        r"loss so far (\d\.\d\d|0\.\d{3}), accuracy \d+\.\d%", status.metrics_label.text()
    )
    assert status.speed_label.text().endswith("per epoch")
    assert status.eta_label.text().startswith("ETA")
    assert 0 < status.progress.value() < 500  # half of "2 epochs" not done yet
    x, _ = window.plots.loss_plot.within["train_loss"].getData()
    assert 0 < x[-1] < 1
    with qtbot.waitSignal(c.stop_condition_met, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: c.state != "running")
    assert status.epoch_label.text() == "Epoch 2"  # no epoch in progress: as before
    assert status.progress.value() == 1000
