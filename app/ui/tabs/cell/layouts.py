"""The three drawings: the lecture's LSTM cell, the GRU and the vanilla RNN.

Everything flows upwards: the new information ``x_t`` and the previous prediction
``h_t−1`` run along a bus at the bottom into each gate's voting box, through its
squashing function and up to the junction it controls.  The LSTM's memory line runs
across the top.  Each vector sits to the right of its wire (coordinates in scene
units; the view scales the whole scene to the window).
"""

from __future__ import annotations

from app.ui.plots import _theme as theme
from app.ui.tabs.cell import items, texts
from app.ui.tabs.cell.diagram import Diagram
from app.ui.tabs.cell.items import VOTE_HEIGHT, dot, junction, small_box, squash, strip_width, text
from app.ui.tabs.cell.items import vote as vote_box
from app.ui.tabs.cell.items import wire as draw_wire

Y_TOP = 130.0  # the memory line (LSTM) or the prediction line (GRU)
Y_SQUASH = 470.0
Y_VOTE = 580.0
Y_BUS = 690.0
LEFT = 30.0
R_JUNCTION = 17.0
HALF_SQUASH = 20.0
GAP = 14.0  # between a wire and the vector beside it
BUS_X = 262.0
RNN_LIFT = 60.0


def build(kind: str, size: int, zoom: float = 1.0) -> Diagram:
    """The drawing for model ``kind`` ("lstm", "gru" or "rnn") with ``size`` hidden units,
    its texts and cells ``zoom`` times their size (see :func:`items.set_zoom`)."""
    builders = {"lstm": _lstm, "gru": _gru, "rnn": _rnn}
    items.set_zoom(zoom)
    try:
        diagram = builders[kind](size)
    finally:
        items.set_zoom(1.0)
    diagram.zoom = zoom
    diagram.finish()
    return diagram


def _gate_column(d: Diagram, x: float, what: str, squash_kind: str, dy: float = 0.0) -> None:
    """Voting box, then its squashing function above it, fed from the bus."""
    y_vote, y_squash, y_bus = Y_VOTE + dy, Y_SQUASH + dy, Y_BUS + dy
    vote_box(d.scene, x, y_vote, what)
    squash(d.scene, x, y_squash, squash_kind)
    draw_wire(d.scene, [(x, y_bus), (x, y_vote + VOTE_HEIGHT / 2)], tip=texts.BUS_TIP)
    draw_wire(d.scene, [(x, y_vote - VOTE_HEIGHT / 2), (x, y_squash + HALF_SQUASH)])


def _inputs(d: Diagram, right: float, hidden_prev_below: bool = True, dy: float = 0.0) -> None:
    """``x_t`` (and ``h_t−1``) at the bottom left, joined into the bus up to ``right``."""
    y_bus = Y_BUS + dy
    word = d.add_word(LEFT, 600 + dy)
    y_word = 620.0 + dy
    draw_wire(d.scene, [(LEFT + word.width + 1, y_word), (BUS_X, y_word), (BUS_X, y_bus)], False)
    if hidden_prev_below:
        y_prev = 760 + dy
        d.vector("hidden_prev", LEFT, y_prev)
        draw_wire(
            d.scene, [(LEFT + strip_width() + 1, y_prev), (BUS_X, y_prev), (BUS_X, y_bus)], False
        )
    draw_wire(d.scene, [(BUS_X, y_bus), (right, y_bus)], arrow=False, tip=texts.BUS_TIP)
    dot(d.scene, BUS_X, y_bus)
    bus = text(
        d.scene,
        "new information and previous prediction, to every vote",
        (BUS_X + 12, y_bus + 4),
        size=13,
        color=theme.MUTED,
        tip=texts.BUS_TIP,
    )
    d.add_grid_hint(bus.x() + bus.boundingRect().width() + 40, y_bus + 4)


def _output(d: Diagram, x: float, y: float, panel: tuple[float, float]) -> None:
    """From the end of ``h_t`` at ``(x, y)``: on to the next step, and to the read-out panel."""
    draw_wire(d.scene, [(x, y), (x + 70, y)])
    text(d.scene, "to the next step", (x + 4, y - 26), size=13, color=theme.MUTED)
    dot(d.scene, x + 24, y)
    draw_wire(d.scene, [(x + 24, y), (x + 24, panel[1] - 4)])
    d.add_probabilities(*panel)


