"""Small builders shared by the engine tests: networks, perturbed weights, batches, presets."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from app.engine.batch import Batch, make_batch
from app.engine.config import ModelConfig, TrainConfig
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.trainer import Trainer

KINDS = ("lstm", "rnn", "gru")


def make_network(kind: str, vocab: int = 5, hidden: int = 4, dtype: str = "float64") -> Network:
    return Network(ModelConfig(kind=kind, vocab_size=vocab, hidden_size=hidden, dtype=dtype))


def random_params(network: Network, seed: int, scale: float = 0.5) -> ParamSet:
    """The seed's initial weights plus N(0, scale²) noise, so no bias or gate is trivial."""
    rng = np.random.default_rng(seed)
    params = network.init_params(rng)
    noise = rng.normal(0.0, scale, size=params.buffer.size)
    params.buffer[...] = params.buffer + noise.astype(params.dtype)
    return params


def random_sequences(seed: int, vocab: int, lengths: Sequence[int]) -> list[np.ndarray]:
    """Random id sequences of the given lengths; the first uses every symbol at least once."""
    rng = np.random.default_rng(seed + 1000)
    seqs = [rng.integers(0, vocab, size=n) for n in lengths]
    if lengths[0] >= vocab:
        seqs[0][:vocab] = rng.permutation(vocab)
    return seqs


def random_batch(seed: int, vocab: int, lengths: Sequence[int] = (8, 3, 6, 2)) -> Batch:
    """A padded batch: sequences of different lengths, so padding is present."""
    return make_batch(random_sequences(seed, vocab, lengths))


def grads_of(network: Network, params: ParamSet, batch: Batch, window: int = 0) -> ParamSet:
    grads = params.zeros_like()
    network.loss_and_grads(params, batch, grads, window)
    return grads


def finite_difference(
    loss: Callable[[], float], buffer: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Central differences of ``loss()`` with respect to every entry of ``buffer`` (in place)."""
    out = np.empty(buffer.size, dtype=np.float64)
    for k in range(buffer.size):
        old = buffer[k]
        buffer[k] = old + eps
        plus = loss()
        buffer[k] = old - eps
        minus = loss()
        buffer[k] = old
        out[k] = (plus - minus) / (2 * eps)
    return out


# -- presets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PresetData:
    name: str
    ids: list[np.ndarray]
    symbols: tuple[str, ...]
    model: ModelConfig
    train: TrainConfig
    epochs: int

    def encode(self, words: str) -> np.ndarray:
        return np.array([self.symbols.index(w) for w in words.split()], dtype=np.int64)

    def decode(self, ids: np.ndarray) -> str:
        return " ".join(self.symbols[i] for i in ids)


@functools.cache
def preset(name: str) -> PresetData:
    """A bundled preset's sequences and its recommended (LSTM) settings."""
    from app.data.presets import load_preset

    loaded = load_preset(name)
    data = loaded.data()
    settings = loaded.settings
    return PresetData(
        name=name,
        ids=list(data.ids),
        symbols=tuple(data.vocabulary),
        model=settings.model_config(len(data.vocabulary)),
        train=settings.train_config(),
        epochs=settings.epochs,
    )


def epochs_to_perfect(trainer: Trainer, max_epochs: int) -> int | None:
    """Train until :meth:`Trainer.evaluate` scores every training prediction right.

    Returns the epoch at which that first happened, or None if it never did.
    """
    if trainer.evaluate(trainer.train_sequences).accuracy == 1.0:
        return trainer.epoch
    for report in trainer.run(max_epochs):
        assert report.stop_reason is None, report.stop_reason
        if trainer.evaluate(trainer.train_sequences).accuracy == 1.0:
            return report.epoch
    return None


@functools.cache
def trained(name: str, kind: str, seed: int, dtype: str = "float64") -> tuple[Trainer, int | None]:
    """A trainer run for the preset's recommended epochs, and when it first hit 100%."""
    p = preset(name)
    trainer = Trainer(replace(p.model, kind=kind, dtype=dtype), p.train, p.ids, seed=seed)
    first = epochs_to_perfect(trainer, p.epochs)
    reports = list(trainer.run(p.epochs - trainer.epoch))
    assert all(r.stop_reason is None for r in reports)
    return trainer, first
