"""Recurrent cells: LSTM, vanilla RNN and GRU behind one small interface."""

from __future__ import annotations

from app.engine.cells.base import Cache, Cell
from app.engine.cells.gru import GRUCell
from app.engine.cells.lstm import LSTMCell
from app.engine.cells.rnn import RNNCell

CELLS: dict[str, Cell] = {"lstm": LSTMCell(), "rnn": RNNCell(), "gru": GRUCell()}

__all__ = ["CELLS", "Cache", "Cell", "GRUCell", "LSTMCell", "RNNCell"]
