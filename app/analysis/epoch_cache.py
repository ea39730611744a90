"""Sequence views at stored epochs, computed once: replays and repeated comparisons are free.

A long line is viewed on its first :data:`SHOWN_STEPS` steps: the network reads from
the start, so they are exactly the whole line's first steps, and a view of them (18
heatmaps with a column per step, rows of words) stays quick to compute and to draw.
"""

from __future__ import annotations

from collections import OrderedDict

from app.analysis.sequence_view import (
    SequenceView,
    make_sequence_view,
    noun_of,
    snapshot_params,
)
from app.analysis.usable import check_predictions
from app.data.dataset import SequenceData
from app.engine.network import Network
from app.engine.snapshots import Snapshot

DEFAULT_SIZE = 64
DEFAULT_BUDGET_BYTES = 64 * 2**20
"""A replay of a long line at a large hidden size must not hold gigabytes of views."""
SHOWN_STEPS = 200
"""Steps of a line viewed at most (its first ones)."""


def line_steps(data: SequenceData, index: int) -> int:
    """The steps (predictions) of sequence ``index`` (clamped): one fewer than its symbols."""
    i = max(0, min(int(index), data.n_sequences - 1))
    return len(data.tokens[i]) - 1


def view_start(
    network: Network, snapshot: Snapshot, data: SequenceData, index: int, steps: int = SHOWN_STEPS
) -> SequenceView:
    """:func:`~app.analysis.sequence_view.view_at` on the first ``steps`` steps of the line.

    Raises :class:`~app.analysis.usable.UnusableWeights` as ``view_at`` does.
    """
    i = max(0, min(int(index), data.n_sequences - 1))
    n = max(1, steps) + 1  # the symbols read, and the last one predicted
    params = snapshot_params(network, snapshot)
    view = make_sequence_view(network, params, data.ids[i][:n], data.tokens[i][:n],
                              data.vocabulary.symbols, i, snapshot.epoch,
                              noun=noun_of(data))  # fmt: skip
    check_predictions(view.probs, snapshot.epoch)
    return view


def view_bytes(view: SequenceView) -> int:
    arrays = [view.hidden, view.probs, *view.gates.values()]
    if view.cell is not None:
        arrays.append(view.cell)
    return sum(a.nbytes for a in arrays)


class ViewCache:
    """:func:`view_start` results, least recently used dropped first (at most ``size`` views
    and ``budget_bytes`` of arrays, but always the latest two: A and B).

    An entry is reused only for the very same snapshot, network and data objects: after
    a reset, epoch 5 is another snapshot (other weights), so it is computed afresh.
    """

    def __init__(self, size: int = DEFAULT_SIZE, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.size = size
        self.budget_bytes = budget_bytes
        self.nbytes = 0
        self._items: OrderedDict[
            tuple[int, int], tuple[Snapshot, Network, SequenceData, SequenceView]
        ] = OrderedDict()
        self.computed = 0
        """How many forward passes were run (for tests)."""

    def get(
        self, network: Network, data: SequenceData, snapshot: Snapshot, index: int
    ) -> SequenceView:
        key = (snapshot.epoch, index)
        hit = self._items.get(key)
        if hit is not None and hit[0] is snapshot and hit[1] is network and hit[2] is data:
            self._items.move_to_end(key)
            return hit[3]
        view = view_start(network, snapshot, data, index)
        self.computed += 1
        old = self._items.pop(key, None)
        if old is not None:
            self.nbytes -= view_bytes(old[3])
        self._items[key] = (snapshot, network, data, view)
        self.nbytes += view_bytes(view)
        while len(self._items) > 2 and (
            len(self._items) > self.size or self.nbytes > self.budget_bytes
        ):
            _, dropped = self._items.popitem(last=False)
            self.nbytes -= view_bytes(dropped[3])
        return view

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
        self.nbytes = 0
