"""A typed learning rate outside the range is refused out loud, and the range's top end
still teaches what the tooltip promises: too big a rate makes the loss shoot up."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.data.presets import load_preset
from app.engine.config import ConfigError, TrainConfig
from app.ui.document.document import DEFAULT_PRESET, project_from_preset
from app.ui.shell import help_text
from app.ui.train_tab.lr_control import LR_MAX, LR_MIN, LearningRateControl


def type_rate(qtbot: QtBot, control: LearningRateControl, text: str) -> None:
    edit = control.spin.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


@pytest.fixture
def control(qtbot: QtBot) -> LearningRateControl:
    control = LearningRateControl()
    qtbot.addWidget(control)
    control.set_value(0.02)
    control.show()
    qtbot.waitExposed(control)
    control.spin.setFocus()
    return control


def test_a_rate_out_of_range_is_refused_with_the_reason(
    qtbot: QtBot, control: LearningRateControl
) -> None:
    seen: list[float] = []
    control.value_changed.connect(seen.append)
    type_rate(qtbot, control, "100")
    assert control.is_red()
    assert control.refused() and "100 is outside" in control.message.text()
    assert "0.00001 to 10" in control.message.text()
    qtbot.keyClick(control.spin.lineEdit(), Qt.Key.Key_Return)
    assert seen == [] and control.value() == 0.02  # refused: the rate in use stays
    assert control.message.isVisibleTo(control) and "it stays 0.02" in control.message.text()
    assert not control.is_red()  # the box shows the rate in use again
    type_rate(qtbot, control, "10")
    qtbot.keyClick(control.spin.lineEdit(), Qt.Key.Key_Return)
    assert seen == [10.0] and not control.refused()  # in range: taken, the message gone


@pytest.mark.parametrize("typed", ["0", "-1", "1e-7", "1e3"])
def test_every_kind_of_out_of_range_says_so(
    qtbot: QtBot, control: LearningRateControl, typed: str
) -> None:
    type_rate(qtbot, control, typed)
    qtbot.keyClick(control.spin.lineEdit(), Qt.Key.Key_Return)
    assert control.value() == 0.02 and f"{typed} is outside" in control.message.text()


def test_the_control_offers_exactly_what_the_engine_accepts() -> None:
    TrainConfig(learning_rate=LR_MAX)
    TrainConfig(learning_rate=LR_MIN)
    with pytest.raises(ConfigError):
        TrainConfig(learning_rate=LR_MAX * 1.001)


def test_the_top_of_the_range_makes_the_loss_shoot_up_as_the_tooltip_says() -> None:
    """The default preset, untouched but for the rate: at the range's top the first
    epoch's loss is far above a blind guess's (it goes up, not down), at the default
    rate it goes down."""
    assert "shoots up" in help_text.LEARNING_RATE and "NaN" not in help_text.LEARNING_RATE
    project = project_from_preset(load_preset(DEFAULT_PRESET))
    losses = {}
    for lr in (project.train.learning_rate, LR_MAX):
        trainer = replace(project, train=replace(project.train, learning_rate=lr)).make_trainer()
        losses[lr] = [r.train_loss for r in trainer.run(5)]
    blind = losses[project.train.learning_rate][0]  # about log(3): a guess among 3 dinners
    assert losses[project.train.learning_rate][-1] < blind
    assert max(losses[LR_MAX]) > 3 * blind
