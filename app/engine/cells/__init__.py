"""Recurrent cells: LSTM, vanilla RNN and GRU behind one small interface."""

from __future__ import annotations

from app.engine.cells.base import Cache, Cell
from app.engine.cells.gru import GRUCell
from app.engine.cells.lstm import LSTMCell
from app.engine.cells.rnn import RNNCell
from app.engine.gates import Clamp

CELLS: dict[str, Cell] = {"lstm": LSTMCell(), "rnn": RNNCell(), "gru": GRUCell()}


def make_cell(kind: str, clamps: tuple[Clamp, ...] = ()) -> Cell:
    """The ``kind`` cell with ``clamps`` applied (the shared unclamped cell if none).

    Clamps must name the cell's own gates (:func:`~app.engine.gates.resolve_gate`);
    an RNN refuses any clamp with :class:`~app.engine.gates.GateError`.
    """
    if not clamps:
        return CELLS[kind]
    if kind == "lstm":
        return LSTMCell(clamps)
    if kind == "gru":
        return GRUCell(clamps)
    return RNNCell(clamps)


__all__ = ["CELLS", "Cache", "Cell", "GRUCell", "LSTMCell", "RNNCell", "make_cell"]
