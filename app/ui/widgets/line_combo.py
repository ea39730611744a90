"""The "which line" combo box of the tabs that show one line of the text at a time."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtWidgets import QComboBox, QSizePolicy

from app.analysis.rollout import join_symbols
from app.data import NEWLINE, SequenceData, SequenceMode

LINE_LABEL_CHARS = 240
"""A line's text in a "line N: …" entry is cut past this many characters (a 10,000-word
line must not become a 60,000-character combo entry); shorter lines are shown whole —
the box shows what fits its width and the popup the rest."""


def line_label(number: int, text: str, mark: str = "") -> str:
    """ "line 3: Doug saw Jane." — ``text`` with its runs of spaces collapsed and cut by
    :data:`LINE_LABEL_CHARS`; ``mark`` (e.g. "  (validation)") goes after it."""
    shown = " ".join(text.split())
    if len(shown) > LINE_LABEL_CHARS:
        shown = shown[: LINE_LABEL_CHARS - 1] + "\u2026"
    return f"line {number}: {shown}{mark}"


def shown_word(mode: SequenceMode, lines_word: str) -> str:
    """What a view calls one piece of the text it shows: ``lines_word`` ("Line:",
    "sequence") for a text read as lines, where the pieces are its lines; for a stream
    "excerpt" in its place, capitalised as ``lines_word`` is and with its colon ("Line:"
    → "Excerpt:") — a stream's views show excerpts of the one sequence (see
    :func:`app.analysis.sequence_view.noun_of`)."""
    if mode != "stream":
        return lines_word
    word = "Excerpt" if lines_word[:1].isupper() else "excerpt"
    return word + (":" if lines_word.endswith(":") else "")


def excerpt_place(index: int, line: int) -> str:
    """ "excerpt 12 (text line 40)": a stream's excerpt ``index`` (0-based) and the line
    of the text it starts on — one counter, the line in brackets so the two numbers don't
    read as two counters of the same thing."""
    return f"excerpt {index + 1:,} (text line {line:,})"


def excerpt_label(index: int, line: int, text: str, mark: str = "") -> str:
    """ "excerpt 12 (text line 40): First Citizen: ⏎ Before we…" — a stream's excerpt
    ``index`` (0-based) starting on ``line`` (:func:`excerpt_place`), its line breaks shown
    as ⏎, cut as :func:`line_label` cuts a line."""
    shown = " ".join(text.replace(NEWLINE, " \u23ce ").split())
    if len(shown) > LINE_LABEL_CHARS:
        shown = shown[: LINE_LABEL_CHARS - 1] + "\u2026"
    return f"{excerpt_place(index, line)}: {shown}{mark}"


def excerpt_labels(data: SequenceData, tokenizer: str, held_out: Collection[int] = ()) -> list[str]:
    """:func:`excerpt_label` for every excerpt of a stream, held-out ones marked as
    held-out lines are ("  (validation)")."""
    held = set(held_out)
    return [
        excerpt_label(i, line, join_symbols(data.tokens[i], tokenizer),
                      "  (validation)" if i in held else "")
        for i, line in enumerate(data.line_numbers)
    ]  # fmt: skip


def line_combo(tooltip: str, min_chars: int = 30) -> QComboBox:
    """A combo box for entries like "line 3: Doug saw Jane.".

    It takes the row's spare width and may shrink to ``min_chars`` characters (long
    lines are cut in the box; the popup stays wide), so the tab fits beside the docks.
    """
    combo = QComboBox()
    combo.setToolTip(tooltip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo
