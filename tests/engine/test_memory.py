"""Memory per batch: the estimate bounds the real peak, evaluation works in bounded
pieces, and a batch too big to train is refused before anything big is allocated."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from app.engine import memory
from app.engine.batch import make_batch
from app.engine.config import ModelConfig, TrainConfig
from app.engine.memory import BatchTooBig, batch_bytes, evaluation_chunks, training_problem
from app.engine.trainer import Trainer
from tests.engine.conftest import KINDS, make_network, random_params, random_sequences


def _peak(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("vocab", "hidden"), [(300, 8), (8, 96)])
def test_the_estimate_bounds_the_measured_peak(
    kind: str, dtype: str, vocab: int, hidden: int
) -> None:
    network = make_network(kind, vocab=vocab, hidden=hidden, dtype=dtype)
    params = random_params(network, seed=1)
    grads = network.new_params()
    sequences = random_sequences(2, vocab, [101, 60, 101, 80])  # padded: T = 100, B = 4
    batch = make_batch(sequences)
    _ = batch.rows, batch.row_targets
    evaluate = _peak(lambda: network.evaluate(params, batch))
    # Twice: the second update runs with the first one's scratch arrays still held.
    train = _peak(lambda: [network.loss_and_grads(params, batch, grads) for _ in range(2)])
    for peak, training in ((evaluate, False), (train, True)):
        estimate = batch_bytes(network, 100, 4, training)
        assert peak <= estimate <= 2 * peak, (training, peak, estimate)


def test_evaluation_runs_are_the_fixed_ones_while_they_fit() -> None:
    network = make_network("lstm", vocab=20, hidden=8)
    lengths = [int(n) for n in np.random.default_rng(0).integers(2, 50, size=1000)]
    runs = evaluation_chunks(network, lengths, max_sequences=256)
    assert runs == [(s, min(s + 256, 1000)) for s in range(0, 1000, 256)]


def test_evaluation_runs_stay_within_the_budget() -> None:
    network = make_network("gru", vocab=200, hidden=8)
    lengths = [int(n) for n in np.random.default_rng(1).integers(2, 400, size=300)]
    lengths[7] = 5_000  # needs more than the budget on its own: runs alone
    budget = 2_000_000
    runs = evaluation_chunks(network, lengths, max_sequences=256, budget=budget)
    assert [k for run in runs for k in range(*run)] == list(range(300))
    for start, stop in runs:
        need = batch_bytes(network, max(lengths[start:stop]) - 1, stop - start, False)
        assert need <= budget or stop - start == 1
    assert (7, 8) in runs


def test_evaluation_memory_does_not_grow_with_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "EVALUATION_CHUNK_BYTES", 5_000_000)  # one sequence at a time
    model = ModelConfig(kind="lstm", vocab_size=1000, hidden_size=4)
    few = random_sequences(3, 1000, [200] * 2)
    many = random_sequences(4, 1000, [200] * 12)
    trainer = Trainer(model, TrainConfig(batch_size=2), few)
    peaks = [_peak(lambda s=s: trainer.evaluate(s)) for s in (few, many)]  # type: ignore[misc]
    assert peaks[1] < 1.2 * peaks[0]
    assert peaks[1] <= batch_bytes(trainer.network, 199, 1, training=False) < 5_000_000
    pieces = trainer.evaluate(many)
    monkeypatch.setattr(memory, "EVALUATION_CHUNK_BYTES", 10**12)
    assert _peak(lambda: trainer.evaluate(many)) > 5 * peaks[1]  # all 12 at once, as before
    one_run = trainer.evaluate(many)
    assert pieces.n_tokens == one_run.n_tokens and pieces.correct == one_run.correct
    assert pieces.loss_sum == pytest.approx(one_run.loss_sum, rel=1e-12)


def test_a_batch_too_big_is_refused_before_training(monkeypatch: pytest.MonkeyPatch) -> None:
    model = ModelConfig(kind="lstm", vocab_size=50, hidden_size=4)
    sequences = random_sequences(5, 50, [300, 20, 20])
    need = batch_bytes(make_network("lstm", 50, 4), 299, 2, training=True)
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", need - 1)
    with pytest.raises(BatchTooBig) as refused:
        Trainer(model, TrainConfig(batch_size=2), sequences)
    message = str(refused.value)
    assert isinstance(refused.value, ValueError)  # what project, CLI and window catch
    assert message.startswith("One training batch needs about ")
    assert "2 sequences × 300 symbols (the longest line) × 50 distinct symbols" in message
    assert "lower the batch size" in message and "\n" not in message
    Trainer(model, TrainConfig(batch_size=1), sequences)  # half the batch fits
    monkeypatch.setattr(memory, "TRAINING_BATCH_BUDGET_BYTES", need)
    Trainer(model, TrainConfig(batch_size=2), sequences)


def test_a_long_validation_line_counts_too() -> None:
    network = make_network("rnn", 100, 4)
    need = batch_bytes(network, 999, 2, training=True)  # as if trained with the 2 others
    assert training_problem(network, 8, [10, 10], [1000], budget=need) is None
    assert training_problem(network, 8, [10, 10], [1001], budget=need) is not None


def test_the_real_size_case_is_refused_at_once_without_allocating() -> None:
    vocab, lines, words = 4096, 40, 10_000
    sequences = random_sequences(6, vocab, [words] * lines)
    model = ModelConfig(kind="lstm", vocab_size=vocab, hidden_size=16)
    tracemalloc.start()
    try:
        with pytest.raises(BatchTooBig, match=r"40 sequences × 10,000 symbols .* 4,096 distinct"):
            Trainer(model, TrainConfig(batch_size=40), sequences)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # the weights are not even built; one batch would be ~29 GB
