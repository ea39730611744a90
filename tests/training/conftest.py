"""Fixtures for the training-bridge tests: a dinner project and a controller that shuts down."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.training.controller import TrainingController
from app.training.process import process_mode
from tests.training.helpers import Recorder

MODES = ["process", "thread"] if process_mode() else ["thread"]


@pytest.fixture(params=MODES)
def controller(qtbot: QtBot, request: pytest.FixtureRequest) -> Iterator[TrainingController]:
    """A controller whose worker thread is always ended after the test, training in a
    child process and (every test again) on the worker thread, where both are possible."""
    c = TrainingController(in_process=request.param == "process")
    yield c
    assert c.shutdown(5000), "the worker thread did not end"


@pytest.fixture
def recorder(controller: TrainingController) -> Recorder:
    return Recorder(controller)
