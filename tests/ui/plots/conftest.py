"""Fixtures for the plot widget tests: hand-built sequence views and epoch reports."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections.abc import Callable

import numpy as np
import pytest

from app.analysis.sequence_view import SequenceView, make_sequence_view
from app.engine.config import ModelConfig
from app.engine.network import Network
from app.engine.trainer import EpochReport, initial_params
from app.ui.plots.demo import synthetic_view
from tests.reports import report, reports


@pytest.fixture
def make_report() -> Callable[..., EpochReport]:
    return report


@pytest.fixture
def make_reports() -> Callable[..., list[EpochReport]]:
    return reports


@pytest.fixture
def make_view() -> Callable[..., SequenceView]:
    """Random values of the right shapes: ``make_view(kind, steps, hidden, vocab, seed)``."""
    return synthetic_view


@pytest.fixture
def network_view() -> Callable[[str], SequenceView]:
    """A view from a real (untrained) network, through the training layer's own function."""

    def build(kind: str) -> SequenceView:
        vocabulary = ("Doug", "saw", "Jane", "Spot", ".")
        tokens = ("Doug", "saw", "Jane", ".", "Jane", "saw", "Spot", ".")
        network = Network(ModelConfig(kind=kind, vocab_size=len(vocabulary), hidden_size=6))
        ids = np.array([vocabulary.index(t) for t in tokens])
        return make_sequence_view(
            network, initial_params(network, 3), ids, tokens, vocabulary, 0, 0
        )

    return build
