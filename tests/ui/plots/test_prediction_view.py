"""PredictionView: the probabilities, true-next marks, mistakes, the written-out prediction."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.ui.plots import PredictionView
from app.ui.plots import _theme as theme
from app.ui.tabs.symbols import spoken_symbol

VOCAB = ("Doug", "saw", "Jane", "Spot", ".")


def story_view(make_view, wrong_at=(2,)):
    """The story "Doug saw Jane . Jane saw Spot .", the argmax wrong at ``wrong_at``."""
    tokens = ("Doug", "saw", "Jane", ".", "Jane", "saw", "Spot", ".")
    probs = np.full((7, 5), 0.05)
    for t, nxt in enumerate(tokens[1:]):
        k = VOCAB.index(nxt)
        if t in wrong_at:
            k = (k + 1) % 5
        probs[t, k] = 0.8
    base = make_view("lstm", steps=7, hidden=3, vocab=5)
    return replace(base, tokens=tokens, vocabulary=VOCAB, probs=probs)


@pytest.fixture
def pred(qtbot):
    widget = PredictionView()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_heatmap_is_the_probabilities(pred, make_view):
    view = make_view("gru", steps=9, hidden=4, vocab=6)
    pred.set_view(view)
    np.testing.assert_array_equal(pred.heatmap.image.image, view.probs)  # (steps, symbols)
    assert tuple(pred.heatmap.image.getLevels()) == (0, 1)
    assert pred.heatmap.x_axis.labels == view.tokens[:-1]
    assert pred.heatmap.y_axis.labels == view.vocabulary


def test_true_next_symbols_are_marked(pred, make_view):
    view = story_view(make_view)
    pred.set_view(view)
    np.testing.assert_array_equal(pred.target_marks.x, np.arange(7))
    np.testing.assert_array_equal(pred.target_marks.y, [VOCAB.index(s) for s in view.targets])


def test_wrong_predictions_are_highlighted(pred, make_view):
    view = story_view(make_view, wrong_at=(2, 5))
    pred.set_view(view)
    np.testing.assert_array_equal(pred.wrong_steps(), np.flatnonzero(~view.correct))
    np.testing.assert_array_equal(pred.wrong_steps(), [2, 5])
    np.testing.assert_array_equal(pred.wrong_marks.x, [2, 5])
    np.testing.assert_array_equal(pred.wrong_marks.y, view.probs.argmax(axis=1)[[2, 5]])
    assert pred.wrong_columns.rows == 5
    assert "5 of 7" in pred.summary.text() and "71%" in pred.summary.text()


def test_all_right_means_no_highlights(pred, make_view):
    pred.set_view(story_view(make_view, wrong_at=()))
    assert len(pred.wrong_steps()) == 0 and len(pred.wrong_marks.x) == 0
    assert "7 of 7" in pred.summary.text()


def test_the_prediction_is_written_out_with_mistakes_in_red(pred, make_view):
    view = story_view(make_view, wrong_at=(2,))
    pred.set_view(view)
    html = pred.sentence.text()
    for word in view.predicted:
        assert word in html
    wrong_word, truth = view.predicted[2], view.targets[2]
    assert f"text-decoration:underline'>{wrong_word}</span>" in html
    assert theme.WRONG_TEXT in html and f"({spoken_symbol(truth)})" in html  # ". full stop"
    assert "Doug</span> saw Jane" in html  # the given first word, then the predictions


def test_symbols_are_escaped_and_characters_join_without_spaces(pred, make_view):
    base = make_view("rnn", steps=3, hidden=2, vocab=4)
    vocab = ("a", "<", " ", "b")
    probs = np.eye(4)[[1, 2, 3]] * 0.9 + 0.025
    view = replace(base, tokens=("a", "<", " ", "b"), vocabulary=vocab, probs=probs)
    pred.set_view(view)
    assert "&lt;" in pred.sentence.text() and "<b>predicted:</b>" in pred.sentence.text()
    assert "&lt; b" in pred.sentence.text()  # "<", " ", "b" joined as text
    pred.set_tokenizer("sep:,")
    assert "&lt;, ,b" in pred.sentence.text()


def test_hover_reads_the_probability(pred, make_view, qtbot):
    view = story_view(make_view, wrong_at=(2,))
    pred.set_view(view)
    qtbot.wait(20)
    pred.graphics.scene().sigMouseMoved.emit(pred.heatmap.scene_pos_of(2, 2))
    text = pred.hover.text()
    assert "step 3 of 7" in text and "reading “Jane”" in text
    assert "P(next = “Jane”) = 0.050" in text and "true next “.”" in text and "wrong" in text


def test_large_vocabularies_label_only_what_fits(pred, make_view):
    view = make_view("lstm", steps=50, hidden=4, vocab=300)
    pred.set_view(view)
    axis = pred.heatmap.y_axis
    levels = axis.tickValues(-0.5, 299.5, 400)  # 300 rows in 400 pixels
    labelled = levels[0][1]
    assert 10 < len(labelled) < 40  # every k-th symbol, not 300 overlapping ones
    minor_spacing, minor = levels[1]
    assert axis.tickStrings(minor, 1, minor_spacing) == [""] * len(minor)  # unlabelled


def test_none_clears(pred, make_view):
    pred.set_view(story_view(make_view))
    pred.set_view(None)
    assert pred.heatmap.image.image is None and len(pred.target_marks.x) == 0
    assert pred.sentence.text() == ""


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_image(pred, make_view, tmp_path, suffix):
    pred.set_view(story_view(make_view))
    path = tmp_path / f"pred{suffix}"
    pred.export_image(str(path))
    data = path.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_a_full_stop_ends_its_sentence_and_a_wrong_one_is_named(pred, make_view):
    """Review 6: "predicted: Doug saw Jane . Jane saw Spot ." had a space before each
    full stop, and a wrong "." in red was a speck."""
    pred.set_view(story_view(make_view, wrong_at=()))
    assert "saw Jane. Jane saw Spot." in pred.sentence.text()
    pred.set_view(story_view(make_view, wrong_at=(6,)))  # after "Spot": "Doug", not "."
    assert "(. full stop)" in pred.sentence.text()
