"""Long short-term memory, vectorised over a batch, every step's gates kept."""

from __future__ import annotations

import numpy as np

from app.engine.cells.base import Cache, Workspace, initial_state, scatter_rows, uniform
from app.engine.params import ParamSet


def halve_per_step(steps: int, batch: int, hidden: int) -> bool:
    """Whether halving each step's ``(batch, 3·hidden)`` products is cheaper than a
    halved copy of the ``(hidden, 4·hidden)`` recurrent weights (long sequences and
    large batches on small networks: no; one sequence on a large network: yes)."""
    return steps * batch * 3 < hidden * 4


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
        # σ(x) = ½ + ½·tanh(x/2): with the f, i, o columns pre-halved, one tanh call
        # squashes all four gates; S = ½·A + ½ then holds the sigmoids, A keeps tanh(g).
        scale = np.ones(H4, dtype=dtype)
        scale[:H3] = 0.5
        xw = ws.array("xw", (steps, batch, H4), dtype)
        np.take((Wx + b) * scale, inputs, axis=0, out=xw)  # one-hot projection = row gather
        # Halving is exact in binary floating point, so h·(½Wh) = ½(h·Wh) bit for bit:
        # halve the weights once, or each step's product, whichever touches fewer numbers.
        halve_steps = halve_per_step(steps, batch, H)
        wh = Wh if halve_steps else Wh * scale  # (H, 4H)
        A = ws.array("A", (steps, batch, H4), dtype)  # tanh of the scaled pre-activations
        S = ws.array("S", (steps, batch, H4), dtype)  # [f | i | o | ·] sigmoids
        C = ws.array("C", (steps + 1, batch, H), dtype)
        Hs = ws.array("H", (steps + 1, batch, H), dtype)
        TC = ws.array("TC", (steps, batch, H), dtype)  # tanh(c_t)
        tmp = ws.array("tmp", (batch, H), dtype)
        C[0], Hs[0] = c0, h0
        a_, s_, x_ = ws.steps("A", A), ws.steps("S", S), ws.steps("xw", xw)
        c_, h_, tc_ = ws.steps("C", C), ws.steps("H", Hs), ws.steps("TC", TC)
        f_, i_, o_ = (
            ws.steps("f", S, slice(0, H)),
            ws.steps("i", S, slice(H, H2)),
            ws.steps("o", S, slice(H2, H3)),
        )
        g_, ifo_ = ws.steps("g", A, slice(H3, H4)), ws.steps("ifo", A, slice(0, H3))
        for t in range(steps):
            a = a_[t]
            np.matmul(h_[t], wh, out=a)
            if halve_steps:
                ifo_[t] *= 0.5
            a += x_[t]
            np.tanh(a, out=a)
            np.multiply(a, 0.5, out=s_[t])  # full rows: contiguous, cheaper than a 3H slice
            s_[t] += 0.5
            c = c_[t + 1]
            np.multiply(f_[t], c_[t], out=c)  # forget
            np.multiply(i_[t], g_[t], out=tmp)  # ignore ⊙ possibilities
            c += tmp
            np.tanh(c, out=tc_[t])
            np.multiply(o_[t], tc_[t], out=h_[t + 1])  # select
        gates = {
            "forget": S[:, :, :H],
            "input": S[:, :, H:H2],
            "output": S[:, :, H2:H3],
            "candidate": A[:, :, H3:],
        }
        extra = {"A": A, "TC": TC, "S": S}
        return Cache(inputs=inputs, hidden=Hs, gates=gates, cell=C, extra=extra)

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None:
        ws = ws or Workspace()
        A, TC, C, Hs = cache.extra["A"], cache.extra["TC"], cache.cell, cache.hidden
        assert C is not None
        steps, batch, H4 = A.shape
        H = H4 // 4
        H2, H3 = 2 * H, 3 * H
        dtype = A.dtype
        i, o = cache.gates["input"], cache.gates["output"]
        g = A[:, :, H3:]
        # Local derivatives for every step at once, so the time loop stays short:
        # dz = dc ⊙ M for the f, i, g columns and dz = dh ⊙ M for the o column.
        # σ' = σ(1 − σ) = ¼(1 − a²) and tanh' = 1 − a², with a = tanh(scaled z) in A.
        M = ws.array("M", (steps, batch, H4), dtype)
        np.multiply(A, A, out=M)
        coef = np.full(H4, 0.25, dtype=dtype)
        coef[H3:] = 1
        M *= -coef
        M += coef  # M = [σ'_f | σ'_i | σ'_o | tanh'_g]
        M[:, :, :H] *= C[:-1]
        M[:, :, H:H2] *= g
        M[:, :, H2:H3] *= TC
        M[:, :, H3:] *= i
        K = ws.array("K", (steps, batch, H), dtype)  # dc += dh ⊙ K
        np.multiply(TC, TC, out=K)
        np.subtract(1, K, out=K)
        K *= o
        whT = params["Wh"].T  # (4H, H) view: BLAS reads it transposed, no copy
        dZ = ws.array("dZ", (steps, batch, H4), dtype)  # gradient at the pre-activations
        dh = ws.array("dh", (batch, H), dtype)
        dc = ws.array("dc", (batch, H), dtype)
        tmp = ws.array("tmp", (batch, H), dtype)
        dh[...] = 0
        dc[...] = 0
        dc4 = dc[:, None, :]
        S = cache.extra["S"]
        dhid_, k_, f_ = (
            ws.steps("d_hidden", d_hidden),
            ws.steps("K", K),
            ws.steps("f", S, slice(0, H)),
        )
        dz_, dz4_ = ws.steps("dZ", dZ), ws.steps("dZ4", dZ, shape=(batch, 4, H))
        m4_, mo_ = ws.steps("M4", M, shape=(batch, 4, H)), ws.steps("Mo", M, slice(H2, H3))
        dzo_ = ws.steps("dZo", dZ, slice(H2, H3))
        for t in range(steps - 1, -1, -1):
            dh += dhid_[t]
            np.multiply(dh, k_[t], out=tmp)
            dc += tmp
            np.multiply(dc4, m4_[t], out=dz4_[t])
            np.multiply(dh, mo_[t], out=dzo_[t])
            dc *= f_[t]
            np.matmul(dz_[t], whT, out=dh)
            if window and t % window == 0:  # truncated BPTT: nothing flows past a window
                dh[...] = 0
                dc[...] = 0
        flat_dz = dZ.reshape(steps * batch, H4)
        np.matmul(Hs[:-1].reshape(steps * batch, H).T, flat_dz, out=grads["Wh"])
        np.sum(flat_dz, axis=0, out=grads["b"])
        scatter_rows(cache.inputs, dZ, grads["Wx"])
