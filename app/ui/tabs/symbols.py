"""Symbols as the views label them: a lone punctuation mark is a speck on a projector."""

from __future__ import annotations

import html

from app.data.tokenize import NEWLINE, PUNCTUATION, display_symbol

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


def text_html(text: str, mark_color: str) -> str:
    """Plain ``text`` as rich text, each line break shown as a ⏎ in ``mark_color`` ending
    the line (a stream's roll-out reads as the text it continues)."""
    mark = f"<span style='color:{mark_color}; font-weight:normal'>\u23ce</span><br/>"
    return html.escape(text).replace("\n", mark)


def plain_html(symbol: str, mark_color: str) -> str:
    """``symbol`` as HTML in a predicted sentence, where it is shown as it is written
    (a right prediction, the given first symbol): a line break — which a wrapped sentence
    would show as a mere space — as a ⏎ in ``mark_color``."""
    if symbol == NEWLINE:
        return f"<span style='color:{mark_color}'>\u23ce</span>"
    return html.escape(symbol)


def joined_html(pieces: list[tuple[str, str, bool]], joiner: str) -> str:
    """``(symbol, its html, shown plainly)`` pieces joined by ``joiner`` as a sentence is
    written: with words (``joiner`` a space), a plainly shown punctuation mark sticks to
    the word before it ("Doug saw Jane." — not "Jane ."), as ``join_symbols`` writes."""
    out: list[str] = []
    glue = html.escape(joiner)
    for symbol, text, plain in pieces:
        sticks = plain and joiner == " " and len(symbol) == 1 and symbol in PUNCTUATION
        out.append(text if not out or sticks else glue + text)
    return "".join(out)
