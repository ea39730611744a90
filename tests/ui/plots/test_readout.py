"""Readout: a label-like line whose changing numbers do not re-run the layout."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.ui.plots._theme import set_label_text
from app.ui.plots.readout import Readout


def test_text_round_trips_and_sizes_like_one_line(qtbot) -> None:
    readout = Readout("<b>epoch 1</b> · loss 0.5")
    qtbot.addWidget(readout)
    assert readout.text() == "<b>epoch 1</b> · loss 0.5"
    label = QLabel("epoch 1 · loss 0.5")
    qtbot.addWidget(label)
    hint = readout.sizeHint()
    assert hint.height() <= label.sizeHint().height() + 2  # one line, never wrapped
    assert hint.width() >= label.sizeHint().width() - 10
    assert readout.minimumSizeHint().width() == 0  # one form: never forces the window wider
    set_label_text(readout, "plain")
    assert readout.text() == "plain"


def test_new_numbers_only_repaint(qtbot) -> None:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    readout = Readout("Epoch 1,000", rich=False)
    layout.addWidget(readout)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    width = readout.sizeHint().width()
    for epoch in range(1_001, 1_050):
        readout.setText(f"Epoch {epoch:,}")
    assert readout.sizeHint().width() == width  # same room: no new layout
    readout.setText("Epoch 1,050 and a much longer text than before")
    assert readout.sizeHint().width() > width  # outgrown: it asks for room
    readout.setText("E")
    assert readout.sizeHint().width() < width  # much shorter: it gives room back
    readout.grab()  # paints without error


def test_a_narrow_readout_shows_a_shorter_form_never_a_cut_one(qtbot) -> None:
    forms = ["epoch 1,500 · training loss 6.1e-05, accuracy 100.0%", "1,500 · 6.1e-05 · 100.0%"]
    readout = Readout()
    qtbot.addWidget(readout)
    readout.setTexts(forms)
    assert readout.text() == forms[0]
    readout.resize(readout.sizeHint())
    assert readout.shown_text() == forms[0]
    shortest = readout.minimumSizeHint().width()
    assert 0 < shortest < readout.sizeHint().width()  # the layout keeps room for the short one
    readout.resize(shortest, readout.height())
    assert readout.shown_text() == forms[1]
    assert readout.shown_width() <= readout.contentsRect().width()
