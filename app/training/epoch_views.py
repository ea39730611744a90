"""Views of the network at a stored epoch: what comparing epochs and the cell diagram show.

Everything here runs a fresh forward pass on a snapshot's weights, never on the live
model, so it works while training runs and after a project is reopened.
"""

from __future__ import annotations

from app.data.dataset import SequenceData
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.snapshots import Snapshot
from app.training.frames import SequenceView, make_sequence_view


def snapshot_params(network: Network, snapshot: Snapshot) -> ParamSet:
    """The snapshot's weights as named arrays (a copy; the snapshot stays read-only)."""
    return ParamSet(network.shapes, network.dtype, snapshot.weights.astype(network.dtype))


def view_at(network: Network, snapshot: Snapshot, data: SequenceData, index: int) -> SequenceView:
    """Sequence ``index`` (clamped to the data) run through the snapshot's weights."""
    i = max(0, min(int(index), data.n_sequences - 1))
    params = snapshot_params(network, snapshot)
    vocabulary = data.vocabulary.symbols
    return make_sequence_view(
        network, params, data.ids[i], data.tokens[i], vocabulary, i, snapshot.epoch
    )
