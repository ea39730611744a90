"""The state map's numbers stay bounded: long lines are cut, a big read-out is never kept."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis.pca import fit_pca
from app.analysis.sequence_view import view_at
from app.analysis.state_map import (
    MAX_LINES,
    MapError,
    Stopped,
    point_budget,
    state_map,
    states_at,
    step_limit,
)
from app.engine.config import ModelConfig
from app.engine.snapshots import Snapshot
from app.project.project import Project


def _project(words: int, per_line: int, lines: int, hidden: int = 8) -> Project:
    vocab = [f"w{i}" for i in range(words)]
    text = "\n".join(
        " ".join(vocab[(k * per_line + j) % words] for j in range(per_line)) for k in range(lines)
    )
    return Project.from_text(text, "words", model=ModelConfig(hidden_size=hidden))


def _untrained(project: Project) -> tuple[object, Snapshot, object]:
    network, params = project.weights()
    return network, Snapshot(epoch=0, weights=params.buffer.copy()), project.data()


@pytest.mark.parametrize("seed", range(20))
def test_step_limit_is_the_largest_that_fits(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 400, size=rng.integers(1, 40)).tolist()
    budget = int(rng.integers(len(lengths), 3000))
    limit = step_limit(lengths, budget)
    if sum(lengths) <= budget:
        assert limit is None
        return
    assert limit is not None
    assert sum(min(n, limit) for n in lengths) <= budget
    assert sum(min(n, limit + 1) for n in lengths) > budget  # the largest such limit


def test_long_lines_are_cut_to_the_budget_and_keep_their_states() -> None:
    project = _project(words=50, per_line=3000, lines=4)
    network, snap, data = _untrained(project)
    m = state_map(network, snap, data, [0, 1, 2, 3])
    assert m is not None
    budget = point_budget(network)
    assert m.steps_cut == budget // 4 and len(m.coords) == 4 * m.steps_cut <= budget
    # The kept steps are the lines' first steps, with the states of the whole run.
    whole = view_at(network, snap, data, 2)
    start, stop = m.spans[2]
    states = states_at(network, snap, data, [0, 1, 2, 3])
    np.testing.assert_allclose(states.hidden[start:stop], whole.hidden[: m.steps_cut])
    np.testing.assert_array_equal(m.predicted[start:stop], whole.probs[: m.steps_cut].argmax(1))
    np.testing.assert_allclose(m.confidence[start:stop], whole.probs[: m.steps_cut].max(1))


def test_many_lines_are_cut_to_the_first() -> None:
    project = _project(words=20, per_line=2, lines=MAX_LINES + 30)
    network, snap, data = _untrained(project)
    m = state_map(network, snap, data, list(range(data.n_sequences)))
    assert m is not None and len(m.spans) == MAX_LINES and m.lines_cut == 30


def test_a_wide_network_over_a_big_vocabulary_gets_fewer_points() -> None:
    small = point_budget(_untrained(_project(words=30, per_line=3, lines=2))[0])
    wide = point_budget(_untrained(_project(words=4096, per_line=4096, lines=1, hidden=512))[0])
    assert wide < small


def test_nan_weights_raise_a_map_error_naming_them() -> None:
    network, snap, data = _untrained(_project(words=10, per_line=5, lines=3))
    weights = snap.weights.copy()
    weights[:7] = np.nan
    with pytest.raises(MapError, match=r"^the weights hold NaN \(7 of "):
        state_map(network, Snapshot(epoch=3, weights=weights), data, [0, 1])


def test_should_stop_stops_between_chunks() -> None:
    network, snap, data = _untrained(_project(words=4096, per_line=512, lines=8, hidden=16))
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(Stopped):
        state_map(network, snap, data, [0, 1], should_stop=stop)
    assert len(asked) == 2


def test_pca_of_fewer_points_than_dimensions_matches_svd() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 40)) * np.linspace(5, 0.1, 40)
    pca = fit_pca(X, k=3)
    _, s, Vt = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
    for got, want in zip(pca.components, Vt[:3], strict=True):
        assert abs(got @ want) == pytest.approx(1.0)
    np.testing.assert_allclose(pca.explained_variance_ratio, (s**2 / (s**2).sum())[:3])


def test_pca_fits_a_bounded_sample() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(50_000, 6)) * np.array([9.0, 3.0, 1.0, 1.0, 1.0, 1.0])
    pca = fit_pca(X)
    assert abs(pca.components[0] @ np.eye(6)[0]) == pytest.approx(1.0, abs=1e-3)
    assert abs(pca.components[1] @ np.eye(6)[1]) == pytest.approx(1.0, abs=1e-2)
