"""The small pieces on their own: log slider, stop condition, progress, previews, banner."""

from __future__ import annotations

import math

import pytest
from pytestqt.qtbot import QtBot

from app.analysis.stop import format_duration, stop_progress
from app.data import TokenizerSpec
from app.engine.trainer import EpochReport
from app.ui.train_tab.lr_control import (
    LR_MAX,
    LR_MIN,
    LearningRateControl,
    lr_to_slider,
    slider_to_lr,
)
from app.ui.train_tab.stop_condition import StopConditionEdit
from app.ui.train_tab.token_preview import preview_html, vocabulary_html
from app.ui.widgets.banner import Banner


def report(epoch: int, loss: float, accuracy: float) -> EpochReport:
    return EpochReport(epoch, loss, accuracy, None, None, 1.0, 0.01, 0.01 * epoch, 1, epoch,
                       100.0, 0.01)  # fmt: skip


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


@pytest.mark.parametrize(
    ("kind", "target", "epoch", "end", "expected"),
    [
        ("none", 0, 5, None, None),
        ("epochs", 10, 5, None, 0.0),  # not started: the count begins at Train
        ("epochs", 10, 45, 50, 0.5),  # 10 more from epoch 40
        ("epochs", 10, 50, 50, 1.0),
        ("accuracy", 0.8, 5, None, 0.5),
        ("loss", 0.01, 5, None, 0.5),  # log scale: 1 → 0.1 is half way from 1 to 0.01
    ],
)
def test_stop_progress(
    kind: str, target: float, epoch: int, end: int | None, expected: float | None
) -> None:
    first, last = report(1, 1.0, 0.2), report(epoch, 0.1, 0.4)
    progress = stop_progress(kind, target, epoch, first, last, end)
    assert progress == expected or math.isclose(progress or 0, expected or 0)


def test_format_duration() -> None:
    assert format_duration(42.4) == "42 s"
    assert format_duration(185) == "3:05"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(float("inf")) == "\u2014"


def test_previews_escape_and_show_spaces() -> None:
    html = preview_html("<b> & a\nx y", TokenizerSpec("chars"))
    assert "&lt;" in html and "&amp;" in html and "<b>" not in html
    assert "\u2423" in html  # a visible space
    assert "Vocabulary: 1 symbol<" in vocabulary_html(["a"])
    assert "more" in vocabulary_html([f"s{i}" for i in range(100)])
    assert "appear here" in preview_html("", TokenizerSpec("words"))


def test_banner(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show()
    banner.hide()
    banner.show_message("Loss became NaN", "error")
    assert banner.isVisible() and banner.kind == "error"
    banner.close_button.click()
    assert not banner.isVisible()
