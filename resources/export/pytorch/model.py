"""The network exported from LSTM Playground, as a PyTorch module.

    logits_t = Linear(rnn(one_hot(x))_t)        p_t = softmax(logits_t)

``rnn`` is ``torch.nn.LSTM``, ``torch.nn.GRU`` or ``torch.nn.RNN`` (tanh), one layer,
time-major ``(T, B)`` ids in, ``(T, B, V)`` logits out.  The input is one-hot, as in
the playground (the one-hot row times ``weight_ih`` is an embedding lookup; for a large
vocabulary put an ``nn.Embedding`` in front instead).

The playground has one bias per gate; torch has two (``bias_ih`` and ``bias_hh``), whose
sum is what counts.  The export puts each bias in ``bias_ih`` and keeps ``bias_hh`` at
zero and frozen, so this module has exactly the playground's parameters and trains the
same way — except the GRU's candidate bias, which sits inside the reset product and is
``bias_hh``'s third block.  Delete ``_hold_second_bias`` to train both biases, as torch
normally does.

Needs only torch and numpy; everything project-specific is in ``config.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
RNN_CLASSES = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
DTYPES = {"float32": torch.float32, "float64": torch.float64}


class PlaygroundNet(nn.Module):
    """One recurrent layer on one-hot symbols and a linear read-out over the vocabulary."""

    bias_hh_mask: torch.Tensor  # GRU only: 1 where bias_hh is trained

    def __init__(self, kind: str, vocab_size: int, hidden_size: int) -> None:
        super().__init__()
        self.kind = kind
        self.vocab_size = vocab_size
        extra = {"nonlinearity": "tanh"} if kind == "rnn" else {}
        self.rnn = RNN_CLASSES[kind](vocab_size, hidden_size, **extra)
        self.readout = nn.Linear(hidden_size, vocab_size)
        self._hold_second_bias()

    def _hold_second_bias(self) -> None:
        """Keep ``bias_hh`` at zero where the playground has no second bias (see above)."""
        bias_hh = self.rnn.bias_hh_l0
        if self.kind != "gru":
            bias_hh.requires_grad_(False)
            return
        keep = torch.zeros_like(bias_hh)
        keep[2 * self.rnn.hidden_size :] = 1  # the candidate's bias: trained
        self.register_buffer("bias_hh_mask", keep, persistent=False)
        bias_hh.register_hook(self._mask_bias_hh_grad)

    def _mask_bias_hh_grad(self, grad: torch.Tensor) -> torch.Tensor:
        return grad * self.bias_hh_mask

    def forward(
        self, ids: torch.Tensor, state: tuple[torch.Tensor, ...] | torch.Tensor | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, ...] | torch.Tensor]:
        """``ids`` (T, B) int64 → logits (T, B, V) and the final state (for carrying on)."""
        x = nn.functional.one_hot(ids, self.vocab_size).to(self.readout.weight.dtype)  # (T, B, V)
        hidden, state = self.rnn(x, state)  # (T, B, H)
        return self.readout(hidden), state


def load_config(folder: Path = HERE) -> dict:
    return json.loads((folder / "config.json").read_text(encoding="utf-8"))


def load_vocabulary(folder: Path = HERE) -> list[str]:
    return json.loads((folder / "vocab.json").read_text(encoding="utf-8"))


def dtype_of(config: dict) -> torch.dtype:
    return DTYPES[config["model"]["dtype"]]


def build_model(config: dict, folder: Path = HERE, device: str = "cpu") -> PlaygroundNet:
    """The network with the weights in ``weights.npz``, in the project's dtype, on ``device``."""
    m = config["model"]
    model = PlaygroundNet(m["kind"], m["vocab_size"], m["hidden_size"]).to(dtype_of(config))
    load_weights(model, folder / "weights.npz")
    return model.to(device)


def load_weights(model: nn.Module, path: Path) -> None:
    """``weights.npz`` holds the ``state_dict()`` as plain NumPy arrays."""
    with np.load(path) as arrays:
        state = {name: torch.from_numpy(arrays[name]) for name in arrays.files}
    model.load_state_dict(state)


def save_arrays(path: Path, arrays: dict[str, Any]) -> None:
    """Write an ``.npz`` beside ``path`` and move it in: never a half-written file."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as fp:
        np.savez(fp, **arrays)
    os.replace(partial, path)


def save_weights(model: nn.Module, path: Path) -> None:
    save_arrays(path, {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()})
