"""The "RNN vs LSTM" tab: the second network, training both, and the side-by-side rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from pytestqt.qtbot import QtBot

from app.analysis.columns import METRICS, MetricColumns
from app.analysis.rnn_vs_lstm import LATEST
from app.analysis.sequence_view import snapshot_params, view_at
from app.data import load_preset
from app.engine.inference import generate
from app.engine.network import Network
from app.engine.trainer import Trainer
from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import STOP_KEY, Document, project_from_preset, with_ui
from app.ui.tabs.rnn_vs_lstm import VersusView
from app.ui.tabs.rnn_vs_lstm import view as rnn_vs_lstm_view
from app.ui.tabs.rnn_vs_lstm.choice import UI_KEY, VersusChoice
from app.ui.tabs.rnn_vs_lstm.curves import OverlayPlot

Make = Callable[..., VersusView]


def _project(preset: str = "doug-jane-spot", epochs: int = 3, **model: object) -> Project:
    project = project_from_preset(load_preset(preset))
    if model:
        project = replace(project, model=replace(project.model, **model))
    return with_ui(project, STOP_KEY, {"kind": "epochs", "value": epochs})


@pytest.fixture
def make_view(qtbot: QtBot) -> Iterator[Make]:
    """``make_view(project)``: a shown view on a fresh controller holding ``project``."""
    made: list[tuple[TrainingController, VersusView]] = []

    def make(project: Project, show: bool = True) -> VersusView:
        controller = TrainingController()
        controller.set_project(project)
        kind, value = project.ui[STOP_KEY]["kind"], project.ui[STOP_KEY]["value"]
        controller.set_stop_condition(kind, value)  # what the window's edits do
        view = VersusView(controller, Document(project))
        made.append((controller, view))
        qtbot.addWidget(view)
        view.resize(1300, 800)
        if show:
            view.show()
            qtbot.waitExposed(view)
        return view

    yield make
    for controller, view in made:
        assert view.shutdown() and controller.shutdown(5000)


def _train_both(qtbot: QtBot, view: VersusView, epochs: int) -> None:
    view.train_both()
    qtbot.waitUntil(
        lambda: (
            not view.duo.running()
            and view.controller.epoch == epochs
            and view.rival.controller.epoch == epochs
        ),
        timeout=20_000,
    )


def test_default_second_network_is_a_same_size_rnn_from_the_same_seed(make_view: Make) -> None:
    project = _project()
    view = make_view(project)
    rival = view.rival.project
    assert rival is not None
    assert (rival.model.kind, rival.model.hidden_size) == ("rnn", project.model.hidden_size)
    assert (rival.text, rival.seed) == (project.text, project.seed)
    # The lecture's short-memory RNN: learning from 1 step back, else the project's settings.
    assert rival.train == replace(project.train, tbptt_window=1)
    # Same seed: its starting weights are exactly a fresh trainer's for that shape.
    ids = list(project.data().ids)
    expected = Trainer(rival.model, rival.train, ids, seed=project.seed).params.buffer
    snapshot = view.rival.controller.snapshot(0)
    assert snapshot is not None and np.array_equal(snapshot.weights, expected)
    assert view.controls.kind_combo.currentData() == "rnn"
    assert view.controls.hidden_spin.value() == 16
    assert view.controls.window_spin.value() == 1
    assert "1 step back" in view.controls.window_note.text()
    # An RNN project is compared with an LSTM instead.
    other = make_view(_project(kind="rnn"), show=False)
    assert other.rival.model is not None and other.rival.model.kind == "lstm"


def test_train_both_together_overlays_both_histories(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=3))
    _train_both(qtbot, view, 3)
    plot = view.plot

    def points(side: str, name: str = "train_loss") -> int:
        x = plot.curves[side, name].getData()[0]  # clipped to the view, which follows
        return 0 if x is None else len(x)

    qtbot.waitUntil(lambda: points("left") == points("right") == 3)
    qtbot.waitUntil(lambda: points("left", "train_accuracy") == points("right", "train_accuracy"))
    qtbot.waitUntil(lambda: points("right", "train_accuracy") == 3)
    for side, controller in (("left", view.controller), ("right", view.rival.controller)):
        history = controller.history()
        x, y = plot.curves[side, "train_loss"].getData()
        assert list(x) == [1, 2, 3]
        np.testing.assert_array_equal(y, [r.train_loss for r in history])
        _, acc = plot.curves[side, "train_accuracy"].getData()
        np.testing.assert_array_equal(acc, [r.train_accuracy for r in history])
    assert [item[1].text for item in plot.legend.items] == [
        "LSTM, 16 units (your project)",
        "RNN, 16 units (second)",
    ]
    pens = {plot.curves[s, "train_loss"].opts["pen"].color().name() for s in ("left", "right")}
    assert len(pens) == 2  # one colour per network
    assert view.document.modified  # the second network's training is unsaved work


def test_side_by_side_rows_come_from_each_networks_weights(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=4))
    _train_both(qtbot, view, 4)
    panel = view.side_by_side
    panel.prompt_edit.setText("Jane saw")
    panel.prompt_edit.textEdited.emit("Jane saw")
    panel.steps_spin.setValue(7)
    panel.sequence_combo.setCurrentIndex(2)
    qtbot.waitUntil(lambda: len(panel.generation.rows) == 2 and len(
        panel.generation.rows[0].cells) == 9)  # fmt: skip
    rows = {r.label: r for r in panel.predictions.rows}
    differ_expected = set()
    generated = []
    for controller, name in ((view.controller, "LSTM"), (view.rival.controller, "RNN")):
        model = controller.model()
        snapshot = controller.snapshot(LATEST)
        assert model is not None and snapshot is not None and snapshot.epoch == 4
        network, data = model
        expected = view_at(network, snapshot, data, 2)
        cells = rows[f"{name} predicts"].cells
        assert [c.text for c in cells] == list(expected.predicted)
        assert [c.mark == "right" for c in cells] == list(expected.correct)
        prompt = data.vocabulary.encode(["Jane", "saw"])
        out = generate(network, snapshot_params(network, snapshot), prompt, 7)
        generated.append(out.ids)
        row = next(r for r in panel.generation.rows if r.label == f"{name} writes")
        assert [c.text for c in row.cells] == ["Jane", "saw", *data.vocabulary.decode(out.ids)]
        assert [c.mark for c in row.cells[:2]] == ["given", "given"]
        differ_expected.add(tuple(expected.predicted))
    a, b = generated
    assert panel.generation.differ == {2 + k for k in range(7) if a[k] != b[k]}
    lstm, rnn = (tuple(c.text for c in rows[f"{n} predicts"].cells) for n in ("LSTM", "RNN"))
    assert panel.predictions.differ == {
        k for k, (p, q) in enumerate(zip(lstm, rnn, strict=True)) if p != q
    }
    assert view.document.project.ui[UI_KEY]["prompt"] == "Jane saw"


def _lecture_mistakes(words: list[str]) -> int:
    """ "Doug saw Doug" (the seer seen) and "saw Spot saw" (no full stop after the seen)."""
    return sum(
        (words[i + 1] == "saw" and words[i] == words[i + 2])
        or (words[i] == "saw" and words[i + 2] == "saw")
        for i in range(len(words) - 2)
    )


def test_short_memory_rnn_makes_the_lectures_mistakes(qtbot: QtBot, make_view: Make) -> None:
    """By default the second network is the lecture's RNN, learning one step back: it
    writes "Doug saw Doug." next to a right LSTM, and its loss stays high."""
    view = make_view(_project(epochs=100))
    assert view.rival.project is not None and view.rival.project.train.tbptt_window == 1
    view.side_by_side.steps_spin.setValue(24)
    _train_both(qtbot, view, 100)
    panel = view.side_by_side
    learned = "Doug saw Jane . Jane saw Spot . Spot saw Doug ."

    def written() -> list[list[str]]:
        return [[c.text for c in r.cells] for r in panel.generation.rows]

    # The rows follow the newest snapshots at the view's pace: wait for epoch 100's.
    qtbot.waitUntil(lambda: len(written()) == 2 and " ".join(written()[0][:12]) == learned)
    lstm, rnn = written()
    assert len(rnn) == 25
    assert _lecture_mistakes(lstm) == 0
    assert _lecture_mistakes(rnn) > 0
    assert panel.generation.differ
    wrong = [c for c in panel.predictions.rows[3].cells if c.mark == "wrong"]
    assert wrong and all(c.mark == "right" for c in panel.predictions.rows[2].cells)
    lstm_end, rnn_end = (view.plot.series[s] for s in ("left", "right"))
    assert lstm_end.last("train_accuracy") == 1.0 and rnn_end.last("train_accuracy") < 0.9
    assert lstm_end.last("train_loss") * 10 < rnn_end.last("train_loss")


def test_train_both_brings_both_to_the_same_epoch(qtbot: QtBot, make_view: Make) -> None:
    """The project's network trained alone first: the second catches up, then both go on
    together, and the epoch axis shows both curves to their end, even after a zoom."""
    view = make_view(_project(epochs=3))
    view.controller.start()  # as on the Train tab: 3 epochs of the project's network alone
    qtbot.waitUntil(lambda: view.controller.epoch == 3 and view.controller.state != "running")
    view.plot.loss_plot.setXRange(0, 1, padding=0)  # the learner zoomed in
    started: list[int] = []
    view.rival.controller.state_changed.connect(
        lambda state: started.append(view.controller.epoch) if state == "running" else None
    )
    view.train_both()
    assert view.duo.catching_up() and view.duo.running()
    qtbot.waitUntil(
        lambda: not view.duo.running() and view.rival.controller.epoch == 6, timeout=20_000
    )
    assert view.controller.epoch == 6 and not view.duo.catching_up()
    assert started[0] == 3  # the second network caught up while the project's waited
    curves = view.plot.curves
    qtbot.waitUntil(
        lambda: all(len(curves[side, "train_loss"].getData()[0]) == 6 for side in ("left", "right"))
    )
    # pyqtgraph fits the range when it next paints: wait for that, then both are in view.
    loss, accuracy = view.plot.loss_plot, view.plot.accuracy_plot
    qtbot.waitUntil(lambda: loss.viewRange()[0][1] >= 6 and accuracy.viewRange()[0][1] >= 6)
    assert loss.vb.autoRangeEnabled()[0]  # still following the curves as they grow
    assert loss.viewRange()[0][0] <= 1 and accuracy.viewRange()[0][0] <= 1


def test_one_after_the_other(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=2))
    view.controls.order_combo.setCurrentIndex(1)
    view.controls.order_combo.activated.emit(1)
    assert view.choice.order == "sequential"
    started: list[int] = []
    view.rival.controller.state_changed.connect(
        lambda state: started.append(view.controller.epoch) if state == "running" else None
    )
    _train_both(qtbot, view, 2)
    assert started == [2]  # the second network began once the first had finished
    # Without a stop condition the first would never hand over: refused with a reason.
    view.document.update(with_ui(view.document.project, STOP_KEY, {"kind": "none", "value": 0}))
    view.train_both()
    assert not view.duo.running() and "stop condition" in view.side_by_side.message.text()


def test_reset_second_network_starts_from_the_seed_again(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=2))
    initial = view.rival.controller.snapshot(0)
    assert initial is not None
    _train_both(qtbot, view, 2)
    assert view.controls.reset_button.isEnabled()
    view.controls.reset_button.click()
    assert view.rival.controller.epoch == 0 and view.rival.controller.history() == []
    snapshot = view.rival.controller.snapshot(LATEST)
    assert snapshot is not None and snapshot.epoch == 0
    assert np.array_equal(snapshot.weights, initial.weights)
    assert view.controller.epoch == 2  # the project's network is left alone
    curve = view.plot.curves["right", "train_loss"]
    qtbot.waitUntil(lambda: curve.getData()[0] is None or len(curve.getData()[0]) == 0)
    assert not view.controls.reset_button.isEnabled()


def test_choosing_the_second_network_is_kept_in_the_project(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project())
    b = view.controls
    b.kind_combo.setCurrentIndex(b.kind_combo.findData("gru"))
    b.kind_combo.activated.emit(b.kind_combo.currentIndex())
    b.hidden_spin.setValue(5)
    model = view.rival.model
    assert model is not None and (model.kind, model.hidden_size) == ("gru", 5)
    network = Network(model)
    snapshot = view.rival.controller.snapshot(0)
    assert snapshot is not None and snapshot.weights.size == network.new_params().buffer.size
    stored = view.document.project.ui[UI_KEY]
    assert (stored["kind"], stored["hidden_size"]) == ("gru", 5)
    assert not view.document.modified  # nothing trained was lost: no unsaved change

    # Reopened: the choice comes back, without marking the document modified.
    view.document.replace(_project())
    assert view.rival.model is not None and view.rival.model.kind == "rnn"
    view.document.replace(with_ui(_project(), UI_KEY, stored))
    assert view.rival.model is not None and view.rival.model.hidden_size == 5
    assert b.kind_combo.currentData() == "gru" and b.hidden_spin.value() == 5
    assert not view.document.modified


@pytest.mark.parametrize(
    "junk",
    [None, [], "rnn", {"kind": "transformer", "hidden_size": -3, "window": "x", "order": 7,
     "sequence": True, "prompt": ["a"], "steps": 10**9, "log_scale": "yes"}],
)  # fmt: skip
def test_junk_selections_fall_back_to_defaults(make_view: Make, junk: object) -> None:
    assert VersusChoice.from_ui({UI_KEY: junk}) == VersusChoice()
    view = make_view(with_ui(_project(), UI_KEY, junk), show=False)
    assert view.rival.model is not None and view.rival.model.kind == "rnn"


def test_new_text_gives_a_fresh_second_network(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=1))
    _train_both(qtbot, view, 1)
    new = Project.from_text("a b c\nb c a\n", model=view.document.project.model, seed=1)
    view.document.update(with_ui(new, STOP_KEY, {"kind": "epochs", "value": 1}))
    rival = view.rival.project
    assert rival is not None and rival.text == "a b c\nb c a\n" and rival.model.vocab_size == 3
    assert view.rival.controller.epoch == 0
    assert view.side_by_side.sequence_combo.count() == 2
    view.document.update(replace(new, text="x\n"))  # unusable: nothing to train
    assert view.rival.project is None and not view.controls.train_button.isEnabled()


def test_a_hidden_tab_does_not_recompute(qtbot: QtBot, make_view: Make) -> None:
    view = make_view(_project(epochs=2))
    view.hide()
    calls: list[int] = []
    original = view.side_by_side.compare
    view.side_by_side.compare = lambda *a: (calls.append(1), original(*a))  # type: ignore[method-assign]
    _train_both(qtbot, view, 2)
    assert calls == []
    view.show()
    qtbot.waitUntil(lambda: calls == [1])


def test_export_image(
    qtbot: QtBot, make_view: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    view = make_view(_project(epochs=1))
    _train_both(qtbot, view, 1)
    for name, chosen in (("both", "PNG image (*.png)"), ("both.svg", "SVG image (*.svg)")):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, c=chosen: (str(t), c))
        )
        view.controls.export_button.click()
    png, svg = tmp_path / "both.png", tmp_path / "both.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert b"<svg" in svg.read_bytes()[:2000]


def test_a_hint_when_both_learned_everything(
    qtbot: QtBot, make_view: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Learning from the whole line a plain RNN learns Doug/Jane/Spot: the hint says so and
    links back to the lecture's RNN."""
    view = make_view(_project(epochs=12, bias_init="zero"))  # the LSTM learns by epoch 12
    view.controls.window_note.linkActivated.emit("window:0")  # "try whole line"
    assert view.rival.project is not None and view.rival.project.train.tbptt_window == 0
    assert "Learning from the whole line" in view.controls.window_note.text()
    assert view.side_by_side.hint.isHidden()
    _train_both(qtbot, view, 12)
    qtbot.waitUntil(lambda: view.side_by_side.hint.isVisible())
    assert "1 step back" in view.side_by_side.hint.text()
    asked: list[bool] = []
    monkeypatch.setattr(rnn_vs_lstm_view, "ask_restart", lambda parent: asked.append(True) or True)
    view.side_by_side.hint.linkActivated.emit("window:1")  # back to the lecture's RNN
    assert asked == [True] and view.rival.controller.epoch == 0
    assert view.rival.project is not None and view.rival.project.train.tbptt_window == 1
    assert view.choice.window == 1 and view.controls.window_spin.value() == 1


