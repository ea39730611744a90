"""The vanilla (Elman) recurrent network: one tanh squashing step per symbol."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import Cache, Workspace, initial_state, scatter_rows, uniform
from app.engine.params import ParamSet


class RNNCell:
    r"""Vanilla RNN cell: new information and the previous prediction, voted and squashed::

        h_t = tanh(x_t Wx + h_{t-1} Wh + b)

    ``Wx`` (V, H) — a one-hot ``x_t`` picks one row; ``Wh`` (H, H); ``b`` (H,).  It has
    no memory line and no gates: everything it remembers must survive being squashed
    again at every step, which is why it only looks back a few steps.

    Initialisation: weights ~ U(−1/√H, 1/√H), bias 0.
    """

    kind: str = "rnn"
    gate_names: tuple[str, ...] = ()
    n_states: int = 1

    def shapes(self, vocab_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]:
        return {
            "Wx": (vocab_size, hidden_size),
            "Wh": (hidden_size, hidden_size),
            "b": (hidden_size,),
        }

    def init(self, params: ParamSet, forget_bias: float, rng: np.random.Generator) -> None:
        bound = 1.0 / np.sqrt(params["Wh"].shape[0])
        uniform(rng, params["Wx"].shape, bound, params["Wx"])
        uniform(rng, params["Wh"].shape, bound, params["Wh"])
        params["b"][...] = 0

    def forward(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: tuple[np.ndarray, ...] | None,
        ws: Workspace | None = None,
    ) -> Cache:
        Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
        steps, batch = inputs.shape
        H = Wh.shape[0]
        ws = ws or Workspace()
        (h0,) = initial_state(state, 1, batch, H, Wh.dtype)
        xw = ws.array("xw", (steps, batch, H), Wh.dtype)
        np.take(Wx + b, inputs, axis=0, out=xw)  # (T, B, H): one-hot projection = row gather
        Hs = ws.array("H", (steps + 1, batch, H), Wh.dtype)
        Hs[0] = h0
        for t in range(steps):
            h = Hs[t + 1]
            np.matmul(Hs[t], Wh, out=h)
            h += xw[t]
            np.tanh(h, out=h)
        return Cache(inputs=inputs, hidden=Hs)

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        Hs = cache.hidden
        steps, batch, H = d_hidden.shape
        D = 1 - Hs[1:] * Hs[1:]  # (T, B, H) tanh'
        whT = params["Wh"].T  # view: BLAS reads it transposed, no copy
        ws = ws or Workspace()
        dZ = ws.array("dZ", (steps, batch, H), Hs.dtype)
        dh = np.zeros((batch, H), dtype=Hs.dtype)
        for t in range(steps - 1, -1, -1):
            dh += d_hidden[t]
            np.multiply(dh, D[t], out=dZ[t])
            np.matmul(dZ[t], whT, out=dh)
            if window and t % window == 0:
                dh[...] = 0
        flat_dz = dZ.reshape(steps * batch, H)
        np.matmul(Hs[:-1].reshape(steps * batch, H).T, flat_dz, out=grads["Wh"])
        np.sum(flat_dz, axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dZ, grads["Wx"])
