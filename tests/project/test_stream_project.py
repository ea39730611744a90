"""A project in stream mode: its split, its file (schema 3) and older files (lines)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.data.errors import DataError
from app.engine.config import ModelConfig, TrainConfig
from app.project import Project, ProjectFileError, load_project, save_project
from tests.project.helpers import (
    add_rival,
    assert_same_project,
    edit_json,
    make_project,
    read_members,
    stop_after,
    write_members,
)

TEXT = "".join(f"line {k} of the poem\n" for k in range(40))


def stream_project(fraction: float = 0.0, window: int = 8, **kwargs: object) -> Project:
    train = TrainConfig(batch_size=3, tbptt_window=window, validation_split=fraction)
    return Project.from_text(TEXT, model=ModelConfig(hidden_size=3), train=train,
                             sequences="stream", **kwargs)  # type: ignore[arg-type]  # fmt: skip


def test_split_holds_out_the_last_fraction_of_the_stream() -> None:
    project = stream_project(0.25)
    data = project.data()
    assert data.stream is not None and data.excerpt_starts is not None
    train_ids, val_ids = project.stream_split(data)
    n = len(data.stream)
    assert len(val_ids) == round(0.25 * n) and len(train_ids) + len(val_ids) == n
    np.testing.assert_array_equal(np.concatenate([train_ids, val_ids]), data.stream)
    train_idx, val_idx = project.split(data)
    assert train_idx + val_idx == list(range(data.n_sequences)) and val_idx
    cut = len(train_ids)
    assert all(data.excerpt_starts[i] < cut for i in train_idx)
    assert all(data.excerpt_starts[i] >= cut for i in val_idx)


def test_without_a_fraction_nothing_is_held_out() -> None:
    project = stream_project()
    train_ids, val_ids = project.stream_split()
    assert len(val_ids) == 0 and len(train_ids) == project.data().n_tokens
    assert project.split()[1] == []


def test_stream_needs_a_window() -> None:
    with pytest.raises(DataError, match="stream mode needs a truncation window of at least 1"):
        stream_project(window=0)
    assert Project.from_text(TEXT, sequences="stream").train.tbptt_window == 64
    with pytest.raises(DataError, match="unknown sequences 'poem'"):
        Project(text=TEXT, sequences="poem")  # type: ignore[arg-type]


def test_the_rival_shares_the_mode() -> None:
    project = add_rival(stream_project())
    assert project.rival_project().sequences == "stream"


def test_round_trip_keeps_the_mode(tmp_path: Path) -> None:
    project = stream_project(0.1)
    save_project(project, tmp_path / "s.lstmproj")
    loaded = load_project(tmp_path / "s.lstmproj")
    assert loaded.sequences == "stream"
    assert_same_project(project, loaded)


def test_bad_mode_or_window_in_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.lstmproj"
    save_project(stream_project(), path)
    edit_json(path, lambda d: d.update(sequences="poem"))
    with pytest.raises(ProjectFileError, match="field sequences: unknown sequences 'poem'"):
        load_project(path)
    edit_json(path, lambda d: d.update(sequences="stream") or d["train"].update(tbptt_window=0))
    with pytest.raises(ProjectFileError, match=r"stream, which needs train\.tbptt_window of at"):
        load_project(path)


def test_a_schema_2_file_reads_as_lines(tmp_path: Path) -> None:
    project = make_project(1)
    path = tmp_path / "p.lstmproj"
    save_project(project, path)

    def as_schema_2(doc: dict[str, object]) -> None:
        doc["schema"] = 2
        del doc["sequences"]

    edit_json(path, as_schema_2)
    loaded = load_project(path)
    assert loaded.sequences == "lines"
    assert_same_project(project, loaded)
    edit_json(path, lambda d: d.update(sequences="lines"))  # schema 2 never had it
    with pytest.raises(ProjectFileError, match=r"unexpected field.* sequences"):
        load_project(path)


@pytest.mark.parametrize(("kind", "stop_at"), [("lstm", 5), ("gru", 12)])
def test_resume_mid_epoch_after_save_is_bit_identical(
    tmp_path: Path, kind: str, stop_at: int
) -> None:
    def fresh() -> Project:
        project = stream_project(0.2)
        project.model = replace(project.model, kind=kind)
        return project

    reference = fresh().make_trainer()
    list(reference.run(3))
    project = fresh()
    first = project.make_trainer()
    stop_after(first, stop_at)
    list(first.run(3))
    assert first.cursor is not None and first.cursor.next_batch > 0
    project.capture(first)
    path = tmp_path / "s.lstmproj"
    save_project(project, path)
    n_state = 2 if kind == "lstm" else 1
    members = read_members(path)
    assert [m for m in members if m.startswith("cursor/")] == [
        "cursor/order.npy",
        *(f"cursor/state_{k}.npy" for k in range(n_state)),
    ]
    resumed = load_project(path).make_trainer()
    list(resumed.run(3 - resumed.epoch))
    np.testing.assert_array_equal(resumed.params.buffer, reference.params.buffer)
    assert [r.val_loss for r in resumed.history] == [r.val_loss for r in reference.history]
    # A file whose cursor lacks the streams' state is damaged.
    del members["cursor/state_0.npy"]
    write_members(path, members)
    with pytest.raises(ProjectFileError, match=r"cursor/state_0\.npy"):
        load_project(path)
