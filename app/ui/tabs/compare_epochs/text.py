"""The comparison view's tooltips and labels, in the lecture's words."""

from __future__ import annotations

TAB_TITLE = "Compare epochs"
TAB_TIP = (
    "Put two moments of training side by side — say epoch 1 and the last epoch — and see "
    "what changed: the predictions, the gates and the memory."
)
VIEW = (
    "Two stored moments of training, A and B, side by side: what the network predicted "
    "and what its gates did while reading the same sequence. Everything is recomputed "
    "from the weights saved at those epochs, so it works while training runs and after "
    "the project is reopened."
)
TIMELINE = (
    "The training loss per epoch. Each dot is a stored snapshot of the weights: the "
    "moments you can compare. Left-click to put A there, right-click (or Shift+click) "
    "to put B there; drag the A and B lines to move them.\n"
    "Early epochs are all kept; in a long run every second, fourth, … epoch is kept, so "
    "the dots stay spread over the whole run."
)
SCORES = (
    "The loss and accuracy beside A and B are over all the training lines, as on the "
    "Train tab; the predictions below count the chosen line only, so the two can differ."
)
EPOCH_A = (
    "Epoch A: the earlier moment (default: epoch 0, the untrained network). Only stored "
    "snapshots can be shown, so a number you type snaps to the nearest stored epoch.\n"
    "Keys: [ and ] step A to the previous / next snapshot (↑/↓ while this box has focus)."
)
EPOCH_B = (
    "Epoch B: the later moment (default: the latest epoch). A number you type snaps to "
    "the nearest stored epoch.\n"
    "Keys: , and . step B to the previous / next snapshot (↑/↓ while this box has focus)."
)
FOLLOW = (
    "Keep B on the newest snapshot while the network trains, so the comparison always "
    "shows how far it has come since A. Choosing another B turns this off."
)
SEQUENCE = (
    "Which of your lines to run through the network at epochs A and B (the Train tab's "
    "line at first)."
)
SHOW = (
    "Which part of the cell to compare: one gate large, or every gate, the memory and "
    "the prediction hₜ (hidden state) in rows (scroll for more)."
)
PLAY = (
    "Replay training: B steps through every stored snapshot, from the first epoch to "
    "the last, at the chosen speed, while A stays put — watch the predictions turn "
    "green and the gates settle. Press again to pause."
)
SPEED = "Replay speed: how many stored snapshots per second."
PROGRESS = "Where the replay is: which snapshot B shows, out of all stored ones."
EXPORT = "Save the whole comparison as a picture (PNG or SVG) for slides or notes."
WORDS = (
    "What the network predicts at every step, at epoch A and at epoch B, with the true "
    "next symbol on top. Green cells with no frame are right; red, framed cells are "
    "wrong. The filled bar is how sure the network was: the probability it gave the "
    "symbol it predicted. Like the lecture's “Epoch 1 / Epoch 2” pictures: training "
    "turns red cells green."
)
SENTENCES_KEY = (
    "grey: given, not predicted · <u>red, underlined</u> (a red frame above): wrong, the "
    "true symbol after it in (brackets)"
)
SENTENCES = (
    "The predictions written out, as the network would say them: the first symbol is "
    "given (grey), wrong predictions are red and underlined, with the true symbol after "
    "them in brackets."
)
DIFFERENCE = (
    "What changed from A to B: B − A. White means unchanged; red means the value grew, "
    "blue that it shrank. A gate that went from closed (0) to open (1) is dark red."
)
SHARED_SCALE = "A and B use one colour scale, so the same colour means the same value in both."
HINT = (
    "Click the loss curve to put A there, right-click (or Shift+click) for B. "
    "Keys: [ and ] step A, comma and full stop step B, through the stored snapshots."
)
IDLE_READOUT = "Hover over a cell to compare its values at A and B."
NOTHING = "Nothing to compare yet: type some sequences (at least one line of two symbols)."
UNUSABLE = (
    "Nothing computed from these weights would mean anything. Move A or B to another "
    "epoch, or Reset the model (Ctrl+R) to start again from new initial weights."
)
STEPS_CUT = "first {shown:,} of the line's {steps:,} steps shown"