def _block(first: int, last: int) -> dict[str, np.ndarray]:
    epochs = np.arange(first, last + 1, dtype=float)
    return {name: epochs if name == "epoch" else 1.0 / epochs for name in METRICS}


def test_the_epoch_axis_keeps_growing_with_the_longer_curve(qtbot: QtBot) -> None:
    """Two curves, one growing past the other after a fit: the axis follows to its end."""
    plot = OverlayPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 500)
    plot.show()
    qtbot.waitExposed(plot)
    left, right = MetricColumns(), MetricColumns()
    left.append_columns(_block(1, 100))
    right.append_columns(_block(1, 100))
    plot.redraw(left, right)
    plot.fit()
    for last in range(110, 201, 10):  # the project's network trains on, frame by frame
        left.append_columns(_block(last - 9, last))
        plot.redraw(left, right)
        # What a paint does, in the order the real window's paints took: each view with
        # auto-range on fits itself (a linked view that moves turns the other's off).
        for view in (plot.accuracy_plot.vb, plot.loss_plot.vb):
            if view.autoRangeEnabled()[0]:
                view.updateAutoRange()
    assert plot.loss_plot.vb.autoRangeEnabled()[0]
    for p in (plot.loss_plot, plot.accuracy_plot):
        assert p.viewRange()[0][1] >= 200


