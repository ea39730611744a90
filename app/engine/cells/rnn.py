"""The vanilla (Elman) recurrent network: one tanh squashing step per symbol."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import (
    Cache,
    Workspace,
    add_uniform_sum,
    initial_state,
    project_inputs,
    scatter_rows,
    uniform,
)
from app.engine.gates import Clamp, GateError
from app.engine.params import ParamSet


class RNNCell:
    r"""Vanilla RNN cell: new information and the previous prediction, voted and squashed::

        h_t = tanh(x_t Wx + h_{t-1} Wh + b)

    ``Wx`` (V, H) — a one-hot ``x_t`` picks one row; ``Wh`` (H, H); ``b`` (H,).  It has
    no memory line and no gates: everything it remembers must survive being squashed
    again at every step, which is why it only looks back a few steps.

    Initialisation: weights ~ U(−1/√H, 1/√H), bias 0 (or PyTorch's draws, see
    :meth:`add_torch_biases`).
    """

    def __init__(self, clamps: tuple[Clamp, ...] = ()) -> None:
        if clamps:
            raise GateError("the RNN has no gates to clamp (only LSTM and GRU have gates)")
        self.clamps = clamps

    kind: str = "rnn"
    gate_names: tuple[str, ...] = ()
    n_states: int = 1
    # x_proj, hiddens; backward adds tanh_grad, dz, d_hidden (measured: 2.0 and 6.1)
    floats_per_unit: tuple[int, int] = (3, 7)

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

    def add_torch_biases(self, params: ParamSet, rng: np.random.Generator) -> None:
        """The bias is torch's ``b_ih + b_hh``: two U(−1/√H, 1/√H) draws."""
        bound = 1.0 / np.sqrt(params["Wh"].shape[0])
        add_uniform_sum(rng, bound, params["b"], 2)

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
        x_proj = ws.array("x_proj", (steps, batch, H), Wh.dtype)  # x_t Wx + b
        project_inputs(Wx, b, inputs, x_proj, None)  # (T, B, H): one-hot projection = row gather
        hiddens = ws.array("hiddens", (steps + 1, batch, H), Wh.dtype)  # [initial h | each step's]
        hiddens[0] = h0
        for t in range(steps):
            h_prev, h = hiddens[t], hiddens[t + 1]
            np.matmul(h_prev, Wh, out=h)
            h += x_proj[t]
            np.tanh(h, out=h)  # h = tanh(x_t Wx + h_prev Wh + b)
        return Cache(inputs=inputs, hidden=hiddens)

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        """BPTT: ``dh`` (dL/dh_t) runs backwards through time; ``dz`` is the gradient at
        each step's pre-activation ``z_t = x_t Wx + h_{t-1} Wh + b``."""
        hiddens = cache.hidden
        steps, batch, H = d_hidden.shape
        tanh_grad = 1 - hiddens[1:] * hiddens[1:]  # (T, B, H): tanh'(z_t) = 1 − h_t²
        whT = params["Wh"].T  # view: BLAS reads it transposed, no copy
        ws = ws or Workspace()
        dz = ws.array("dz", (steps, batch, H), hiddens.dtype)
        dh = np.zeros((batch, H), dtype=hiddens.dtype)
        for t in range(steps - 1, -1, -1):
            dh += d_hidden[t]  # dL/dh_t: from the read-out and from step t + 1
            np.multiply(dh, tanh_grad[t], out=dz[t])
            np.matmul(dz[t], whT, out=dh)  # dL/dh_{t-1}
            if window and t % window == 0:  # truncated BPTT: nothing flows past a window
                dh[...] = 0
        flat_dz = dz.reshape(steps * batch, H)
        np.matmul(hiddens[:-1].reshape(steps * batch, H).T, flat_dz, out=grads["Wh"])
        np.sum(flat_dz, axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dz, grads["Wx"])
