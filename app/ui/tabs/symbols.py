"""Symbols as the views label them: a lone punctuation mark is a speck on a projector."""

from __future__ import annotations

import html

from app.data.tokenize import display_symbol

PUNCTUATION_NAMES = {
    ".": "full stop",
    ",": "comma",
    "!": "exclamation mark",
    "?": "question mark",
    ";": "semicolon",
    ":": "colon",
}


def spoken_symbol(symbol: str) -> str:
    """``symbol`` as plain text for a cell or an axis: a punctuation mark followed by its
    name (". full stop"), any other symbol as it is shown on an axis."""
    shown = display_symbol(symbol)
    name = PUNCTUATION_NAMES.get(symbol)
    return shown if name is None else f"{shown} {name}"


def named_symbol(symbol: str, longest: int | None = None) -> str:
    """``symbol`` as HTML for a label: a punctuation mark bold and named after it
    (**.** full stop) when the name has at most ``longest`` characters (any length if
    None), bold alone otherwise; any other symbol as it is shown on an axis."""
    shown = html.escape(display_symbol(symbol))
    name = PUNCTUATION_NAMES.get(symbol)
    if name is None:
        return shown
    if longest is not None and len(name) > longest:
        return f"<b>{shown}</b>"
    return f"<b>{shown}</b>&nbsp;&nbsp;{name}"
