"""The view's selections as saved in ``project.ui["cell"]``, checked on the way in."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

_LIMIT = 10**9  # far beyond any real epoch or step; keeps junk numbers out


@dataclass(frozen=True)
class CellState:
    """Sequence index, epoch (when not following the latest), time step (0-based)."""

    sequence: int = 0
    epoch: int = 0
    latest: bool = True
    step: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Any) -> CellState:
        """Whatever was in the file: valid fields are kept, anything else is a default."""
        if not isinstance(raw, dict):
            return cls()
        default = cls()
        latest = raw.get("latest")
        return cls(
            sequence=_count(raw.get("sequence"), default.sequence),
            epoch=_count(raw.get("epoch"), default.epoch),
            latest=latest if isinstance(latest, bool) else default.latest,
            step=_count(raw.get("step"), default.step),
        )


def _count(value: Any, default: int) -> int:
    """A non-negative int (bools are not counts), else ``default``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _LIMIT:
        return value
    return default
