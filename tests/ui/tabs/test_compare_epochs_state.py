"""The comparison's saved state, which stored epochs it shows, and the view cache."""

from __future__ import annotations

import pytest

from app.analysis.epoch_cache import ViewCache, view_bytes
from app.data.presets import load_preset
from app.project import Project
from app.ui.tabs.compare_epochs.state import (
    CompareState,
    replay_next,
    replay_start,
    resolve,
)

EPOCHS = [0, 4, 8, 12, 13]  # thinned: every 4th, plus the latest


def test_round_trip_and_defaults() -> None:
    state = CompareState(sequence=2, epoch_a=4, epoch_b=12, follow=False, speed=8.0, show="cell")
    assert CompareState.from_ui(state.to_ui()) == state
    assert CompareState.from_ui(None) == CompareState()
    assert CompareState.from_ui({}) == CompareState()


@pytest.mark.parametrize(
    "junk",
    [{"epoch_a": -1}, {"epoch_a": 2.5}, {"epoch_a": True}, {"epoch_b": "7"}, {"follow": 1},
     {"speed": float("nan")}, {"speed": "fast"}, {"show": ""}, {"show": 3}, {"sequence": -2},
     {"sequence": [1]}, {"epoch_a": 10**20}],
)  # fmt: skip
def test_junk_fields_fall_back_one_by_one(junk: dict[str, object]) -> None:
    state = CompareState.from_ui({"epoch_b": 9, **junk})
    default = CompareState()
    for name in junk:
        assert getattr(state, name) == getattr(default, name)
    if "epoch_b" not in junk:
        assert state.epoch_b == 9  # the good fields are kept


def test_speed_is_clamped() -> None:
    assert CompareState.from_ui({"speed": 1e9}).speed == 60.0
    assert CompareState.from_ui({"speed": 0}).speed == 0.5


def test_resolve_and_replay() -> None:
    state = CompareState(epoch_a=5, epoch_b=9, follow=True)
    assert resolve(state, "a", EPOCHS) == 4
    assert resolve(state, "b", EPOCHS) == 13  # following the latest
    assert resolve(CompareState(epoch_b=9, follow=False), "b", EPOCHS) == 8
    assert replay_start(EPOCHS, 13) == 0  # at the end: from the start
    assert replay_start(EPOCHS, 8) == 8  # half-way: resume
    assert replay_start([0], 0) is None
    assert [replay_next(EPOCHS, e) for e in EPOCHS] == [4, 8, 12, 13, None]


def test_view_cache_reuses_views_and_stays_within_its_budget() -> None:
    preset = load_preset("dinner")
    project = Project.from_text(preset.text, preset.tokenizer.to_string())
    trainer = project.make_trainer()
    list(trainer.run(6))
    data = project.data()
    snaps = trainer.snapshots.snapshots()
    one = view_bytes(ViewCache().get(trainer.network, data, snaps[0], 0))
    cache = ViewCache(size=64, budget_bytes=3 * one)
    first = cache.get(trainer.network, data, snaps[0], 0)
    assert cache.get(trainer.network, data, snaps[0], 0) is first  # the same snapshot: reused
    for snap in snaps:
        cache.get(trainer.network, data, snap, 0)
    assert len(cache) == 3 and cache.nbytes == 3 * one
    assert cache.computed == len(snaps)
    trainer.reset()  # new snapshot objects: epoch 0 is computed afresh
    again = cache.get(trainer.network, data, trainer.snapshots.nearest(0), 0)
    assert again is not first and cache.computed == len(snaps) + 1


def test_line_labels_read_as_the_text_was_typed() -> None:
    """Words join with no space before a full stop; characters join with nothing."""
    from app.project import Project
    from app.ui.tabs.compare_epochs.controls import sequence_labels

    words = Project.from_text("Doug saw Jane. Jane saw Spot.\nSpot saw Doug.\n", "words")
    assert sequence_labels(words.data(), words)[:2] == [
        "line 1: Doug saw Jane. Jane saw Spot.",
        "line 2: Spot saw Doug.",
    ]
    chars = Project.from_text("ab.c\nabd.\n", "chars")
    assert sequence_labels(chars.data(), chars)[0] == "line 1: ab.c"
