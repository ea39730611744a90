"""Are a model's weights usable?  One sentence for every layer to show when they are not.

A project file may hold NaN or infinite weights (the format allows any float); nothing
computed from them means anything.  Every consumer — the trainer, the command line,
the window's views — asks :func:`nonfinite_weights` first and shows its sentence
instead of a traceback, NaN probabilities or a misleading blame.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

Shapes = Mapping[str, tuple[int, ...]]


def _named(
    weights: Mapping[str, np.ndarray] | np.ndarray, shapes: Shapes | None
) -> list[tuple[str, np.ndarray]]:
    if isinstance(weights, Mapping):
        return [(name, np.asarray(a)) for name, a in weights.items()]
    flat = np.asarray(weights).reshape(-1)
    if shapes is None:
        return [("", flat)]
    out, start = [], 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        out.append((name, flat[start : start + size]))
        start += size
    return out


def nonfinite_weights(
    weights: Mapping[str, np.ndarray] | np.ndarray, shapes: Shapes | None = None
) -> str | None:
    """``None`` when every weight is a finite number, else what is wrong, in words.

    ``weights`` is the named arrays (``{"Wx": …}``) or one flat buffer (a snapshot),
    whose parts ``shapes`` names.  The sentence starts with "the weights hold …",
    e.g. ``"the weights hold NaN (12 of 3,456 values, in Wx and b)"``.
    """
    named = _named(weights, shapes)
    total = sum(a.size for _, a in named)
    nan = inf = 0
    where: list[str] = []
    for name, a in named:
        if a.dtype.kind not in "fc":
            continue
        with np.errstate(all="ignore"):
            finite = np.isfinite(a)
        if finite.all():
            continue
        n_nan = int(np.isnan(a).sum())
        nan += n_nan
        inf += int(a.size - finite.sum()) - n_nan
        if name:
            where.append(name)
    if not nan and not inf:
        return None
    kinds = " and ".join(k for k, n in (("NaN", nan), ("infinite values", inf)) if n)
    place = ""
    if where:
        shown = where if len(where) <= 4 else [*where[:4], f"{len(where) - 4} more"]
        place = ", in " + (" and ".join(shown) if len(shown) <= 2 else ", ".join(shown))
    return f"the weights hold {kinds} ({nan + inf:,} of {total:,} values{place})"
