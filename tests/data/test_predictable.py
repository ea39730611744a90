"""Which predictions are determined by their prefix, and the best reachable accuracy."""

from __future__ import annotations

import math

import numpy as np

from app.data.predictable import best_possible_accuracy, prefix_determined


def test_ambiguous_prefix_is_found() -> None:
    seqs = [["a", "b", "c"], ["a", "b", "d"], ["b", "b"]]
    masks = prefix_determined(seqs)
    assert [m.tolist() for m in masks] == [[True, False], [True, False], [True]]
    assert all(m.dtype == bool for m in masks)
    assert best_possible_accuracy(seqs) == 4 / 5


def test_prefixes_start_at_the_beginning_of_a_line() -> None:
    # "b" is followed by "c" inside line 1 and by "x" at the start of line 2: no clash.
    seqs = [["a", "b", "c"], ["b", "x"]]
    assert all(m.all() for m in prefix_determined(seqs))
    assert best_possible_accuracy(seqs) == 1.0


def test_works_on_id_arrays() -> None:
    seqs = [np.array([0, 1, 2]), np.array([0, 1, 0])]
    assert [m.tolist() for m in prefix_determined(seqs)] == [[True, False], [True, False]]


def test_nothing_to_predict() -> None:
    assert math.isnan(best_possible_accuracy([]))
    assert math.isnan(best_possible_accuracy([["a"]]))
    assert [m.tolist() for m in prefix_determined([["a"]])] == [[]]
