"""``--clamp``, ``--knockout`` and ``--wipe-after``: the flags of an experiment, read.

Never imports Qt.  ``--clamp`` takes ``GATE=V`` (either gate word: forget, ignore/input,
select/output, possibilities/candidate, reset, update), several at once separated by
commas, and ``GATE@UNITS=V`` for chosen units only; units are ``0,3,5``, ranges ``2-5``
or ``all``, counted from 0 like the window's heatmap rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from app.cli.common import CliError
from app.engine.config import ModelConfig
from app.engine.gates import Clamp, spoken
from app.engine.intervene import ALL, Intervention, InterventionError, check_fits
from app.engine.network import Trace

_ITEM = re.compile(r"\s*([^=@\s]+)\s*(?:@\s*([^=]*?))?\s*=\s*(.*?)\s*")


def parse_units(text: str, where: str, hidden: int) -> tuple[int, ...] | Literal["all"]:
    """``"0,3,5"``, ``"2-5"`` (both ends included), a mix, or ``"all"``, of ``hidden``;
    ``where`` starts an error message (the flag and its value)."""
    if text.strip().lower() == ALL:
        return ALL
    units: list[int] = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{1,7})\s*(?:-\s*(\d{1,7})\s*)?", part)
        if m is None:
            raise CliError(
                f"{where}: units must be numbers from 0 like 0,3,5 or ranges like 2-5, or all"
            )
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise CliError(f"{where}: the range {lo}-{hi} runs backwards")
        if hi >= hidden:
            raise CliError(
                f"{where}: unit {hi} is out of range; the network has {hidden} hidden "
                f"units (0–{hidden - 1})"
            )
        units.extend(range(lo, hi + 1))
    return tuple(units)


def parse_clamps(texts: Sequence[str], hidden: int | None) -> list[Clamp]:
    """Each ``--clamp`` value, split at commas that start a new gate (``forget@0,3=0``
    keeps its units together).  ``hidden`` None: no ``@UNITS`` (a model's own clamp)."""
    clamps = []
    for text in texts:
        for item in re.split(r",(?=\s*[A-Za-z])", text):
            m = _ITEM.fullmatch(item)
            if m is None:
                raise CliError(f"--clamp {item.strip()!r}: expected GATE=VALUE, e.g. forget=0")
            gate, units_text, value_text = m[1], m[2], m[3]
            try:
                value = float(value_text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or not 0 <= value <= 1:
                raise CliError(f"--clamp {item.strip()!r}: the value must be a number from 0 to 1")
            units: tuple[int, ...] | None = None
            if units_text is not None:
                if hidden is None:
                    raise CliError(
                        f"--clamp {item.strip()!r}: a trained clamp holds the gate for every "
                        "unit (GATE@UNITS is for predict)"
                    )
                parsed = parse_units(units_text, f"--clamp {item.strip()!r}", hidden)
                units = None if parsed == ALL else parsed
            clamps.append(Clamp(gate, value, units))
    return clamps


def intervention_from_args(args: Any, config: ModelConfig) -> Intervention:
    """The experiment ``predict``'s flags ask for, checked against the model."""
    knockout: tuple[int, ...] | Literal["all"] = ()
    if args.knockout is not None:
        where = f"--knockout {args.knockout!r}"
        knockout = parse_units(args.knockout, where, config.hidden_size)
    try:
        intervention = Intervention(
            clamps=tuple(parse_clamps(args.clamp or (), config.hidden_size)),
            knockout=knockout,
            wipe_after=args.wipe_after,
        )
        check_fits(intervention, config)
    except InterventionError as exc:
        raise CliError(str(exc)) from None
    return intervention


def step_values(trace: Trace, t: int) -> dict[str, Any]:
    """Step ``t``'s gates, hidden state and (LSTM) memory of sequence 0, as JSON lists."""
    out: dict[str, Any] = {
        "gates": {name: _floats(v[t, 0]) for name, v in trace.gates.items()},
        "hidden": _floats(trace.hidden[t, 0]),
    }
    if trace.cell is not None:
        out["cell"] = _floats(trace.cell[t, 0])
    return out


def _floats(values: np.ndarray) -> list[float | None]:
    """Floats for JSON (which has no NaN: non-finite values become ``null``)."""
    v = values.astype(np.float64)
    return [float(x) if math.isfinite(x) else None for x in v.tolist()]


def clamp_words(model: ModelConfig) -> str:
    """``", forget gate held at 1"`` for a model trained with a clamp; ``""`` without."""
    return "".join(f", {spoken(g)} gate held at {v:g}" for g, v in model.clamp)
