"""A recurrent cell plus a softmax read-out: next-symbol prediction, loss and gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.batch import Batch
from app.engine.cells import Cache, Cell, make_cell
from app.engine.cells.base import Workspace
from app.engine.config import ModelConfig
from app.engine.gates import Clamp
from app.engine.params import ParamSet

State = tuple[np.ndarray, ...]

GATE_LABELS = {
    "forget": "forget",
    "input": "ignore (input)",
    "output": "select (output)",
    "candidate": "possibilities (candidate)",
    "reset": "reset",
    "update": "update",
}


@dataclass(frozen=True)
class Trace:
    """One forward pass, every time step kept, time-major — the UI plots straight from it.

    ``gates[name]``, ``hidden`` and ``cell`` are ``(T, B, H)`` (values *after* step t),
    ``probs`` is ``(T, B, V)``: the predicted distribution of the symbol following the
    input at step t.  ``final_state`` is each sequence's state after its last real step.
    """

    kind: str
    inputs: np.ndarray  # (T, B)
    gates: dict[str, np.ndarray]
    hidden: np.ndarray  # (T, B, H)
    cell: np.ndarray | None  # (T, B, H)
    probs: np.ndarray  # (T, B, V)
    final_state: State


@dataclass(frozen=True)
class LossStats:
    """Sums over a batch's real predictions (divide by ``n_tokens`` for means)."""

    loss_sum: float
    correct: int
    n_tokens: int

    @property
    def loss(self) -> float:
        return self.loss_sum / self.n_tokens if self.n_tokens else float("nan")

    @property
    def accuracy(self) -> float:
        return self.correct / self.n_tokens if self.n_tokens else float("nan")

    def __add__(self, other: LossStats) -> LossStats:
        """The sums over both (evaluation in pieces adds them up, piece after piece)."""
        return LossStats(self.loss_sum + other.loss_sum, self.correct + other.correct,
                         self.n_tokens + other.n_tokens)  # fmt: skip


class Network:
    """A cell (``lstm``, ``rnn`` or ``gru``) and a linear read-out with softmax.

    ``p_t = softmax(h_t Wy + by)`` over the vocabulary.  The loss is the mean
    cross-entropy over every real (unpadded) prediction in the batch:
    ``L = −(1/N) Σ_{b,t: mask} log p_t[b, target]``; padding changes neither the
    loss nor the gradients.  Read-out weights ``Wy`` (H, V) ~ U(−1/√H, 1/√H), ``by`` = 0
    (or U(−1/√H, 1/√H) as ``torch.nn.Linear``, when ``bias_init`` is a torch scheme).
    """

    def __init__(self, config: ModelConfig):
        self.config = config
        self.cell: Cell = make_cell(config.kind, tuple(Clamp(g, v) for g, v in config.clamp))
        self.dtype = np.dtype(config.dtype)
        V, H = config.vocab_size, config.hidden_size
        self.shapes = {**self.cell.shapes(V, H), "Wy": (H, V), "by": (V,)}
        # Training's scratch memory, reused across updates.  Only loss_and_grads uses
        # it: a Trace from forward() outlives the call, so forward() allocates afresh.
        self._workspace = Workspace()
        self.last_state: State | None = None  # after the latest evaluate/loss_and_grads

    @property
    def gate_names(self) -> tuple[str, ...]:
        return self.cell.gate_names

    def new_params(self) -> ParamSet:
        return ParamSet(self.shapes, self.dtype)

    def init_params(self, rng: np.random.Generator) -> ParamSet:
        """Fresh parameters; the same generator state always gives the same bits."""
        params = self.new_params()
        scheme = self.config.bias_init
        forget_bias = 0.0 if scheme == "torch" else self.config.forget_bias
        self.cell.init(params, forget_bias, rng)
        bound = 1.0 / np.sqrt(self.config.hidden_size)
        params["Wy"][...] = rng.uniform(-bound, bound, size=params["Wy"].shape)
        params["by"][...] = 0
        if scheme != "zero":  # drawn after every weight: the weights do not depend on it
            self.cell.add_torch_biases(params, rng)
            params["by"][...] = rng.uniform(-bound, bound, size=params["by"].shape)
        return params

    def probabilities(self, params: ParamSet, hidden: np.ndarray) -> np.ndarray:
        """The read-out ``softmax(h Wy + by)`` of ``hidden`` (T, B, H) as ``(T, B, V)``."""
        steps, batch = hidden.shape[:2]
        with np.errstate(all="ignore"):
            return self._probs_vn(params, hidden).T.reshape(steps, batch, -1)

    def _probs_vn(self, params: ParamSet, hidden: np.ndarray) -> np.ndarray:
        """Softmax read-out of ``hidden`` (T, B, H) as a ``(V, T·B)`` array.

        Symbols run down the rows: NumPy reduces down columns of a wide array an order of
        magnitude faster than along a short last axis, which matters for small V.
        """
        flat = hidden.reshape(-1, hidden.shape[-1])  # (N, H)
        z = np.ascontiguousarray((flat @ params["Wy"]).T)  # (V, N); BLAS likes this order
        z += params["by"][:, None]
        z -= z.max(axis=0)
        np.exp(z, out=z)
        z /= z.sum(axis=0)
        return z

    def _run(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: State | None,
        ws: Workspace | None = None,
    ) -> tuple[Cache, np.ndarray]:
        """Cell forward and the ``(V, T·B)`` probabilities."""
        with np.errstate(all="ignore"):  # non-finite values are detected, not warned about
            cache = self.cell.forward(params, inputs, state, ws)
            probs = self._probs_vn(params, cache.hidden[1:])
        return cache, probs

    def forward(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: State | None = None,
        lengths: np.ndarray | None = None,
    ) -> Trace:
        """Run ``inputs`` (T, B) from ``state`` (zeros if None) and keep every step."""
        inputs = np.asarray(inputs, dtype=np.int64)
        if inputs.ndim != 2:
            raise ValueError("inputs must be (T, B) symbol ids")
        if inputs.size and (inputs.min() < 0 or inputs.max() >= self.config.vocab_size):
            raise ValueError("symbol id out of range for this vocabulary")
        cache, probs_vn = self._run(params, inputs, state)
        steps, batch = inputs.shape
        probs = probs_vn.T.reshape(steps, batch, -1)  # (T, B, V) view
        last = np.full(batch, steps) if lengths is None else np.asarray(lengths)
        cols = np.arange(batch)
        final_h = cache.hidden[last, cols]
        final: State = (final_h,) if cache.cell is None else (final_h, cache.cell[last, cols])
        return Trace(
            kind=self.config.kind,
            inputs=inputs,
            gates=dict(cache.gates),
            hidden=cache.hidden[1:],
            cell=None if cache.cell is None else cache.cell[1:],
            probs=probs,
            final_state=final,
        )

    def evaluate(
        self,
        params: ParamSet,
        batch: Batch,
        reuse_workspace: bool = False,
        state: State | None = None,
    ) -> LossStats:
        """Loss and accuracy on a batch, no gradients.

        ``reuse_workspace``: run in training's scratch arrays (overwriting the last
        :meth:`loss_and_grads`'s), instead of allocating a second set.  ``state``: start
        from it instead of zeros (a stream's state carried over from the window before);
        the state after the last step is then in :attr:`last_state`.
        """
        ws = self._workspace if reuse_workspace else None
        cache, probs_vn = self._run(params, batch.inputs, state, ws)
        self.last_state = _final_state(cache)
        return _stats(probs_vn, batch)

    def loss_and_grads(
        self,
        params: ParamSet,
        batch: Batch,
        grads: ParamSet,
        window: int = 0,
        state: State | None = None,
    ) -> LossStats:
        """Forward, mean cross-entropy and exact (or ``window``-truncated) BPTT.

        Gradients are written into ``grads`` (same layout as ``params``).  ``state``:
        start from it instead of zeros — truncated BPTT over a stream, where the state
        after one window (:attr:`last_state`, a copy) starts the next and no gradient
        flows back into it.  A batch with padding ends at different steps: the state
        carried is the one after the batch's last step, so streams use full windows.
        """
        ws = self._workspace
        cache, d_vn = self._run(params, batch.inputs, state, ws)
        self.last_state = _final_state(cache)
        stats = _stats(d_vn, batch)
        steps, size = batch.inputs.shape
        H = self.config.hidden_size
        with np.errstate(all="ignore"):
            # Softmax + cross-entropy gradient, (p − onehot(target)) / N at real steps and 0
            # at padding, computed in place over this call's own (V, T·B) probabilities.
            inv_n = 1.0 / max(stats.n_tokens, 1)
            if len(batch.rows) == steps * size:
                d_vn *= inv_n
            else:
                d_vn *= (batch.mask.reshape(1, -1) * inv_n).astype(self.dtype)
            d_vn[batch.row_targets, batch.rows] -= inv_n
            hidden = cache.hidden[1:].reshape(steps * size, H)
            np.matmul(hidden.T, d_vn.T, out=grads["Wy"])
            np.sum(d_vn, axis=1, out=grads["by"])
            d_hidden = np.matmul(d_vn.T, params["Wy"].T).reshape(steps, size, H)
            self.cell.backward(params, cache, d_hidden, grads, window, ws)
        return stats


def _final_state(cache: Cache) -> State:
    """Copies of the state after the last step (the cache lives in reused scratch memory)."""
    h = cache.hidden[-1].copy()
    return (h,) if cache.cell is None else (h, cache.cell[-1].copy())


def _stats(probs_vn: np.ndarray, batch: Batch) -> LossStats:
    """Loss sum and argmax accuracy over the real predictions of ``(V, T·B)`` probabilities."""
    rows, targets = batch.rows, batch.row_targets
    p_target = probs_vn[targets, rows]
    with np.errstate(all="ignore"):
        loss_sum = float(-np.log(p_target).sum(dtype=np.float64))
    # (V, N): every column when nothing is padded (a stream's window), without a copy
    p = probs_vn if len(rows) == probs_vn.shape[1] else probs_vn[:, rows]
    top = p.max(axis=0)
    n_top = np.count_nonzero(p == top, axis=0)
    # argmax picks the first of tied maxima; ties are rare, so resolve only those columns.
    correct = (p_target == top) & (n_top == 1)
    ties = np.flatnonzero(n_top > 1)
    n_correct = int(correct.sum())
    if ties.size:
        n_correct += int((p[:, ties].argmax(axis=0) == targets[ties]).sum())
    return LossStats(loss_sum=loss_sum, correct=n_correct, n_tokens=len(targets))
