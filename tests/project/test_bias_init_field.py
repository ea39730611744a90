"""A model's ``bias_init`` in the project file: always written; a file from before the
setting existed reads as ``"zero"``, the scheme it was made with, whatever today's
default is (docs/FORMAT.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.engine.config import ModelConfig
from app.engine.network import Network
from app.engine.trainer import initial_params
from app.project import ProjectFileError, RivalModel, load_project, save_project
from tests.project.helpers import edit_json, make_project, read_members


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(read_members(path)["project.json"])


@pytest.mark.parametrize("scheme", ["zero", "torch", "torch+forget"])
def test_the_scheme_round_trips_for_both_models(tmp_path: Path, scheme: str) -> None:
    project = make_project()
    project.model = replace(project.model, bias_init=scheme)
    project.rival = RivalModel(ModelConfig(kind="gru", bias_init=scheme), project.train)
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    doc = _doc(path)
    assert doc["model"]["bias_init"] == doc["rival"]["model"]["bias_init"] == scheme
    loaded = load_project(path)
    assert loaded.model.bias_init == scheme
    assert loaded.rival is not None and loaded.rival.model.bias_init == scheme
    fresh = loaded.make_trainer().params.buffer
    assert np.array_equal(fresh, initial_params(Network(project.model), project.seed).buffer)


def test_a_file_without_the_field_reads_as_zero_and_starts_as_it_did(tmp_path: Path) -> None:
    project = make_project()
    project.model = replace(project.model, bias_init="torch+forget")  # not what old files had
    project.rival = RivalModel(ModelConfig(kind="rnn", bias_init="torch"), project.train)
    path = tmp_path / "old.lstmproj"
    save_project(project, path)

    def drop(doc: dict[str, Any]) -> None:
        del doc["model"]["bias_init"], doc["rival"]["model"]["bias_init"]

    edit_json(path, drop)
    loaded = load_project(path)
    assert loaded.model.bias_init == "zero"
    assert loaded.rival is not None and loaded.rival.model.bias_init == "zero"
    b = loaded.make_trainer().params["b"]  # zero biases, the forget gate's 1: as before
    H = loaded.model.hidden_size
    assert (b[:H] == 1.0).all() and (b[H:] == 0).all()


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("xavier", "field model: bias init must be one of zero, torch, torch\\+forget"),
        (0, "setting 'bias_init' must be str, got 0"),
    ],
)
def test_a_bad_scheme_in_the_file_is_one_line(tmp_path: Path, value: Any, match: str) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    edit_json(path, lambda doc: doc["model"].update(bias_init=value))
    with pytest.raises(ProjectFileError, match=match) as info:
        load_project(path)
    assert "\n" not in str(info.value)
