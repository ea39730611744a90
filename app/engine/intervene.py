"""Experiments on a trained network: clamp a gate, knock out units, wipe the memory.

An :class:`Intervention` changes how a forward pass runs, never the weights: the
lecture's causal claims ("the forget gate decides what memory to keep") become
something to try and watch break.  :func:`run_intervened` returns the same
:class:`~app.engine.network.Trace` as :meth:`Network.forward`, so every view that
draws a trace draws an intervened one too.  The un-intervened path is untouched.

- **clamp**: a gate held at a value in [0, 1] at every step, for every hidden unit or
  chosen ones (a clamped candidate holds the possibilities themselves; 0 lets nothing
  new in).  GRU convention: ``update = 1`` keeps the old state, ``update = 0`` takes
  the candidate whole; ``reset = 0`` makes the candidate ignore the old state (see
  :class:`~app.engine.cells.gru.GRUCell`).  An RNN has no gates to clamp.
- **knockout**: units whose hidden state (and LSTM memory) is 0 at every step, the
  initial state included.
- **wipe_after** ``k``: the memory (h, and c for the LSTM) is set to 0 after the first
  ``k`` steps, so step ``k`` (counting from 0) starts from nothing — "we were away for
  two weeks".  Steps before ``k`` are unchanged.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from app.engine.cells import make_cell
from app.engine.cells.base import Cache, initial_state
from app.engine.config import ModelConfig
from app.engine.gates import ALIASES, Clamp, GateError, check_value, resolve_gate, spoken
from app.engine.network import Network, State, Trace
from app.engine.params import ParamSet

ALL: Literal["all"] = "all"


class InterventionError(ValueError):
    """An intervention that does not fit the model; the one-line message says what."""


@dataclass(frozen=True)
class Intervention:
    """What to change in a forward pass (all empty: nothing).

    ``clamps``: gates held fixed (either gate word; stored as the engine's name, later
    clamps win where they overlap).  ``knockout``: unit indices (from 0) or ``"all"``.
    ``wipe_after``: wipe the memory after this many steps (``None``: never).
    """

    clamps: tuple[Clamp, ...] = ()
    knockout: tuple[int, ...] | Literal["all"] = ()
    wipe_after: int | None = None

    def __post_init__(self) -> None:
        clamps = []
        for c in self.clamps:
            gate = c.gate.strip().lower()
            gate = ALIASES.get(gate, gate)
            try:
                value = check_value(c.value, gate)
            except GateError as exc:
                raise InterventionError(str(exc)) from None
            units = None if c.units is None else _units(c.units, f"the {spoken(gate)} clamp")
            clamps.append(Clamp(gate, value, units))
        object.__setattr__(self, "clamps", tuple(clamps))
        if self.knockout != ALL:
            object.__setattr__(self, "knockout", _units(self.knockout, "knockout"))
        w = self.wipe_after
        if w is not None and (isinstance(w, bool) or not isinstance(w, int) or w < 0):
            raise InterventionError(f"wipe-after must be a whole number of steps ≥ 0, got {w!r}")

    @property
    def is_empty(self) -> bool:
        return not self.clamps and not self.knockout and self.wipe_after is None

    def knocked_out(self, hidden_size: int) -> list[int]:
        """The knocked-out unit indices for a network of ``hidden_size`` units."""
        return list(range(hidden_size)) if self.knockout == ALL else list(self.knockout)

    def describe(self) -> list[str]:
        """One plain-language line per change, e.g. "forget gate held at 0 (every unit)"."""
        lines = [
            f"{spoken(c.gate)} gate held at {c.value:g} ({_unit_words(c.units)})"
            for c in self.clamps
        ]
        if self.knockout == ALL:
            lines.append("every unit knocked out (its h and c are 0 at every step)")
        elif self.knockout:
            lines.append(f"{_unit_words(self.knockout)} knocked out (h and c are 0 at every step)")
        if self.wipe_after is not None:
            lines.append(f"memory wiped (c and h set to 0) after step {self.wipe_after}")
        return lines


def _units(units: object, what: str) -> tuple[int, ...]:
    if not isinstance(units, tuple | list) or not all(
        isinstance(u, int | np.integer) and not isinstance(u, bool) for u in units
    ):
        raise InterventionError(f"{what}: units must be whole numbers, got {units!r}")
    bad = [int(u) for u in units if u < 0]
    if bad:
        raise InterventionError(f"{what}: unit {bad[0]} is out of range (units count from 0)")
    return tuple(sorted({int(u) for u in units}))


def _unit_words(units: tuple[int, ...] | None) -> str:
    if units is None:
        return "every unit"
    return f"unit{'s' if len(units) > 1 else ''} {', '.join(str(u) for u in units)}"


def check_fits(intervention: Intervention, config: ModelConfig) -> None:
    """Refuse gates the model does not have and units past its hidden size."""
    H = config.hidden_size
    for c in intervention.clamps:
        try:
            resolve_gate(c.gate, config.kind)
        except GateError as exc:
            raise InterventionError(str(exc)) from None
    groups = [(f"the {spoken(c.gate)} clamp", c.units or ()) for c in intervention.clamps]
    if intervention.knockout != ALL:
        groups.append(("knockout", intervention.knockout))
    for what, units in groups:
        for u in units:
            if u >= H:
                raise InterventionError(
                    f"{what}: unit {u} is out of range; the network has {H} hidden units "
                    f"(0–{H - 1})"
                )


def run_intervened(
    network: Network,
    params: ParamSet,
    inputs: np.ndarray,
    intervention: Intervention,
    state: State | None = None,
    start: int = 0,
) -> Trace:
    """Forward ``inputs`` (T, B) with ``intervention`` applied, every step kept.

    ``start`` is the index of the first step in the whole run (a generation continuing
    a prefix passes the prefix length), so ``wipe_after`` counts from the run's start.
    The model's own training clamps apply first; the intervention's on top of them.
    ``final_state`` is the state after the last step (every sequence full length).
    """
    check_fits(intervention, network.config)
    inputs = np.asarray(inputs, dtype=np.int64)
    steps, batch = inputs.shape if inputs.ndim == 2 else (0, 0)
    if inputs.ndim != 2 or steps == 0:
        raise ValueError("inputs must be (T, B) symbol ids with T ≥ 1")
    if inputs.min() < 0 or inputs.max() >= network.config.vocab_size:
        raise ValueError("symbol id out of range for this vocabulary")
    config = network.config
    own = tuple(Clamp(g, v) for g, v in config.clamp)
    cell = make_cell(config.kind, own + intervention.clamps)
    H = config.hidden_size
    ko = intervention.knocked_out(H)
    current = tuple(s.copy() for s in initial_state(state, cell.n_states, batch, H, network.dtype))
    # Pieces between the points where the state is changed from outside the cell:
    # the wipe, and with a knockout every step.
    wipe = None if intervention.wipe_after is None else intervention.wipe_after - start
    cuts = {0, steps} | (set(range(steps)) if ko else set())
    if wipe is not None and 0 <= wipe < steps:
        cuts.add(wipe)
    bounds = sorted(cuts)
    pieces: list[Cache] = []
    with np.errstate(all="ignore"):  # non-finite values are shown, not warned about
        for a, b in itertools.pairwise(bounds):
            if a == wipe:
                for s in current:
                    s[...] = 0
            for s in current:
                s[:, ko] = 0
            cache = cell.forward(params, inputs[a:b], current)  # fresh arrays: kept
            cache.hidden[1:, :, ko] = 0
            if cache.cell is not None:
                cache.cell[1:, :, ko] = 0
            pieces.append(cache)
            ends = (cache.hidden, cache.cell) if cache.cell is not None else (cache.hidden,)
            current = tuple(x[-1].copy() for x in ends)
    hidden = np.concatenate([p.hidden[1:] for p in pieces])  # (T, B, H)
    cell_values = None
    if pieces[0].cell is not None:
        cell_values = np.concatenate([p.cell[1:] for p in pieces if p.cell is not None])
    gates = {k: np.concatenate([p.gates[k] for p in pieces]) for k in pieces[0].gates}
    return Trace(
        kind=config.kind,
        inputs=inputs,
        gates=gates,
        hidden=hidden,
        cell=cell_values,
        probs=network.probabilities(params, hidden),
        final_state=current,
    )


def intervention_to_dict(intervention: Intervention) -> dict[str, Any]:
    """JSON-ready form (for the window's ``project.ui``): read back by
    :func:`intervention_from_dict`."""
    return {
        "clamps": [
            {"gate": c.gate, "value": c.value, "units": None if c.units is None else list(c.units)}
            for c in intervention.clamps
        ],
        "knockout": ALL if intervention.knockout == ALL else list(intervention.knockout),
        "wipe_after": intervention.wipe_after,
    }


def intervention_from_dict(data: object) -> Intervention:
    """The intervention :func:`intervention_to_dict` wrote; :class:`InterventionError`
    (one line) for anything else.  Check it against a model with :func:`check_fits`."""
    if not isinstance(data, dict) or set(data) - {"clamps", "knockout", "wipe_after"}:
        raise InterventionError("an experiment must be an object with clamps, knockout, wipe_after")
    clamps = data.get("clamps", [])
    if not isinstance(clamps, list) or not all(
        isinstance(c, dict)
        and set(c) <= {"gate", "value", "units"}
        and isinstance(c.get("gate"), str)
        for c in clamps
    ):
        raise InterventionError("an experiment's clamps must be a list of {gate, value, units}")
    knockout = data.get("knockout", [])
    units = [c.get("units") for c in clamps] + ([] if knockout == ALL else [knockout])
    if not all(u is None or isinstance(u, list) for u in units):
        raise InterventionError("an experiment's units must be lists of unit numbers")
    return Intervention(
        clamps=tuple(
            Clamp(c["gate"], c.get("value"), None if c.get("units") is None else tuple(c["units"]))
            for c in clamps
        ),
        knockout=ALL if knockout == ALL else tuple(knockout),
        wipe_after=data.get("wipe_after"),
    )
