"""Colour and shape for each symbol of the state map.

Colours are Okabe–Ito's eight, told apart with every common colour-vision deficiency;
shapes cycle through seven markers as well, so every symbol has two cues and the first
56 symbols all differ (8 and 7 share no factor).
"""

from __future__ import annotations

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow (outlined, so it shows on white)
    "#000000",  # black
)
SHAPES = ("o", "s", "t", "d", "star", "t1", "p")
NAMED = {
    "red": "#D55E00",  # vermillion: Okabe–Ito's red
    "orange": "#E69F00",
    "yellow": "#F0E442",
    "green": "#009E73",
    "blue": "#0072B2",
    "purple": "#CC79A7",
    "pink": "#CC79A7",
    "black": "#000000",
}
"""A symbol that names a colour is drawn in that colour (long-memory's "red" in orange
would contradict itself on the map)."""


def style_of(index: int) -> tuple[str, str]:
    """``(colour, marker)`` of the ``index``-th entry of a legend that is not by symbol."""
    return OKABE_ITO[index % len(OKABE_ITO)], SHAPES[index % len(SHAPES)]


def symbol_style(index: int, name: str = "") -> tuple[str, str]:
    """``(colour, marker)`` of vocabulary entry ``index`` (spelt ``name``)."""
    colour = NAMED.get(name.strip().lower(), OKABE_ITO[index % len(OKABE_ITO)])
    return colour, SHAPES[index % len(SHAPES)]
