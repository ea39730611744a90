"""The Experiment on *Generate*: the text written with a gate held is the engine's
intervened roll-out, shown above the untouched one with a one-line reading; Clear
puts the untouched text back."""

from __future__ import annotations

import functools

from pytestqt.qtbot import QtBot

from app.analysis.rollout import encode_prompt, join_symbols, roll_out_at
from app.engine.gates import Clamp
from app.engine.intervene import Intervention
from tests.ui.helpers import trained_project
from tests.ui.tabs.test_generate import Make, make_view  # noqa: F401  (the fixture)

_trained = functools.cache(trained_project)


def test_generated_with_a_gate_held_beside_the_untouched(make_view: Make, qtbot: QtBot) -> None:  # noqa: F811
    view = make_view(_trained("doug-jane-spot", 30))
    assert view.generate()
    untouched = view.text
    assert not view.experiment.compare.isVisible()
    panel = view.experiment.panel
    panel.rows["output"].check.setChecked(True)  # select shut: h = 0, the same guess always
    qtbot.waitUntil(lambda: view.experiment.compare.isVisible())
    iv = Intervention((Clamp("output", 0.0),))
    model, snap = view._controller.model(), view.controls.epoch.snapshot()
    assert model is not None and snap is not None
    network, data = model
    tokenizer = data.spec.to_string()
    prefix = encode_prompt(view.prompt.text(), tokenizer, data.vocabulary)
    length = view.controls.length.value()
    want = roll_out_at(network, snap, prefix, length, 0.0, None, iv)
    symbols = data.vocabulary.symbols
    prompt = [symbols[i] for i in prefix]
    assert view.text == join_symbols(prompt + [symbols[i] for i in want.ids], tokenizer)
    assert len(set(want.ids.tolist())) == 1 and view.text != untouched
    shown = view.experiment.compare.text()
    assert "Untouched:" in shown and untouched.split()[-1] in shown
    assert "With the select gate shut, it writes" in shown
    assert "With the experiment" in view.sentence.text()

    panel.clear_button.click()
    qtbot.waitUntil(lambda: not view.experiment.compare.isVisible())
    assert view.text == untouched and "With the experiment" not in view.sentence.text()
