"""One long text as a stream: cut into contiguous streams and read in windows (char-rnn's way).

A text of ``N`` symbols is cut into ``n = max(1, min(B, (N − 1) // 2))`` streams of
``L = (N − 1) // n`` steps each: stream ``b`` reads ``ids[b·L : (b + 1)·L + 1]``, so
neighbouring streams share one symbol and every boundary is predicted; the last
``N − 1 − n·L < n`` predictions are dropped.  Laid side by side the streams are one
``(L + 1, n)`` array (a strided view of the ids, nothing copied).  Training reads it in
windows of ``W`` steps — a ``(W, n)`` batch, the last window shorter — carrying each
stream's state from one window into the next (truncated back-propagation through time:
no gradient flows back across a window's start).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.engine.batch import Batch
from app.engine.memory import evaluation_steps
from app.engine.network import LossStats, Network, State
from app.engine.params import ParamSet

EVALUATION_STEPS = 256
"""Evaluation reads a stream in pieces of at least this many steps (memory permitting)."""


@dataclass(frozen=True)
class StreamLayout:
    """How a stream of ``n_symbols`` is cut: ``streams`` side by side, ``steps`` each,
    read in ``windows`` windows of ``window`` steps."""

    n_symbols: int
    streams: int
    steps: int
    window: int

    @classmethod
    def of(cls, n_symbols: int, batch_size: int, window: int) -> StreamLayout:
        if n_symbols < 2:
            raise ValueError(f"a stream needs at least two symbols, got {n_symbols}")
        if window < 1:
            raise ValueError("a stream is trained in windows of at least one step")
        streams = max(1, min(batch_size, (n_symbols - 1) // 2))
        return cls(n_symbols, streams, (n_symbols - 1) // streams, window)

    @property
    def windows(self) -> int:
        """Updates per epoch: windows of ``window`` steps, the last one maybe shorter."""
        return -(-self.steps // self.window)

    @property
    def predictions(self) -> int:
        """Predictions per epoch (``N − 1`` less the few dropped at the end)."""
        return self.steps * self.streams

    def span(self, k: int) -> tuple[int, int]:
        """The steps ``[t0, t1)`` of window ``k``."""
        t0 = k * self.window
        return t0, min(t0 + self.window, self.steps)


def stream_view(ids: np.ndarray, layout: StreamLayout) -> np.ndarray:
    """The streams side by side, ``(steps + 1, streams)``: a read-only view of ``ids``."""
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    step = ids.strides[0]
    view = np.lib.stride_tricks.as_strided(
        ids, shape=(layout.steps + 1, layout.streams), strides=(step, layout.steps * step),
        writeable=False,
    )  # fmt: skip
    return view


def window_batch(view: np.ndarray, t0: int, t1: int) -> Batch:
    """Steps ``[t0, t1)`` of every stream: inputs ``view[t]``, targets ``view[t + 1]``."""
    steps, streams = t1 - t0, view.shape[1]
    return Batch(
        inputs=np.ascontiguousarray(view[t0:t1]),  # (W, n)
        targets=np.ascontiguousarray(view[t0 + 1 : t1 + 1]),  # (W, n)
        mask=np.ones((steps, streams), dtype=bool),
        lengths=np.full(streams, steps, dtype=np.int64),
    )


def zero_state(network: Network, streams: int) -> State:
    """Every stream's state at the start of an epoch: zeros, ``(streams, H)`` per array."""
    shape = (streams, network.config.hidden_size)
    count = 2 if network.config.kind == "lstm" else 1  # (h, c) or h
    return tuple(np.zeros(shape, dtype=network.dtype) for _ in range(count))


def evaluate_stream(
    network: Network, params: ParamSet, ids: np.ndarray, batch_size: int, window: int
) -> LossStats:
    """Loss and accuracy of ``params`` over one stream, cut as training cuts it.

    Runs piece by piece (at least :data:`EVALUATION_STEPS` steps, fewer when memory
    asks for it) with the state carried, so memory stays bounded however long the text;
    the sums equal one forward pass over the whole ``(L, n)`` batch.  Uses a network
    of its own: the caller's :attr:`Network.last_state` is left alone (evaluation may
    run on another thread while training reads it).
    """
    if len(ids) < 2:
        return LossStats(0.0, 0, 0)
    net = Network(network.config)
    layout = StreamLayout.of(len(ids), batch_size, window)
    piece = evaluation_steps(net, layout.streams, max(window, EVALUATION_STEPS))
    view = stream_view(ids, layout)
    total = LossStats(0.0, 0, 0)
    state: State | None = None
    for t0 in range(0, layout.steps, piece):
        batch = window_batch(view, t0, min(t0 + piece, layout.steps))
        total += net.evaluate(params, batch, state=state)
        state = net.last_state
    return total
