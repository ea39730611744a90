"""Layouts that hold: the views other than Train, built as ``figure`` builds them and laid
out at the smallest realistic logical sizes, lose no text.

Each check measures the widgets: a non-wrapping label's or button's text (its font
metrics) fits its contents rectangle in width and height, a wrapping label gets the
height its text needs at its width, visible sibling labels and buttons do not overlap,
and the pyqtgraph axis names and titles fit their axes, inside the view, apart.

The quick tests lay out the smallest size (960×540 logical: 1920×1080 at scale 2), and
RNN vs LSTM at 1280×720; the whole grid (every view, both presets, three sizes) is
marked ``slow`` and runs with ``-m slow``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # (QtGui's Qt namespace has mightBeRichText)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QGraphicsTextItem,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QWidget,
)

from app.cli.figure import FigureOptions
from app.project import Project
from app.ui.shell.figure import posed_view
from tests.ui.helpers import trained_project
from tests.ui.layout_helpers import GRID

VIEWS = ("compare", "cell", "versus", "generate", "state-map")
SIZES = ((960, 540), (1280, 720), (1920, 1080))
GRID_SIZES = sorted({size for size in GRID.values() if size[0] >= 800 and size[1] >= 480})
"""Every screen × scale of the issue whose layout gives a view at least 800×480 (smaller,
1280×720 or 1366×768 at scale 2, is a phone-sized window: nothing teaches there)."""
TOLERANCE = 1  # pixels of rounding


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    return {
        "doug-jane-spot": trained_project("doug-jane-spot", 12),
        "long-memory": trained_project("long-memory", 4),
    }


@pytest.fixture(autouse=True)
def _grid_only_when_asked(request: pytest.FixtureRequest) -> None:
    asked = request.config.option.markexpr or ""
    if request.node.get_closest_marker("slow") and "slow" not in asked:
        pytest.skip("the whole layout grid runs with -m slow")


# -- measuring ----------------------------------------------------------------------------
def _shown(w: QWidget, root: QWidget) -> bool:
    if not w.isVisibleTo(root) or w.width() <= 0 or w.height() <= 0:
        return False
    # Inside a scroll area the widget may sit out of sight on purpose: only what is in
    # the view's own rectangle counts.
    top_left = w.mapTo(root, w.rect().topLeft())
    return root.rect().intersects(QRect(top_left, w.size()))


def _text_size(label: QLabel) -> tuple[float, float]:
    """(width, height) a non-wrapping label's text needs, rich text laid out as Qt does."""
    text = label.text()
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    fmt = label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    return doc.idealWidth(), doc.size().height()


def clipped_texts(root: QWidget) -> list[str]:
    """Labels and buttons of ``root`` whose text does not fit (a description each)."""
    problems = []
    for label in root.findChildren(QLabel):
        if not _shown(label, root) or not label.text().strip() or label.pixmap().width() > 0:
            continue
        rect = label.contentsRect()
        margin = 2 * label.margin()
        if label.wordWrap():  # the height its lines need at its width
            need_w, need_h = 0.0, float(label.heightForWidth(label.width()))
        else:
            need_w, need_h = _text_size(label)
        if need_w > rect.width() - margin + TOLERANCE or need_h > rect.height() + TOLERANCE:
            problems.append(
                f"label {label.text()[:60]!r}: needs {need_w:.0f}×{need_h:.0f}, "
                f"has {rect.width()}×{rect.height()}"
            )
    for button in root.findChildren(QAbstractButton):
        if not _shown(button, root) or not button.text().strip():
            continue
        if isinstance(button, QPushButton | QCheckBox | QRadioButton):
            need = button.sizeHint()
            if need.width() > button.width() + TOLERANCE or (
                button.fontMetrics().height() > button.height() + TOLERANCE
            ):
                problems.append(
                    f"button {button.text()!r}: needs {need.width()}×{need.height()}, "
                    f"has {button.width()}×{button.height()}"
                )
    for table in root.findChildren(QTableWidget):
        if not _shown(table, root):
            continue
        for row in range(min(table.rowCount(), 5)):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                if item is None or not item.text() or table.isColumnHidden(col):
                    continue
                need = QFontMetrics(item.font()).horizontalAdvance(item.text()) + 6
                if need > table.columnWidth(col) + TOLERANCE:
                    problems.append(
                        f"table cell {item.text()!r}: needs {need}, has {table.columnWidth(col)}"
                    )
    return problems


