"""A model's ``clamp`` in the project file: saved when set, absent when not (so files
without it, old and new, read as before), checked on load with one-line errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.engine.config import ModelConfig
from app.project import ProjectFileError, RivalModel, load_project, save_project
from tests.project.helpers import edit_json, make_project, read_members


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(read_members(path)["project.json"])


def test_a_clamped_model_round_trips_and_trains_clamped(tmp_path: Path) -> None:
    project = make_project()
    project.model = replace(project.model, clamp=(("forget", 1.0), ("output", 1.0)))
    project.rival = RivalModel(ModelConfig(kind="gru", clamp=(("update", 0.5),)), project.train)
    path = tmp_path / "clamped.lstmproj"
    save_project(project, path)
    doc = _doc(path)
    assert doc["model"]["clamp"] == {"forget": 1.0, "output": 1.0}
    assert doc["rival"]["model"]["clamp"] == {"update": 0.5}
    loaded = load_project(path)
    assert loaded.model.clamp == (("forget", 1.0), ("output", 1.0))
    assert loaded.rival is not None and loaded.rival.model.clamp == (("update", 0.5),)
    trainer = loaded.make_trainer()
    list(trainer.run(2))
    trace = trainer.network.forward(trainer.params, np.array([[0], [1]]))
    assert (trace.gates["forget"] == 1).all() and (trace.gates["output"] == 1).all()


def test_without_a_clamp_the_file_has_no_clamp_field(tmp_path: Path) -> None:
    path = tmp_path / "plain.lstmproj"
    save_project(make_project(1), path)
    assert "clamp" not in _doc(path)["model"]  # older versions read it as before
    assert load_project(path).model.clamp == ()


def test_an_explicit_empty_clamp_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    edit_json(path, lambda doc: doc["model"].update(clamp={}))
    assert load_project(path).model.clamp == ()


@pytest.mark.parametrize(
    ("clamp", "match"),
    [
        ({"forget": 1.5}, r"field model: clamp: the forget gate's value must be from 0 to 1"),
        ({"reset": 1}, "field model: clamp: the LSTM has no reset gate"),
        ({"forget": "1"}, "must be a number from 0 to 1"),
        ([["forget", 1]], "setting 'clamp' must map gate names to values"),
    ],
)
def test_a_bad_clamp_in_the_file_is_one_line(tmp_path: Path, clamp: Any, match: str) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    edit_json(path, lambda doc: doc["model"].update(clamp=clamp))
    with pytest.raises(ProjectFileError, match=match) as info:
        load_project(path)
    assert "\n" not in str(info.value)
