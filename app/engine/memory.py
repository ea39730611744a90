"""How much memory a batch needs, estimated before anything is allocated.

A batch of ``B`` sequences padded to ``T`` steps makes the network hold, at every one
of its ``T·B`` positions, the read-out's probabilities over the ``V`` symbols (and a copy
of them while scoring) and each cell's per-step arrays (gates, states and, when
training, their gradients), a few times ``H``.  So one batch takes about
``T·B·(2V + k·H)`` floats — for 40 lines of 10,000 words over 4,096 symbols, tens of
gigabytes, although every limit of the text is met.

* Evaluation (the metrics of every epoch and snapshot) goes through the sequences in
  pieces of at most :data:`EVALUATION_CHUNK_BYTES` (and at most 256 sequences), so its
  memory does not grow with the amount of data.
* Training cannot split a batch, so a project whose largest batch would need more than
  :data:`TRAINING_BATCH_BUDGET_BYTES` is refused with :class:`BatchTooBig` when its
  trainer is built (loading it still works): the message says what to change.

The weights, gradients, optimiser state and snapshots come on top; they do not grow with
the data and are bounded by the model's limits (hidden size ≤ 1024, ≤ 4096 symbols).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.engine.network import Network

TRAINING_BATCH_BUDGET_BYTES = 2_000_000_000
"""The most one training batch may need (about 2 GB): a training-time limit."""
EVALUATION_CHUNK_BYTES = 256_000_000
"""Evaluation works through the sequences in pieces of about this much memory."""
EVALUATION_CHUNK_SEQUENCES = 256
"""… and of at most this many sequences."""


class BatchTooBig(ValueError):
    """One training batch would need more memory than :data:`TRAINING_BATCH_BUDGET_BYTES`."""


def batch_bytes(network: Network, steps: int, batch: int, training: bool) -> int:
    """Bytes a batch of ``batch`` sequences padded to ``steps`` steps needs, beyond the weights.

    Per position: two ``V``-float arrays (the probabilities and the copy scored), two
    ``V``-byte masks (ties in the accuracy), the cell's own arrays
    (:attr:`~app.engine.cells.base.Cell.floats_per_unit`, times ``H``) and a few
    indices; plus two weight-sized temporaries.  Measured with tracemalloc for every
    cell and dtype, this is an upper bound of the peak (tested).
    """
    forward, backward = network.cell.floats_per_unit
    per_unit = backward if training else forward
    vocab, hidden = network.config.vocab_size, network.config.hidden_size
    itemsize = network.dtype.itemsize
    per_position = itemsize * (2 * vocab + per_unit * hidden) + 2 * vocab + 4 * 8
    n_weights = sum(math.prod(shape) for shape in network.shapes.values())
    return steps * batch * per_position + 2 * n_weights * itemsize


def training_problem(
    network: Network,
    batch_size: int,
    train_lengths: Sequence[int],
    other_lengths: Sequence[int] = (),
    budget: int | None = None,
) -> str | None:
    """Why the largest batch of these sequences (symbol counts) cannot be trained, or None.

    The largest batch holds the longest sequence (training or validation: a validation
    sequence is evaluated on its own at least) padded with ``batch_size − 1`` others.
    """
    budget = TRAINING_BATCH_BUDGET_BYTES if budget is None else budget
    longest = max([*train_lengths, *other_lengths], default=0)
    size = max(min(batch_size, len(train_lengths)), 1)
    need = batch_bytes(network, max(longest - 1, 0), size, training=True)
    vocab, hidden = network.config.vocab_size, network.config.hidden_size
    if need <= budget:
        return None
    return (
        f"one training batch needs about {_gb(need)}: {size:,} "
        f"sequence{'s' if size != 1 else ''} × {longest:,} symbols (the longest line) × "
        f"{vocab:,} distinct symbols, hidden size {hidden:,}; the most allowed is "
        f"{_gb(budget)} — lower the batch size, split long lines or use fewer distinct symbols"
    )


def stream_training_problem(
    network: Network, n_streams: int, window: int, budget: int | None = None
) -> str | None:
    """Why a stream's training windows of ``window`` steps over ``n_streams`` streams
    cannot be trained, or None: such a window is the stream trainer's one batch."""
    budget = TRAINING_BATCH_BUDGET_BYTES if budget is None else budget
    need = batch_bytes(network, window, n_streams, training=True)
    if need <= budget:
        return None
    vocab, hidden = network.config.vocab_size, network.config.hidden_size
    return (
        f"one training window needs about {_gb(need)}: {n_streams:,} "
        f"stream{'s' if n_streams != 1 else ''} × {window:,} steps per window × "
        f"{vocab:,} distinct symbols, hidden size {hidden:,}; the most allowed is "
        f"{_gb(budget)} — lower the batch size or the window, or use fewer distinct symbols"
    )


def evaluation_steps(
    network: Network, n_streams: int, steps: int, budget: int | None = None
) -> int:
    """Steps per piece when evaluating ``n_streams`` streams piece by piece: ``steps``,
    halved while a piece would need more than ``budget`` bytes (at least 1)."""
    budget = EVALUATION_CHUNK_BYTES if budget is None else budget
    while steps > 1 and batch_bytes(network, steps, n_streams, training=False) > budget:
        steps //= 2
    return max(steps, 1)


def evaluation_chunks(
    network: Network,
    lengths: Sequence[int],
    max_sequences: int = EVALUATION_CHUNK_SEQUENCES,
    budget: int | None = None,
) -> list[tuple[int, int]]:
    """``(start, stop)`` runs of consecutive sequences to evaluate together.

    Runs of ``max_sequences``, each cut short where padding to its longest sequence
    would pass ``budget`` bytes (a sequence needing more than that alone runs alone).
    While the budget is not reached, the runs are exactly the fixed-size ones.
    """
    budget = EVALUATION_CHUNK_BYTES if budget is None else budget
    chunks: list[tuple[int, int]] = []
    start, steps = 0, 0
    for k, n in enumerate(lengths):
        longer = max(steps, n - 1)
        count = k - start + 1  # ≥ 2 when k > start
        too_big = count > max_sequences or batch_bytes(network, longer, count, False) > budget
        if too_big and k > start:
            chunks.append((start, k))
            start, longer = k, n - 1
        steps = longer
    if start < len(lengths):
        chunks.append((start, len(lengths)))
    return chunks


def _gb(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e8 else f"{n / 1e6:,.1f} MB"
