"""Sequence views at stored epochs, computed once: replays and repeated comparisons are free."""

from __future__ import annotations

from collections import OrderedDict

from app.data.dataset import SequenceData
from app.engine.network import Network
from app.engine.snapshots import Snapshot
from app.training.epoch_views import view_at
from app.training.frames import SequenceView

DEFAULT_SIZE = 64


class ViewCache:
    """``view_at`` results, least recently used dropped first.

    An entry is reused only for the very same snapshot, network and data objects: after
    a reset, epoch 5 is another snapshot (other weights), so it is computed afresh.
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
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
        view = view_at(network, snapshot, data, index)
        self.computed += 1
        self._items[key] = (snapshot, network, data, view)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return view

    def clear(self) -> None:
        self._items.clear()
