"""``train.bucketing`` in the project file: saved, and absent in files written before it
existed, which then train exactly as they did (no bucketing)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from app.project import load_project, save_project
from tests.project.helpers import add_rival, edit_json, make_project, read_members

WORDS = ("pizza", "sushi", "waffles")
TEXT = "".join(" ".join(WORDS[(k + j) % 3] for j in range(k % 9 + 2)) + "\n" for k in range(30))


def test_bucketing_round_trips(tmp_path: Path) -> None:
    for value in (True, False):
        project = make_project(text=TEXT, bucketing=value)
        path = tmp_path / f"{value}.lstmproj"
        save_project(project, path)
        assert json.loads(read_members(path)["project.json"])["train"]["bucketing"] is value
        assert load_project(path).train.bucketing is value


def test_an_older_file_without_the_key_trains_on_exactly_as_before(tmp_path: Path) -> None:
    old = make_project(epochs=2, text=TEXT, bucketing=False)  # how older versions trained
    add_rival(old)
    path = tmp_path / "old.lstmproj"
    save_project(old, path)

    def forget_bucketing(doc: dict) -> None:
        del doc["train"]["bucketing"]
        del doc["rival"]["train"]["bucketing"]

    edit_json(path, forget_bucketing)
    loaded = load_project(path)
    assert loaded.train.bucketing is False
    assert loaded.rival is not None and loaded.rival.train.bucketing is False
    expected, again = old.make_trainer(), loaded.make_trainer()
    want = [r.train_loss for r in expected.run(3)]
    assert [r.train_loss for r in again.run(3)] == want
    np.testing.assert_array_equal(again.params.buffer, expected.params.buffer)
    # The same file read as a new project (bucketing on) would batch differently.
    bucketed = make_project(epochs=2, text=TEXT, bucketing=True).make_trainer()
    assert [r.train_loss for r in bucketed.run(3)] != want
