"""Fixtures for the training-bridge tests: a dinner project and a controller that shuts down."""

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
    """A controller whose worker thread is always ended after the test."""
    c = TrainingController()
    yield c
    assert c.shutdown(5000), "the worker thread did not end"


@pytest.fixture
def recorder(controller: TrainingController) -> Recorder:
    return Recorder(controller)
