"""Fixtures for the analysis tests (no Qt): hand-built epoch reports."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.engine.trainer import EpochReport
from tests.reports import report, reports


@pytest.fixture
def make_reports() -> Callable[..., list[EpochReport]]:
    return reports


@pytest.fixture
def make_report() -> Callable[..., EpochReport]:
    return report
