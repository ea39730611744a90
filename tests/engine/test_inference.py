"""Next-symbol distributions and generation, including the "away for two weeks" roll-out."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from app.engine.batch import make_batch
from app.engine.inference import generate, next_distribution, trace_sequence
from tests.engine.conftest import (
    KINDS,
    make_network,
    preset,
    random_params,
    random_sequences,
    trained,
)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", KINDS)
def test_next_distribution_is_a_step_of_the_batched_forward(kind: str, dtype: str) -> None:
    network = make_network(kind, vocab=6, hidden=5, dtype=dtype)
    params = random_params(network, 21)
    seqs = random_sequences(21, vocab=6, lengths=(8, 3, 6))
    probs = network.forward(params, make_batch(seqs).inputs).probs  # (T, B, V)
    rtol = 1e-12 if dtype == "float64" else 1e-5
    for b, seq in enumerate(seqs):
        for t in range(len(seq) - 1):
            p = next_distribution(network, params, seq[: t + 1])
            assert p.shape == (6,) and p.min() >= 0
            assert p.sum() == pytest.approx(1.0, rel=rtol)
            np.testing.assert_allclose(p, probs[t, b], rtol=rtol, atol=rtol * 1e-2)


def test_trace_sequence_refuses_an_empty_prefix() -> None:
    network = make_network("lstm")
    params = random_params(network, 0)
    with pytest.raises(ValueError, match="at least one symbol"):
        trace_sequence(network, params, np.array([], dtype=np.int64))
    with pytest.raises(ValueError):
        next_distribution(network, params, np.array([[1, 2]]))


@pytest.mark.parametrize("kind", KINDS)
def test_greedy_generation_is_the_argmax_chain(kind: str) -> None:
    network = make_network(kind, vocab=6, hidden=5)
    params = random_params(network, 22, scale=1.5)
    prefix = np.array([1, 4, 2])
    out = generate(network, params, prefix, 12)
    again = generate(network, params, prefix, 12)
    np.testing.assert_array_equal(out.ids, again.ids)
    np.testing.assert_array_equal(out.probs, again.probs)
    assert out.ids.shape == (12,) and out.probs.shape == (12, 6)
    # Each generated symbol is the most likely one given everything before it,
    # recomputed from scratch on the whole prefix (no state carried over).
    ids = list(prefix)
    for k in range(12):
        p = next_distribution(network, params, np.array(ids))
        np.testing.assert_allclose(out.probs[k], p, rtol=1e-12)
        assert out.ids[k] == int(np.argmax(p))
        ids.append(out.ids[k])


def test_generating_nothing() -> None:
    network = make_network("gru")
    out = generate(network, random_params(network, 0), np.array([1]), 0)
    assert out.ids.shape == (0,) and out.probs.shape == (0, 5)


def test_sampling_is_reproducible_with_a_seeded_generator() -> None:
    network = make_network("lstm", vocab=6, hidden=5)
    params = random_params(network, 23)
    prefix = np.array([0, 3])

    def sample(seed: int, temperature: float = 1.0) -> np.ndarray:
        rng = np.random.default_rng(seed)
        return generate(network, params, prefix, 40, temperature, rng).ids

    np.testing.assert_array_equal(sample(1), sample(1))
    assert not np.array_equal(sample(1), sample(2))
    assert len(set(sample(3, temperature=2.0))) > 1


def test_low_temperature_is_greedy_and_high_temperature_spreads() -> None:
    network = make_network("rnn", vocab=6, hidden=5)
    params = random_params(network, 24, scale=1.5)
    prefix = np.array([2])
    greedy = generate(network, params, prefix, 30).ids
    cold = generate(network, params, prefix, 30, 1e-3, np.random.default_rng(0)).ids
    np.testing.assert_array_equal(cold, greedy)

    # Sampling at temperature T draws from p^(1/T), renormalised: check the frequencies
    # of the first symbol (always drawn from the prefix's distribution).
    p = next_distribution(network, params, prefix)
    rng = np.random.default_rng(1)
    wants = []
    for temperature in (0.5, 1.0, 3.0):
        firsts = [
            generate(network, params, prefix, 1, temperature, rng).ids[0] for _ in range(1500)
        ]
        freq = np.bincount(firsts, minlength=6) / len(firsts)
        want = p ** (1 / temperature)
        want /= want.sum()
        np.testing.assert_allclose(freq, want, atol=0.04)  # about 4 standard errors
        wants.append(want)
    # ... and the three targets are far enough apart for that tolerance to tell them apart.
    assert min(np.abs(a - b).max() for a, b in itertools.pairwise(wants)) > 0.08


@pytest.mark.parametrize("temperature", [-0.5, float("nan"), float("inf"), -float("inf")])
def test_bad_temperatures_are_refused(temperature: float) -> None:
    network = make_network("lstm")
    params = random_params(network, 0)
    with pytest.raises(ValueError, match="temperature"):
        generate(network, params, np.array([1]), 3, temperature, np.random.default_rng(0))


def test_sampling_needs_a_generator_and_n_must_not_be_negative() -> None:
    network = make_network("lstm")
    params = random_params(network, 0)
    with pytest.raises(ValueError, match="random generator"):
        generate(network, params, np.array([1]), 3, temperature=1.0)
    with pytest.raises(ValueError, match="≥ 0"):
        generate(network, params, np.array([1]), -1)


# -- "we were away for two weeks": feed predictions back in ------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_dinner_roll_out_continues_the_cycle(kind: str) -> None:
    trainer, _ = trained("dinner", kind, 0)
    p = preset("dinner")
    out = generate(trainer.network, trainer.params, p.encode("waffles"), 30)
    cycle = ("pizza", "sushi", "waffles")
    assert p.decode(out.ids) == " ".join(cycle[k % 3] for k in range(30))
    assert out.probs.max(axis=1).min() > 0.9  # sure of every step


@pytest.mark.parametrize(
    ("name", "kind", "prefix", "pattern"),
    [
        ("dinner-memory", "lstm", "pizza sushi", "waffles sushi pizza sushi"),
        ("dinner-memory", "gru", "waffles sushi", "pizza sushi waffles sushi"),
        ("doug-jane-spot", "lstm", "Spot saw", "Doug . Doug saw Jane . Jane saw Spot . Spot saw"),
    ],
)
def test_roll_out_needs_memory(name: str, kind: str, prefix: str, pattern: str) -> None:
    """After "sushi" (or "saw") the right answer depends on two steps back."""
    trainer, _ = trained(name, kind, 0)
    p = preset(name)
    n = 3 * len(pattern.split())
    out = generate(trainer.network, trainer.params, p.encode(prefix), n)
    assert p.decode(out.ids) == " ".join([pattern] * 3)


def test_sampled_roll_out_of_a_sure_model_is_the_greedy_one() -> None:
    trainer, _ = trained("dinner", "lstm", 0)
    p = preset("dinner")
    greedy = generate(trainer.network, trainer.params, p.encode("pizza"), 20)
    sampled = generate(
        trainer.network, trainer.params, p.encode("pizza"), 20, 0.5, np.random.default_rng(0)
    )
    np.testing.assert_array_equal(sampled.ids, greedy.ids)
