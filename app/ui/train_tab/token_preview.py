"""Rich-text renderings of tokens and vocabularies: symbols drawn as little boxes ("chips")."""

from __future__ import annotations

import html
from collections.abc import Sequence

from app.data.tokenize import (
    NEWLINE,
    TokenizerSpec,
    count_lines,
    iter_lines,
    tokenize_line,
    tokenize_stream_line,
)

CHIP_STYLE = "background-color:#e2e8f0; color:#1a202c;"
PUNCT_STYLE = "background-color:#fefcbf; color:#1a202c;"
MAX_PREVIEW_LINES = 2
MAX_PREVIEW_TOKENS = 12
MAX_VOCAB_SHOWN = 60


def symbol_text(symbol: str) -> str:
    """How a symbol is shown: visible stand-ins for spaces, tabs and line breaks."""
    return symbol.replace(" ", "\u2423").replace("\t", "\u21e5").replace(NEWLINE, "\u23ce")


def chip(symbol: str) -> str:
    style = PUNCT_STYLE if len(symbol) == 1 and not symbol.isalnum() else CHIP_STYLE
    return f'<span style="{style}">&nbsp;{html.escape(symbol_text(symbol))}&nbsp;</span>'


def chips(symbols: Sequence[str], limit: int = MAX_PREVIEW_TOKENS) -> str:
    shown = " ".join(chip(s) for s in symbols[:limit])
    if len(symbols) > limit:
        shown += f" <i>\u2026 {len(symbols) - limit} more</i>"
    return shown


def preview_html(
    text: str, spec: TokenizerSpec, lines: int = MAX_PREVIEW_LINES, stream: bool = False
) -> str:
    """The first ``lines`` non-blank lines as rows of chips, with their line numbers; in
    a ``stream`` as the stream reads them (indentation kept) and each line ending with
    its line break (⏎) when one follows."""
    rows = []
    n_lines = count_lines(text) if stream else 0
    for number, line in iter_lines(text):
        label = f'<span style="color:#4a5568;">{number}</span>&nbsp;&nbsp;'
        if stream:
            tokens = tokenize_stream_line(line, spec) + [NEWLINE] * (number < n_lines)
        else:
            tokens = tokenize_line(line, spec)
        body = chips(tokens) if tokens else "<i>no symbols</i>"
        rows.append(label + body)
        if len(rows) >= lines:
            break
    if not rows:
        return "<i>The symbols of your first lines will appear here.</i>"
    return "<br/>".join(rows)


def vocabulary_html(symbols: Sequence[str]) -> str:
    """``Vocabulary: N symbols`` and the symbols themselves (the first ones, if many)."""
    count = len(symbols)
    noun = "symbol" if count == 1 else "symbols"
    head = f"<b>Vocabulary: {count} {noun}</b>"
    if not count:
        return head
    return f"{head}&nbsp;&nbsp;{chips(symbols, MAX_VOCAB_SHOWN)}"
