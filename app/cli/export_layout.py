"""Our weights in PyTorch's layout and back: ``torch.nn.LSTM``/``GRU``/``RNN`` + ``Linear``.

NumPy only — the app never imports torch.  The names are those of the exported
``model.py``'s ``state_dict()`` (``rnn.weight_ih_l0`` …, ``readout.weight``), so the
exported ``weights.npz`` loads with one ``load_state_dict`` call.

The layouts differ in three ways (``tests/engine/test_torch_reference.py`` checks the
engine against torch on exactly this mapping):

* ours multiply rows, ``x Wx + h Wh + b`` with ``Wx`` (V, G·H); torch multiplies by the
  transpose, ``x W_ihᵀ + b_ih + h W_hhᵀ + b_hh`` with ``W_ih`` (G·H, V);
* LSTM gate blocks: ours ``[f | i | o | g]``, torch ``[i, f, g, o]`` (GRU: both
  ``[r, z, n]``);
* one bias per gate here, two in torch: ``b`` becomes ``b_ih`` and ``b_hh`` is zero —
  except the GRU's candidate, where our ``bhn`` (inside the reset product) *is*
  torch's ``b_hh_n``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def torch_order(kind: str, hidden: int) -> np.ndarray:
    """Our column of each of torch's rows: torch ``[i, f, g, o]`` from our ``[f, i, o, g]``."""
    if kind != "lstm":
        return np.arange(GATES[kind] * hidden)
    f, i, o, g = (np.arange(k * hidden, (k + 1) * hidden) for k in range(4))
    return np.concatenate([i, f, g, o])


def to_torch(kind: str, params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Our named arrays (``Wx, Wh, b[, bhn], Wy, by``) as the exported model's state dict.

    Also maps anything laid out like the weights, such as an optimiser's moments.
    """
    Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
    H = Wh.shape[0]
    order = torch_order(kind, H)
    bias_hh = np.zeros_like(b)  # (G·H,)
    if kind == "gru":
        bias_hh[2 * H :] = params["bhn"]
    state = {
        "rnn.weight_ih_l0": Wx[:, order].T,  # (G·H, V)
        "rnn.weight_hh_l0": Wh[:, order].T,  # (G·H, H)
        "rnn.bias_ih_l0": b[order],
        "rnn.bias_hh_l0": bias_hh[order],
        "readout.weight": params["Wy"].T,  # (V, H)
        "readout.bias": params["by"],
    }
    return {name: np.ascontiguousarray(a) for name, a in state.items()}


def from_torch(kind: str, state: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of :func:`to_torch`.  A non-zero ``b_hh`` (where ours has no second
    bias) is folded into ``b``: the same sums, so the same network."""
    W_ih = np.asarray(state["rnn.weight_ih_l0"])  # (G·H, V)
    H = np.asarray(state["rnn.weight_hh_l0"]).shape[1]
    ours = np.empty_like(torch_order(kind, H))
    ours[torch_order(kind, H)] = np.arange(ours.size)  # torch's row of each of our columns
    b_ih = np.asarray(state["rnn.bias_ih_l0"])[ours]
    b_hh = np.asarray(state["rnn.bias_hh_l0"])[ours]
    out = {
        "Wx": W_ih[ours].T,
        "Wh": np.asarray(state["rnn.weight_hh_l0"])[ours].T,
        "b": b_ih + b_hh,
    }
    if kind == "gru":
        out["b"] = np.concatenate([b_ih[: 2 * H] + b_hh[: 2 * H], b_ih[2 * H :]])
        out["bhn"] = b_hh[2 * H :]
    out["Wy"] = np.asarray(state["readout.weight"]).T
    out["by"] = np.asarray(state["readout.bias"])
    return {name: np.ascontiguousarray(a) for name, a in out.items()}
