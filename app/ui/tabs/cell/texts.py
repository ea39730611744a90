"""Every label and tooltip of the cell diagram, in the lecture's words with the textbook's.

The lecture calls the gates *forget*, *ignore* (input) and *select* (output), the
candidate values *possibilities*, sigmoid and tanh *squashing functions*, and each
gate's small network a *voting process*.  Labels put the textbook symbol beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

KEY = "cell"
"""The view's entry in ``project.ui``."""

TAB_TITLE = "Inside the cell"
TAB_TIP = (
    "The lecture's diagram of the cell with the real numbers flowing through it: "
    "step through a sequence and through the epochs and watch the gates open and close."
)


@dataclass(frozen=True)
class Label:
    """A vector's label: the lecture's words, the textbook symbol (HTML) and a tooltip."""

    words: str
    symbol: str
    tip: str
    note: str = ""

    @property
    def html(self) -> str:
        note = f"&nbsp;&nbsp;<span style='color:#555555'>{self.note}</span>" if self.note else ""
        return f"<b>{self.words}</b>&nbsp;&nbsp;<i>{self.symbol}</i>{note}"

    @property
    def plain(self) -> str:
        """As the hover read-out writes it: "forget gate f_t"."""
        symbol = self.symbol.replace("<sub>", "_").replace("</sub>", "")
        return f"{self.words} {symbol}"


_T, _TM1 = "<sub>t</sub>", "<sub>t−1</sub>"
VECTORS: dict[str, Label] = {
    "forget": Label(
        "forget gate", f"f{_T}",
        "How much of each memory to keep from the last step: 1 (yellow) keeps it, "
        "0 (dark) forgets it. Squashed by the logistic function into 0…1.",
    ),
    "input": Label(
        "ignore gate (input)", f"i{_T}",
        "Which possibilities are let into memory: 1 adds them, 0 ignores them so they do "
        "not cloud the memory (an attention mechanism). Squashed into 0…1.",
    ),
    "output": Label(
        "select gate (output)", f"o{_T}",
        "Which memories are released as this step's prediction: 1 lets them out, 0 keeps "
        "them inside for later. Squashed into 0…1.",
    ),
    "candidate": Label(
        "possibilities (candidate)", f"g{_T}",
        "The new possibilities: the new information and the last prediction voted into "
        "values squashed by tanh to −1…1 (blue negative, red positive).",
    ),
    "cell_prev": Label(
        "memory", f"c{_TM1}",
        "The memory from the last step (zeros before the first step). Not squashed, so "
        "its colours run from −3 to 3; hover a cell for the exact value.",
        "(colours ±3)",
    ),
    "cell": Label(
        "memory", f"c{_T}",
        "The new memory: what was kept (times the forget gate) plus the possibilities let "
        "in (times the ignore gate). Not squashed: colours run from −3 to 3.",
        "(colours ±3)",
    ),
    "cell_squashed": Label(
        "squashed memory", f"tanh(c{_T})",
        "The memory squashed by tanh into −1…1 before the select gate picks what to release.",
    ),
    "hidden": Label(
        "prediction", f"h{_T}",
        "The prediction passed on: read out as the next-symbol probabilities, and fed back "
        "in as the previous prediction at the next step. Squashed into −1…1.",
    ),
    "hidden_prev": Label(
        "previous prediction", f"h{_TM1}",
        "The prediction from the last step, fed back in (zeros before the first step).",
    ),
    "reset": Label(
        "reset gate", f"r{_T}",
        "How much of the previous prediction the possibilities may see: 0 ignores the "
        "past, 1 uses all of it. Squashed into 0…1.",
    ),
    "update": Label(
        "update gate", f"z{_T}",
        "Forget and ignore in one: 1 keeps the old prediction, 0 replaces it with the new "
        "possibilities. Squashed into 0…1.",
    ),
    "keep_new": Label(
        "take the new", f"1 − z{_T}",
        "One minus the update gate: how much of the new possibilities gets in.",
    ),
}  # fmt: skip

INPUT_WORDS = "new information"
INPUT_TIP = (
    "The new information: the symbol read at this step, given to the network as a "
    "one-hot vector x_t (a 1 in its own position, 0 everywhere else)."
)
BUS_TIP = (
    "The new information and the previous prediction go to every voting box: each gate "
    "has its own small neural network that votes on them."
)
VOTE_TIP = (
    "Its own small neural network: a weighted vote of the new information x_t and the "
    "previous prediction h_t−1, plus a bias. Training adjusts the weights of the vote."
)
SIGMOID_TIP = (
    "Logistic squashing function (σ): squashes any number into 0…1, so it can be used "
    "for gating — 0 blocks, 1 lets everything through."
)
TANH_TIP = (
    "tanh squashing function: squashes any number into −1…1. Small numbers pass almost "
    "unchanged, large ones are squashed more and more, so values can go round the loop "
    "many times without exploding."
)
TIMES_TIP = (
    "Times junction: multiplies two vectors element by element. With a gate (0…1) on "
    "one side it is gating: it controls what passes through and what gets blocked."
)
PLUS_TIP = "Plus junction: adds two vectors element by element."
ONE_MINUS_TIP = "1 − z: what the update gate does not keep, it takes from the possibilities."
PROBS_TITLE = "<b>next symbol</b>, read out from <i>h</i><sub>t</sub>"
PROBS_TIP = (
    "The prediction vector: the prediction h_t read out and squashed by softmax into "
    "probabilities that add up to 1. The most likely symbols are shown; the true next "
    "symbol is marked."
)
MEMORY_LINE_TIP = (
    "The memory line: memories flow across from step to step. At the times junction "
    "some are forgotten; at the plus junction new possibilities are added."
)
RNN_CAPTION = (
    "A vanilla RNN has no memory line: everything it remembers must survive being "
    "squashed again at every step, which is why it only looks back a few steps "
    "(and writes “Doug saw Doug.”)."
)
NO_MEMORY_LINE = (
    "no memory line here: what the prediction h<sub>t−1</sub> carries is all it remembers"
)
GRU_CAPTION = (
    "A GRU keeps its memory in the prediction itself: the update gate keeps some of the "
    "old prediction (z) and takes the rest (1 − z) from the new possibilities."
)
LSTM_CAPTION = (
    "Memories flow along the top; each gate is its own small network voting on the new "
    "information and the previous prediction."
)
EMPTY = "Type some sequences (at least two symbols on a line) to look inside the cell."
UNUSABLE = (
    "No number inside the cell would mean anything. Pick another epoch, or Reset the "
    "model (Ctrl+R) to start again from new initial weights."
)
UNUSABLE_EMPTY = "No numbers to show at this epoch."

# -- controls --------------------------------------------------------------------------
SEQUENCE_TIP = "Which sequence flows through the cell."
EPOCH_TIP = (
    "Which epoch's weights to use. Only some epochs are stored (snapshots); the nearest "
    "stored one is shown. PgDn/PgUp or [ and ] step to the previous/next stored epoch."
)
LATEST_TIP = "Follow training live: show the newest weights as the network learns."
STEP_TIP = (
    "The time step: which symbol the cell is reading. ← and → step through the sequence "
    "(click the diagram first), Home/End jump to the start/end."
)
EXPORT_TIP = "Save the diagram with its numbers as a PNG or SVG image (for slides)."
READOUT_IDLE = "Hover over a coloured cell to read its value."
GRID_HINT = "each block of {size} squares is one vector ({rows} rows of {cols})"

SCALE_TEXT = {
    "gate": "gates (σ): 0 closed, 1 open",
    "tanh": "tanh values",
    "memory": "memory: not squashed, colours stop at ±3",
}
