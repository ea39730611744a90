"""Words of the "RNN vs LSTM" view: labels and tooltips in the lecture's terms."""

from __future__ import annotations

TAB_TITLE = "RNN vs LSTM"
TAB_TIP = (
    "Train two networks on the same sequences from the same seed — say a plain RNN and "
    "an LSTM — and watch where the one without gates makes its short-memory mistakes."
)
LEFT_TIP = (
    "The left model is always your project's network (change it in Model & training). "
    "It trains here and on the Train tab alike."
)
KIND_TIP = (
    "The second network. A plain (vanilla) RNN squashes its input and its last hidden "
    "state together at every step: no memory line, no forget, ignore or select gates, so "
    "what it saw a few steps ago fades. An LSTM keeps a memory it can hold on to; a GRU "
    "is a smaller gated cousin."
)
HIDDEN_TIP = (
    "How many hidden units the second network has. Compare two sizes of the same kind "
    "to see how much room a network needs to remember."
)
WINDOW_TIP = (
    "How far back the second network's training looks (truncated back-propagation "
    "through time). “The whole line”: every earlier step can teach it. 1 step back: like "
    "the lecture's RNN, each prediction only learns from the step before — it has very "
    "short-term memory, and writes things like “Doug saw Doug.”"
)
ORDER_TIP = (
    "Together: both networks train at the same time (each on its own thread). One after "
    "the other: your project's network trains until its stop condition, then the second "
    "network catches up to the same epoch."
)
ORDER_NEEDS_STOP = (
    "One after the other needs a stop condition for the first network (Train tab): "
    "without one it would never hand over."
)
TRAIN_TIP = (
    "Train both networks on the same sequences, each from the same seed, until the stop "
    "condition set on the Train tab (or until you press Pause)."
)
PAUSE_TIP = "Pause both networks after their current update; Train both carries on from there."
RESET_TIP = (
    "Start the second network again from its initial weights. Same seed, so it starts "
    "exactly where a fresh one would, with the project's current training settings."
)
SEQUENCE_TIP = (
    "Which of your lines both networks read, step by step. Each cell below shows the "
    "symbol a network predicts next: green with ✓ when right, red with ✗ when wrong."
)
PROMPT_TIP = (
    "The start you give both networks. From there each one writes on by itself, feeding "
    "its own prediction back in as the next input — the lecture's “away for two weeks” "
    "roll-out. Use symbols from your sequences."
)
STEPS_TIP = "How many symbols each network writes after the prompt (always its most likely one)."
EXPORT_TIP = "Save the curves and both networks' predictions and writing as a PNG or SVG image."
OVERLAY = (
    "Both networks' loss and accuracy per epoch on the same axes: the project's network in "
    "blue, the second network in orange; dashed lines are validation. The one whose loss "
    "keeps falling is the one that found the pattern."
)
OVERLAY_LOSS = (
    "Loss (cross-entropy): how surprised each network is by the true next symbol; lower is "
    "better. A network without enough memory levels off above zero: some next symbols "
    "depend on something it has already forgotten."
)
OVERLAY_ACCURACY = (
    "Accuracy: how often each network's most likely next symbol is the true one. A plain "
    "RNN often stops short of 100% on lines that need memory."
)
PREDICTIONS_TIP = (
    "Step by step along the chosen line: the symbol read, the true next symbol, and what "
    "each network predicts next — green with ✓ when right, red with ✗ when wrong. An "
    "amber frame marks a "
    "step where the two networks disagree."
)
GENERATION_TIP = (
    "What each network writes from the prompt, one symbol at a time, each time taking "
    "its own most likely next symbol. A network with short memory goes round in circles "
    "(“Jane saw Spot saw Doug saw …”) or repeats the wrong name (“Doug saw Doug.”). Amber "
    "frames mark where the two disagree."
)
LOG_TIP = (
    "Show the loss on a logarithmic axis: a network that keeps learning keeps falling by "
    "factors of ten, while one that has hit the limit of its memory stays flat."
)
RESTART_TITLE = "Start the second network again?"
RESTART_QUESTION = (
    "The second network has already trained. A different kind, size or memory span "
    "starts it again from its initial weights, and its training so far is lost."
)
BOTH_LEARNED = (
    "Both networks now get every step right: learning from the whole line, a plain RNN "
    "can learn these lines too. The lecture's RNN cannot: "
    "<a href='window:1'>set it back to 1 step back</a> and train again — or try the "
    "long-memory example, where even the whole line is not enough."
)
BOTH_LEARNED_SHORT = (
    "Both networks get every step right, even the RNN learning from 1 step back: on these "
    "lines what it carries over from the step before (its last prediction) is enough — "
    "the lecture's “think back to the night before”. Doug, Jane and Spot need more, and "
    "the long-memory example much more."
)
BOTH_LEARNED_HERE = (
    "Both networks get every step right, even on this long-memory example: with this "
    "many units and epochs the RNN carried the colour to the end of the line. Try fewer "
    "units, or <a href='window:1'>1 step back</a>, and train the second network again."
)

BOTH_LEARNED_HERE_SHORT = (
    "Both networks get every step right, even the RNN learning from 1 step back on this "
    "long-memory example: with this many units and epochs it found a way to carry the "
    "colour to the end of the line. Try fewer units and train the second network again."
)


def both_learned(whole_line: bool, long_memory: bool) -> str:
    """What it means that both networks got every step right (``long_memory``: that
    example is open, so the sentence does not send the learner off to try it)."""
    if long_memory:
        return BOTH_LEARNED_HERE if whole_line else BOTH_LEARNED_HERE_SHORT
    return BOTH_LEARNED if whole_line else BOTH_LEARNED_SHORT


