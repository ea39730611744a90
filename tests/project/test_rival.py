"""The second model ("rival") in the file: round trip, schema-1 files, and hostile rivals."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.engine.trainer import initial_params
from app.project import Project, ProjectFileError, RivalModel, _zipread, load_project, save_project
from tests.project.helpers import (
    add_rival,
    assert_same_project,
    edit_json,
    make_project,
    npy_bytes,
    read_members,
    same,
    stop_after,
    write_members,
)


def _refused(path: Path, match: str) -> None:
    with pytest.raises(ProjectFileError, match=match):
        load_project(path)


@pytest.fixture
def with_rival(tmp_path: Path) -> Path:
    """A saved project whose trained RNN rival stopped mid-epoch: every rival member."""
    project = add_rival(make_project(2), epochs=1)
    rival = project.rival_project()
    trainer = rival.make_trainer()
    stop_after(trainer, 1)
    list(trainer.run(1))
    rival.capture(trainer)
    project.set_rival_from(rival)
    path = tmp_path / "p.lstmproj"
    save_project(project, path)
    return path


def test_rival_round_trip_and_layout(with_rival: Path, tmp_path: Path) -> None:
    loaded = load_project(with_rival)
    assert loaded.rival is not None and loaded.rival.model.kind == "rnn"
    state = loaded.rival.trainer_state
    assert state is not None and state.epoch == 1 and state.cursor is not None
    names = list(read_members(with_rival))
    rival_names = [n for n in names if n.startswith("rival/")]
    assert names[: len(names) - len(rival_names)][-1].startswith("snapshots/")  # main first
    assert rival_names == [
        *(f"rival/weights/{n}.npy" for n in ("Wx", "Wh", "b", "Wy", "by")),
        "rival/optimizer/m.npy",
        "rival/optimizer/v.npy",
        "rival/cursor/order.npy",
        "rival/snapshots/000000.npy",
        "rival/snapshots/000001.npy",
    ]
    save_project(loaded, tmp_path / "again.lstmproj")
    assert (tmp_path / "again.lstmproj").read_bytes() == with_rival.read_bytes()
    assert_same_project(loaded, load_project(tmp_path / "again.lstmproj"))


def test_rival_resumes_bit_identical(with_rival: Path) -> None:
    """Save → load → train on gives the same rival as never saving."""
    reference = add_rival(make_project(2)).rival_project().make_trainer()
    list(reference.run(3))
    resumed = load_project(with_rival).rival_project().make_trainer()
    list(resumed.run(3 - resumed.epoch))
    a, b = reference.export_state(), resumed.export_state()
    assert same(a.params, b.params) and same(a.snapshot_weights, b.snapshot_weights)
    assert a.rng_state == b.rng_state


def test_untrained_rival_has_no_arrays(tmp_path: Path) -> None:
    project = add_rival(make_project(0), kind="gru", hidden_size=5)
    save_project(project, tmp_path / "p.lstmproj")
    assert list(read_members(tmp_path / "p.lstmproj")) == ["project.json"]
    doc = json.loads(read_members(tmp_path / "p.lstmproj")["project.json"])
    assert doc["rival"]["trainer"] is None and doc["rival"]["model"]["kind"] == "gru"
    loaded = load_project(tmp_path / "p.lstmproj")
    assert_same_project(project, loaded)
    # Same seed: a fresh rival starts from exactly the seed's weights for its shape.
    network, params = loaded.rival_project().weights()
    assert np.array_equal(params.buffer, initial_params(network, project.seed).buffer)


def _as_schema_1(doc: dict[str, Any]) -> None:
    """What the schema-1 writer wrote: the same document without ``rival``."""
    doc["schema"] = 1
    del doc["rival"]
    del doc["sequences"]  # came with schema 3


def test_schema_1_file_loads_without_rival(trained: Path) -> None:
    expected = load_project(trained)
    edit_json(trained, _as_schema_1)
    loaded = load_project(trained)
    assert loaded.rival is None
    assert_same_project(expected, loaded)


def test_schema_1_file_built_by_hand(tmp_path: Path) -> None:
    """A schema-1 document written out field by field, as version 1 of the app did."""
    project = make_project(1)
    state = project.trainer_state
    assert state is not None
    save_project(project, tmp_path / "v2.lstmproj")  # schema 3 now: v1 fields are picked
    members = read_members(tmp_path / "v2.lstmproj")
    v2 = json.loads(members["project.json"])
    v1_fields = ["format", "schema", "app_version", "title", "description", "preset", "seed",
                 "model", "train", "tokenizer", "vocabulary", "text", "ui", "trainer"]  # fmt: skip
    v1 = {k: v2[k] for k in v1_fields} | {"schema": 1}
    assert set(v2) - set(v1) == {"rival", "sequences"}
    members["project.json"] = json.dumps(v1).encode()
    write_members(tmp_path / "v1.lstmproj", members, zipfile.ZIP_DEFLATED)
    loaded = load_project(tmp_path / "v1.lstmproj")
    assert loaded.rival is None
    assert_same_project(project, loaded)


def test_schema_1_with_a_rival_field_or_rival_members_is_refused(with_rival: Path) -> None:
    members = read_members(with_rival)
    edit_json(with_rival, lambda d: d.update(schema=1))
    _refused(with_rival, "unexpected field.* rival")
    edit_json(with_rival, _as_schema_1)
    _refused(with_rival, "unexpected member 'rival/")
    write_members(with_rival, {k: v for k, v in members.items() if not k.startswith("rival/")})
    edit_json(with_rival, _as_schema_1)
    assert load_project(with_rival).rival is None


def _replace(path: Path, name: str, data: bytes) -> None:
    write_members(path, read_members(path) | {name: data})


@pytest.mark.parametrize(
    ("array", "match"),
    [
        (np.zeros((3, 3)), r"'rival/weights/Wx.npy' has shape \(3, 3\), expected \(3, 2\)"),
        (np.zeros((3, 2), np.float32), "'rival/weights/Wx.npy' has dtype '<f4', expected '<f8'"),
        (np.array([object()] * 6, dtype=object).reshape(3, 2), "holds Python objects"),
    ],
)
def test_wrong_rival_arrays(with_rival: Path, array: np.ndarray, match: str) -> None:
    _replace(with_rival, "rival/weights/Wx.npy", npy_bytes(array, allow_pickle=True))
    _refused(with_rival, match)


def test_rival_members_must_match_its_document(with_rival: Path) -> None:
    members = read_members(with_rival)
    write_members(with_rival, {k: v for k, v in members.items() if k != "rival/optimizer/v.npy"})
    _refused(with_rival, "missing the array 'rival/optimizer/v.npy'")
    write_members(
        with_rival, members | {"rival/snapshots/000002.npy": members["snapshots/000002.npy"]}
    )
    _refused(with_rival, "unexpected member 'rival/snapshots/000002.npy'")
    write_members(with_rival, members)
    edit_json(with_rival, lambda d: d["rival"].update(trainer=None))
    _refused(with_rival, "unexpected member 'rival/")


def test_rival_snapshot_shape_follows_its_own_model(with_rival: Path) -> None:
    main_snapshot = read_members(with_rival)["snapshots/000000.npy"]  # an LSTM's, longer
    _replace(with_rival, "rival/snapshots/000000.npy", main_snapshot)
    _refused(with_rival, r"'rival/snapshots/000000.npy' has shape \(\d+,\), expected \(21,\)")


def test_rival_cursor_order_must_be_a_permutation(with_rival: Path) -> None:
    order = np.load(io.BytesIO(read_members(with_rival)["rival/cursor/order.npy"]))
    _replace(with_rival, "rival/cursor/order.npy", npy_bytes(np.zeros_like(order)))
    _refused(with_rival, "'rival/cursor/order.npy' is not an ordering")


def _set(*path: Any, value: Any) -> Any:
    def edit(doc: dict[str, Any]) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("rival",), [], "field rival must be a JSON object"),
        (("rival", "model", "vocab_size"), 4, "the second model \\(rival\\) was built for 4"),
        (("rival", "model", "kind"), "transformer", "field rival.model: model must be one of"),
        (("rival", "train", "learning_rate"), -1, "field rival.train: learning rate"),
        (("rival", "surprise"), 1, "unexpected field.* rival.surprise"),
        (("rival", "trainer", "epoch"), -1, "field rival.trainer.epoch must be an integer"),
        (("rival", "trainer", "parameters", 0, "shape"), [3, 4], "rival.trainer.parameters"),
        (("rival", "trainer", "optimizer_slots"), ["sum"], "rival.trainer.optimizer_slots"),
        (("rival", "trainer", "history", 0, "epoch"), 5, "rival.trainer.history\\[0\\].epoch"),
        (("rival", "trainer", "cursor", "next_batch"), 99, "rival.trainer.cursor.next_batch"),
        (("rival", "trainer", "optimizer_steps"), 99, "rival.trainer.optimizer_steps is larger"),
        (("rival", "trainer", "rng", "inc"), "2", "field rival.trainer.rng.inc must be odd"),
    ],
)
def test_wrong_rival_fields(
    with_rival: Path, path: tuple[Any, ...], value: Any, match: str
) -> None:
    edit_json(with_rival, _set(*path, value=value))
    _refused(with_rival, match)


def test_rival_must_be_present_in_schema_2(with_rival: Path) -> None:
    edit_json(with_rival, lambda d: d.pop("rival"))
    _refused(with_rival, "field rival is missing")
    edit_json(with_rival, lambda d: d.update(rival={"model": {}, "train": {}}))
    _refused(with_rival, "field rival.model.kind is missing")


def test_saving_refuses_a_malformed_rival(tmp_path: Path) -> None:
    project = make_project(1)
    project.rival = "an RNN"  # type: ignore[assignment]
    with pytest.raises(ProjectFileError, match=r"project\.rival must be a RivalModel"):
        save_project(project, tmp_path / "p.lstmproj")
    add_rival(project, kind="rnn")
    assert project.rival is not None
    bad = RivalModel(project.rival.model.__class__(vocab_size=9), project.rival.train)
    project.rival = bad
    with pytest.raises(ProjectFileError, match="was built for 9"):
        save_project(project, tmp_path / "p.lstmproj")
    assert not (tmp_path / "p.lstmproj").exists()


def test_saving_refuses_more_members_than_loading_reads(
    with_rival: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = load_project(with_rival)
    from app.project import fileformat

    limit = len(read_members(with_rival)) - 1
    monkeypatch.setattr(fileformat, "MAX_MEMBERS", limit)
    with pytest.raises(ProjectFileError, match=f"members; the limit is {limit}"):
        save_project(project, tmp_path / "big.lstmproj")
    monkeypatch.setattr(_zipread, "MAX_MEMBERS", limit)
    _refused(with_rival, f"members; the limit is {limit}")


def test_rival_project_shares_text_and_seed() -> None:
    project = add_rival(make_project(0), kind="lstm", hidden_size=4, learning_rate=0.1)
    rival = project.rival_project()
    assert isinstance(rival, Project)
    assert (rival.text, rival.tokenizer, rival.seed) == (project.text, project.tokenizer, 7)
    assert rival.model.hidden_size == 4 and rival.train.learning_rate == 0.1
    with pytest.raises(ValueError, match="no second model"):
        make_project(0).rival_project()


def test_cli_info_names_the_second_model(
    with_rival: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import run

    assert run(["info", str(with_rival)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].split(None, 2)[2] == "RNN, hidden size 2, 1 epochs trained"
    assert out[-1].startswith("Second model:")
