"""Views at a stored epoch come from that epoch's weights, not the live model."""

from __future__ import annotations

import threading
import time

import numpy as np

from app.analysis.sequence_view import make_sequence_view, snapshot_params, view_at
from app.data.presets import load_preset
from app.engine.trainer import initial_params
from app.project.project import Project


def _project() -> Project:
    preset = load_preset("dinner")
    return Project.from_text(preset.text, preset.tokenizer.to_string(), seed=3)


def test_view_at_snapshot_zero_is_the_initial_network() -> None:
    project = _project()
    trainer = project.make_trainer()
    data = project.data()
    list(trainer.run(5))
    snap = trainer.snapshots.nearest(0)
    assert snap.epoch == 0
    view = view_at(trainer.network, snap, data, 2)
    initial = initial_params(trainer.network, project.seed)
    expected = make_sequence_view(
        trainer.network, initial, data.ids[2], data.tokens[2], data.vocabulary.symbols, 2, 0
    )
    np.testing.assert_array_equal(view.probs, expected.probs)
    live = make_sequence_view(
        trainer.network, trainer.params, data.ids[2], data.tokens[2], data.vocabulary.symbols, 2, 5
    )
    assert not np.array_equal(view.probs, live.probs)


def test_latest_snapshot_matches_live_weights_and_stays_read_only() -> None:
    project = _project()
    trainer = project.make_trainer()
    list(trainer.run(4))
    snap = trainer.snapshots.nearest(10**9)
    assert snap.epoch == 4
    np.testing.assert_array_equal(snap.weights, trainer.params.buffer)
    assert not snap.weights.flags.writeable
    params = snapshot_params(trainer.network, snap)
    params.buffer[0] += 1.0  # a copy: the stored snapshot is untouched
    assert snap.weights[0] != params.buffer[0]
    view = view_at(trainer.network, snap, project.data(), 99)  # clamped to the last line
    assert view.index == project.data().n_sequences - 1


def test_snapshots_can_be_read_while_another_thread_trains() -> None:
    project = _project()
    trainer = project.make_trainer()
    errors: list[BaseException] = []

    def train() -> None:
        try:
            list(trainer.run(100))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=train)
    worker.start()
    seen = 0
    while worker.is_alive():
        for snap in trainer.snapshots.snapshots():
            assert snap.weights.shape == trainer.params.buffer.shape
            seen += 1
        trainer.snapshots.nearest(seen % 100)
        time.sleep(0.0005)  # a reader that polls, as a view does, not one that hogs the GIL
    worker.join()
    assert not errors
    assert seen > 0
    assert len(trainer.snapshots) <= trainer.snapshots.capacity


def test_a_stream_is_shown_as_excerpts_and_lines_as_sequences() -> None:
    """The views' headings say "excerpt" for a text read as one stream."""
    for mode, noun in (("lines", "sequence"), ("stream", "excerpt")):
        project = Project.from_text("a b c\nc b a\na c b\n", sequences=mode)
        trainer = project.make_trainer(measure_start=False)
        data = project.data()
        view = view_at(trainer.network, trainer.snapshots.snapshots()[0], data, 0)
        assert view.noun == noun
