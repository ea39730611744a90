"""Long short-term memory, vectorised over a batch, every step's gates kept."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import Cache, initial_state, scatter_rows, uniform
from app.engine.params import ParamSet


class LSTMCell:
    r"""LSTM cell.  One-hot input ``x_t`` (a row of ``Wx``), hidden ``h``, memory ``c``.

    In the lecture's words, and the textbook's::

        f_t = σ(x_t Wx_f + h_{t-1} Wh_f + b_f)   forget gate: what memory to keep
        i_t = σ(x_t Wx_i + h_{t-1} Wh_i + b_i)   ignore gate (input): which possibilities get in
        o_t = σ(x_t Wx_o + h_{t-1} Wh_o + b_o)   select gate (output): what memory is released
        g_t = tanh(x_t Wx_g + h_{t-1} Wh_g + b_g) possibilities (candidate)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t          the memory line: a times and a plus junction
        h_t = o_t ⊙ tanh(c_t)                     squash, then select

    σ is the logistic squashing function (0…1, used for gating), tanh squashes to −1…1.
    The fused parameters store the four gates side by side in the order
    ``[f | i | o | g]``: ``Wx`` (V, 4H), ``Wh`` (H, 4H), ``b`` (4H,).

    Initialisation: every weight ~ U(−1/√H, 1/√H) (PyTorch's convention), biases 0
    except the forget gate's, set to ``forget_bias`` (default 1: remember by default).
    """

    kind: str = "lstm"
    gate_names: tuple[str, ...] = ("forget", "input", "output", "candidate")
    n_states: int = 2

    def shapes(self, vocab_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]:
        h4 = 4 * hidden_size
        return {"Wx": (vocab_size, h4), "Wh": (hidden_size, h4), "b": (h4,)}

    def init(self, params: ParamSet, forget_bias: float, rng: np.random.Generator) -> None:
        hidden = params["Wh"].shape[0]
        bound = 1.0 / np.sqrt(hidden)
        uniform(rng, params["Wx"].shape, bound, params["Wx"])
        uniform(rng, params["Wh"].shape, bound, params["Wh"])
        params["b"][...] = 0
        params["b"][:hidden] = forget_bias

    def forward(
        self, params: ParamSet, inputs: np.ndarray, state: tuple[np.ndarray, ...] | None
    ) -> Cache:
        Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
        steps, batch = inputs.shape
        H = Wh.shape[0]
        dtype = Wh.dtype
        h0, c0 = initial_state(state, 2, batch, H, dtype)
        # σ(x) = ½ + ½·tanh(x/2): pre-halving the f, i, o columns lets one tanh call
        # squash all four gates per step; two in-place ops then finish the sigmoids.
        scale = np.ones(4 * H, dtype=dtype)
        scale[: 3 * H] = 0.5
        xw = Wx[inputs]  # (T, B, 4H): one-hot input projection = row gather
        xw += b
        xw *= scale
        wh = Wh * scale  # (H, 4H)
        G = np.empty((steps, batch, 4 * H), dtype=dtype)  # gate values [f|i|o|g]
        C = np.empty((steps + 1, batch, H), dtype=dtype)
        Hs = np.empty((steps + 1, batch, H), dtype=dtype)
        TC = np.empty((steps, batch, H), dtype=dtype)  # tanh(c_t)
        tmp = np.empty((batch, H), dtype=dtype)
        C[0], Hs[0] = c0, h0
        H3 = 3 * H
        for t in range(steps):
            g = G[t]
            np.matmul(Hs[t], wh, out=g)
            g += xw[t]
            np.tanh(g, out=g)
            sig = g[:, :H3]
            sig *= 0.5
            sig += 0.5
            np.multiply(g[:, :H], C[t], out=C[t + 1])  # forget
            np.multiply(g[:, H : 2 * H], g[:, H3:], out=tmp)  # ignore ⊙ possibilities
            C[t + 1] += tmp
            np.tanh(C[t + 1], out=TC[t])
            np.multiply(g[:, 2 * H : H3], TC[t], out=Hs[t + 1])  # select
        gates = {name: G[:, :, k * H : (k + 1) * H] for k, name in enumerate(self.gate_names)}
        return Cache(inputs=inputs, hidden=Hs, gates=gates, cell=C, extra={"G": G, "TC": TC})

    def backward(
        self, params: ParamSet, cache: Cache, d_hidden: np.ndarray, grads: ParamSet, window: int
    ) -> None:
        G, TC, C, Hs = cache.extra["G"], cache.extra["TC"], cache.cell, cache.hidden
        assert C is not None
        steps, batch, H4 = G.shape
        H = H4 // 4
        f, i, o, g = (G[:, :, k * H : (k + 1) * H] for k in range(4))
        # Local derivatives for every step at once, so the time loop stays short:
        # dz = dc * M for the f, i, g columns and dz = dh * M for the o column.
        M = np.empty_like(G)  # (T, B, 4H)
        M[:, :, :H] = C[:-1] * f * (1 - f)
        M[:, :, H : 2 * H] = g * i * (1 - i)
        M[:, :, 2 * H : 3 * H] = TC * o * (1 - o)
        M[:, :, 3 * H :] = i * (1 - g * g)
        K = o * (1 - TC * TC)  # (T, B, H): dc += dh * K
        whT = np.ascontiguousarray(params["Wh"].T)  # (4H, H)
        dZ = np.empty_like(G)  # (T, B, 4H) gradient at the gate pre-activations
        dh = np.zeros((batch, H), dtype=G.dtype)
        dc = np.zeros((batch, H), dtype=G.dtype)
        tmp = np.empty((batch, H), dtype=G.dtype)
        for t in range(steps - 1, -1, -1):
            dh += d_hidden[t]
            np.multiply(dh, K[t], out=tmp)
            dc += tmp
            dz = dZ[t]
            np.multiply(dc[:, None, :], M[t].reshape(batch, 4, H), out=dz.reshape(batch, 4, H))
            np.multiply(dh, M[t, :, 2 * H : 3 * H], out=dz[:, 2 * H : 3 * H])
            dc *= f[t]
            np.matmul(dz, whT, out=dh)
            if window and t % window == 0:  # truncated BPTT: nothing flows past a window
                dh[...] = 0
                dc[...] = 0
        flat_dz = dZ.reshape(steps * batch, H4)
        np.matmul(Hs[:-1].reshape(steps * batch, H).T, flat_dz, out=grads["Wh"])
        np.sum(flat_dz, axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dZ, grads["Wx"])
