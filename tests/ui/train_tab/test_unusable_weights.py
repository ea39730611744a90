"""The Train tab with weights that hold NaN (FORMAT.md allows them): a banner, no NaN drawn."""

from __future__ import annotations

import math
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.project import save_project
from app.ui.shell import help_text
from app.ui.shell.window import MainWindow
from tests.project.helpers import make_project
from tests.ui.conftest import FileDialogs


def test_nan_weights_show_a_banner_instead_of_plots_and_reset_clears_it(
    window: MainWindow, file_dialogs: FileDialogs, qtbot: QtBot, tmp_path: Path
) -> None:
    project = make_project(2)
    assert project.trainer_state is not None
    project.trainer_state.params["Wh"].fill(math.nan)
    path = tmp_path / "nan.lstmproj"
    save_project(project, path)
    file_dialogs.next_open(path)
    window.menu_actions.open.trigger()
    plots = window.plots
    qtbot.waitUntil(lambda: plots.banner.isVisible())
    assert plots.banner.message.text() == help_text.UNUSABLE_WEIGHTS
    plots.flush()
    assert plots.gates.view is None and plots.predictions.view is None

    window.menu_actions.reset.trigger()
    qtbot.waitUntil(lambda: plots.gates.view is not None)
    assert not plots.banner.isVisible()
    assert math.isfinite(float(plots.gates.view.probs.sum()))
