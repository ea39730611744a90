"""The problems under the sequences editor: errors first, icons that draw with any font,
and warning text dark enough to read (WCAG AA)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from app.project import Project
from app.training.controller import TrainingController
from app.ui.document.document import Document
from app.ui.document.edits import ProjectEdits
from app.ui.train_tab.sequences_editor import SequencesEditor

# Three lines with a one-off word each (warnings), then a line with one symbol (an error).
TEXT = "pizza sushi piza\npizza sushi suhsi\npizza sushi pizzza\nsushi pizza sushi\npizza\n"


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio (1 … 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[SequencesEditor]:
    controller = TrainingController()
    document = Document(Project(text=TEXT, tokenizer="words"))
    edits = ProjectEdits(document, controller, lambda: True)
    editor = SequencesEditor(document, edits)
    qtbot.addWidget(editor)
    editor.resize(400, 600)
    editor.show()
    qtbot.waitExposed(editor)
    yield editor
    assert controller.shutdown(5000)


def test_errors_come_first_with_icons_not_glyphs(editor: SequencesEditor) -> None:
    items = [editor.problems.item(i) for i in range(editor.problems.count())]
    severities = ["error" if "one symbol" in item.text() else "warning" for item in items]
    assert severities == ["error", "warning", "warning", "warning"]  # text order: error last
    assert items[0].text().startswith("Line 5:")
    assert editor.problems.visualItemRect(items[0]).top() >= 0  # on show, not scrolled off
    for item in items:
        assert not any(glyph in item.text() for glyph in ("\u26d4", "\u26a0"))
        pixmap = item.icon().pixmap(16, 16)
        assert not pixmap.isNull()
        image = pixmap.toImage()
        opaque = sum(
            image.pixelColor(x, y).alpha() > 0 for x in range(image.width())
            for y in range(image.height())
        )  # fmt: skip
        assert opaque > 40  # something is drawn, whatever fonts there are
    assert items[0].icon().cacheKey() != items[1].icon().cacheKey()


def test_problem_colours_meet_wcag_aa_on_the_list(editor: SequencesEditor) -> None:
    background = editor.problems.palette().color(QPalette.ColorRole.Base)
    for i in range(editor.problems.count()):
        colour = editor.problems.item(i).foreground().color()
        assert contrast(colour, background) >= 4.5, colour.name()
