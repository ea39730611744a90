"""The "line N: …" entries of the line combos: whole lines shown, huge ones cut."""

from __future__ import annotations

from app.data.presets import load_preset
from app.ui.widgets.line_combo import LINE_LABEL_CHARS, line_label


def test_a_long_memory_line_is_shown_whole() -> None:
    """The line's last word is the point of the example: it must not be cut off."""
    line = load_preset("long-memory").text.splitlines()[0]
    assert len(line) > 90  # the old combos cut at 80-90 characters
    label = line_label(1, line)
    assert label == f"line 1: {line}" and label.endswith(line.split()[-1])


def test_spaces_collapse_and_a_huge_line_is_cut_with_a_mark() -> None:
    assert line_label(3, "  Doug   saw\tJane. ", "  (validation)") == (
        "line 3: Doug saw Jane.  (validation)"
    )
    label = line_label(7, "word " * 10_000)
    assert len(label) == len("line 7: ") + LINE_LABEL_CHARS and label.endswith("\u2026")
