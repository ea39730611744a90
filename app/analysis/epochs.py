"""Stored epochs: the one nearest an epoch asked for, and stepping from one to the next.

Training keeps weights for only some epochs (every one early on, then thinned), so an
epoch picker snaps to the nearest stored epoch and its arrows go from stored epoch to
stored epoch.  Plain Python (no Qt); ``epochs`` is always sorted, as
``TrainingController.snapshot_epochs()`` returns it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence


def nearest(epochs: Sequence[int], epoch: int) -> int | None:
    """The stored epoch closest to ``epoch`` (ties go to the earlier, as the store does).

    None when ``epochs`` is empty.
    """
    if not epochs:
        return None
    i = bisect.bisect_left(epochs, epoch)
    if i == 0:
        return epochs[0]
    if i == len(epochs):
        return epochs[-1]
    before, after = epochs[i - 1], epochs[i]
    return before if epoch - before <= after - epoch else after


def step(epochs: Sequence[int], epoch: int, n: int) -> int | None:
    """The stored epoch ``n`` places after (``n`` < 0: before) ``epoch``, clamped.

    ``epoch`` need not be stored (it may have been typed, or thinned away): one step up
    is then the first stored epoch above it, one step down the last one below it, and
    ``n`` = 0 the nearest.  None when ``epochs`` is empty.
    """
    if not epochs:
        return None
    if n > 0:
        i = bisect.bisect_right(epochs, epoch) + n - 1
    elif n < 0:
        i = bisect.bisect_left(epochs, epoch) + n
    else:
        return nearest(epochs, epoch)
    return epochs[max(0, min(len(epochs) - 1, i))]
