"""The cell drawing's headline stays inside the drawing, however long it gets."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from app.ui.tabs.cell import diagram as diagram_module
from app.ui.tabs.cell.layouts import build

LONG = (
    "<b>epoch 100 (latest) · step 10 of 11:</b> reading <b>‘Spot’</b>, predicting "
    "<b>‘Doug’</b> (p = 0.48) <span>✗ the next symbol is ‘Jane’</span>"
)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_a_long_headline_is_set_smaller_instead_of_running_off(kind: str, qtbot: QtBot) -> None:
    d = build(kind, 16)
    values = {key: np.zeros(16) for key in d.vectors}
    d.show(values, LONG, "Spot", [])
    assert d.title.sceneBoundingRect().right() <= d.scene.sceneRect().right()
    d.show(values, "<b>epoch 1 · step 1 of 11:</b> ✓ right", "Spot", [])
    assert d.title.font().pixelSize() == diagram_module.TITLE_SIZE  # short: full size again
