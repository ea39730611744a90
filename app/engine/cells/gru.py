"""Gated recurrent unit, in PyTorch's formulation (the reset gate scales ``h Wh_n + bhn``)."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import Cache, Workspace, initial_state, scatter_rows, uniform
from app.engine.params import ParamSet


class GRUCell:
    r"""GRU cell: two gates and no separate memory line::

        r_t = σ(x_t Wx_r + h_{t-1} Wh_r + b_r)                 reset gate
        z_t = σ(x_t Wx_z + h_{t-1} Wh_z + b_z)                 update gate
        n_t = tanh(x_t Wx_n + b_n + r_t ⊙ (h_{t-1} Wh_n + bhn))  candidate (possibilities)
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    The update gate plays forget and ignore at once: keep the old state or take the
    new possibilities.  Fused columns in the order ``[r | z | n]``: ``Wx`` (V, 3H),
    ``Wh`` (H, 3H), ``b`` (3H,), plus ``bhn`` (H,) inside the reset product.

    Initialisation: weights ~ U(−1/√H, 1/√H), biases 0.
    """

    kind: str = "gru"
    gate_names: tuple[str, ...] = ("reset", "update", "candidate")
    n_states: int = 1

    def shapes(self, vocab_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]:
        h3 = 3 * hidden_size
        return {
            "Wx": (vocab_size, h3),
            "Wh": (hidden_size, h3),
            "b": (h3,),
            "bhn": (hidden_size,),
        }

    def init(self, params: ParamSet, forget_bias: float, rng: np.random.Generator) -> None:
        bound = 1.0 / np.sqrt(params["Wh"].shape[0])
        uniform(rng, params["Wx"].shape, bound, params["Wx"])
        uniform(rng, params["Wh"].shape, bound, params["Wh"])
        params["b"][...] = 0
        params["bhn"][...] = 0

    def forward(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: tuple[np.ndarray, ...] | None,
        ws: Workspace | None = None,
    ) -> Cache:
        Wx, Wh, b, bhn = params["Wx"], params["Wh"], params["b"], params["bhn"]
        steps, batch = inputs.shape
        H = Wh.shape[0]
        H2 = 2 * H
        dtype = Wh.dtype
        (h0,) = initial_state(state, 1, batch, H, dtype)
        # Pre-halve the r and z columns so that σ(x) = ½ + ½·tanh(x/2) costs one tanh.
        scale = np.ones(3 * H, dtype=dtype)
        scale[:H2] = 0.5
        ws = ws or Workspace()
        xw = ws.array("xw", (steps, batch, 3 * H), dtype)
        np.take((Wx + b) * scale, inputs, axis=0, out=xw)  # (T, B, 3H) row gather
        wh = Wh * scale  # (H, 3H)
        G = ws.array("G", (steps, batch, 3 * H), dtype)  # [r|z|n]
        HN = ws.array("HN", (steps, batch, H), dtype)  # h_{t-1} Wh_n + bhn
        Hs = ws.array("H", (steps + 1, batch, H), dtype)
        U = ws.array("U", (batch, 3 * H), dtype)
        tmp = ws.array("tmp", (batch, H), dtype)
        Hs[0] = h0
        for t in range(steps):
            g = G[t]
            rz = g[:, :H2]
            n = g[:, H2:]
            np.matmul(Hs[t], wh, out=U)
            np.add(U[:, :H2], xw[t, :, :H2], out=rz)
            np.tanh(rz, out=rz)
            rz *= 0.5
            rz += 0.5
            np.add(U[:, H2:], bhn, out=HN[t])
            np.multiply(g[:, :H], HN[t], out=n)
            n += xw[t, :, H2:]
            np.tanh(n, out=n)
            np.subtract(Hs[t], n, out=tmp)  # h = n + z ⊙ (h_prev − n)
            tmp *= g[:, H:H2]
            np.add(n, tmp, out=Hs[t + 1])
        gates = {name: G[:, :, k * H : (k + 1) * H] for k, name in enumerate(self.gate_names)}
        return Cache(inputs=inputs, hidden=Hs, gates=gates, extra={"G": G, "HN": HN})

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        G, HN, Hs = cache.extra["G"], cache.extra["HN"], cache.hidden
        steps, batch, H3 = G.shape
        H = H3 // 3
        r, z, n = (G[:, :, k * H : (k + 1) * H] for k in range(3))
        # Every local derivative is dh times a coefficient known after the forward pass.
        Qn = (1 - z) * (1 - n * n)  # (T, B, H): d n-pre-activation
        ws = ws or Workspace()
        QU = ws.array("QU", G.shape, G.dtype)  # (T, B, 3H): d(h Wh + [0|0|bhn]) per block
        QU[:, :, :H] = Qn * HN * r * (1 - r)
        QU[:, :, H : 2 * H] = (Hs[:-1] - n) * z * (1 - z)
        QU[:, :, 2 * H :] = Qn * r
        whT = params["Wh"].T  # (3H, H) view: BLAS reads it transposed, no copy
        dU = ws.array("dU", G.shape, G.dtype)
        DH = ws.array("DH", (steps, batch, H), G.dtype)  # total dL/dh_t at every step
        dh = np.zeros((batch, H), dtype=G.dtype)
        tmp = ws.array("tmp", (batch, H), G.dtype)
        for t in range(steps - 1, -1, -1):
            dh += d_hidden[t]
            DH[t] = dh
            np.multiply(dh[:, None, :], QU[t].reshape(batch, 3, H), out=dU[t].reshape(batch, 3, H))
            np.matmul(dU[t], whT, out=tmp)
            dh *= z[t]
            dh += tmp
            if window and t % window == 0:
                dh[...] = 0
        dXW = dU.copy()  # r and z columns are shared; the n column differs
        np.multiply(DH, Qn, out=dXW[:, :, 2 * H :])
        flat = steps * batch
        np.matmul(Hs[:-1].reshape(flat, H).T, dU.reshape(flat, H3), out=grads["Wh"])
        np.sum(dU[:, :, 2 * H :].reshape(flat, H), axis=0, out=grads["bhn"])
        np.sum(dXW.reshape(flat, H3), axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dXW, grads["Wx"])
