"""The side-by-side grids' rows: what each model predicts and writes, marked right/wrong.

The numbers come from :mod:`app.analysis.rnn_vs_lstm`; here they become labelled
:class:`GridRow` lists, with the columns where the two models disagree.
"""

from __future__ import annotations

import numpy as np

from app.analysis.rnn_vs_lstm import Side
from app.analysis.sequence_view import SequenceView
from app.engine.inference import Generated
from app.ui.tabs.rnn_vs_lstm import texts
from app.ui.tabs.rnn_vs_lstm.word_grid import Cell, GridRow


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
            if not _trained(side):
                cells.append(Cell(guess, "untrained", texts.UNTRAINED_CELL.format(name=side.name)))
                continue
            tip = texts.prediction_tip(side.name, t, view.tokens[t], guess, float(top[t]),
                                       view.targets[t], bool(ok))  # fmt: skip
            cells.append(Cell(guess, "right" if ok else "wrong", tip))
        label = texts.row_predicts(side.name, _trained(side))
        rows.append(GridRow(label, tuple(cells), side.colour, compared=True))
    differ = {t for t, (p, q) in enumerate(zip(a.predicted, b.predicted, strict=True)) if p != q}
    return rows, differ if all(_trained(s) for s in sides) else set()


def _trained(side: Side) -> bool:
    """An untrained network's guesses come from random weights: shown greyed, not judged
    right or wrong, and never compared (a student would read them as what it learned)."""
    return side.epoch > 0


def generation_rows(
    prompt: np.ndarray, outputs: tuple[Generated, Generated], sides: tuple[Side, Side]
) -> tuple[list[GridRow], set[int]]:
    """One row per model: the prompt (grey) then what it wrote; columns that differ."""
    vocab = sides[0].data.vocabulary.symbols
    given = tuple(Cell(vocab[i], "given", texts.PROMPT_CELL) for i in prompt)
    rows = []
    for side, out in zip(sides, outputs, strict=True):
        untrained = texts.UNTRAINED_CELL.format(name=side.name)
        cells = [
            Cell(vocab[i], "plain", texts.generated_tip(side.name, k, vocab[i], float(p[i])))
            if _trained(side)
            else Cell(vocab[i], "untrained", untrained)
            for k, (i, p) in enumerate(zip(out.ids, out.probs, strict=True))
        ]
        label = texts.row_writes(side.name, _trained(side))
        rows.append(GridRow(label, given + tuple(cells), side.colour, True))
    n = len(prompt)
    a, b = outputs
    differ = {n + k for k in range(min(a.ids.size, b.ids.size)) if a.ids[k] != b.ids[k]}
    return rows, differ if all(_trained(s) for s in sides) else set()
