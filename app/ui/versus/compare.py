"""The side-by-side comparison computed: predictions and generated text of both models.

No widgets here: each model is read at its latest stored snapshot (never the live
trainer), run forward on the selected sequence and rolled out from the prompt with
:func:`app.engine.inference.generate`, and the results become :class:`GridRow` lists
with the columns where the two disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.data import DataError, tokenize_line
from app.data.dataset import SequenceData
from app.engine.inference import Generated, generate
from app.engine.network import Network
from app.engine.params import ParamSet
from app.training.epoch_views import snapshot_params
from app.training.frames import SequenceView, make_sequence_view
from app.ui.versus import texts
from app.ui.versus.word_grid import Cell, GridRow

if TYPE_CHECKING:
    from app.training.controller import TrainingController

LATEST = 2**62
"""Asking for the snapshot nearest this epoch gives the newest one stored."""


@dataclass(frozen=True)
class Side:
    """One model at its newest stored weights."""

    name: str
    colour: str
    network: Network
    params: ParamSet
    data: SequenceData
    epoch: int


def latest_side(controller: TrainingController, name: str, colour: str) -> Side | None:
    """``controller``'s model at its newest snapshot; None before a project is set."""
    model = controller.model()
    snapshot = controller.snapshot(LATEST)
    if model is None or snapshot is None:
        return None
    network, data = model
    params = snapshot_params(network, snapshot)
    return Side(name, colour, network, params, data, snapshot.epoch)


def prediction_view(side: Side, index: int) -> SequenceView:
    """Sequence ``index`` (clamped) through the side's weights."""
    d = side.data
    i = max(0, min(int(index), d.n_sequences - 1))
    return make_sequence_view(
        side.network, side.params, d.ids[i], d.tokens[i], d.vocabulary.symbols, i, side.epoch
    )


def prediction_rows(
    a: SequenceView, b: SequenceView, sides: tuple[Side, Side]
) -> tuple[list[GridRow], set[int]]:
    """Rows: what is read, the true next symbol, then each model's prediction (right/wrong)."""
    reads = GridRow(texts.ROW_READS, tuple(Cell(t, "header") for t in a.tokens[:-1]))
    truth = GridRow(texts.ROW_TRUTH, tuple(Cell(t, "given") for t in a.targets))
    rows = [reads, truth]
    for side, view in zip(sides, (a, b), strict=True):
        cells = []
        top = view.probs.max(axis=1)
        for t, (guess, ok) in enumerate(zip(view.predicted, view.correct, strict=True)):
            tip = texts.prediction_tip(side.name, t, view.tokens[t], guess, float(top[t]),
                                       view.targets[t], bool(ok))  # fmt: skip
            cells.append(Cell(guess, "right" if ok else "wrong", tip))
        label = texts.row_predicts(side.name)
        rows.append(GridRow(label, tuple(cells), side.colour, compared=True))
    differ = {t for t, (p, q) in enumerate(zip(a.predicted, b.predicted, strict=True)) if p != q}
    return rows, differ


def parse_prompt(text: str, data: SequenceData) -> np.ndarray:
    """The prompt's symbol ids (raises DataError with a readable message)."""
    symbols = tokenize_line(" ".join(text.split("\n")), data.spec)
    if not symbols:
        raise DataError(texts.EMPTY_PROMPT)
    return data.vocabulary.encode(symbols)


def default_prompt(data: SequenceData, index: int) -> str:
    """The selected sequence's first symbol, written as the tokenizer reads it."""
    i = max(0, min(int(index), data.n_sequences - 1))
    return data.tokens[i][0] if data.n_sequences else ""


def roll_out(side: Side, prompt: np.ndarray, steps: int) -> Generated:
    """Greedy generation: each model's own most likely next symbol, fed back in."""
    return generate(side.network, side.params, prompt, steps)


def generation_rows(
    prompt: np.ndarray, outputs: tuple[Generated, Generated], sides: tuple[Side, Side]
) -> tuple[list[GridRow], set[int]]:
    """One row per model: the prompt (grey) then what it wrote; columns that differ."""
    vocab = sides[0].data.vocabulary.symbols
    given = tuple(Cell(vocab[i], "given", texts.PROMPT_CELL) for i in prompt)
    rows = []
    for side, out in zip(sides, outputs, strict=True):
        cells = [
            Cell(vocab[i], "plain", texts.generated_tip(side.name, k, vocab[i], float(p[i])))
            for k, (i, p) in enumerate(zip(out.ids, out.probs, strict=True))
        ]
        rows.append(GridRow(texts.row_writes(side.name), given + tuple(cells), side.colour, True))
    n = len(prompt)
    a, b = outputs
    differ = {n + k for k in range(min(a.ids.size, b.ids.size)) if a.ids[k] != b.ids[k]}
    return rows, differ
