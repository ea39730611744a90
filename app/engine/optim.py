"""Optimisers over one flat parameter buffer, plus global-norm gradient clipping.

Each optimiser keeps its state as named flat arrays (``state``) and a step counter,
so a project file can store it and training resumes bit for bit.
"""

from __future__ import annotations

import numpy as np

from app.engine.config import TrainConfig

BLOCK = 1 << 15
"""Parameters per block of an update: the five arrays an Adam update touches then take
5 × 256 KB in float64, which stays in a core's cache."""


class Optimizer:
    """Base class: ``step(params, grads, lr)`` updates ``params`` in place."""

    name = ""
    slots: tuple[str, ...] = ()

    def __init__(self, size: int, dtype: np.dtype, config: TrainConfig):
        self.config = config
        self.steps = 0
        self.state = {slot: np.zeros(size, dtype=dtype) for slot in self.slots}
        self._tmp = np.empty(size, dtype=dtype)

    def step(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        """One update, a cache-sized block of the buffer at a time.

        An update makes about a dozen elementwise passes over the parameters, the
        gradient and the state; over a buffer larger than the cache each pass comes from
        main memory again.  Block by block, the passes after the first read from cache
        (Adam on 1 M float64 parameters: 8.5 → 7.5 ms per update).  Each element goes
        through exactly the same operations either way: the results are bit for bit the
        same.
        """
        self.steps += 1
        size = params.size
        for start in range(0, size, BLOCK):
            block = slice(start, min(start + BLOCK, size))
            state = {slot: values[block] for slot, values in self.state.items()}
            self._update(params[block], grads[block], lr, state, self._tmp[block])

    def _update(
        self,
        params: np.ndarray,
        grads: np.ndarray,
        lr: float,
        state: dict[str, np.ndarray],
        tmp: np.ndarray,
    ) -> None:
        """Update one block: ``state`` and ``tmp`` are the same block of the state and
        of a scratch array."""
        raise NotImplementedError


class SGD(Optimizer):
    """``v ← μ v + g``; ``θ ← θ − lr · v`` (PyTorch's momentum form; μ = 0 is plain SGD)."""

    name = "sgd"
    slots = ("velocity",)

    def _update(
        self,
        params: np.ndarray,
        grads: np.ndarray,
        lr: float,
        state: dict[str, np.ndarray],
        tmp: np.ndarray,
    ) -> None:
        v = state["velocity"]
        v *= self.config.momentum
        v += grads
        np.multiply(v, lr, out=tmp)
        params -= tmp


class Adam(Optimizer):
    """Adam (Kingma & Ba): β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with bias correction."""

    name = "adam"
    slots = ("m", "v")
    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def _update(
        self,
        params: np.ndarray,
        grads: np.ndarray,
        lr: float,
        state: dict[str, np.ndarray],
        tmp: np.ndarray,
    ) -> None:
        m, v = state["m"], state["v"]
        m *= self.beta1
        np.multiply(grads, 1 - self.beta1, out=tmp)
        m += tmp
        v *= self.beta2
        np.multiply(grads, grads, out=tmp)
        tmp *= 1 - self.beta2
        v += tmp
        step_size = lr * np.sqrt(1 - self.beta2**self.steps) / (1 - self.beta1**self.steps)
        eps_hat = self.eps * np.sqrt(1 - self.beta2**self.steps)
        np.sqrt(v, out=tmp)
        tmp += eps_hat
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        params -= tmp


class RMSProp(Optimizer):
    """``s ← α s + (1 − α) g²``; ``θ ← θ − lr · g / (√s + ε)``, α = 0.99, ε = 1e-8."""

    name = "rmsprop"
    slots = ("square_avg",)
    alpha, eps = 0.99, 1e-8

    def _update(
        self,
        params: np.ndarray,
        grads: np.ndarray,
        lr: float,
        state: dict[str, np.ndarray],
        tmp: np.ndarray,
    ) -> None:
        s = state["square_avg"]
        s *= self.alpha
        np.multiply(grads, grads, out=tmp)
        tmp *= 1 - self.alpha
        s += tmp
        _scaled_step(params, grads, s, self.eps, lr, tmp)


class Adagrad(Optimizer):
    """``s ← s + g²``; ``θ ← θ − lr · g / (√s + ε)``, ε = 1e-10."""

    name = "adagrad"
    slots = ("sum",)
    eps = 1e-10

    def _update(
        self,
        params: np.ndarray,
        grads: np.ndarray,
        lr: float,
        state: dict[str, np.ndarray],
        tmp: np.ndarray,
    ) -> None:
        s = state["sum"]
        np.multiply(grads, grads, out=tmp)
        s += tmp
        _scaled_step(params, grads, s, self.eps, lr, tmp)


def _scaled_step(
    params: np.ndarray, grads: np.ndarray, s: np.ndarray, eps: float, lr: float, tmp: np.ndarray
) -> None:
    """``θ ← θ − lr · g / (√s + ε)`` in place (RMSProp's and Adagrad's step)."""
    np.sqrt(s, out=tmp)
    tmp += eps
    np.divide(grads, tmp, out=tmp)
    tmp *= lr
    params -= tmp


OPTIMIZER_CLASSES: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Adam, RMSProp, Adagrad)
}


def make_optimizer(size: int, dtype: np.dtype, config: TrainConfig) -> Optimizer:
    return OPTIMIZER_CLASSES[config.optimizer](size, dtype, config)


def clip_global_norm(grads: np.ndarray, max_norm: float) -> float:
    """Scale ``grads`` in place so its L2 norm is at most ``max_norm`` (0 = off).

    Returns the norm before clipping (NaN/inf when the gradient is not finite).
    """
    with np.errstate(over="ignore"):  # huge finite entries: the norm is inf, reported, not warned
        norm = float(np.sqrt(np.dot(grads, grads)))
    if max_norm > 0 and norm > max_norm and np.isfinite(norm):
        grads *= max_norm / norm
    return norm
