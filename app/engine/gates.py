"""Gate names in the lecture's and the textbook's words, and a gate held at a fixed value.

The engine names the LSTM's gates ``forget``, ``input``, ``output`` and ``candidate``
and the GRU's ``reset``, ``update`` and ``candidate``; the lecture says *ignore* for
input, *select* for output and *possibilities* for the candidate.  Either word is
accepted wherever a person types a gate name; the engine's name is what is stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GATES: dict[str, tuple[str, ...]] = {
    "lstm": ("forget", "input", "output", "candidate"),
    "gru": ("reset", "update", "candidate"),
    "rnn": (),
}
"""Each model's gates, in its fused column order (the cells' ``gate_names``)."""

ALIASES = {"ignore": "input", "select": "output", "possibilities": "candidate"}
"""The lecture's word → the engine's name."""

LECTURE = {engine: lecture for lecture, engine in ALIASES.items()}


class GateError(ValueError):
    """A gate name or clamp value that does not fit the model; the message says which."""


def spoken(gate: str) -> str:
    """``"ignore/input"`` for ``"input"``: both words, the lecture's first."""
    return f"{LECTURE[gate]}/{gate}" if gate in LECTURE else gate


def resolve_gate(name: str, kind: str) -> str:
    """The engine's name of gate ``name`` (either word, any case) of a ``kind`` model."""
    gates = GATES.get(kind, ())
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if not gates:
        raise GateError(f"the {kind.upper()} has no gates to clamp (only LSTM and GRU have gates)")
    if key in gates:
        return key
    known = ", ".join(spoken(g) for g in gates)
    if key in {g for names in GATES.values() for g in names}:
        raise GateError(f"the {kind.upper()} has no {spoken(key)} gate; its gates are {known}")
    raise GateError(f"unknown gate {name!r}; the {kind.upper()}'s gates are {known}")


def check_value(value: object, gate: str) -> float:
    """``value`` as a float in [0, 1], or :class:`GateError` naming the gate."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise GateError(f"the {spoken(gate)} gate's value must be a number from 0 to 1, "
                        f"got {value!r}")  # fmt: skip
    if not 0 <= value <= 1:
        raise GateError(f"the {spoken(gate)} gate's value must be from 0 to 1, got {value:g}")
    return float(value)


@dataclass(frozen=True)
class Clamp:
    """Gate ``gate`` (the engine's name) held at ``value`` at every step, for the hidden
    units ``units`` (``None``: every unit).  A clamped candidate holds the
    possibilities themselves at ``value`` (0: nothing new gets in)."""

    gate: str
    value: float
    units: tuple[int, ...] | None = None

    @property
    def index(self) -> slice | list[int]:
        """What selects the clamped units along the last axis."""
        return slice(None) if self.units is None else list(self.units)
