"""Using a trained network: next-symbol distributions and generation.

Generation feeds each predicted symbol back in as the next input — the lecture's
"we were away for two weeks" roll-out, where yesterday's prediction stands in for
what we did not see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.intervene import Intervention, run_intervened
from app.engine.network import Network, State, Trace
from app.engine.params import ParamSet


def trace_sequence(
    network: Network, params: ParamSet, ids: np.ndarray, intervention: Intervention | None = None
) -> Trace:
    """Forward one sequence (B = 1) keeping every step: ``probs[t, 0]`` follows ``ids[t]``.

    With an ``intervention`` (see :mod:`app.engine.intervene`) the run is experimented on.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError("a prefix needs at least one symbol")
    if intervention is None or intervention.is_empty:
        return network.forward(params, ids[:, None])
    return run_intervened(network, params, ids[:, None], intervention)


def next_distribution(network: Network, params: ParamSet, ids: np.ndarray) -> np.ndarray:
    """Distribution ``(V,)`` of the symbol that follows the prefix ``ids``."""
    return trace_sequence(network, params, ids).probs[-1, 0].copy()


@dataclass(frozen=True)
class Generated:
    """Generated ids and, for each, the distribution it was drawn from (``(N, V)``)."""

    ids: np.ndarray
    probs: np.ndarray


def generate(
    network: Network,
    params: ParamSet,
    prefix: np.ndarray,
    n: int,
    temperature: float = 0.0,
    rng: np.random.Generator | None = None,
    intervention: Intervention | None = None,
) -> Generated:
    """Continue ``prefix`` by ``n`` symbols.

    ``temperature`` 0 is greedy (always the most likely symbol); above 0 the
    distribution ``p^(1/T)`` (renormalised) is sampled with ``rng``: below 1 sharper,
    above 1 more adventurous.  An ``intervention`` applies to the prefix and to every
    generated step (its ``wipe_after`` counts steps from the prefix's first symbol).
    """
    if n < 0:
        raise ValueError("the number of symbols to generate must be ≥ 0")
    if not np.isfinite(temperature) or temperature < 0:
        raise ValueError("temperature must be ≥ 0 (0 = greedy)")
    if temperature > 0 and rng is None:
        raise ValueError("sampling with a temperature needs a random generator")
    if intervention is not None and intervention.is_empty:
        intervention = None
    trace = trace_sequence(network, params, prefix, intervention)
    start = trace.inputs.shape[0]
    probs = trace.probs[-1, 0]
    state: State = trace.final_state
    out_ids = np.empty(n, dtype=np.int64)
    out_probs = np.empty((n, network.config.vocab_size), dtype=np.float64)
    for k in range(n):
        out_probs[k] = probs
        out_ids[k] = _pick(probs, temperature, rng)
        ids = out_ids[k : k + 1, None]
        if intervention is None:
            step = network.forward(params, ids, state)
        else:
            step = run_intervened(network, params, ids, intervention, state, start + k)
        probs, state = step.probs[-1, 0], step.final_state
    return Generated(ids=out_ids, probs=out_probs)


def _pick(probs: np.ndarray, temperature: float, rng: np.random.Generator | None) -> int:
    if temperature == 0 or rng is None:
        return int(np.argmax(probs))
    with np.errstate(divide="ignore", over="ignore"):
        log_p = np.log(probs.astype(np.float64))
        # Shift before dividing: every value is ≤ 0, so even a tiny temperature gives
        # 0 for the likeliest symbol and -inf (weight 0) elsewhere, never inf - inf.
        logits = (log_p - log_p.max()) / temperature
    weights = np.exp(logits)
    total = weights.sum()
    if not total > 0:  # NaN predictions (from weights too large to compute with): no draw;
        return int(np.argmax(probs))  # the caller sees the NaN in the probabilities it gets
    weights /= total
    return int(rng.choice(len(weights), p=weights))