WINDOW_LINKS = {"window:0": 0, "window:1": 1}
"""The links in the sentences below: which “learning from” they set."""


def window_note(kind: str, window: int, long_memory: bool = False) -> str:
    """One plain sentence under the choice: what “learning from” means for this network.

    ``long_memory``: the project shown is the long-memory example (the sentence then
    speaks of this example, not of one to go and open)."""
    name = "RNN" if kind == "rnn" else {"lstm": "LSTM", "gru": "GRU"}.get(kind, kind)
    if kind == "rnn" and window == 1:
        if long_memory:
            return (
                "<b>1 step back</b>: each RNN prediction learns only from the step before — "
                "the lecture's short-memory RNN. This long-memory example is where that "
                "shows: the colour at the end of a line was read many steps earlier. Try "
                "<a href='window:0'>whole line</a> too: even then a plain RNN struggles to "
                "carry the colour that far."
            )
        return (
            "<b>1 step back</b>: each RNN prediction learns only from the step before — the "
            "lecture's short-memory RNN (“Doug saw Doug.”). An RNN <i>can</i> learn more if it "
            "may look further back: try <a href='window:0'>whole line</a>. The long-memory "
            "example is where even the whole line is not enough for a plain RNN to recall "
            "the colour."
        )
    if window == 0 and kind == "rnn" and long_memory:
        return (
            "<b>Learning from the whole line</b>: every earlier step can teach the RNN — yet "
            "on this long-memory example it still struggles to carry the colour to the end "
            "of the line. <a href='window:1'>Back to the lecture's RNN (1 step back)</a>."
        )
    if window == 0:
        if kind == "rnn":
            return (
                "<b>Learning from the whole line</b>: every earlier step can teach the RNN, "
                "so it can learn short patterns too; the long-memory example is where it "
                "cannot. <a href='window:1'>Back to the lecture's RNN (1 step back)</a>."
            )
        return f"<b>Learning from the whole line</b>: every earlier step can teach the {name}."
    steps = "step" if window == 1 else "steps"
    return (
        f"<b>Learning from {window:,} {steps} back</b>: each of the {name}'s predictions "
        f"only learns from the {window:,} {steps} before it. "
        "<a href='window:0'>Whole line</a> · <a href='window:1'>1 step back</a>."
    )


def stream_window_note(kind: str, window: int, project_window: int) -> str:
    """:func:`window_note` for a text read as one stream: it always trains in windows
    (there is no "whole line"), its memory carried from one window to the next; the
    links offer the project's own window and the lecture's 1 step back."""
    name = "RNN" if kind == "rnn" else {"lstm": "LSTM", "gru": "GRU"}.get(kind, kind)
    steps = "step" if window == 1 else "steps"
    links = []
    if window != project_window:
        links.append(f"<a href='window:0'>Your network's window ({project_window:,} steps)</a>")
    if window != 1:
        links.append("<a href='window:1'>1 step back</a>")
    lecture = " — the lecture's short-memory RNN" if kind == "rnn" and window == 1 else ""
    return (
        f"<b>Learning from {window:,} {steps} back</b>: each of the {name}'s predictions "
        f"only learns from the {window:,} {steps} before it{lecture}, though its memory "
        "carries on through the whole text. " + " · ".join(links) + ("." if links else "")
    ).rstrip()


NO_EPOCHS = "No epochs yet: press Train both."
DASHED_VALIDATION = "dashed: validation"
ROW_READS = "reads"
ROW_TRUTH = "true next"
PROMPT_CELL = "The prompt: given, not written by the network."
NOT_TRAINABLE = "Type some sequences first: both networks train on them."
DIFFER_LEGEND = (
    "<span style='background:#3a3a3a'>&nbsp;&nbsp;&nbsp;</span> the two disagree &nbsp; "
    "<span style='background:#d8f0de; color:#14532d'>&nbsp;✓ right&nbsp;</span> "
    "<span style='background:#fbd5d5; color:#9f1212'><b>&nbsp;✗ wrong&nbsp;</b></span>"
)


def row_predicts(name: str, trained: bool = True) -> str:
    return f"{name} predicts" if trained else f"{name} (untrained)"


def row_writes(name: str, trained: bool = True) -> str:
    return f"{name} writes" if trained else f"{name} (untrained)"


UNTRAINED_CELL = (
    "{name} is not trained yet: this comes from its random initial weights, not from "
    "anything it learned. Press Train both."
)


def prediction_tip(
    name: str, step: int, read: str, guess: str, p: float, truth: str, ok: bool
) -> str:
    verdict = "right" if ok else f"wrong: the true next symbol is “{truth}”"
    return (
        f"Step {step + 1}: after reading “{read}”, the {name} gives “{guess}” the most "
        f"votes in its prediction vector (p = {p:.2f}) — {verdict}."
    )


def generated_tip(name: str, k: int, symbol: str, p: float) -> str:
    return (
        f"Symbol {k + 1} the {name} wrote: “{symbol}”, its most likely next symbol "
        f"(p = {p:.2f}), fed back in as the next input."
    )


UNUSABLE = (
    "Nothing computed from these weights would mean anything: Reset that network to start "
    "again from new initial weights."
)
STEPS_CUT = "Showing the first {shown:,} of this line's {steps:,} steps."
MORE_LEFT = "◀ the first steps are to the left: scroll back to see them (the last step is shown)"
