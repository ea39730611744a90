"""The bounded history: every epoch up to its capacity, then evenly thinned."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from app.engine.history import History


@dataclass(frozen=True)
class Report:
    epoch: int


def _epochs(history: History[Report]) -> list[int]:
    return [r.epoch for r in history]


def test_every_epoch_is_kept_up_to_the_capacity() -> None:
    h: History[Report] = History(capacity=10)
    h.add_all(Report(e) for e in range(1, 11))
    assert _epochs(h) == list(range(1, 11)) and h.stride == 1


@pytest.mark.parametrize("n", [11, 37, 100, 1000, 4097])
def test_past_the_capacity_first_last_and_multiples_of_the_stride_stay(n: int) -> None:
    h: History[Report] = History(capacity=10)
    for e in range(1, n + 1):
        h.add(Report(e))
        assert len(h) <= 10 and h[0].epoch == 1 and h[-1].epoch == e
    middle = _epochs(h)[1:-1]
    assert h.stride > 1 and h.stride & (h.stride - 1) == 0  # a power of two
    assert middle == [e for e in range(2, n) if e % h.stride == 0]  # evenly spread
    assert len(h) > 10 // 2 - 2  # thinning halves, never more


def test_batches_or_one_by_one_give_the_same_reports() -> None:
    """What lets the window's copy (fed by frames) match the trainer's (fed per epoch)."""
    reports = [Report(e) for e in range(1, 2000)]
    one_by_one: History[Report] = History(capacity=64)
    for r in reports:
        one_by_one.add(r)
    rng = random.Random(7)
    for _ in range(5):
        batched: History[Report] = History(capacity=64)
        i = 0
        while i < len(reports):
            k = rng.randint(0, 60)
            batched.add_all(reports[i : i + k])
            i += k
        assert _epochs(batched) == _epochs(one_by_one)
        assert batched.stride == one_by_one.stride
    copied = one_by_one.copy()
    copied.add(Report(2000))
    one_by_one.add(Report(2000))
    assert _epochs(copied) == _epochs(one_by_one) and isinstance(copied, History)


def test_a_long_list_is_thinned_when_made_and_gaps_are_fine() -> None:
    h = History([Report(e) for e in range(1, 101)], capacity=10)
    assert len(h) <= 10 and h[0].epoch == 1 and h[-1].epoch == 100
    gappy = History([Report(e) for e in (1, 4, 8, 12)], capacity=10)
    gappy.add(Report(13))
    assert _epochs(gappy) == [1, 4, 8, 12, 13]
    with pytest.raises(ValueError):
        History(capacity=1)