def test_an_untrained_second_network_is_greyed_not_judged(qtbot: QtBot, make_view: Make) -> None:
    """Its guesses come from random weights: never marked right/wrong or compared, so a
    student does not read them as what an RNN learns (review of the figures)."""
    view = make_view(_project(epochs=4))
    panel = view.side_by_side
    qtbot.waitUntil(lambda: len(panel.predictions.rows) == 4)
    rows = {r.label: r for r in panel.predictions.rows}
    for name in ("LSTM", "RNN"):  # neither trained yet
        assert {c.mark for c in rows[f"{name} (untrained)"].cells} == {"untrained"}
    assert panel.predictions.differ == set()
    qtbot.waitUntil(lambda: len(panel.generation.rows) == 2)
    assert panel.generation.rows[1].label == "RNN (untrained)"
    assert panel.generation.differ == set()
    _train_both(qtbot, view, 4)
    qtbot.waitUntil(lambda: "RNN predicts" in {r.label for r in panel.predictions.rows})
    rows = {r.label: r for r in panel.predictions.rows}
    for name in ("LSTM", "RNN"):
        assert {c.mark for c in rows[f"{name} predicts"].cells} <= {"right", "wrong"}


def test_the_legend_leaves_a_rising_validation_curve_alone(qtbot: QtBot) -> None:
    """The RNN's validation loss rising from epoch 40 to 50 ran under the legend in the
    top right: the legend takes a corner no curve crosses (review of the figures)."""
    plot = OverlayPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 500)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_names("LSTM", "RNN")
    left, right = MetricColumns(), MetricColumns()
    for columns, rise in ((left, 0.0), (right, 0.08)):
        block = _block(1, 50)
        epochs = block["epoch"]
        block["train_loss"] = 2.0 - 0.02 * epochs
        block["val_loss"] = 2.0 - 0.02 * epochs + rise * np.maximum(epochs - 30, 0)
        columns.append_columns(block)
    plot.redraw(left, right)
    plot.loss_plot.vb.updateAutoRange()
    qtbot.waitUntil(lambda: plot.legend.opts["offset"] != (-8, 8))
    rect = plot.legend.mapRectToItem(plot.loss_plot.vb, plot.legend.boundingRect())
    x, y = plot.curves["right", "val_loss"].getData()
    points = plot.loss_plot.vb.mapViewToScene  # the curve's points, in the view's pixels
    inside = [
        rect.contains(plot.loss_plot.vb.mapFromScene(points(pg.Point(a, b))))
        for a, b in zip(x, y, strict=True)
    ]
    assert not any(inside)
