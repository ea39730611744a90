"""Long short-term memory, vectorised over a batch, every step's gates kept."""

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


def scale_per_step(steps: int, batch: int, hidden: int) -> bool:
    """Whether to scale each step's ``(batch, 3·hidden)`` f, i, o products rather than a
    copy of the ``(hidden, 4·hidden)`` recurrent weights (see :func:`gate_scale`): long
    sequences and large batches on small networks: no; one sequence on a large network:
    yes.  The scale (−1 or ½) is exact, so both give the same bits."""
    return steps * batch * 3 < hidden * 4


def sigmoid_by_exp(dtype: np.dtype) -> bool:
    """Whether the sigmoids are taken as 1 / (1 + e^{−x}) (float64) or ½ + ½·tanh(x/2).

    NumPy's float64 ``tanh`` costs ~3× its ``exp`` on CPUs without AVX-512 (where its
    float32 ``tanh`` is vectorised and as cheap as the three operations of the ``exp``
    route): one ``tanh`` over all four gates made a quarter of a float64 update.
    """
    return dtype == np.float64


def gate_scale(hidden: int, dtype: np.dtype) -> np.ndarray:
    """Column scale over the fused ``[f | i | o | g]`` pre-activations, g's left at 1.

    ``[−1 | −1 | −1 | 1]`` when :func:`sigmoid_by_exp`: one ``exp`` of the negated f, i,
    o then gives ``e^{−x}``.  Else ``[½ | ½ | ½ | 1]``: one ``tanh`` of the whole row
    gives ``[tanh(x/2) … | g]`` (see :func:`~app.engine.cells.base.sigmoid_by_tanh_scale`).
    Both scales are exact in floating point (negation, and halving short of underflow;
    round-to-nearest is symmetric), so ``h·(sWh) = s(h·Wh)`` bit for bit.
    """
    if sigmoid_by_exp(np.dtype(dtype)):
        scale = np.ones(4 * hidden, dtype=dtype)
        scale[: 3 * hidden] = -1
        return scale
    return sigmoid_by_tanh_scale(4 * hidden, 3 * hidden, dtype)


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

    Initialisation: every weight ~ U(−1/√H, 1/√H) (PyTorch's convention); biases 0
    except the forget gate's, set to ``forget_bias`` (default 1: remember by default),
    to which ``bias_init`` "torch" and "torch+forget" add PyTorch's draws
    (:meth:`add_torch_biases`).

    ``clamps`` hold gates at fixed values (forget = 1 is the 1997 LSTM without a forget
    gate, select = 1 an LSTM without output gating; a clamped candidate holds the
    possibilities themselves).  A clamped gate is still computed, then overwritten, so
    its pre-activation gets no gradient: its weight columns get exactly zero gradient
    and keep their initial values through training (no optimiser here decays weights).
    """

    def __init__(self, clamps: tuple[Clamp, ...] = ()) -> None:
        self.clamps = clamps

    kind: str = "lstm"
    gate_names: tuple[str, ...] = ("forget", "input", "output", "candidate")
    n_states: int = 2
    # x_proj, squashed, sigmoids 4H each + cells, hiddens, tanh_cells; backward adds
    # dstate_dz, dz 4H each, dh_dc and d_hidden (measured: 15.4 and 29.2)
    floats_per_unit: tuple[int, int] = (16, 30)

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

    def add_torch_biases(self, params: ParamSet, rng: np.random.Generator) -> None:
        """Each gate's bias is torch's ``b_ih + b_hh``: two U(−1/√H, 1/√H) draws."""
        bound = 1.0 / np.sqrt(params["Wh"].shape[0])
        add_uniform_sum(rng, bound, params["b"], 2)

    def forward(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: tuple[np.ndarray, ...] | None,
        ws: Workspace | None = None,
    ) -> Cache:
        ws = ws or Workspace()
        Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
        steps, batch = inputs.shape
        H = Wh.shape[0]
        H2, H3, H4 = 2 * H, 3 * H, 4 * H
        dtype = Wh.dtype
        h0, c0 = initial_state(state, 2, batch, H, dtype)
        # The f, i, o columns are scaled by s = −1 (σ by exp) or ½ (σ by tanh): gate_scale.
        by_exp = sigmoid_by_exp(dtype)
        scale = gate_scale(H, dtype)  # (4H,) [s | s | s | 1]
        x_proj = ws.array("x_proj", (steps, batch, H4), dtype)  # x_t Wx + b, scaled
        project_inputs(Wx, b, inputs, x_proj, scale)  # one-hot projection = row gather
        scale_steps = scale_per_step(steps, batch, H)
        s = float(scale[0])
        wh = Wh if scale_steps else Wh * scale  # (H, 4H)
        # (T, B, 4H): each step's pre-activations z = x_t Wx + h_{t-1} Wh + b, scaled:
        # [s·z_f | s·z_i | s·z_o | z_g], then squashed in place: g = tanh(z_g) in the last
        # block (and tanh(z/2) in the others when σ is taken by tanh)
        squashed = ws.array("squashed", (steps, batch, H4), dtype)
        sigmoids = ws.array("sigmoids", (steps, batch, H4), dtype)  # [f | i | o | unused]
        cells = ws.array("cells", (steps + 1, batch, H), dtype)  # [initial c | c after each step]
        hiddens = ws.array("hiddens", (steps + 1, batch, H), dtype)  # the same for h
        tanh_cells = ws.array("tanh_cells", (steps, batch, H), dtype)  # tanh(c_t)
        tmp = ws.array("tmp", (batch, H), dtype)
        cells[0], hiddens[0] = c0, h0
        # One view per step (see Workspace.steps).  cells and hiddens start with the
        # initial state, so step t reads c_steps[t] (c_prev) and writes c_steps[t + 1] (c).
        z_steps, sig_steps = ws.steps("squashed", squashed), ws.steps("sigmoids", sigmoids)
        x_steps = ws.steps("x_proj", x_proj)
        c_steps, h_steps = ws.steps("cells", cells), ws.steps("hiddens", hiddens)
        tanh_c_steps = ws.steps("tanh_cells", tanh_cells)
        f_steps, i_steps, o_steps = (
            ws.steps("f", sigmoids, slice(0, H)),
            ws.steps("i", sigmoids, slice(H, H2)),
            ws.steps("o", sigmoids, slice(H2, H3)),
        )
        g_steps = ws.steps("g", squashed, slice(H3, H4))
        z_fio_steps = ws.steps("z_fio", squashed, slice(0, H3))
        fio_steps = ws.steps("fio", sigmoids, slice(0, H3))
        block = {"forget": f_steps, "input": i_steps, "output": o_steps, "candidate": g_steps}
        fixes = [(block[c.gate], c.index, c.value) for c in self.clamps]
        with np.errstate(over="ignore"):  # e^{−x} = inf for x ≪ 0: σ = 1 / inf = 0, exactly
            for t in range(steps):
                h_prev, h = h_steps[t], h_steps[t + 1]
                c_prev, c, tanh_c = c_steps[t], c_steps[t + 1], tanh_c_steps[t]
                f, i, o, g = f_steps[t], i_steps[t], o_steps[t], g_steps[t]
                z, z_fio, fio = z_steps[t], z_fio_steps[t], fio_steps[t]  # (B, 4H), (B, 3H) ×2
                np.matmul(h_prev, wh, out=z)
                if scale_steps:
                    z_fio *= s
                z += x_steps[t]  # [s·z_f | s·z_i | s·z_o | z_g]
                if by_exp:
                    np.exp(z_fio, out=fio)
                    fio += 1
                    np.divide(1, fio, out=fio)  # [f | i | o] = 1 / (1 + e^{−z})
                    np.tanh(g, out=g)  # possibilities, in place over z_g
                else:
                    np.tanh(z, out=z)  # [tanh(z_f/2) | tanh(z_i/2) | tanh(z_o/2) | g]
                    np.multiply(z, 0.5, out=sig_steps[t])  # full rows: contiguous, cheaper
                    sig_steps[t] += 0.5  # [f | i | o | unused]
                if fixes:  # clamped gates: overwritten before they are used
                    for views, units, value in fixes:
                        views[t][:, units] = value
                np.multiply(f, c_prev, out=c)  # forget
                np.multiply(i, g, out=tmp)  # ignore ⊙ possibilities
                c += tmp  # c = f ⊙ c_prev + i ⊙ g
                np.tanh(c, out=tanh_c)
                np.multiply(o, tanh_c, out=h)  # select: h = o ⊙ tanh(c)
        gates = {
            "forget": sigmoids[:, :, :H],
            "input": sigmoids[:, :, H:H2],
            "output": sigmoids[:, :, H2:H3],
            "candidate": squashed[:, :, H3:],
        }
        extra = {"squashed": squashed, "tanh_cells": tanh_cells, "sigmoids": sigmoids}
        return Cache(inputs=inputs, hidden=hiddens, gates=gates, cell=cells, extra=extra)

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        """BPTT.  ``dh``, ``dc`` run backwards through time (dL/dh_t, dL/dc_t);
        ``dz = [dz_f | dz_i | dz_o | dz_g]`` is the gradient at each step's
        pre-activations (the true ones, not the negated ones the forward pass keeps), from
        which every weight gradient follows."""
        ws = ws or Workspace()
        squashed, tanh_cells = cache.extra["squashed"], cache.extra["tanh_cells"]
        cells, hiddens = cache.cell, cache.hidden
        assert cells is not None
        steps, batch, H4 = squashed.shape
        H = H4 // 4
        H2, H3 = 2 * H, 3 * H
        dtype = squashed.dtype
        i, o = cache.gates["input"], cache.gates["output"]  # (T, B, H): every step at once
        g = squashed[:, :, H3:]  # (T, B, H)
        fio = cache.extra["sigmoids"][:, :, :H3]  # (T, B, 3H) [f | i | o]
        # Local derivatives for every step at once, so the time loop stays short:
        # dz = dc ⊙ dstate_dz in the f, i, g columns and dz = dh ⊙ dstate_dz in the o column.
        # σ' = σ(1 − σ) and tanh' = 1 − g².
        dstate_dz = ws.array("dstate_dz", (steps, batch, H4), dtype)
        d_fio, d_g = dstate_dz[:, :, :H3], dstate_dz[:, :, H3:]
        np.subtract(1, fio, out=d_fio)
        d_fio *= fio  # [σ'_f | σ'_i | σ'_o | ·]
        np.multiply(g, g, out=d_g)
        np.subtract(1, d_g, out=d_g)  # [· | · | · | tanh'_g]
        dstate_dz[:, :, :H] *= cells[:-1]  # ∂c_t/∂z_f = σ'_f ⊙ c_{t-1}
        dstate_dz[:, :, H:H2] *= g  # ∂c_t/∂z_i = σ'_i ⊙ g_t
        dstate_dz[:, :, H2:H3] *= tanh_cells  # ∂h_t/∂z_o = σ'_o ⊙ tanh(c_t)
        dstate_dz[:, :, H3:] *= i  # ∂c_t/∂z_g = tanh'_g ⊙ i_t
        for clamp in self.clamps:  # a clamped gate does not depend on its pre-activation
            k = self.gate_names.index(clamp.gate)
            dstate_dz[:, :, k * H : (k + 1) * H][:, :, clamp.index] = 0
        dh_dc = ws.array("dh_dc", (steps, batch, H), dtype)  # ∂h_t/∂c_t = o_t ⊙ tanh'(c_t)
        np.multiply(tanh_cells, tanh_cells, out=dh_dc)
        np.subtract(1, dh_dc, out=dh_dc)
        dh_dc *= o
        whT = params["Wh"].T  # (4H, H) view: BLAS reads it transposed, no copy
        dz = ws.array("dz", (steps, batch, H4), dtype)
        dh = ws.array("dh", (batch, H), dtype)
        dc = ws.array("dc", (batch, H), dtype)
        tmp = ws.array("tmp", (batch, H), dtype)
        dh[...] = 0
        dc[...] = 0
        dc4 = dc[:, None, :]  # (B, 1, H): broadcasts over the four gate blocks
        sigmoids = cache.extra["sigmoids"]
        dh_out_steps, dh_dc_steps, f_steps = (
            ws.steps("d_hidden", d_hidden),
            ws.steps("dh_dc", dh_dc),
            ws.steps("f", sigmoids, slice(0, H)),
        )
        dz_steps = ws.steps("dz", dz)
        dz4_steps = ws.steps("dz4", dz, shape=(batch, 4, H))
        dstate_dz4_steps = ws.steps("dstate_dz4", dstate_dz, shape=(batch, 4, H))
        dh_dz_o_steps = ws.steps("dh_dz_o", dstate_dz, slice(H2, H3))
        dz_o_steps = ws.steps("dz_o", dz, slice(H2, H3))
        for t in range(steps - 1, -1, -1):
            dh += dh_out_steps[t]  # dL/dh_t: from the read-out and from step t + 1
            np.multiply(dh, dh_dc_steps[t], out=tmp)
            dc += tmp  # dL/dc_t: through the memory line and through h_t
            # [dz_f | dz_i | · | dz_g] = dc ⊙ ∂c/∂z (the o block is overwritten next)
            np.multiply(dc4, dstate_dz4_steps[t], out=dz4_steps[t])
            np.multiply(dh, dh_dz_o_steps[t], out=dz_o_steps[t])  # dz_o = dh ⊙ ∂h/∂z_o
            dc *= f_steps[t]  # dL/dc_{t-1} along the memory line
            np.matmul(dz_steps[t], whT, out=dh)  # dL/dh_{t-1} through Wh
            if window and t % window == 0:  # truncated BPTT: nothing flows past a window
                dh[...] = 0
                dc[...] = 0
        flat_dz = dz.reshape(steps * batch, H4)
        np.matmul(hiddens[:-1].reshape(steps * batch, H).T, flat_dz, out=grads["Wh"])
        np.sum(flat_dz, axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dz, grads["Wx"])
