"""The intervened view of a sequence and its one-line reading against the untouched one."""

from __future__ import annotations

import numpy as np

from app.analysis.experiment import phrase, reading
from app.analysis.sequence_view import SequenceView, make_sequence_view
from app.engine.config import ModelConfig
from app.engine.gates import Clamp
from app.engine.intervene import ALL, Intervention
from app.engine.network import Network

VOCAB = ("Doug", "saw", "Jane", ".")
WORDS = ("Doug", "saw", "Jane", ".", "Jane", "saw", "Doug", ".")


def _views(intervention: Intervention) -> tuple[SequenceView, SequenceView]:
    network = Network(ModelConfig(vocab_size=4, hidden_size=5))
    params = network.init_params(np.random.default_rng(2))
    params.buffer[...] *= 4  # decided guesses, so the runs differ visibly
    ids = np.array([VOCAB.index(w) for w in WORDS])
    plain = make_sequence_view(network, params, ids, WORDS, VOCAB, 0, 7)
    changed = make_sequence_view(network, params, ids, WORDS, VOCAB, 0, 7, intervention)
    return plain, changed


def test_the_intervened_view_is_the_intervened_run() -> None:
    plain, changed = _views(Intervention(clamps=(Clamp("select", 0.0),)))
    assert not changed.hidden.any() and plain.hidden.any()
    assert (changed.probs == changed.probs[0]).all()
    same, _ = _views(Intervention())
    np.testing.assert_array_equal(same.probs, plain.probs)


def test_the_reading_names_the_change_and_what_it_did() -> None:
    iv = Intervention(clamps=(Clamp("select", 0.0),))
    plain, changed = _views(iv)
    line = reading(plain, changed, iv)
    guess = changed.predicted[0]
    assert line.startswith(f"With the select gate shut, it predicts “{guess}” after every word")
    iv = Intervention(wipe_after=3)
    plain, changed = _views(iv)
    line = reading(plain, changed, iv)
    assert line.startswith("With the memory wiped after step 3, it ")
    late = Intervention(wipe_after=99)
    assert "guesses exactly as before" in reading(*_views(late), late)


def test_phrases() -> None:
    clamps = (Clamp("forget", 1.0), Clamp("candidate", 0.0), Clamp("input", 0.5, (1, 2)))
    assert phrase(Intervention(clamps=clamps, knockout=ALL)) == (
        "the forget gate wide open, the possibilities held at 0, the ignore gate held at 0.5 "
        "for units 1, 2 and every unit knocked out"
    )
    assert phrase(Intervention(knockout=(3,))) == "unit 3 knocked out"
