"""Tooltips and help sentences of the Generate view, in the lecture's words."""

from __future__ import annotations

TAB = "Let the network write on from a prompt: the “away for two weeks” roll-out."
PROMPT = (
    "Where the network starts: one or more symbols from your training text, cut into "
    "symbols the same way as the text (words, characters or your separator). Press Enter "
    "or Generate.\nIn a text read as one stream, type \u23ce or \\n for a line break."
)
LENGTH = (
    "How many symbols the network writes after the prompt. At first, as many as a "
    "typical line of your text has after its first symbol (each line ends where the "
    "next one starts: the network was never shown what comes after a line's end)."
)
GREEDY = "Always take the likeliest symbol of the prediction vector: the same text every time."
SAMPLE = (
    "Draw each symbol at random with the prediction vector's probabilities (sharpened or "
    "flattened by the temperature), so less likely symbols get a chance too."
)
TEMPERATURE = (
    "How adventurous sampling is. 1 uses the probabilities as they are; below 1 the "
    "likeliest symbols win more often (close to 0 it is almost greedy); above 1 unlikely "
    "symbols get more of a chance."
)
SEED = (
    "The starting point of the random draws: the same seed gives the same text again, "
    "another seed another text."
)
ANOTHER = "Sample again with the next seed."
GENERATE = "Run the roll-out now (Enter in the prompt does the same)."
COPY = "Copy the prompt and the generated continuation as plain text."
EXPLAIN = (
    "The network writes on by itself: each symbol it picks becomes its next input — the "
    "lecture's “away for two weeks”. Its mistakes are fed back in too, so watch where "
    "it goes."
)
SENTENCE = (
    "The prompt (grey) and what the network wrote after it (bold). It uses the weights "
    "of the epoch chosen above, never the model that is training right now."
)
ENDING = (
    "Where the roll-out ends up: a loop it keeps going round (like the dinner cycle), "
    "one symbol over and over, or no pattern at all."
)
HEATMAP = (
    "The prediction vector at every generated step: columns are the symbols read "
    "(left to right), rows the symbols that could come next; bright is likely. The "
    "outlined cell is the symbol chosen and fed back in."
)
HEATMAP_TITLE = "<b>prediction vector</b> at each step"
HEATMAP_KEY = (
    "Outlined: the symbol chosen and fed back in. Hover over a cell to read its probability."
)
NO_MODEL = "There is no trainable text yet: type some sequences first."
UNUSABLE = (
    "Nothing written from these weights would mean anything. Pick another epoch, or Reset "
    "the model (Ctrl+R) to start again from new initial weights."
)
