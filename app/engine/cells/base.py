"""What every recurrent cell provides, and helpers they share."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from app.engine.gates import Clamp
from app.engine.params import ParamSet


@dataclass
class Cache:
    """Everything one forward pass keeps: the backward pass and the plots both read it.

    Arrays are time-major.  ``hidden[0]`` is the initial hidden state, ``hidden[t + 1]``
    the state after step ``t``; ``gates`` maps a gate name to its ``(T, B, H)`` values.
    """

    inputs: np.ndarray  # (T, B) int64
    hidden: np.ndarray  # (T+1, B, H)
    gates: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (T, B, H)
    cell: np.ndarray | None = None  # (T+1, B, H), LSTM only
    extra: dict[str, np.ndarray] = field(default_factory=dict)


class Workspace:
    """Scratch arrays reused from one training update to the next.

    Fresh multi-megabyte arrays on every update cost page faults and cache misses;
    training keeps one workspace per network so its buffers are allocated once.
    Arrays handed out stay valid until the same name is asked for again, so a
    forward pass whose results outlive the call (a :class:`Trace`) must use a fresh
    workspace.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}
        # The last view handed out per name: small models ask for the same shapes
        # thousands of times a second, and slicing + reshaping costs more than using it.
        self._views: dict[str, tuple[tuple[int, ...], np.dtype, np.ndarray]] = {}
        self._steps: dict[str, tuple[np.ndarray, list[np.ndarray]]] = {}

    def array(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        last = self._views.get(name)
        if last is not None and last[0] == shape and last[1] == dtype:
            return last[2]
        size = math.prod(shape)
        buf = self._buffers.get(name)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = np.empty(size, dtype=dtype)
            self._buffers[name] = buf
        view = buf[:size].reshape(shape)
        self._views[name] = (shape, dtype, view)
        return view

    def steps(
        self,
        key: str,
        array: np.ndarray,
        cols: slice | None = None,
        shape: tuple[int, ...] | None = None,
    ) -> list[np.ndarray]:
        """``list(array[..., cols])`` (or each step reshaped to ``shape``): one view per
        step (first axis), kept for as long as ``array`` is the very same object, so a
        time loop indexes a list instead of building views (each ``A[t]`` or
        ``s[:, :H]`` costs a few hundred ns)."""
        hit = self._steps.get(key)
        if hit is not None and hit[0] is array:
            return hit[1]
        if shape is not None:
            views = list(array.reshape(array.shape[0], *shape))
        else:
            views = list(array if cols is None else array[..., cols])
        self._steps[key] = (array, views)
        return views


class Cell(Protocol):
    kind: str
    gate_names: tuple[str, ...]
    n_states: int
    clamps: tuple[Clamp, ...]
    """Gates held at fixed values (see :class:`~app.engine.gates.Clamp`); empty normally."""
    floats_per_unit: tuple[int, int]
    """Floats per hidden unit per (step, sequence) position that a forward pass, and a
    forward + backward pass, hold at their peak (measured with tracemalloc, rounded up):
    what :mod:`app.engine.memory` estimates a batch's memory from."""

    def shapes(self, vocab_size: int, hidden_size: int) -> dict[str, tuple[int, ...]]: ...

    def init(self, params: ParamSet, forget_bias: float, rng: np.random.Generator) -> None: ...

    def add_torch_biases(self, params: ParamSet, rng: np.random.Generator) -> None:
        """Add PyTorch's default bias draws to the biases :meth:`init` set."""
        ...

    def forward(
        self,
        params: ParamSet,
        inputs: np.ndarray,
        state: tuple[np.ndarray, ...] | None,
        ws: Workspace | None = None,
    ) -> Cache: ...

    def backward(
        self,
        params: ParamSet,
        cache: Cache,
        d_hidden: np.ndarray,
        grads: ParamSet,
        window: int,
        ws: Workspace | None = None,
    ) -> None: ...


def uniform(
    rng: np.random.Generator, shape: tuple[int, ...], bound: float, out: np.ndarray
) -> None:
    """Fill ``out`` with U(-bound, bound), drawn in float64 so float32 and float64 agree."""
    out[...] = rng.uniform(-bound, bound, size=shape)


def sigmoid_by_tanh_scale(columns: int, sigmoid_columns: int, dtype: np.dtype) -> np.ndarray:
    """Column scale ``[½ … ½ | 1 … 1]`` that lets one ``tanh`` call squash every gate.

    The gated cells compute their sigmoids through tanh, σ(x) = ½ + ½·tanh(x/2), and
    their candidate as plain tanh (the LSTM in float32; in float64 it takes σ from
    ``exp``: see :func:`app.engine.cells.lstm.sigmoid_by_exp`).  Their fused columns put
    the sigmoid gates first (LSTM ``[f | i | o | g]``, GRU ``[r | z | n]``), so
    multiplying the pre-activations by this scale (½ on the first ``sigmoid_columns``, 1
    on the rest) and taking one tanh of the whole row gives
    ``a = [tanh(x/2) … | tanh(x)]``; the sigmoids are then ``½·a + ½``, and the GRU takes
    their slope from the same numbers, σ'(x) = ¼(1 − a²) (the LSTM from σ(1 − σ)).

    Halving is exact in binary floating point (only the exponent changes, short of
    underflow), so ``h·(½Wh) = ½(h·Wh)`` bit for bit: a cell may fold the ½ into a
    copy of the weights once per pass or apply it to each step's product, whichever
    touches fewer numbers (each cell chooses with its ``halve_per_step`` or
    ``scale_per_step``).  ``x_t Wx + b`` is a row gather: see :func:`project_inputs`.
    """
    scale = np.ones(columns, dtype=dtype)
    scale[:sigmoid_columns] = 0.5
    return scale


def project_inputs(
    Wx: np.ndarray, b: np.ndarray, inputs: np.ndarray, out: np.ndarray, scale: np.ndarray | None
) -> None:
    """``out = ((Wx + b) * scale)[inputs]``: ``x_t Wx + b`` (scaled) for one-hot ``x_t``.

    Either the rows are gathered first and ``b`` and ``scale`` applied to them, or the
    whole ``(V, K)`` table is built and gathered from, whichever touches fewer numbers
    (one step of a large vocabulary: the rows; long batches of a small one: the table).
    Both do the same elementwise operations on the same values, so the bits are equal.
    """
    if inputs.size < Wx.shape[0]:
        np.take(Wx, inputs, axis=0, out=out)  # (T, B, K) rows
        out += b
        if scale is not None:
            out *= scale
    else:
        table = Wx + b  # (V, K)
        if scale is not None:
            table *= scale
        np.take(table, inputs, axis=0, out=out)


def initial_state(
    state: tuple[np.ndarray, ...] | None, n: int, batch: int, hidden: int, dtype: np.dtype
) -> tuple[np.ndarray, ...]:
    if state is None:
        return tuple(np.zeros((batch, hidden), dtype=dtype) for _ in range(n))
    if len(state) != n or any(s.shape != (batch, hidden) for s in state):
        raise ValueError(f"initial state must be {n} array(s) of shape ({batch}, {hidden})")
    return state


def scatter_rows(inputs: np.ndarray, d_rows: np.ndarray, out: np.ndarray) -> None:
    """``out[v] = Σ d_rows[t, b]`` over every (t, b) with ``inputs[t, b] == v``.

    The gradient of a one-hot input projection: the transpose of the row gather
    ``Wx[inputs]``.  A one-hot matrix product is fastest for small vocabularies.  Larger
    ones sort the rows by symbol (stably) and sum each symbol's run of rows: the same
    additions in the same order as ``np.add.at(out, inputs, rows)`` (the same bits, up
    to the sign of a zero), several times faster (V = 96, 2048 × 512 rows: 14 → 3 ms).
    """
    flat = inputs.reshape(-1)  # (T*B,)
    rows = d_rows.reshape(flat.size, -1)  # (T*B, K)
    vocab = out.shape[0]
    if vocab <= 64:
        onehot = np.zeros((vocab, flat.size), dtype=out.dtype)  # (V, T*B)
        onehot[flat, np.arange(flat.size)] = 1
        np.matmul(onehot, rows, out=out)
        return
    out[...] = 0
    if not flat.size:
        return
    order = np.argsort(flat, kind="stable")
    symbols = flat[order]
    by_symbol = rows[order]  # (T*B, K), each symbol's rows together, in (t, b) order
    bounds = np.flatnonzero(symbols[1:] != symbols[:-1]) + 1
    # Summing down axis 0 adds row after row, as add.at does (reduceat would not).
    for start, stop in zip([0, *bounds.tolist()], [*bounds.tolist(), flat.size], strict=True):
        np.sum(by_symbol[start:stop], axis=0, out=out[symbols[start]])


def add_uniform_sum(
    rng: np.random.Generator, bound: float, out: np.ndarray, terms: np.ndarray | int
) -> None:
    """Add to ``out`` the sum of ``terms`` U(-bound, bound) draws per entry (``terms``: one
    count, or one per entry, each 1 or 2), drawn in float64 so float32 and float64 agree.

    PyTorch's recurrent layers hold two bias vectors, ``b_ih`` and ``b_hh``, each
    U(−1/√H, 1/√H); where the cell adds both, this engine's single bias is their sum.
    """
    draws = rng.uniform(-bound, bound, size=(2, out.size))  # (2, n)
    draws[1] *= np.asarray(terms) == 2  # a single-term entry keeps its first draw only
    out[...] += draws.sum(axis=0)
