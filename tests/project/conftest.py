"""Fixtures shared by the project-file tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.project import save_project
from tests.project.helpers import make_project, stop_after


@pytest.fixture
def trained(tmp_path: Path) -> Path:
    """A saved project stopped mid-epoch, so every kind of member is present."""
    project = make_project(1)
    trainer = project.make_trainer()
    stop_after(trainer, 1)
    list(trainer.run(1))
    project.capture(trainer)
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    return path
