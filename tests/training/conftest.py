"""Fixtures for the training-bridge tests: a dinner project and controllers that shut down.

``controller`` trains in a real training process (spawned, as in the app).  Tests that
inject faults into the engine with ``monkeypatch`` (a NaN, an exception) cannot reach
into another process, so they use ``thread_controller``: the same server code
(:func:`app.training.process.serve`) on a thread of the test's own process.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.training.controller import TrainingController
from tests.training.helpers import Recorder


@pytest.fixture
def controller(qtbot: QtBot) -> Iterator[TrainingController]:
    """Trains in a training process, which must be gone after the test."""
    c = TrainingController(thread=False)
    yield c
    assert c.shutdown(5000), "the training process did not end"


@pytest.fixture
def thread_controller(qtbot: QtBot) -> Iterator[TrainingController]:
    """Trains on a thread of this process (for faults injected with monkeypatch)."""
    c = TrainingController(thread=True)
    yield c
    assert c.shutdown(5000), "the training thread did not end"


@pytest.fixture
def recorder(controller: TrainingController) -> Recorder:
    return Recorder(controller)


@pytest.fixture
def thread_recorder(thread_controller: TrainingController) -> Recorder:
    return Recorder(thread_controller)
