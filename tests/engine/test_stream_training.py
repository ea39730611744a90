"""Stream training: contiguous streams read in windows, the state carried (truncated BPTT)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.engine import stream as stream_module
from app.engine.batch import make_batch
from app.engine.config import ModelConfig, TrainConfig
from app.engine.memory import stream_training_problem
from app.engine.network import LossStats, Network
from app.engine.optim import clip_global_norm, make_optimizer
from app.engine.stream import StreamLayout, evaluate_stream, stream_view, window_batch
from app.engine.trainer import Trainer, initial_params

VOCAB = 5


def ids(n: int, seed: int = 0) -> np.ndarray:
    """A text with structure (a repeating pattern with noise): there is something to learn."""
    rng = np.random.default_rng(seed)
    pattern = np.resize(np.array([0, 1, 2, 3, 4, 2]), n)
    noise = rng.random(n) < 0.1
    return np.where(noise, rng.integers(0, VOCAB, n), pattern).astype(np.int64)


def make_stream_trainer(
    kind: str = "lstm", n: int = 103, window: int = 4, batch: int = 3, **train: Any
) -> Trainer:
    model = ModelConfig(kind=kind, vocab_size=VOCAB, hidden_size=4)
    config = TrainConfig(batch_size=batch, tbptt_window=window, learning_rate=0.05, **train)
    return Trainer(model, config, [ids(n)], seed=3, stream=True)


def test_layout_cuts_the_text_into_overlapping_streams() -> None:
    layout = StreamLayout.of(103, batch_size=3, window=4)
    assert (layout.streams, layout.steps, layout.windows) == (3, 34, 9)
    text = np.arange(103)
    view = stream_view(text, layout)
    assert view.shape == (35, 3)
    for b in range(3):  # stream b reads ids[b·L : (b+1)·L + 1]: neighbours share a symbol
        np.testing.assert_array_equal(view[:, b], text[b * 34 : (b + 1) * 34 + 1])
    spans = [layout.span(k) for k in range(layout.windows)]
    assert spans[0] == (0, 4) and spans[-1] == (32, 34)  # the last window is shorter
    batch = window_batch(view, *spans[-1])
    assert batch.inputs.shape == (2, 3) and batch.n_tokens == 6
    np.testing.assert_array_equal(batch.targets[:, 0], text[33:35])
    # Short texts: fewer streams than the batch size, never fewer than one.
    assert StreamLayout.of(2, 32, 64).streams == 1 and StreamLayout.of(2, 32, 64).steps == 1
    assert StreamLayout.of(9, 32, 64).streams == 4


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_an_epoch_equals_a_hand_written_loop_with_the_state_carried(kind: str) -> None:
    trainer = make_stream_trainer(kind, clip_norm=1.0)
    reports = list(trainer.run(2))

    network = Network(trainer.model_config)
    params = initial_params(network, 3)
    grads = params.zeros_like()
    optimizer = make_optimizer(params.buffer.size, params.dtype, trainer.train_config)
    layout = StreamLayout.of(103, 3, 4)
    view = stream_view(ids(103), layout)
    for report in reports:
        state, loss_sum, updates = None, 0.0, 0
        for t0 in range(0, 34, 4):
            batch = window_batch(view, t0, min(t0 + 4, 34))
            stats = network.loss_and_grads(params, batch, grads, 0, state)
            state = network.last_state
            clip_global_norm(grads.buffer, 1.0)
            optimizer.step(params.buffer, grads.buffer, 0.05)
            loss_sum, updates = loss_sum + stats.loss_sum, updates + 1
        assert report.updates == updates == 9
        assert report.train_loss == loss_sum / 102
    np.testing.assert_array_equal(trainer.params.buffer, params.buffer)


def run_with_stop_after(trainer: Trainer, updates: int, epochs: int) -> None:
    real, calls = trainer.network.loss_and_grads, 0

    def counting(*args: Any, **kwargs: Any) -> LossStats:
        nonlocal calls
        calls += 1
        if calls == updates:
            trainer.request_stop()
        return real(*args, **kwargs)

    trainer.network.loss_and_grads = counting  # type: ignore[method-assign]
    try:
        list(trainer.run(epochs))
    finally:
        del trainer.network.loss_and_grads


@pytest.mark.parametrize(("kind", "updates"), [("lstm", 5), ("gru", 9), ("rnn", 13)])
def test_resume_mid_epoch_is_bit_identical(kind: str, updates: int) -> None:
    reference = make_stream_trainer(kind, validation_split=0.0)
    list(reference.run(3))
    first = make_stream_trainer(kind)
    run_with_stop_after(first, updates, 3)
    state = first.export_state()
    assert state.cursor is not None and state.cursor_state is not None
    assert state.cursor["next_batch"] == updates % 9
    assert [a.shape for a in state.cursor_state] == [(3, 4)] * (2 if kind == "lstm" else 1)
    resumed = make_stream_trainer(kind)
    resumed.load_state(state)
    list(resumed.run(3 - resumed.epoch))
    np.testing.assert_array_equal(resumed.params.buffer, reference.params.buffer)
    assert [r.train_loss for r in resumed.history] == [r.train_loss for r in reference.history]
    # A state without the streams' state, or for other streams, is refused.
    with pytest.raises(ValueError, match="lacks the streams' state"):
        make_stream_trainer(kind).load_state(
            state.__class__(**{**vars(state), "cursor_state": None})
        )
    with pytest.raises(ValueError, match="streams' state has shape"):
        make_stream_trainer(kind, batch=2).load_state(state)


def test_evaluation_in_pieces_equals_one_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    trainer = make_stream_trainer(n=200, window=3)
    list(trainer.run(1))
    layout = StreamLayout.of(200, 3, 3)
    whole = trainer.network.evaluate(
        trainer.params, make_batch(list(stream_view(ids(200), layout).T))
    )
    monkeypatch.setattr(stream_module, "EVALUATION_STEPS", 5)  # many pieces of 5 steps
    pieces = evaluate_stream(trainer.network, trainer.params, ids(200), 3, 3)
    assert (
        (pieces.n_tokens, pieces.correct) == (whole.n_tokens, whole.correct) == (198, whole.correct)
    )
    assert pieces.loss_sum == pytest.approx(whole.loss_sum, rel=1e-12)
    assert trainer.metrics_of(trainer.params)["train_loss"] == pytest.approx(whole.loss, rel=1e-12)


def test_validation_is_its_own_stream() -> None:
    model = ModelConfig(vocab_size=VOCAB, hidden_size=4)
    config = TrainConfig(batch_size=3, tbptt_window=4)
    text = ids(130)
    trainer = Trainer(model, config, [text[:100]], [text[100:]], seed=3, stream=True)
    report = next(trainer.run(1))
    alone = evaluate_stream(trainer.network, trainer.params, text[100:], 3, 4)
    assert report.val_loss == alone.loss and alone.n_tokens == 27  # 3 streams × 9 steps


def test_memory_is_judged_by_the_window_not_the_text() -> None:
    network = Network(ModelConfig(vocab_size=VOCAB, hidden_size=4))
    assert stream_training_problem(network, 32, 64) is None
    message = stream_training_problem(network, 32, 64, budget=1000)
    assert message is not None and "32 streams × 64 steps per window" in message
    # A text far longer than any line allowed trains, as its windows are small.
    model = ModelConfig(vocab_size=VOCAB, hidden_size=4)
    config = TrainConfig(batch_size=2, tbptt_window=8)
    Trainer(model, config, [ids(30_000)], stream=True, measure_start=False)


def test_progress_counts_windows_and_predictions() -> None:
    trainer = make_stream_trainer()
    seen: list[Any] = []
    list(trainer.run(1, on_progress=seen.append, progress_every_s=0.0))
    assert [p.updates for p in seen] == list(range(1, 10))
    assert {(p.updates_in_epoch, p.symbols_in_epoch) for p in seen} == {(9, 102)}
    assert seen[-1].symbols == 102


def test_a_stream_learns() -> None:
    trainer = make_stream_trainer(n=600, window=8, batch=4)
    reports = list(trainer.run(15))
    assert reports[-1].train_loss < 0.6 * reports[0].train_loss
