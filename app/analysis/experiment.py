"""What an experiment did, in one plain-language line: the intervened run read against
the untouched one ("with the forget gate shut, it predicts “Jane” after every word").

Qt-free: the window's *Experiment* views show this line next to the two runs (see
:func:`~app.analysis.sequence_view.view_at` and its ``intervention``).
"""

from __future__ import annotations

from app.analysis.sequence_view import SequenceView
from app.engine.gates import LECTURE
from app.engine.intervene import ALL, Intervention


def phrase(intervention: Intervention) -> str:
    """The intervention as a clause: "the forget gate shut and unit 3 knocked out"."""
    parts = []
    for c in intervention.clamps:
        name = LECTURE.get(c.gate, c.gate)
        if c.gate == "candidate":
            what = f"the {name} held at {c.value:g}"
        elif c.value == 0:
            what = f"the {name} gate shut"
        elif c.value == 1:
            what = f"the {name} gate wide open"
        else:
            what = f"the {name} gate held at {c.value:g}"
        if c.units is not None:
            what += f" for unit{'s' if len(c.units) > 1 else ''} {_list(c.units)}"
        parts.append(what)
    if intervention.knockout == ALL:
        parts.append("every unit knocked out")
    elif intervention.knockout:
        n = len(intervention.knockout)
        parts.append(f"unit{'s' if n > 1 else ''} {_list(intervention.knockout)} knocked out")
    if intervention.wipe_after is not None:
        parts.append(f"the memory wiped after step {intervention.wipe_after}")
    if not parts:
        return "nothing changed"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def reading(plain: SequenceView, changed: SequenceView, intervention: Intervention) -> str:
    """One line comparing the intervened run ``changed`` with the untouched ``plain``."""
    what = f"With {phrase(intervention)}"
    before, after = plain.predicted, changed.predicted
    right = f"{int(changed.correct.sum())} of {changed.steps} right"
    was = f"untouched: {int(plain.correct.sum())} of {plain.steps}"
    if before == after:
        return f"{what}, it guesses exactly as before ({right}): this change does not matter here."
    if len(set(after)) == 1 and changed.steps > 1:
        return f"{what}, it predicts “{after[0]}” after every word ({right}; {was})."
    t = next(k for k in range(changed.steps) if before[k] != after[k])
    read = changed.tokens[t]
    return (
        f"{what}, it predicts “{after[t]}” after “{read}” (step {t + 1}) where it said "
        f"“{before[t]}”, and gets {right} ({was})."
    )


def _list(units: tuple[int, ...]) -> str:
    shown = ", ".join(str(u) for u in units[:8])
    return shown + (f" … ({len(units)} units)" if len(units) > 8 else "")