def overlapping_siblings(root: QWidget) -> list[str]:
    """Pairs of visible labels/buttons with one parent whose rectangles overlap."""
    problems = []
    kinds = (QLabel, QAbstractButton)
    parents = [root, *root.findChildren(QWidget)]
    for parent in parents:
        children = [
            c for c in parent.children()
            if isinstance(c, kinds) and isinstance(c, QWidget) and _shown(c, root)
            and (not isinstance(c, QLabel) or c.text().strip())
        ]  # fmt: skip
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > TOLERANCE and overlap.height() > TOLERANCE:
                    problems.append(f"{_name(a)} overlaps {_name(b)}")
    return problems


def _name(w: QWidget) -> str:
    text = w.text() if isinstance(w, QLabel | QAbstractButton) else ""
    return f"{type(w).__name__} {text[:40]!r}"


def plot_text_problems(root: QWidget) -> list[str]:
    """pyqtgraph axis names and titles that run past their axis, out of the widget, or
    into each other."""
    problems = []
    for graphics in root.findChildren(pg.GraphicsView):
        if not _shown(graphics, root):
            continue
        visible = QRectF(graphics.viewport().rect())
        texts: list[tuple[str, QRectF]] = []
        for item in graphics.scene().items():
            if not item.isVisible() or not item.isVisibleTo(None):
                continue
            if isinstance(item, pg.AxisItem) and item.label.isVisible():
                if not item.labelText or item.style.get("showValues") is None:
                    continue
                rect = _ink(graphics, item.label)
                along = item.sceneBoundingRect()
                length = along.height() if item.orientation in ("left", "right") else along.width()
                text = item.labelText
                m = item.label.document().documentMargin()
                needed = item.label.boundingRect().width() - 2 * m
                if needed > length + TOLERANCE:
                    problems.append(f"axis name {text!r} needs {needed:.0f} px, axis {length:.0f}")
                texts.append((f"axis name {text!r}", QRectF(rect)))
            elif isinstance(item, pg.LabelItem) and item.text:
                rect = _ink(graphics, item.item)
                texts.append((f"title {item.text[:40]!r}", rect))
        for name, rect in texts:
            if not visible.adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE).contains(rect):
                problems.append(f"{name} runs out of its plot widget")
        for i, (a, ra) in enumerate(texts):
            for b, rb in texts[i + 1 :]:
                both = ra.intersected(rb)
                if both.width() > 2 and both.height() > 2:
                    problems.append(f"{a} overlaps {b}")
    return problems


def _ink(graphics: pg.GraphicsView, item: QGraphicsTextItem) -> QRectF:
    """Where ``item``'s text is drawn in the view, without its document's blank margin."""
    m = item.document().documentMargin()
    rect = item.mapRectToScene(item.boundingRect().adjusted(m, m, -m, -m))
    return QRectF(graphics.mapFromScene(rect).boundingRect())


Build = Callable[[str, str, tuple[int, int]], AbstractContextManager[QWidget]]


@pytest.fixture
def laid_out(qapp: QApplication, projects: dict[str, Project]) -> Build:
    """``laid_out(view, preset, size)``: the view as ``figure`` builds it, laid out."""

    def build(view: str, preset: str, size: tuple[int, int]) -> AbstractContextManager[QWidget]:
        return posed_view(projects[preset], FigureOptions(view, *size, 1.0))

    return build


def _check(laid_out: Build, view: str, preset: str, size: tuple[int, int]) -> None:
    with laid_out(view, preset, size) as widget:
        problems = clipped_texts(widget) + overlapping_siblings(widget)
        if widget.height() > size[1] or widget.width() > size[0]:
            problems.append(f"needs {widget.minimumSizeHint()}: more than the screen")
        problems += plot_text_problems(widget)
    assert not problems, f"{view} on {preset} at {size[0]}×{size[1]}:\n" + "\n".join(problems)


# -- the tests ------------------------------------------------------------------------------
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_holds_at_the_smallest_size(laid_out: Build, view: str) -> None:
    _check(laid_out, view, "long-memory", SIZES[0])


@pytest.mark.parametrize("view", ("versus",))  # (compare: 2 s each, in the slow grid)
def test_the_busiest_views_hold_at_1280x720(laid_out: Build, view: str) -> None:
    _check(laid_out, view, "doug-jane-spot", SIZES[1])


@pytest.mark.slow
@pytest.mark.parametrize("size", GRID_SIZES)
@pytest.mark.parametrize("preset", ("doug-jane-spot", "long-memory"))
@pytest.mark.parametrize("view", VIEWS)
def test_the_whole_grid(laid_out: Build, view: str, preset: str, size: tuple[int, int]) -> None:
    _check(laid_out, view, preset, size)
