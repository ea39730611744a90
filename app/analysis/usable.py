"""Weights no view can compute from: one typed error whose sentence the views show.

A project file may hold NaN or infinite weights (the format allows any float), and
finite weights can be so large that every prediction overflows to NaN.  The analysis
functions the views call (:func:`~app.analysis.sequence_view.snapshot_params`,
``view_at``, the roll-outs, the RNN-vs-LSTM sides) raise :class:`UnusableWeights`
instead of handing NaN numbers on; each view shows its sentence where the numbers
would be, and recovers when other weights are chosen.
"""

from __future__ import annotations

import numpy as np

from app.engine.finite import Shapes, nonfinite_weights

OVERFLOW = "the weights are too large to compute with: the predictions come out NaN"


class UnusableWeights(ValueError):
    """Nothing computed from these weights means anything; ``str()`` says why, in a sentence.

    ``problem`` is what is wrong ("the weights hold NaN (…)"), ``epoch`` the stored epoch
    and ``model`` the network's name when a view shows two ("" otherwise).
    """

    def __init__(self, problem: str, epoch: int, model: str = "") -> None:
        self.problem, self.epoch, self.model = problem, epoch, model
        where = f"{model}, epoch {epoch:,}: " if model else f"At epoch {epoch:,} "
        super().__init__(f"{where}{problem}.")

    def of(self, model: str) -> UnusableWeights:
        """The same problem, said of the network named ``model``."""
        return UnusableWeights(self.problem, self.epoch, model)


def check_weights(weights: np.ndarray, shapes: Shapes, epoch: int) -> None:
    """Raise :class:`UnusableWeights` if the flat ``weights`` hold NaN or infinities."""
    problem = nonfinite_weights(weights, shapes)
    if problem is not None:
        raise UnusableWeights(problem, epoch)


def check_predictions(probs: np.ndarray, epoch: int) -> None:
    """Raise :class:`UnusableWeights` if finite weights still gave NaN predictions."""
    if np.isnan(probs).any():
        raise UnusableWeights(OVERFLOW, epoch)
