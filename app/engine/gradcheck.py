"""Finite-difference gradient checking: the engine's first line of defence."""

from __future__ import annotations

import numpy as np

from app.engine.batch import Batch
from app.engine.network import Network
from app.engine.params import ParamSet


def numerical_gradient(
    network: Network, params: ParamSet, batch: Batch, eps: float = 1e-6
) -> ParamSet:
    """Central differences of the mean loss for every parameter (slow; float64 only)."""
    grads = params.zeros_like()
    flat = params.buffer
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        plus = network.evaluate(params, batch).loss
        flat[k] = old - eps
        minus = network.evaluate(params, batch).loss
        flat[k] = old
        grads.buffer[k] = (plus - minus) / (2 * eps)
    return grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``‖a − b‖ / max(‖a‖ + ‖b‖, tiny)``: scale-free distance between two gradients."""
    denom = max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-30)
    return float(np.linalg.norm(a - b)) / denom
