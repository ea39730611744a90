"""Save → load gives back the same project, and training resumes bit for bit."""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.config import ModelConfig, TrainConfig
from app.project import (
    FILE_EXTENSION,
    SCHEMA_VERSION,
    Project,
    ProjectFileError,
    RivalModel,
    _document,
    load_project,
    save_project,
)
from tests.project.helpers import (
    assert_same_project,
    edit_json,
    make_project,
    read_members,
    same,
    stop_after,
    write_members,
)

SYMBOLS = {"words": ["a", "b", "cat", ".", "é"], "chars": list("abxé"), "sep:,": ["a", "b b", "c"]}
JOIN = {"words": " ", "chars": "", "sep:,": ","}
plain_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | plain_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(plain_text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def projects(draw: st.DrawFn) -> Project:
    tokenizer = draw(st.sampled_from(sorted(SYMBOLS)))
    symbols = st.lists(st.sampled_from(SYMBOLS[tokenizer]), min_size=2, max_size=5)
    lines = draw(st.lists(symbols, min_size=1, max_size=5))
    text = "\n".join(JOIN[tokenizer].join(line) for line in lines) + draw(st.sampled_from("\n "))
    model = ModelConfig(
        kind=draw(st.sampled_from(["lstm", "rnn", "gru"])),
        hidden_size=draw(st.integers(1, 4)),
        dtype=draw(st.sampled_from(["float64", "float32"])),
    )
    train = TrainConfig(
        optimizer=draw(st.sampled_from(["adam", "sgd", "rmsprop", "adagrad"])),
        learning_rate=draw(st.sampled_from([0.01, 0.3])),
        batch_size=draw(st.integers(1, 3)),
        tbptt_window=draw(st.integers(0, 2)),
        validation_split=draw(st.sampled_from([0.0, 0.3, 0.5])),
        shuffle=draw(st.booleans()),
    )
    project = Project.from_text(
        text,
        tokenizer,
        model,
        train,
        seed=draw(st.integers(0, 9) | st.integers(0, 2**128 - 1)),
        title=draw(plain_text),
        description=draw(plain_text),
        preset=draw(st.none() | plain_text),
        ui=draw(st.dictionaries(plain_text, json_values, max_size=4)),
    )
    _train(draw, project)
    if draw(st.booleans()):  # a second model: its own shape and settings, same data and seed
        project.rival = RivalModel(
            replace(
                project.model,
                kind=draw(st.sampled_from(["lstm", "rnn", "gru"])),
                hidden_size=draw(st.integers(1, 4)),
                dtype=draw(st.sampled_from(["float64", "float32"])),
            ),
            replace(
                project.train,
                optimizer=draw(st.sampled_from(["adam", "sgd"])),
                validation_split=draw(st.sampled_from([0.0, 0.5])),
            ),
        )
        rival = project.rival_project()
        _train(draw, rival)
        project.set_rival_from(rival)
    return project


def _train(draw: st.DrawFn, project: Project) -> None:
    epochs = draw(st.integers(0, 3))
    if epochs:
        trainer = project.make_trainer()
        if draw(st.booleans()):
            stop_after(trainer, draw(st.integers(1, 4)))  # may land mid-epoch
        list(trainer.run(epochs))
        project.capture(trainer)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_save_load_round_trip(project: Project) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"p{FILE_EXTENSION}"
        save_project(project, path)
        loaded = load_project(path)
        assert_same_project(project, loaded)
        save_project(loaded, Path(folder) / "again.lstmproj")  # same bytes the second time
        assert path.read_bytes() == (Path(folder) / "again.lstmproj").read_bytes()


def _strip_times(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    timing = {"elapsed", "total_elapsed", "updates_per_second"}
    return [{k: v for k, v in h.items() if k not in timing} for h in history]


def _assert_same_training(a: Any, b: Any) -> None:
    sa, sb = a.export_state(), b.export_state()
    assert same(sa.params, sb.params)
    assert same(sa.optimizer_state, sb.optimizer_state)
    assert sa.optimizer_steps == sb.optimizer_steps
    assert sa.rng_state == sb.rng_state
    assert same(_strip_times(sa.history), _strip_times(sb.history))
    assert same(sa.snapshot_weights, sb.snapshot_weights)
    assert sa.snapshot_epochs == sb.snapshot_epochs


CONFIGS = [
    ("lstm", "float64", "adam", {}),
    ("gru", "float32", "sgd", {"validation_split": 0.4}),
    ("rnn", "float64", "rmsprop", {"tbptt_window": 2}),
    ("lstm", "float32", "adagrad", {"batch_size": 1}),
]
LONG_TEXT = "".join(f"{'a b c d e'[k % 3 :]} a\n" for k in range(7))


@pytest.mark.parametrize(("kind", "dtype", "optimizer", "extra"), CONFIGS)
@pytest.mark.parametrize("stop_at", [None, 3, 5])
def test_resume_after_save_is_bit_identical(
    tmp_path: Path,
    kind: str,
    dtype: str,
    optimizer: str,
    extra: dict[str, Any],
    stop_at: int | None,
) -> None:
    epochs = 4
    reference = make_project(0, kind, dtype, optimizer, LONG_TEXT, **extra).make_trainer()
    list(reference.run(epochs))

    project = make_project(0, kind, dtype, optimizer, LONG_TEXT, **extra)
    first = project.make_trainer()
    if stop_at is None:
        list(first.run(2))
    else:  # stop in the middle of an epoch: the cursor must survive the file
        stop_after(first, stop_at)
        list(first.run(epochs))
        assert first.cursor is not None and first.cursor.next_batch > 0
    project.capture(first)
    save_project(project, tmp_path / "p.lstmproj")

    resumed = load_project(tmp_path / "p.lstmproj").make_trainer()
    list(resumed.run(epochs - resumed.epoch))
    assert resumed.epoch == reference.epoch == epochs
    _assert_same_training(reference, resumed)


def test_untrained_project_has_only_json(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    save_project(make_project(), path)
    assert list(read_members(path)) == ["project.json"]
    doc = json.loads(read_members(path)["project.json"])
    assert doc["format"] == "lstm-playground-project" and doc["schema"] == SCHEMA_VERSION
    assert doc["trainer"] is None and doc["vocabulary"] == ["pizza", "sushi", "waffles"]


def test_layout_of_a_trained_project(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    project = make_project(2, "gru")
    trainer = project.make_trainer()
    stop_after(trainer, 1)
    list(trainer.run(1))
    project.capture(trainer)
    save_project(project, path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        methods = {i.filename: i.compress_type for i in zf.infolist()}
    assert names == [
        "project.json",
        *(f"weights/{n}.npy" for n in ("Wx", "Wh", "b", "bhn", "Wy", "by")),
        "optimizer/m.npy",
        "optimizer/v.npy",
        "cursor/order.npy",
        "snapshots/000000.npy",
        "snapshots/000001.npy",
        "snapshots/000002.npy",
    ]
    assert methods["project.json"] == zipfile.ZIP_DEFLATED
    assert methods["weights/Wx.npy"] == zipfile.ZIP_STORED


def test_non_finite_weights_and_metrics_are_kept_exactly(tmp_path: Path) -> None:
    # The trainer's NaN guard only fires on the next batch, so an epoch can end with
    # non-finite weights in its snapshot: the format stores such values bit for bit.
    project = make_project(2)
    state = project.trainer_state
    assert state is not None
    state.params["Wx"][0, :3] = [np.nan, np.inf, -np.inf]
    state.snapshot_weights[-1][:2] = np.nan
    state.optimizer_state["v"][5] = np.inf
    state.snapshot_metrics[-1]["val_loss"] = float("inf")
    state.history[-1]["train_loss"] = float("nan")
    save_project(project, tmp_path / "p.lstmproj")
    assert_same_project(project, load_project(tmp_path / "p.lstmproj"))


def test_archives_rezipped_with_deflate_still_load(tmp_path: Path) -> None:
    path = tmp_path / "p.lstmproj"
    project = make_project(0)
    project.capture(project.make_trainer())  # all-zero optimiser state: ~1000:1 deflated
    save_project(project, path)
    write_members(path, read_members(path), zipfile.ZIP_DEFLATED)
    assert_same_project(project, load_project(path))


def _to_v0(doc: dict[str, Any]) -> None:
    """A made-up schema 0: "name" instead of "title", and no "ui" yet."""
    doc["schema"] = 0
    doc["name"] = doc.pop("title")
    del doc["ui"]
    del doc["rival"]  # came with schema 2
    del doc["sequences"]  # came with schema 3


def _v0_to_v1(doc: dict[str, Any]) -> dict[str, Any]:
    new = {k: v for k, v in doc.items() if k != "name"}
    return new | {"schema": 1, "title": doc["name"], "ui": {}}


def test_older_schema_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.lstmproj"
    project = make_project(1)
    project.ui = {}
    save_project(project, path)
    edit_json(path, _to_v0)
    with pytest.raises(ProjectFileError, match="schema 0, which this version cannot read"):
        load_project(path)
    monkeypatch.setitem(_document.MIGRATIONS, 0, _v0_to_v1)
    assert_same_project(project, load_project(path))


def test_a_migration_that_forgets_the_version_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.lstmproj"
    save_project(make_project(), path)
    edit_json(path, _to_v0)
    monkeypatch.setitem(_document.MIGRATIONS, 0, lambda doc: doc)
    with pytest.raises(ProjectFileError, match="migrating from schema 0 failed"):
        load_project(path)
