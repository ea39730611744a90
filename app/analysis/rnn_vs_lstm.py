"""Two networks on the same data, side by side: what each predicts and writes.

Each model is read at a stored snapshot (its newest, never the live trainer), run
forward on the selected sequence and rolled out from a prompt with
:func:`app.engine.inference.generate`.  The RNN vs LSTM tab turns these into rows.
Weights nothing can be computed from raise
:class:`~app.analysis.usable.UnusableWeights`, naming the side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.analysis.rollout import prompt_symbols, typed_prompt
from app.analysis.sequence_view import SequenceView, make_sequence_view, snapshot_params
from app.analysis.usable import UnusableWeights, check_predictions
from app.data import DataError
from app.data.dataset import SequenceData
from app.engine.inference import Generated, generate
from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.snapshots import Snapshot

LATEST = 2**62
"""Asking for the snapshot nearest this epoch gives the newest one stored."""
EMPTY_PROMPT = "type a prompt: one or more symbols from your sequences"
SHOWN_STEPS = 500
"""Steps of a line shown side by side: a longer line is shown up to here (a row of
cells 500 words long already scrolls for a while; the network reads from the start,
so the steps shown are exactly those of the whole line)."""


@dataclass(frozen=True)
class Side:
    """One model at its newest stored weights."""

    name: str
    colour: str
    network: Network
    params: ParamSet
    data: SequenceData
    epoch: int


def side_at(
    network: Network, data: SequenceData, snapshot: Snapshot, name: str, colour: str
) -> Side:
    """The model at ``snapshot``'s weights, labelled ``name`` and drawn in ``colour``."""
    try:
        params = snapshot_params(network, snapshot)
    except UnusableWeights as exc:
        raise exc.of(name) from None
    return Side(name, colour, network, params, data, snapshot.epoch)


def line_steps(data: SequenceData, index: int) -> int:
    """The steps (predictions) of sequence ``index`` (clamped): one fewer than its symbols."""
    i = max(0, min(int(index), data.n_sequences - 1))
    return len(data.tokens[i]) - 1


def prediction_view(side: Side, index: int, steps: int = SHOWN_STEPS) -> SequenceView:
    """Sequence ``index`` (clamped) through the side's weights: its first ``steps`` steps."""
    d = side.data
    i = max(0, min(int(index), d.n_sequences - 1))
    n = max(1, steps) + 1  # symbols read, and the last one predicted
    view = make_sequence_view(
        side.network, side.params, d.ids[i][:n], d.tokens[i][:n], d.vocabulary.symbols, i,
        side.epoch,
    )  # fmt: skip
    _check(side, view.probs)
    return view


def _check(side: Side, probs: np.ndarray) -> None:
    try:
        check_predictions(probs, side.epoch)
    except UnusableWeights as exc:
        raise exc.of(side.name) from None


def parse_prompt(text: str, data: SequenceData) -> np.ndarray:
    """The prompt's symbol ids (raises DataError with a readable message)."""
    symbols = prompt_symbols(text, data.spec, stream=data.mode == "stream")
    if not symbols:
        raise DataError(EMPTY_PROMPT)
    return data.vocabulary.encode(symbols)


def default_prompt(data: SequenceData, index: int) -> str:
    """The selected sequence's first symbol, written as the tokenizer reads it (a
    stream's line break as ⏎)."""
    i = max(0, min(int(index), data.n_sequences - 1))
    return typed_prompt(data.tokens[i][:1], data.spec.to_string()) if data.n_sequences else ""


def roll_out(side: Side, prompt: np.ndarray, steps: int) -> Generated:
    """Greedy generation: each model's own most likely next symbol, fed back in."""
    out = generate(side.network, side.params, prompt, steps)
    _check(side, out.probs)
    return out
