"""Colour and shape for each symbol of the state map.

Colours are Okabe–Ito's eight, told apart with every common colour-vision deficiency;
shapes cycle through seven markers as well, so every symbol has two cues and the first
56 symbols all differ (8 and 7 share no factor).
"""

from __future__ import annotations

from collections.abc import Sequence

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


NEAR = {"#D55E00": ("#E69F00",), "#E69F00": ("#D55E00",)}
"""Palette colours too close to a named one to sit beside it: red's vermillion and orange."""


def named_colour(name: str) -> str | None:
    """The colour a symbol names ("red" → vermillion), or None."""
    return NAMED.get(name.strip().lower())


def legend_styles(names: Sequence[str]) -> list[tuple[str, str]]:
    """A ``(colour, marker)`` for each legend entry, no two alike.

    A name that is a colour keeps its own colour (with a shape no other entry of that
    colour has); the others take the palette's colours that no name uses (nor one too
    close to it: "five" is not drawn in red's vermillion), each colour with each shape
    once before any pair repeats.  Past every pair, entries repeat them in turn.
    """
    named = [named_colour(n) for n in names]
    taken = {c for c in named if c is not None}
    near = {c for n in taken for c in NEAR.get(n, ())}
    pool = [c for c in OKABE_ITO if c not in taken and c not in near] or list(OKABE_ITO)
    used: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    # Round k gives colour i shape i + k: each colour meets each shape once.
    pairs = [
        (c, SHAPES[(i + k) % len(SHAPES)]) for k in range(len(SHAPES)) for i, c in enumerate(pool)
    ]
    free = iter(pairs)
    for colour in named:
        if colour is not None:
            shape = next((s for s in SHAPES if (colour, s) not in used), SHAPES[0])
        else:
            pair = next((p for p in free if p not in used), None)
            if pair is None:  # more entries than pairs: repeat them in turn
                pair = pairs[len(out) % len(pairs)]
            colour, shape = pair
        used.add((colour, shape))
        out.append((colour, shape))
    return out
