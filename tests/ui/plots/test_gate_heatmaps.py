"""GateHeatmaps: panels per model kind, image data, fixed scales, token labels, hover, export."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QFontMetricsF

from app.data.tokenize import display_symbol
from app.ui.plots import GateHeatmaps
from app.ui.plots import _theme as theme
from app.ui.plots.heatmap import bar_ticks
from app.ui.plots.token_axis import axis_label


@pytest.fixture
def gates(qtbot):
    widget = GateHeatmaps()
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


PANELS = {
    "lstm": ["forget", "input", "output", "candidate", "cell", "hidden"],
    "gru": ["reset", "update", "candidate", "hidden"],
    "rnn": ["hidden"],
}


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_one_heatmap_per_gate_and_state(gates, make_view, kind):
    view = make_view(kind, steps=7, hidden=5, vocab=4)
    gates.set_view(view)
    assert list(gates.heatmaps) == PANELS[kind]
    for key, heatmap in gates.heatmaps.items():
        expected = (
            view.hidden if key == "hidden" else view.cell if key == "cell" else view.gates[key]
        )
        # col-major: image[t, unit] is step t, unit — the engine's (T, H) layout as is
        np.testing.assert_array_equal(heatmap.image.image, expected)
        assert heatmap.image.axisOrder == "col-major"


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_real_network_views(gates, network_view, kind):
    view = network_view(kind)
    gates.set_view(view)
    np.testing.assert_array_equal(gates.heatmaps["hidden"].image.image, view.hidden)
    assert gates.heatmaps["hidden"].shape == (7, 6)


def test_fixed_colour_scales(gates, make_view):
    view = make_view("lstm", steps=6, hidden=4)
    # values far outside the scales must not move them: no auto levels, ever
    loud = replace(view, cell=view.cell * 100, hidden=view.hidden * 0.01)
    gates.set_view(loud)
    levels = {key: tuple(h.image.getLevels()) for key, h in gates.heatmaps.items()}
    assert levels == {
        "forget": (0, 1), "input": (0, 1), "output": (0, 1),
        "candidate": (-1, 1), "cell": (-3, 3), "hidden": (-1, 1),
    }  # fmt: skip
    for key, heatmap in gates.heatmaps.items():
        assert tuple(heatmap.bar.levels()) == levels[key]  # the colour bar says the same


def test_titles_use_the_lectures_words(gates, make_view):
    gates.set_view(make_view("lstm", steps=3, hidden=2))
    titles = {key: h.title for key, h in gates.heatmaps.items()}
    assert titles["forget"] == "forget gate — what memory to keep"
    assert titles["input"] == "ignore gate (input) — which possibilities get in"
    assert titles["output"] == "select gate (output) — what memory is released"
    assert titles["candidate"] == "possibilities (candidate)"
    assert titles["cell"].startswith("memory (cell state)") and "not squashed" in titles["cell"]
    assert titles["hidden"] == "hidden state (the prediction passed on)"
    assert "forget" in gates.heatmaps["forget"].plot.toolTip()
    assert "squash" in gates.toolTip()


def test_steps_are_labelled_with_the_input_tokens(gates, make_view):
    view = make_view("lstm", steps=5, hidden=3)
    view = replace(view, tokens=("Doug", "saw", " ", "Jane", ".", "Spot"))
    gates.set_view(view)
    for heatmap in gates.heatmaps.values():
        assert heatmap.x_axis.labels == view.tokens[:-1]
        assert [heatmap.x_axis.label_at(t) for t in range(5)] == [
            axis_label(s) for s in view.tokens[:-1]
        ]
        assert heatmap.x_axis.label_at(2) == "␣"  # a space made visible
        assert heatmap.x_axis.label_at(4) == ". full stop"  # (a lone "." is a speck)
        assert heatmap.y_axis.labels == ("0", "1", "2")
        # the view shows exactly the cells
        (x0, x1), (y0, y1) = heatmap.plot.getViewBox().viewRange()
        assert (x0, x1, y0, y1) == pytest.approx((-0.5, 4.5, -0.5, 2.5))


def test_panels_are_built_once_per_kind(gates, make_view):
    gates.set_view(make_view("lstm", steps=6, hidden=4, seed=1))
    images = {key: h.image for key, h in gates.heatmaps.items()}
    gates.set_view(make_view("lstm", steps=6, hidden=4, seed=2))  # a new epoch
    gates.set_view(make_view("lstm", steps=9, hidden=4, seed=3))  # another sequence
    assert {key: h.image for key, h in gates.heatmaps.items()} == images
    assert gates.heatmaps["forget"].shape == (9, 4)
    gates.set_view(make_view("gru", steps=9, hidden=4))
    assert list(gates.heatmaps) == PANELS["gru"]


def test_panels_share_their_ranges(gates, make_view):
    gates.set_view(make_view("lstm", steps=20, hidden=8))
    gates.heatmaps["forget"].plot.setXRange(2, 6, padding=0)
    x0, x1 = gates.heatmaps["hidden"].plot.getViewBox().viewRange()[0]
    assert (x0, x1) == pytest.approx((2, 6))


def test_hover_shows_unit_step_token_gate_and_value(gates, make_view, qtbot):
    view = make_view("lstm", steps=6, hidden=4)
    gates.set_view(view)
    qtbot.wait(20)  # let the layout settle so scene positions are final
    heatmap = gates.heatmaps["output"]
    gates.graphics.scene().sigMouseMoved.emit(heatmap.scene_pos_of(3, 2))
    text = gates.hover.text()
    assert "select gate" in text and "unit 2" in text and "step 4 of 6" in text
    assert display_symbol(view.tokens[3]) in text
    assert f"{view.gates['output'][3, 2]:+.3f}" in text
    assert all(h.cursor.isVisible() for h in gates.heatmaps.values())  # the step, everywhere
    assert gates.heatmaps["cell"].cursor.rect().center().x() == pytest.approx(3)
    # leaving the cells clears the read-out
    gates.graphics.scene().sigMouseMoved.emit(heatmap.scene_pos_of(-5, -5))
    assert gates.hover.text().startswith("Hover")


def test_describe_memory(gates, make_view):
    view = make_view("lstm", steps=4, hidden=3)
    gates.set_view(view)
    assert gates.describe("cell", 1, 2).startswith("memory · unit 2 · step 2 of 4")


def test_none_clears(gates, make_view):
    gates.set_view(make_view("lstm", steps=4, hidden=3))
    gates.set_view(None)
    assert all(h.image.image is None for h in gates.heatmaps.values())
    assert gates.hover.text().startswith("Hover")
    gates.set_view(make_view("lstm", steps=4, hidden=3))  # and back
    assert gates.heatmaps["forget"].image.image.shape == (4, 3)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_image(gates, make_view, tmp_path, suffix):
    gates.set_view(make_view("gru", steps=8, hidden=6))
    path = tmp_path / f"gates{suffix}"
    gates.export_image(str(path))
    data = path.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_colour_bar_ticks_thin_out_as_the_bar_gets_short(qtbot) -> None:
    line = QFontMetricsF(theme.tick_font()).height()
    assert bar_ticks((0.0, 1.0), 10 * line) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert bar_ticks((-1.0, 1.0), 3 * line) == [-1.0, 0.0, 1.0]
    assert bar_ticks((-3.0, 3.0), 1.5 * line) == [-3.0, 3.0]  # the ends always


@pytest.mark.parametrize(
    ("units", "needed", "expected"),
    [
        (32, 7, [0, 8, 16, 24, 31]),  # never "0, 9, 18, 31"
        (32, 8, [0, 16, 31]),  # 24 and 31 would crowd: the stride doubles
        (16, 3, [0, 4, 8, 12, 15]),
        (16, 4, [0, 8, 15]),  # never "0, 4, 8, 15"
        (16, 1, list(range(16))),
        (8, 2, [0, 4, 7]),
    ],
)
def test_unit_axes_are_evenly_spaced_and_end_on_the_last_unit(qtbot, units, needed, expected):
    from app.ui.plots.heatmap import UnitAxis

    axis = UnitAxis("left")
    axis.set_labels([str(i) for i in range(units)])
    k, labelled = axis.labelled_positions(0, units - 1, needed)
    assert labelled == expected
    inner = labelled[:-1]
    assert all(b - a == k for a, b in itertools.pairwise(inner))  # even steps
    assert labelled[-1] - labelled[-2] >= needed  # the last one has its room


def test_the_gate_panels_label_units_by_the_even_rule(gates, make_view):
    view = make_view(hidden=32)
    gates.set_view(view)
    axis = gates.heatmaps["forget"].y_axis
    (k, major), *_ = axis.tickValues(-0.5, 31.5, 32 * 4.0)  # 4 px a unit: crowded
    assert major[0] == 0 and major[-1] == 31
    inner = major[:-1]
    assert len({b - a for a, b in itertools.pairwise(inner)}) == 1
    assert int(k) in (1, 2, 4, 8, 16)
    assert major[-1] - major[-2] <= k  # not "0, 4, 8, …, 24, 31": the last gap no wider


def test_titles_take_at_most_two_lines(gates, make_view):
    gates.set_view(make_view())
    for heatmap in gates.heatmaps.values():
        assert heatmap.title_label.text.count("<br>") <= 1, heatmap.title_label.text
