"""The vectors at one time step, read from a :class:`SequenceView` (NumPy only, no Qt).

Names are the diagram's: the engine's gate names plus ``cell_prev``, ``cell``,
``cell_squashed``, ``hidden_prev``, ``hidden`` and ``keep_new`` (GRU's 1 − z).  The
previous step's memory and prediction are zeros before the first step, as in the
engine's forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.analysis.sequence_view import SequenceView
from app.engine.intervene import Intervention


def step_vectors(
    view: SequenceView, t: int, intervention: Intervention | None = None
) -> dict[str, np.ndarray]:
    """Every vector the diagram of ``view.kind`` shows at step ``t`` (0-based), as float64.

    With the ``intervention`` the view was run with, a memory wiped just before step
    ``t`` shows as the zeros the step started from (the view keeps the values before
    the wipe)."""
    H = view.hidden.shape[1]
    zeros = np.zeros(H)
    values = {name: np.asarray(g[t], dtype=np.float64) for name, g in view.gates.items()}
    values["hidden"] = view.hidden[t].astype(np.float64)
    values["hidden_prev"] = view.hidden[t - 1].astype(np.float64) if t > 0 else zeros
    if view.cell is not None:
        cell = view.cell[t].astype(np.float64)
        values["cell"] = cell
        values["cell_prev"] = view.cell[t - 1].astype(np.float64) if t > 0 else zeros.copy()
        values["cell_squashed"] = np.tanh(cell)
    if intervention is not None and intervention.wipe_after == t:
        for key in ("hidden_prev", "cell_prev"):
            if key in values:
                values[key] = zeros.copy()
    if "update" in values:
        values["keep_new"] = 1.0 - values["update"]
    return values


@dataclass(frozen=True)
class Candidate:
    """One row of the next-symbol panel."""

    symbol: str
    p: float
    is_target: bool


@dataclass(frozen=True)
class StepSummary:
    """What the caption says about step ``t``: the symbol read and the prediction."""

    step: int  # 0-based
    steps: int
    read: str
    predicted: str
    p: float
    target: str

    @property
    def correct(self) -> bool:
        return self.predicted == self.target


def summary(view: SequenceView, t: int) -> StepSummary:
    probs = view.probs[t]
    k = int(np.argmax(probs))
    return StepSummary(
        t, view.steps, view.tokens[t], view.vocabulary[k], float(probs[k]), view.tokens[t + 1]
    )


def top_candidates(view: SequenceView, t: int, n: int) -> list[Candidate]:
    """The ``n`` most likely next symbols at step ``t``, most likely first.

    The true next symbol is always included (as the last row when it is not among the
    ``n`` most likely), so a wrong prediction shows what it should have been.
    """
    probs = view.probs[t]
    target = view.tokens[t + 1]
    order = [int(k) for k in np.argsort(-probs, kind="stable")[:n]]
    target_id = view.vocabulary.index(target) if target in view.vocabulary else None
    if target_id is not None and target_id not in order and order:
        order[-1] = target_id
    return [
        Candidate(view.vocabulary[k], float(probs[k]), view.vocabulary[k] == target) for k in order
    ]
