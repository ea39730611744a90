"""The cell drawings on their own: labelled parts for each model, nothing overlapping,
cells holding exactly the numbers they are given, and the hover read-out."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QPainterPathStroker
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsTextItem
from pytestqt.qtbot import QtBot

from app.ui.tabs.cell.colors import scale
from app.ui.tabs.cell.diagram import Diagram
from app.ui.tabs.cell.items import VALUE, VectorItem
from app.ui.tabs.cell.layouts import build
from app.ui.tabs.cell.state import CellState

LSTM_LABELS = (
    "forget gate  ft", "ignore gate (input)  it", "select gate (output)  ot",
    "possibilities (candidate)  gt", "memory  ct", "memory  ct−1", "prediction  ht",
    "previous prediction  ht−1", "new information  xt", "squashed memory  tanh(ct)",
    "voting on\nforgetting", "voting on\nignoring", "voting on\nselection",
    "voting on\npossibilities",
)  # fmt: skip
GRU_LABELS = (
    "reset gate  rt", "update gate  zt", "possibilities (candidate)  gt", "prediction  ht",
    "previous prediction  ht−1", "voting on\nresetting", "voting on\nupdating", "1 −",
)  # fmt: skip
RNN_LABELS = ("prediction  ht", "previous prediction  ht−1", "voting on\nthe prediction")


def has_text(diagram: Diagram, wanted: str) -> bool:
    return any(t.startswith(wanted) for t in diagram.label_texts())


@pytest.mark.parametrize(
    ("kind", "labels", "vectors"),
    [
        ("lstm", LSTM_LABELS, {"forget", "input", "output", "candidate", "cell_prev", "cell",
                               "cell_squashed", "hidden", "hidden_prev"}),
        ("gru", GRU_LABELS, {"reset", "update", "candidate", "hidden", "hidden_prev"}),
        ("rnn", RNN_LABELS, {"hidden", "hidden_prev"}),
    ],
)  # fmt: skip
def test_each_model_has_its_labelled_parts(
    qtbot: QtBot, kind: str, labels: tuple[str, ...], vectors: set[str]
) -> None:
    d = build(kind, 16)
    for label in labels:
        assert has_text(d, label), f"{kind}: no {label!r} in {d.label_texts()}"
    assert set(d.vectors) == vectors
    ops = [i.data(VALUE) for i in d.scene.items() if i.data(VALUE) in ("+", "x")]
    squashes = [i.data(VALUE) for i in d.scene.items() if i.data(VALUE) in ("sigmoid", "tanh")]
    if kind == "lstm":  # forget ×, plus, ignore ×, select ×; σ ×3, tanh for g and c
        assert sorted(ops) == ["+", "x", "x", "x"]
        assert sorted(squashes) == ["sigmoid"] * 3 + ["tanh"] * 2
        assert has_text(d, "Memories flow along the top")
    elif kind == "gru":
        assert sorted(ops) == ["+", "x", "x", "x"]
        assert sorted(squashes) == ["sigmoid"] * 2 + ["tanh"]
    else:
        assert ops == [] and squashes == ["tanh"]
        assert any("only looks back a few steps" in t for t in d.label_texts())


def _stroke(item: QGraphicsPathItem) -> object:
    stroker = QPainterPathStroker()
    stroker.setWidth(item.pen().widthF())
    return item.mapToScene(stroker.createStroke(item.path()))


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize(("size", "zoom"), [(8, 1.0), (32, 1.0), (128, 1.0), (32, 1.25)])
def test_nothing_overlaps(qtbot: QtBot, kind: str, size: int, zoom: float) -> None:
    """No label runs into a wire, a vector or another label; no wire crosses a vector
    (also with the larger texts and cells of presentation mode)."""
    d = build(kind, size, zoom)
    # topLevelItem(), not parentItem(): see the note in app/ui/tabs/cell/diagram.py
    top = [i for i in d.scene.items() if i.topLevelItem() is i]
    wires = [_stroke(i) for i in top if isinstance(i, QGraphicsPathItem) and i.zValue() < 0]
    vectors = [i for i in top if isinstance(i, VectorItem)]
    labels = [
        t for t in d.scene.items() if isinstance(t, QGraphicsTextItem) and t.toPlainText().strip()
    ]
    for t in labels:
        r = t.sceneBoundingRect().adjusted(2, 3, -2, -3)  # the glyphs, not the margins
        assert not any(w.intersects(r) for w in wires), t.toPlainText()  # type: ignore[attr-defined]
        for v in vectors:
            assert t is v.title or not v.sceneBoundingRect().intersects(r), (
                t.toPlainText(),
                v.key,
            )
        for u in labels:
            same_box = u.topLevelItem() is t.topLevelItem()  # e.g. a box and its own text
            if not same_box:
                other = u.sceneBoundingRect().adjusted(2, 3, -2, -3)
                assert not other.intersects(r), (t.toPlainText(), u.toPlainText())
    for v in vectors:
        box = v.sceneBoundingRect().adjusted(3, 0, -3, 0)
        assert not any(w.intersects(box) for w in wires), v.key  # type: ignore[attr-defined]


def test_a_zoomed_diagram_has_larger_texts_and_cells_and_says_the_blocks_are_vectors(
    qtbot: QtBot,
) -> None:
    plain, big = build("lstm", 32), build("lstm", 32, 1.25)

    def height(d: Diagram, wanted: str) -> float:
        item = next(
            t for t in d.scene.items()
            if isinstance(t, QGraphicsTextItem) and t.toPlainText().startswith(wanted)
        )  # fmt: skip
        return item.sceneBoundingRect().height()

    for small_note in ("to the next step", "new information and previous", "gates (σ)"):
        assert height(big, small_note) >= 1.3 * height(plain, small_note), small_note
    for key in ("forget", "hidden"):
        assert big.vectors[key].width >= 1.2 * plain.vectors[key].width
        assert big.vectors[key].height >= 1.2 * plain.vectors[key].height
    # Scaled to the same window, the larger texts take a larger share of the drawing.
    share = height(big, "to the next step") / big.scene.sceneRect().height()
    assert share >= 1.2 * height(plain, "to the next step") / plain.scene.sceneRect().height()
    # 32 units wrap into two rows: a note says each block is one vector; 16 do not.
    assert plain.grid_hint is not None and "32 squares is one vector" in (
        plain.grid_hint.toPlainText()
    )
    assert build("lstm", 16).grid_hint is None


@pytest.mark.parametrize("size", [5, 16, 40])
def test_cells_hold_the_numbers_and_colours_follow_the_scale(qtbot: QtBot, size: int) -> None:
    d = build("lstm", size)
    rng = np.random.default_rng(0)
    values = {key: rng.uniform(-4, 4, size) for key in d.vectors}
    values["forget"] = rng.uniform(0, 1, size)
    d.show(values, "title", "Jane", [])
    for key, item in d.vectors.items():
        assert len(item.cells) == size
        np.testing.assert_array_equal(d.cell_values(key), values[key])
    cell = d.vectors["forget"].cells[2]
    assert cell.brush().color() == scale("gate").brush(values["forget"][2]).color()
    memory = d.vectors["cell"].cells[0]
    assert memory.brush().color() == scale("memory").brush(values["cell"][0]).color()
    assert scale("memory").brush(3.0).color() == scale("memory").brush(99.0).color()
    assert d.word is not None and d.word.word.toPlainText() == "‘Jane’"


def test_big_hidden_sizes_wrap_into_a_grid(qtbot: QtBot) -> None:
    d = build("lstm", 128)  # the diagram owns the scene: keep it alive
    item = d.vectors["forget"]
    xs = {c.rect().x() for c in item.cells}
    ys = {c.rect().y() for c in item.cells}
    assert len(xs) == 16 and len(ys) == 8
    assert item.height <= 40


def test_readout_names_the_vector_the_unit_and_the_value(qtbot: QtBot) -> None:
    d = build("lstm", 4)
    d.show({k: np.array([0.25, -0.5, 0.125, 1.5]) for k in d.vectors}, "", "x", [])
    assert d.readout_at(d.vectors["forget"].cells[1]) == "forget gate f_t, unit 1: -0.5000"
    assert d.readout_at(d.vectors["cell"].cells[3]) == "memory c_t, unit 3: +1.5000"
    assert d.readout_at(d.vectors["hidden_prev"].cells[0]) == (
        "previous prediction h_t−1, unit 0: +0.2500"
    )
    assert d.readout_at(d.title) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, CellState()),
        ("junk", CellState()),
        ({"sequence": 2, "epoch": 40, "latest": False, "step": 3}, CellState(2, 40, False, 3)),
        ({"sequence": -1, "epoch": "40", "latest": 1, "step": True}, CellState()),
        ({"sequence": 1e9, "epoch": 10**12, "step": None}, CellState()),
    ],
)
def test_state_from_the_file_is_checked(raw: object, expected: CellState) -> None:
    assert CellState.from_json(raw) == expected
    assert CellState.from_json(expected.to_json()) == expected
