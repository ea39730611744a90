"""Builders and a signal recorder shared by the training-bridge tests."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.data import load_preset
from app.engine.network import LossStats, Network
from app.engine.trainer import EpochReport
from app.project.project import Project
from app.training.controller import TrainingController
from app.training.frames import Frame

WAIT_MS = 10_000  # generous: a slow CI machine must never fail a correct run


def dinner_project(**train: Any) -> Project:
    """The dinner preset as a new project, optionally with training settings changed."""
    return preset_project("dinner", **train)


def preset_project(name: str, **train: Any) -> Project:
    """A preset as a new project, optionally with training settings changed."""
    preset = load_preset(name)
    n_symbols = len(preset.data().vocabulary)
    return Project(
        text=preset.text,
        tokenizer=preset.tokenizer.to_string(),
        model=preset.settings.model_config(n_symbols),
        train=replace(preset.settings.train_config(), **train),
        preset=preset.name,
        title=preset.title,
    )


class Recorder:
    """Everything a controller emits, in order."""

    def __init__(self, controller: TrainingController) -> None:
        self.frames: list[Frame] = []
        self.states: list[str] = []
        self.failures: list[str] = []
        self.conditions: list[str] = []
        controller.frame_ready.connect(self.frames.append)
        controller.state_changed.connect(self.states.append)
        controller.failed.connect(self.failures.append)
        controller.stop_condition_met.connect(self.conditions.append)

    def reports(self) -> list[EpochReport]:
        """Reports of every frame since the last one that replaced the history."""
        out: list[EpochReport] = []
        for f in self.frames:
            if f.replaces_history:
                out = []
            out.extend(f.reports)
        return out

    def epochs(self) -> list[int]:
        return [r.epoch for r in self.reports()]


def wait_state(qtbot: QtBot, controller: TrainingController, state: str) -> None:
    """Until the controller is in ``state`` (now or after a signal)."""
    qtbot.waitUntil(lambda: controller.state == state, timeout=WAIT_MS)


def run_epochs(qtbot: QtBot, controller: TrainingController, n: int) -> None:
    """Train exactly ``n`` more epochs through the training process and wait for the stop."""
    controller.set_stop_condition("epochs", n)
    with qtbot.waitSignal(controller.stop_condition_met, timeout=WAIT_MS):
        controller.start()


def break_updates_after(monkeypatch: pytest.MonkeyPatch, k: int, fault: Any) -> None:
    """From the ``k``-th update on, ``fault(stats)`` replaces the loss (or raises)."""
    real = Network.loss_and_grads
    calls = [0]

    def broken(self: Network, *args: Any, **kwargs: Any) -> LossStats:
        stats = real(self, *args, **kwargs)
        calls[0] += 1
        return fault(stats) if calls[0] > k else stats

    monkeypatch.setattr(Network, "loss_and_grads", broken)


def process_gone(pid: int) -> bool:
    """No process ``pid`` runs any more (one that ended but was not reaped yet counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's: a new process that took the number
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[-1].startswith("Z")
    except OSError:  # no /proc (macOS): alive as far as we can tell
        return False