def _lstm(size: int) -> Diagram:
    d = Diagram("lstm", size, texts.LSTM_CAPTION)
    s = d.scene
    x_f, x_g, x_i, x_o = 340.0, 610.0, 880.0, 1150.0
    x_plus = (x_g + x_i) / 2
    y_ig = 320.0  # the ignore junction (ignore ⊙ possibilities)
    y_sel = 345.0  # the select junction (select ⊙ squashed memory)
    # the memory line: c_t−1 → × forget → + → c_t
    d.vector("cell_prev", LEFT, Y_TOP)
    line = 4.0
    tip = texts.MEMORY_LINE_TIP
    draw_wire(
        s, [(LEFT + strip_width() + 1, Y_TOP), (x_f - R_JUNCTION, Y_TOP)], width=line, tip=tip
    )
    junction(s, x_f, Y_TOP, "x")
    draw_wire(s, [(x_f + R_JUNCTION, Y_TOP), (x_plus - R_JUNCTION, Y_TOP)], width=line, tip=tip)
    junction(s, x_plus, Y_TOP, "+")
    c_left = x_o + 60
    draw_wire(s, [(x_plus + R_JUNCTION, Y_TOP), (c_left - 1, Y_TOP)], width=line, tip=tip)
    dot(s, x_o, Y_TOP)
    d.vector("cell", c_left, Y_TOP)
    draw_wire(
        s, [(c_left + strip_width() + 1, Y_TOP), (c_left + strip_width() + 70, Y_TOP)], width=line
    )
    text(s, "to the next step", (c_left + strip_width() + 4, Y_TOP + 6), size=13, color=theme.MUTED)
    # forget: its vote goes straight up to the times junction on the memory line
    _gate_column(d, x_f, "forgetting", "sigmoid")
    draw_wire(s, [(x_f, Y_SQUASH - HALF_SQUASH), (x_f, Y_TOP + R_JUNCTION)])
    d.vector("forget", x_f + GAP, 300)
    # possibilities and ignoring meet at a times junction below the plus junction
    _gate_column(d, x_g, "possibilities", "tanh")
    draw_wire(s, [(x_g, Y_SQUASH - HALF_SQUASH), (x_g, y_ig), (x_plus - R_JUNCTION, y_ig)])
    d.vector("candidate", x_g + GAP, 400)
    _gate_column(d, x_i, "ignoring", "sigmoid")
    draw_wire(s, [(x_i, Y_SQUASH - HALF_SQUASH), (x_i, y_ig), (x_plus + R_JUNCTION, y_ig)])
    d.vector("input", x_i + GAP, 400)
    junction(s, x_plus, y_ig, "x")
    draw_wire(s, [(x_plus, y_ig - R_JUNCTION), (x_plus, Y_TOP + R_JUNCTION)])
    # selection: the memory squashed by tanh, gated by the select gate, is the prediction
    y_tanh = 205.0
    draw_wire(s, [(x_o, Y_TOP), (x_o, y_tanh - HALF_SQUASH)])
    squash(s, x_o, y_tanh, "tanh")
    draw_wire(s, [(x_o, y_tanh + HALF_SQUASH), (x_o, y_sel - R_JUNCTION)])
    d.vector("cell_squashed", x_o + GAP, 272)
    _gate_column(d, x_o, "selection", "sigmoid")
    draw_wire(s, [(x_o, Y_SQUASH - HALF_SQUASH), (x_o, y_sel + R_JUNCTION)])
    d.vector("output", x_o + GAP, 415)
    junction(s, x_o, y_sel, "x")
    h_left = c_left
    draw_wire(s, [(x_o + R_JUNCTION, y_sel), (h_left - 1, y_sel)])
    d.vector("hidden", h_left, y_sel)
    _output(d, h_left + strip_width() + 1, y_sel, (h_left, y_sel + 125))
    _inputs(d, x_o)
    d.add_legend(BUS_X + 40, 752)
    return d


