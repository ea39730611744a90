"""Gated recurrent unit, in PyTorch's formulation (the reset gate scales ``h Wh_n + bhn``)."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import (
    Cache,
    Workspace,
    add_uniform_sum,
    initial_state,
    project_inputs,
    scatter_rows,
    sigmoid_by_tanh_scale,
    uniform,
)
from app.engine.gates import Clamp
from app.engine.params import ParamSet


def halve_per_step(steps: int, batch: int, hidden: int) -> bool:
    """Whether to halve each step's ``(batch, 2·hidden)`` r, z products rather than a copy
    of the ``(hidden, 3·hidden)`` recurrent weights: whichever touches fewer numbers (the
    same bits, see :func:`~app.engine.cells.base.sigmoid_by_tanh_scale`)."""
    return steps * batch * 2 < hidden * 3


class GRUCell:
    r"""GRU cell: two gates and no separate memory line::

        r_t = σ(x_t Wx_r + h_{t-1} Wh_r + b_r)                 reset gate
        z_t = σ(x_t Wx_z + h_{t-1} Wh_z + b_z)                 update gate
        n_t = tanh(x_t Wx_n + b_n + r_t ⊙ (h_{t-1} Wh_n + bhn))  candidate (possibilities)
        h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    The update gate plays forget and ignore at once: keep the old state or take the
    new possibilities.  Fused columns in the order ``[r | z | n]``: ``Wx`` (V, 3H),
    ``Wh`` (H, 3H), ``b`` (3H,), plus ``bhn`` (H,) inside the reset product.

    Update-gate convention (PyTorch's, and this engine's): ``z = 1`` *keeps* the old
    state (``h_t = h_{t-1}``) and ``z = 0`` takes the new possibilities whole
    (``h_t = n_t``).  Reset ``r = 0`` makes the candidate ignore the old state
    (``n_t = tanh(x_t Wx_n + b_n)``); ``r = 1`` lets all of ``h_{t-1} Wh_n + bhn`` in.

    Initialisation: weights ~ U(−1/√H, 1/√H), biases 0 (or PyTorch's draws, see
    :meth:`add_torch_biases`).

    ``clamps`` hold gates at fixed values; a clamped gate gets no gradient at its
    pre-activation, so its weight columns keep their initial values in training.
    """

    def __init__(self, clamps: tuple[Clamp, ...] = ()) -> None:
        self.clamps = clamps

    kind: str = "gru"
    gate_names: tuple[str, ...] = ("reset", "update", "candidate")
    n_states: int = 1
    # x_proj, rzn 3H each + hn, hiddens; backward adds dh_du, du, dx_proj 3H each,
    # dh_da_n, dh_all, d_hidden and temporaries (measured: 8.4 and 20.3)
    floats_per_unit: tuple[int, int] = (9, 21)

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

    def add_torch_biases(self, params: ParamSet, rng: np.random.Generator) -> None:
        """As torch: ``b_r``, ``b_z`` are ``b_i· + b_h·`` (two U(−1/√H, 1/√H) draws);
        ``b_n`` (torch's ``b_in``) and ``bhn`` (its ``b_hn``, inside the reset product)
        one draw each."""
        H = params["Wh"].shape[0]
        bound = 1.0 / np.sqrt(H)
        terms = np.repeat([2, 2, 1], H)  # (3H,) per [r | z | n] column
        add_uniform_sum(rng, bound, params["b"], terms)
        add_uniform_sum(rng, bound, params["bhn"], 1)

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
        # The r and z columns are pre-halved so one tanh squashes both gates
        # (σ(x) = ½ + ½·tanh(x/2), see sigmoid_by_tanh_scale); n is a plain tanh.
        scale = sigmoid_by_tanh_scale(3 * H, H2, dtype)  # (3H,) [½ | ½ | 1]
        ws = ws or Workspace()
        x_proj = ws.array("x_proj", (steps, batch, 3 * H), dtype)  # x_t Wx + b, scaled
        project_inputs(Wx, b, inputs, x_proj, scale)  # (T, B, 3H) row gather
        halve_steps = halve_per_step(steps, batch, H)
        wh = Wh if halve_steps else Wh * scale  # (H, 3H)
        rzn = ws.array("rzn", (steps, batch, 3 * H), dtype)  # [r | z | n] at every step
        hn = ws.array("hn", (steps, batch, H), dtype)  # h_{t-1} Wh_n + bhn, for backward
        hiddens = ws.array("hiddens", (steps + 1, batch, H), dtype)  # [initial h | each step's]
        h_wh = ws.array("h_wh", (batch, 3 * H), dtype)  # one step's h_{t-1}·wh
        tmp = ws.array("tmp", (batch, H), dtype)
        hiddens[0] = h0
        fixes = [(self.gate_names.index(c.gate), c.index, c.value) for c in self.clamps]
        gate_fixes = [(k, units, value) for k, units, value in fixes if k < 2]  # r, z
        n_fixes = [(units, value) for k, units, value in fixes if k == 2]  # candidate
        for t in range(steps):
            h_prev, h, hn_t = hiddens[t], hiddens[t + 1], hn[t]
            rzn_t = rzn[t]  # (B, 3H)
            rz, r, z, n = rzn_t[:, :H2], rzn_t[:, :H], rzn_t[:, H:H2], rzn_t[:, H2:]
            np.matmul(h_prev, wh, out=h_wh)
            if halve_steps:
                h_wh[:, :H2] *= 0.5
            np.add(h_wh[:, :H2], x_proj[t, :, :H2], out=rz)
            np.tanh(rz, out=rz)
            rz *= 0.5
            rz += 0.5  # [r | z]
            if fixes:  # clamped gates: overwritten before they are used
                for k, units, value in gate_fixes:
                    rzn_t[:, k * H : (k + 1) * H][:, units] = value
            np.add(h_wh[:, H2:], bhn, out=hn_t)
            np.multiply(r, hn_t, out=n)
            n += x_proj[t, :, H2:]
            np.tanh(n, out=n)  # n = tanh(x_t Wx_n + b_n + r ⊙ hn)
            if fixes:
                for units, value in n_fixes:
                    n[:, units] = value
            np.subtract(h_prev, n, out=tmp)  # h = (1 − z) ⊙ n + z ⊙ h_prev = n + z ⊙ (h_prev − n)
            tmp *= z
            np.add(n, tmp, out=h)
        gates = {name: rzn[:, :, k * H : (k + 1) * H] for k, name in enumerate(self.gate_names)}
        return Cache(inputs=inputs, hidden=hiddens, gates=gates, extra={"rzn": rzn, "hn": hn})

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        """BPTT.  Writing ``u = h_{t-1} Wh + [0 | 0 | bhn]`` (``hn`` is its n block) and
        ``a_n = x_t Wx_n + b_n + r ⊙ hn`` (the candidate's pre-activation), ``dh`` runs
        backwards through time (dL/dh_t), ``du`` and ``dx_proj`` (the gradient at
        ``x_t Wx + b``) follow from it, and from them every weight gradient."""
        rzn, hn, hiddens = cache.extra["rzn"], cache.extra["hn"], cache.hidden
        steps, batch, H3 = rzn.shape
        H = H3 // 3
        r, z, n = (rzn[:, :, k * H : (k + 1) * H] for k in range(3))  # (T, B, H) each
        h_prev = hiddens[:-1]  # (T, B, H)
        # Every local derivative is dh times a coefficient known after the forward pass.
        dh_da_n = (1 - z) * (1 - n * n)  # (T, B, H): ∂h_t/∂a_n
        clamped = [(self.gate_names.index(c.gate), c.index) for c in self.clamps]
        for k, units in clamped:  # a clamped candidate does not depend on a_n
            if k == 2:
                dh_da_n[:, :, units] = 0
        ws = ws or Workspace()
        dh_du = ws.array("dh_du", rzn.shape, rzn.dtype)  # (T, B, 3H): ∂h_t/∂u per block
        dh_du[:, :, :H] = dh_da_n * hn * r * (1 - r)
        dh_du[:, :, H : 2 * H] = (h_prev - n) * z * (1 - z)
        dh_du[:, :, 2 * H :] = dh_da_n * r
        for k, units in clamped:  # nor a clamped gate on its pre-activation
            dh_du[:, :, k * H : (k + 1) * H][:, :, units] = 0
        whT = params["Wh"].T  # (3H, H) view: BLAS reads it transposed, no copy
        du = ws.array("du", rzn.shape, rzn.dtype)  # (T, B, 3H)
        dh_all = ws.array("dh_all", (steps, batch, H), rzn.dtype)  # dL/dh_t at every step
        dh = np.zeros((batch, H), dtype=rzn.dtype)
        tmp = ws.array("tmp", (batch, H), rzn.dtype)
        for t in range(steps - 1, -1, -1):
            dh += d_hidden[t]  # dL/dh_t: from the read-out and from step t + 1
            dh_all[t] = dh
            # du = dh ⊙ ∂h/∂u, the three blocks in one call
            np.multiply(
                dh[:, None, :], dh_du[t].reshape(batch, 3, H), out=du[t].reshape(batch, 3, H)
            )
            np.matmul(du[t], whT, out=tmp)  # through Wh
            dh *= z[t]  # through h_t = … + z ⊙ h_{t-1}
            dh += tmp  # dL/dh_{t-1}
            if window and t % window == 0:  # truncated BPTT: nothing flows past a window
                dh[...] = 0
        dx_proj = du.copy()  # the r and z blocks are du's; the n block differs
        np.multiply(dh_all, dh_da_n, out=dx_proj[:, :, 2 * H :])
        flat = steps * batch
        np.matmul(h_prev.reshape(flat, H).T, du.reshape(flat, H3), out=grads["Wh"])
        np.sum(du[:, :, 2 * H :].reshape(flat, H), axis=0, out=grads["bhn"])
        np.sum(dx_proj.reshape(flat, H3), axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dx_proj, grads["Wx"])
