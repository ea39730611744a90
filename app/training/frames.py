"""What crosses from the training process to the window: frozen copies, never live arrays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from app.analysis.columns import report_columns
from app.analysis.sequence_view import SequenceView
from app.engine.trainer import EpochReport


@dataclass(frozen=True, eq=False)
class Frame:
    """One throttled update for the window.

    ``reports`` are the epochs finished since the previous frame (oldest first), and
    ``metrics`` the same epochs as arrays (:func:`report_columns`), built where the
    frame is built (the training process), so the window appends them without touching
    the reports one by one.  ``view`` is the selected sequence at the latest weights
    (None if no data).  ``replaces_history`` is True when ``reports`` is the whole
    history (a project was loaded or the model reset): clear the curves instead of
    appending.
    """

    reports: tuple[EpochReport, ...]
    epoch: int
    view: SequenceView | None
    running: bool
    replaces_history: bool = False
    metrics: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.metrics:  # frozen: set once, here
            object.__setattr__(self, "metrics", report_columns(self.reports))
