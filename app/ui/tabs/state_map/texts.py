"""Tooltips and help sentences of the State map view, in the lecture's words."""

from __future__ import annotations

TAB = (
    "Where the network's memory goes: its prediction hₜ (the hidden state) at every step, "
    "as a 2-D map."
)
EXPLAIN = (
    "Each dot is the network's prediction hₜ — its hidden state, carried on to the next "
    "step — after reading one symbol. It has many numbers; PCA flattens them to the two "
    "directions in which they spread the most. Lines join the steps of one training line "
    "and arrows point forward in time; colour and shape show what “Colour by” picks. Once "
    "the network has learned, the same situation lands in the same place, so the dots "
    "gather into clusters and the lines into loops."
)
EXPLAIN_STREAM = EXPLAIN.replace("one training line", "one excerpt of the text")
""":data:`EXPLAIN` for a text read as one stream, whose excerpts are drawn."""
PLOT_TITLE = "map of the prediction hₜ"
PLOT = (
    "The prediction hₜ (hidden state) after every step of the chosen lines, flattened to "
    "2-D by PCA (principal component analysis): the axes are the two directions in which the "
    "states differ most, and the axis labels say how much of the spread each one shows. "
    "Hover over a dot to read it; scroll to zoom, drag to pan."
)
LEGEND = (
    "What each dot's colour and shape stand for (see “Colour by”). Click an entry to hide "
    "or show its dots."
)
OTHERS = "{n:,} other symbols"
"""The legend's last entry when there are more symbols than it lists (grey dots)."""
OTHER_LINES = "{n:,} other lines"
OTHER_FIRSTS = "{n:,} other first words"
COLOUR_BY = (
    "What the colours and shapes of the dots tell apart. Symbol read: the symbol the "
    "network had just read at that dot. Line: which training line the dot belongs to. "
    "First word: the symbol the dot's line starts with — on the long-memory example, the "
    "colour the network must remember to the end of the line."
)
HOVER_IDLE = "Hover over a dot: which line and step it is, the symbol read, the prediction."
HOVER_IDLE_STREAM = HOVER_IDLE.replace("which line", "which excerpt")
SEQUENCES = (
    "The training lines whose steps are drawn. At first the first 20 are shown; tick or "
    "untick lines to compare them."
)
ALL = "Show every line (many lines make a crowded map)."
NONE = "Untick every line."
FIX_AXES = (
    "Keep the map's axes from the epoch shown now while training goes on, so movement "
    "on the map is real movement of the predictions hₜ, not the axes turning. Untick to "
    "fit the axes to each epoch again."
)
NO_SEQUENCES = "Tick at least one line on the left to draw its path through the predictions hₜ."
NO_MODEL = "There is no trainable text yet: type some sequences first."
BUSY = "Computing the map… (a big vocabulary, network or long lines take a moment)"
UNUSABLE = "No map for {epoch}: {why}. Pick another epoch, or reset the model."
FAILED = "The map could not be computed ({error})."
LINES_CUT = "Only the first {shown:,} of the {ticked:,} ticked lines are drawn."
STEPS_CUT = (
    "Only the first {steps:,} steps of each line are drawn: a map shows at most {points:,} points."
)
