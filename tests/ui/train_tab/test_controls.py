"""The Train tab's controls on their own: the log slider, the stop condition, previews."""

from __future__ import annotations

import math

from pytestqt.qtbot import QtBot

from app.data import TokenizerSpec
from app.ui.train_tab.lr_control import (
    LR_MAX,
    LR_MIN,
    LearningRateControl,
    lr_to_slider,
    slider_to_lr,
)
from app.ui.train_tab.stop_condition import StopConditionEdit
from app.ui.train_tab.token_preview import preview_html, vocabulary_html


def test_the_learning_rate_slider_is_logarithmic() -> None:
    assert slider_to_lr(0) == LR_MIN
    assert slider_to_lr(lr_to_slider(LR_MAX)) == LR_MAX
    assert slider_to_lr(lr_to_slider(0.01)) == 0.01
    assert lr_to_slider(0.001) - lr_to_slider(0.0001) == lr_to_slider(1.0) - lr_to_slider(0.1)
    assert lr_to_slider(1e-9) == 0 and lr_to_slider(1e9) == lr_to_slider(LR_MAX)


def test_learning_rate_control_emits_once_per_change(qtbot: QtBot) -> None:
    control = LearningRateControl()
    qtbot.addWidget(control)
    seen: list[float] = []
    control.value_changed.connect(seen.append)
    control.set_value(0.02)
    assert seen == []  # showing a value is no change
    control.spin.setValue(0.3)
    assert seen == [0.3]
    control.slider.setValue(lr_to_slider(0.001))
    assert seen[-1] == 0.001 and control.spin.value() == 0.001
    control.spin.stepBy(10)  # one decade per ten steps
    assert math.isclose(control.value(), 0.01)
    assert control.spin.textFromValue(0.02) == "0.02"


def test_stop_condition_edit(qtbot: QtBot) -> None:
    edit = StopConditionEdit()
    qtbot.addWidget(edit)
    seen: list[tuple[str, float]] = []
    edit.changed.connect(lambda k, v: seen.append((k, v)))
    edit.set_condition("accuracy", 0.95)
    assert (edit.kind(), edit.value()) == ("accuracy", 0.95)
    assert edit.value_spin.suffix() == " %"
    assert seen == []
    edit.kind_combo.setCurrentIndex(edit.kind_combo.findData("loss"))
    assert seen == [("loss", 0.05)]
    edit.set_condition("bogus", 3)
    assert edit.kind() == "none" and edit.value_spin.isHidden()


def test_previews_escape_and_show_spaces() -> None:
    html = preview_html("<b> & a\nx y", TokenizerSpec("chars"))
    assert "&lt;" in html and "&amp;" in html and "<b>" not in html
    assert "\u2423" in html  # a visible space
    assert "Vocabulary: 1 symbol<" in vocabulary_html(["a"])
    assert "more" in vocabulary_html([f"s{i}" for i in range(100)])
    assert "appear here" in preview_html("", TokenizerSpec("words"))
