"""What the comparison shows, as saved in ``project.ui["compare"]``, and which epochs that is.

Plain Python (no Qt): the state is validated here, so a hand-edited project file with
junk in it falls back to defaults instead of crashing the view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.analysis.epochs import nearest, step

KEY = "compare"
SHOW_ALL = "all"
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 0.5, 60.0, 4.0
_MAX_EPOCH = 10**12


@dataclass(frozen=True)
class CompareState:
    """The comparison's selections.

    ``sequence`` None means "the one the Train tab shows".  ``epoch_a``/``epoch_b`` are
    the epochs asked for; the view shows the stored snapshot nearest each.  With
    ``follow`` on, B is always the latest snapshot and ``epoch_b`` is ignored.
    ``show`` is a gate name (``"forget"``, ``"cell"``, …) or ``"all"``.
    """

    sequence: int | None = None
    epoch_a: int = 0
    epoch_b: int = 0
    follow: bool = True
    speed: float = DEFAULT_SPEED
    show: str = SHOW_ALL

    @classmethod
    def from_ui(cls, raw: Any) -> CompareState:
        """The state stored in a project, each field checked (bad ones get defaults)."""
        if not isinstance(raw, dict):
            return cls()
        default = cls()
        speed: Any = raw.get("speed")
        show = raw.get("show")
        follow = raw.get("follow")
        return cls(
            sequence=_count(raw.get("sequence"), None),
            epoch_a=_count(raw.get("epoch_a"), default.epoch_a) or 0,
            epoch_b=_count(raw.get("epoch_b"), default.epoch_b) or 0,
            follow=follow if isinstance(follow, bool) else default.follow,
            speed=clamp_speed(float(speed)) if _is_number(speed) else default.speed,
            show=show if isinstance(show, str) and 0 < len(show) < 40 else default.show,
        )

    def to_ui(self) -> dict[str, Any]:
        """A JSON-able dict for ``project.ui[KEY]``."""
        return asdict(self)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _count(value: Any, default: int | None) -> int | None:
    """A whole number ≥ 0 (an epoch or a line index), else ``default``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_EPOCH:
        return value
    return default


def clamp_speed(speed: float) -> float:
    return float(min(MAX_SPEED, max(MIN_SPEED, speed)))


def resolve(state: CompareState, key: str, epochs: Sequence[int]) -> int | None:
    """The stored epoch that A (``key`` "a") or B shows: B is the latest while following."""
    if not epochs:
        return None
    if key == "b" and state.follow:
        return epochs[-1]
    return nearest(epochs, state.epoch_a if key == "a" else state.epoch_b)


def replay_start(epochs: Sequence[int], b: int | None) -> int | None:
    """Where a replay starts: B's epoch when half-way (resume), else the first snapshot."""
    if len(epochs) < 2:
        return None
    return epochs[0] if b is None or b >= epochs[-1] else b


def replay_next(epochs: Sequence[int], b: int | None) -> int | None:
    """The replay's next epoch after ``b``; None at the end."""
    target = None if b is None else step(epochs, b, 1)
    return None if target is None or b is None or target <= b else target