def _gru(size: int) -> Diagram:
    d = Diagram("gru", size, texts.GRU_CAPTION)
    s = d.scene
    x_z, x_n, x_r = 600.0, 880.0, 1150.0
    y_new = 250.0  # (1 − z) ⊙ possibilities
    y_reset = 300.0
    # the prediction line: h_t−1 → × keep (z) → + → h_t
    d.vector("hidden_prev", LEFT, Y_TOP)
    line = 4.0
    draw_wire(s, [(LEFT + strip_width() + 1, Y_TOP), (x_z - R_JUNCTION, Y_TOP)], width=line)
    dot(s, BUS_X, Y_TOP)
    draw_wire(s, [(BUS_X, Y_TOP), (BUS_X, Y_BUS)], arrow=False, tip=texts.BUS_TIP)
    junction(s, x_z, Y_TOP, "x")
    draw_wire(s, [(x_z + R_JUNCTION, Y_TOP), (x_n - R_JUNCTION, Y_TOP)], width=line)
    junction(s, x_n, Y_TOP, "+")
    h_left = x_n + 110
    draw_wire(s, [(x_n + R_JUNCTION, Y_TOP), (h_left - 1, Y_TOP)], width=line)
    d.vector("hidden", h_left, Y_TOP)
    _output(d, h_left + strip_width() + 1, Y_TOP, (h_left + strip_width() - 20, Y_TOP + 64))
    # update: z keeps the old prediction; 1 − z takes the new possibilities
    _gate_column(d, x_z, "updating", "sigmoid")
    draw_wire(s, [(x_z, Y_SQUASH - HALF_SQUASH), (x_z, Y_TOP + R_JUNCTION)])
    d.vector("update", x_z - GAP - strip_width(), 390).align_label_right()
    dot(s, x_z, y_new)
    draw_wire(s, [(x_z, y_new), (x_z + 77, y_new)])
    small_box(s, x_z + 100, y_new, "1 −", texts.ONE_MINUS_TIP)
    draw_wire(s, [(x_z + 123, y_new), (x_n - R_JUNCTION, y_new)])
    # possibilities, voted with the reset gate's share of the previous prediction
    _gate_column(d, x_n, "possibilities", "tanh")
    draw_wire(s, [(x_n, Y_SQUASH - HALF_SQUASH), (x_n, y_new + R_JUNCTION)])
    d.vector("candidate", x_n - GAP - strip_width(), 400).align_label_right()
    junction(s, x_n, y_new, "x")
    draw_wire(s, [(x_n, y_new - R_JUNCTION), (x_n, Y_TOP + R_JUNCTION)])
    # reset: gates how much of h_t−1 the possibilities' vote sees
    x_rx = x_n + 130
    _gate_column(d, x_r, "resetting", "sigmoid")
    draw_wire(s, [(x_r, Y_SQUASH - HALF_SQUASH), (x_r, y_reset), (x_rx + R_JUNCTION, y_reset)])
    d.vector("reset", x_r + GAP, 415)
    junction(s, x_rx, y_reset, "x")
    draw_wire(s, [(x_rx, Y_BUS), (x_rx, y_reset + R_JUNCTION)], tip=texts.BUS_TIP)
    x_in = x_n + 55
    draw_wire(s, [(x_rx - R_JUNCTION, y_reset), (x_in, y_reset), (x_in, Y_VOTE - VOTE_HEIGHT / 2)])
    _inputs(d, x_r, hidden_prev_below=False)
    d.add_legend(BUS_X + 40, 740)
    return d


def _rnn(size: int) -> Diagram:
    d = Diagram("rnn", size, texts.RNN_CAPTION)
    s = d.scene
    dy = -RNN_LIFT  # no memory line: the drawing moves up under the caption
    # Where the LSTM's memory line would run: its absence is the lesson.
    y_ghost = Y_TOP - 20
    ghost = draw_wire(s, [(LEFT, y_ghost), (900, y_ghost)], arrow=False, width=3, dashed=True)
    ghost.setOpacity(0.35)
    text(s, texts.NO_MEMORY_LINE, (LEFT, y_ghost + 6), size=14, color=theme.MUTED)
    x = 520.0
    y_h = 330.0 + dy
    _gate_column(d, x, "the prediction", "tanh", dy=dy)
    draw_wire(s, [(x, Y_SQUASH + dy - HALF_SQUASH), (x, y_h), (x + 99, y_h)])
    d.vector("hidden", x + 100, y_h)
    _output(d, x + 100 + strip_width() + 1, y_h, (x + 10 + strip_width(), y_h + 64))
    _inputs(d, x, dy=dy)
    d.add_legend(BUS_X + 40, 752 + dy)
    return d
