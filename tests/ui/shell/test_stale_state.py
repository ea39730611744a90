"""Nothing stale on screen: the "Done" banner goes when what it spoke of changes, an
untrainable text empties the plots, and the status bar says why Train is disabled."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.shell.window import MainWindow
from tests.ui.conftest import Dialogs
from tests.ui.helpers import train_epochs


def done_banner(window: MainWindow) -> bool:
    banner = window.plots.banner
    return banner.isVisibleTo(window) and "Done" in banner.message.text()


def set_text(window: MainWindow, text: str) -> None:
    window.editor.text_edit.setPlainText(text)
    window.editor.commit_pending()


def test_the_done_banner_goes_when_what_it_spoke_of_changes(
    window: MainWindow, qtbot: QtBot, dialogs: Dialogs
) -> None:
    train_epochs(qtbot, window, 2)
    assert done_banner(window)
    window.menu_actions.reset.trigger()
    assert not done_banner(window)

    train_epochs(qtbot, window, 2)
    assert done_banner(window)
    combo = window.editor.tokenizer_combo
    combo.setCurrentIndex(combo.findData("chars"))  # waits: the trained model is kept
    qtbot.waitUntil(lambda: window.edits.pending is not None)
    assert done_banner(window)
    window.editor.apply_button.click()  # "Apply and reset the model"
    qtbot.waitUntil(lambda: window.document.project.tokenizer == "chars")
    assert not done_banner(window)

    train_epochs(qtbot, window, 2)
    assert done_banner(window)
    window.edits.set_learning_rate(0.05)  # a live setting: the run it reported is over
    assert not done_banner(window)

    train_epochs(qtbot, window, 2)
    window.edits.select_sequence(2)  # only what is looked at: the message stays
    assert done_banner(window)
    window.files.new_from_preset("doug-jane-spot")  # (unsaved work: discarded)
    assert not done_banner(window)


def test_an_untrainable_text_empties_the_plots_and_says_why(
    window: MainWindow, qtbot: QtBot
) -> None:
    plots, status = window.plots, window.status
    qtbot.waitUntil(lambda: plots.gates.view is not None)  # the untrained model, drawn
    assert status.state_label.text() == "Ready to train"
    for text, reason in (("", "no sequences yet"), ("pizza sushi\npizza\n", "only one symbol")):
        set_text(window, text)
        assert not window.menu_actions.train.isEnabled()
        assert plots.gates.view is None and plots.predictions.view is None
        assert plots.sequence_combo.count() == 0 and not plots.sequence_combo.isEnabled()
        assert plots.empty_note.isVisible() and not plots.main_splitter.isVisible()
        assert all(len(c.getData()[0] or []) == 0 for c in plots.loss_plot.curves.values())
        qtbot.waitUntil(lambda r=reason: r in status.state_label.text())  # type: ignore[misc]
        label = status.state_label.text()
        assert label.startswith("Can\u2019t train") and reason in label, label
        assert reason in status.state_label.toolTip()
    set_text(window, "pizza sushi waffles\nsushi waffles pizza\n")
    qtbot.waitUntil(lambda: plots.gates.view is not None)
    assert plots.sequence_combo.count() == 2 and window.menu_actions.train.isEnabled()
    assert plots.main_splitter.isVisible() and not plots.empty_note.isVisible()
    qtbot.waitUntil(lambda: status.state_label.text() == "Ready to train")
