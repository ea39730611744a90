"""The untouched run and the run with the experiment, lined up step by step.

Three rows over the steps near the one on screen — the symbol read, what the untouched
network predicts, what it predicts with the experiment (✓ right, ✗ wrong) — then the
one-line reading from :func:`app.analysis.experiment.reading`.  Shared by *Inside the
cell* and the Train tab.
"""

from __future__ import annotations

import html

from app.analysis.experiment import reading
from app.analysis.sequence_view import SequenceView
from app.data.tokenize import display_symbol
from app.engine.intervene import Intervention
from app.ui.plots import _theme as theme
from app.ui.widgets.experiment_panel import ACCENT

WINDOW = 12  # steps shown in the strip around the current one
RIGHT = "#009E73"


def _cell(symbol: str, ok: bool | None) -> str:
    mark = "" if ok is None else (" ✓" if ok else " ✗")
    color = theme.FOREGROUND if ok is None else (RIGHT if ok else theme.WRONG)
    return f"<span style='color:{color}'>{html.escape(display_symbol(symbol))}{mark}</span>"


def comparison_html(
    plain: SequenceView, changed: SequenceView, intervention: Intervention, t: int | None = None
) -> str:
    """Three rows over the steps near ``t`` (framed; None: from the first step, none
    framed): read, untouched, with the experiment."""
    lo = 0 if t is None else max(0, min(t - WINDOW // 2, plain.steps - WINDOW))
    hi = min(plain.steps, lo + WINDOW)
    rows: dict[str, list[str]] = {"reads": [], "untouched": [], "experiment": []}
    for k in range(lo, hi):
        frame = f" style='border: 2px solid {ACCENT}; background:#fff3e6'" if k == t else ""
        wiped = (
            f"<span style='color:{ACCENT}'>wiped→ </span>" if intervention.wipe_after == k else ""
        )
        rows["reads"].append(f"<td{frame}>{wiped}<b>{_cell(plain.tokens[k], None)}</b></td>")
        for name, view in (("untouched", plain), ("experiment", changed)):
            ok = bool(view.correct[k])
            rows[name].append(f"<td{frame}>{_cell(view.predicted[k], ok)}</td>")
    heads = {
        "reads": "reads",
        "untouched": "untouched predicts",
        "experiment": f"<span style='color:{ACCENT}'>experiment predicts</span>",
    }
    more = ("… " if lo > 0 else "", " …" if hi < plain.steps else "")
    body = "".join(
        f"<tr><td style='color:{theme.MUTED}'>{heads[name]}</td><td>{more[0]}</td>"
        f"{''.join(cells)}<td>{more[1]}</td></tr>"
        for name, cells in rows.items()
    )
    line = html.escape(reading(plain, changed, intervention))
    return f"<table cellspacing='0' cellpadding='3'>{body}</table><i>{line}</i>"
