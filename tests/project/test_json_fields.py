"""Every field of project.json is type- and range-checked: wrong values never get through."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.engine.config import MAX_COUNT, MAX_EPOCH
from app.project import Project, ProjectFileError, load_project, save_project
from tests.project.helpers import edit_json, make_project, read_members, write_members


def _refused(path: Path, match: str) -> None:
    with pytest.raises(ProjectFileError, match=match):
        load_project(path)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("schema",), 7, r"newer version \(schema 7\); this app reads up to schema 3 — please"),
        (("format",), "zip", "not an LSTM Playground project"),
        (("trainer", "epoch"), -1, "field trainer.epoch must be an integer from 0"),
        (("trainer", "epoch"), "3", "field trainer.epoch must be an integer .* a string"),
        (("trainer", "epoch"), True, "field trainer.epoch must be an integer"),
        (("model", "kind"), "transformer", "field model: model must be one of lstm, rnn, gru"),
        (("model", "hidden_size"), 3.0, "setting 'hidden_size' must be int"),
        (("train", "learning_rate"), float("nan"), "contains NaN, which is not a JSON number"),
        (("train", "shuffle"), 1, "setting 'shuffle' must be bool"),
        (("seed",), 7, "field seed must be a string"),
        (("seed",), "007", "no leading zeros"),
        (("seed",), "-1", "decimal string"),
        (("title",), None, "field title must be a string"),
        (("ui",), [], "field ui must be a JSON object"),
        (("trainer", "rng", "state"), 5, "field trainer.rng.state must be a decimal string"),
        (("trainer", "rng", "inc"), "2", "must be odd"),
        (("trainer", "rng", "state"), str(2**128), "below 2\\*\\*128"),
        (("trainer", "rng", "bit_generator"), "MT19937", 'must be "PCG64"'),
        (("trainer", "history", 0, "train_loss"), "lots", "must be a number"),
        (("trainer", "history", 0, "epoch"), 9, "out of order or too large"),
        (("trainer", "snapshots", "items", 0, "epoch"), 1, "snapshot epochs must increase"),
        (("trainer", "snapshots", "best_epoch"), 5, "best_epoch must be an integer from 0 to 1"),
        (("trainer", "cursor", "next_batch"), 99, "past the end of the epoch"),
        (("trainer", "optimizer_steps"), 99, "larger than trainer.total_updates"),
        (("trainer", "optimizer_slots"), ["velocity"], "optimizer_slots must be \\['m', 'v'\\]"),
        (("trainer", "parameters", 0, "shape"), [3, 4], "parameters does not match"),
        (("trainer", "surprise"), 1, "unexpected field"),
        (("model", "surprise"), 1, "unexpected field"),
    ],
)
def test_wrong_json_values(trained: Path, path: tuple[Any, ...], value: Any, match: str) -> None:
    edit_json(trained, _set(path, value))
    _refused(trained, match)


def test_missing_json_fields(trained: Path) -> None:
    edit_json(trained, lambda d: d["model"].pop("dtype"))
    _refused(trained, "field model.dtype is missing")


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b'{"format": 1, "format": 2}', "has the key 'format' twice"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"schema": 1' + b"0" * 5000 + b"}", "an integer with thousands of digits"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b"{,}", "not valid JSON"),
        (b"[]", "must be a JSON object"),
    ],
)
def test_malformed_json(tmp_path: Path, raw: bytes, match: str) -> None:
    path = tmp_path / "p.lstmproj"
    write_members(path, {"project.json": raw}, zipfile.ZIP_DEFLATED)
    _refused(path, match)


@pytest.mark.parametrize(
    ("literal", "match"),
    [
        ("1" + "0" * 50, r"field schema must be an integer from 0 to \d+, got an integer$"),
        ("1e999", "field schema must be an integer from 0 to \\d+, got a number out of range"),
    ],
)
def test_numbers_out_of_every_range(trained: Path, literal: str, match: str) -> None:
    members = read_members(trained)
    text = members["project.json"].decode()
    assert '"schema": 3,' in text
    members["project.json"] = text.replace('"schema": 3,', f'"schema": {literal},').encode()
    write_members(trained, members)
    _refused(trained, match)


def test_an_infinite_number_in_a_field_is_refused(trained: Path) -> None:
    members = read_members(trained)
    text = members["project.json"].decode()
    members["project.json"] = text.replace(
        '"total_elapsed": ', '"total_elapsed": 1e999, "x": ', 1
    ).encode()
    write_members(trained, members)
    _refused(
        trained,
        "field trainer.total_elapsed must be a number from 0 to inf, got a number out of range",
    )


WRONG_VALUES = [None, True, -1, 2**60, 0.5, "x", [], {}]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list) and value:
        return [p for k, v in enumerate(value[:2]) for p in _leaves(v, (*path, k))]
    return [path]


def test_any_wrong_value_anywhere_is_refused_or_valid(trained: Path, tmp_path: Path) -> None:
    original = read_members(trained)
    doc = json.loads(original["project.json"])
    paths = [p for p in _leaves(doc) if p[0] != "ui"]
    assert len(paths) > 60
    for path in paths:
        for value in WRONG_VALUES:
            broken = json.loads(original["project.json"])
            _set(path, value)(broken)
            target = tmp_path / "w.lstmproj"
            write_members(target, original | {"project.json": json.dumps(broken).encode()})
            try:
                loaded = load_project(target)
            except ProjectFileError:
                continue
            assert isinstance(loaded, Project)  # e.g. a new title: accepted, and still usable
            loaded.make_trainer()


def test_an_epoch_count_past_32_bits_is_refused_naming_the_field(trained: Path) -> None:
    edit_json(trained, lambda doc: doc["trainer"].update(epoch=2**31))
    with pytest.raises(ProjectFileError, match=r"field trainer\.epoch must be an integer from 0 "
                       r"to 2147483647, got an integer \(2147483648\)"):  # fmt: skip
        load_project(trained)


def test_counters_at_their_limits_load(tmp_path: Path) -> None:
    project = make_project(1)
    state = project.trainer_state
    assert state is not None
    state.epoch, state.total_updates, state.optimizer_steps = MAX_EPOCH, MAX_COUNT, MAX_COUNT
    save_project(project, tmp_path / "full.lstmproj")
    loaded = load_project(tmp_path / "full.lstmproj").trainer_state
    assert loaded is not None and (loaded.epoch, loaded.total_updates) == (MAX_EPOCH, MAX_COUNT)
