"""A project as it was at one of its stored epochs: the frames of an epoch replay.

An animation of the Train or RNN vs LSTM view shows, frame after frame, what the view
showed at each stored epoch: the curves up to that epoch and everything else computed
from that epoch's weights.  :func:`project_at` rewinds a project to a stored epoch (the
second network, if any, to its last stored epoch not after it), so each frame is
drawn exactly as a still of that rewound project.  Plain Python and NumPy (no Qt).
"""

from __future__ import annotations

import math
from dataclasses import replace

from app.engine.network import Network
from app.engine.params import ParamSet
from app.engine.trainer import TrainerState
from app.project import Project


def project_at(project: Project, epoch: int) -> Project:
    """``project`` rewound to its last stored epoch not after ``epoch`` (a new object;
    ``project`` is left as it is).  An untrained project is returned as it is.

    Raises
    ------
    ValueError
        When no stored epoch is at or before ``epoch``.
    """
    state = project.trainer_state
    if state is None:
        return project
    rewound = replace(project, trainer_state=state_at(state, Network(project.model), epoch))
    rival = project.rival
    if rival is not None and rival.trainer_state is not None:
        rival_state = rival.trainer_state
        if any(e <= epoch for e in rival_state.snapshot_epochs):
            # Its curves end where the project's do; its weights (thinned differently)
            # are its last stored ones by then.
            rival_state = state_at(rival_state, Network(rival.model), epoch, history=epoch)
        rewound.rival = replace(rival, trainer_state=rival_state)
    return rewound


def state_at(
    state: TrainerState, network: Network, epoch: int, history: int | None = None
) -> TrainerState:
    """``state`` rewound to its last stored epoch ``e`` ≤ ``epoch``: that snapshot's
    weights, the history (up to ``history`` if given, else ``e``) and the snapshots up to
    ``e``, no epoch under way.

    The optimiser's moments and the random generator stay as they were (a view never
    reads them; training from a replay frame is not what it is for).
    """
    kept = [i for i, e in enumerate(state.snapshot_epochs) if e <= epoch]
    if not kept:
        first = min(state.snapshot_epochs, default=None)
        raise ValueError(f"no stored epoch at or before {epoch} (the first is {first})")
    last = kept[-1]
    e = state.snapshot_epochs[last]
    weights = state.snapshot_weights[last].astype(network.dtype)
    params = ParamSet(network.shapes, network.dtype, weights).as_dict()
    reports = [r for r in state.history if r["epoch"] <= (e if history is None else history)]
    metrics = [state.snapshot_metrics[i] for i in kept]
    scores = [
        (m.get("score", math.inf), state.snapshot_epochs[i])
        for i, m in zip(kept, metrics, strict=True)
    ]
    finite = [(s, ep) for s, ep in scores if math.isfinite(s)]
    return replace(
        state,
        epoch=e,
        params=params,
        total_updates=reports[-1]["total_updates"] if reports else 0,
        total_elapsed=reports[-1]["total_elapsed"] if reports else 0.0,
        history=reports,
        snapshot_epochs=[state.snapshot_epochs[i] for i in kept],
        snapshot_weights=[state.snapshot_weights[i] for i in kept],
        snapshot_metrics=metrics,
        best_epoch=min(finite)[1] if finite else None,
        cursor=None,
        cursor_order=None,
    )
