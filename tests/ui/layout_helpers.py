"""Layout checks any window test can reuse: does every text fit, overlap nothing, stay seen?

Each ``*_problems`` function returns a list of plain sentences (empty: all is well), so a
test can gather them over several sizes and fail once, saying everything that is wrong::

    problems = text_problems(window.plots) + plot_text_problems(window.plots.gates.graphics)
    assert not problems, "\\n".join(problems)

Sizes: a W×H screen at UI scale s lays the window out at W/s × H/s logical pixels, and
QT_SCALE_FACTOR cannot change inside a test run, so the tests resize the window to the
logical size (:data:`GRID`, :func:`show_at`).  Text is measured with the widgets' own
font metrics; pyqtgraph text (tick labels, axis titles) by the ink of each string where
the axis draws it, in scene coordinates.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

SCREENS = ((1280, 720), (1366, 768), (1600, 1000), (1920, 1080))
SCALES = (1.0, 1.25, 1.5, 2.0)


def logical(screen: tuple[int, int], scale: float) -> tuple[int, int]:
    """The logical size a ``screen`` (W, H) lays out at ``scale``: (W/s, H/s)."""
    return math.floor(screen[0] / scale), math.floor(screen[1] / scale)


def size_id(screen: tuple[int, int], scale: float) -> str:
    return f"{screen[0]}x{screen[1]}@{scale:g}"


GRID: dict[str, tuple[int, int]] = {
    size_id(screen, scale): logical(screen, scale) for screen in SCREENS for scale in SCALES
}
"""Every screen at every scale: ``"1920x1080@1.5" → (1280, 720)``."""
FAST = ("1280x720@2", "1280x720@1", "1920x1080@1")
"""The fast suite's sizes: the smallest, the classroom's 1280×720, and full HD."""

_TOLERANCE = 1.0  # pixels: rounding between layouts and font metrics


# -- sizes ----------------------------------------------------------------------------------
def show_at(qtbot: QtBot, window: QWidget, size: tuple[int, int], rounds: int = 3) -> QSize:
    """Resize ``window`` to ``size`` (logical pixels), let every layout follow, and return
    the size it got (a window cannot shrink below its minimum size)."""
    window.resize(*size)
    wanted = QSize(*size).expandedTo(window.minimumSize())
    qtbot.waitUntil(lambda: window.size() == wanted, timeout=2000)
    # Graphics layouts and heights-for-width follow a few event rounds later.
    for _ in range(rounds):
        QApplication.processEvents()
        qtbot.wait(1)
    return window.size()


# -- widgets --------------------------------------------------------------------------------
def visible_descendants(root: QWidget, kinds: tuple[type, ...] = (QWidget,)) -> Iterator[QWidget]:
    """Every descendant of ``root`` of one of ``kinds`` that is shown (as far as Qt knows:
    inside a scroll area it may still need scrolling to, see :func:`seen_without_scrolling`)."""
    for widget in root.findChildren(QWidget):
        if isinstance(widget, kinds) and widget.isVisibleTo(root) and root.isVisible():
            yield widget


def label_text_width(label: QLabel) -> float:
    """How wide ``label``'s text is on one line (rich text laid out as the label does)."""
    text = label.text()
    if label.textFormat().name == "PlainText" or not _looks_rich(label):
        metrics = QFontMetricsF(label.font())
        return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0.0)
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(text)
    return doc.idealWidth()


def _looks_rich(label: QLabel) -> bool:
    fmt = label.textFormat().name
    return fmt == "RichText" or (fmt == "AutoText" and "<" in label.text())


def text_problems(root: QWidget) -> list[str]:
    """Clipped text under ``root``: every shown label, button and readout.

    - a label that does not wrap is at least as wide as its text;
    - a label that wraps is at least as tall as its text at its width (heightForWidth);
    - a button is at least as wide as it asks to be (its text, icon and frame);
    - a readout (:class:`~app.ui.plots.readout.Readout`) shows a form that fits;
    - none of them sticks out of an ancestor that is not a scroll area (it would be cut).
    """
    problems = []
    for widget in visible_descendants(root):
        name = describe(widget)
        rect = widget.contentsRect()
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + _TOLERANCE:
                    problems.append(f"{name}: {need} px of wrapped text in {widget.height()} px")
            else:
                need_w = label_text_width(widget) + 2 * widget.margin()
                if need_w > rect.width() + _TOLERANCE:
                    problems.append(f"{name}: text {need_w:.0f} px wide in {rect.width()} px")
        elif isinstance(widget, QAbstractButton) and widget.text():
            need_w = widget.sizeHint().width()
            if need_w > widget.width() + _TOLERANCE:
                problems.append(f"{name}: needs {need_w} px, has {widget.width()} px")
        elif hasattr(widget, "shown_width"):
            shown = float(widget.shown_width())
            if shown > rect.width() + _TOLERANCE:
                problems.append(f"{name}: shows {shown:.0f} px of text in {rect.width()} px")
        else:
            continue
        cut = cut_by_ancestor(widget, root)
        if cut:
            problems.append(f"{name}: cut off by {cut}")
    return problems


def cut_by_ancestor(widget: QWidget, root: QWidget) -> str:
    """The first ancestor (up to ``root``) whose rectangle does not hold ``widget`` whole,
    stopping at a scroll area's viewport (what is past it is scrolled to, not cut)."""
    rect = QRect(widget.rect())
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        rect = QRect(child.mapTo(parent, rect.topLeft()), rect.size())
        if isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()  # type: ignore[attr-defined]
        ):
            return ""
        if not parent.rect().adjusted(-1, -1, 1, 1).contains(rect):
            return describe(parent)
        if parent is root:
            return ""
        child, parent = parent, parent.parentWidget()
    return ""


def overlap_problems(root: QWidget) -> list[str]:
    """Shown text widgets (labels, buttons, readouts) that overlap a shown sibling."""
    problems = []
    parents = {w.parentWidget() for w in visible_descendants(root)}
    for parent in parents:
        if parent is None:
            continue
        texts = [
            w
            for w in parent.children()
            if isinstance(w, QWidget)
            and w.isVisibleTo(root)
            and (isinstance(w, QLabel | QAbstractButton) or hasattr(w, "shown_width"))
        ]
        for a, b in itertools.combinations(texts, 2):
            inner_a = a.geometry().adjusted(1, 1, -1, -1)
            if inner_a.intersects(b.geometry().adjusted(1, 1, -1, -1)):
                problems.append(f"{describe(a)} overlaps {describe(b)}")
    return problems


_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 … 21; text wants 4.5 or more)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contrast_problems(root: QWidget, minimum: float = 4.5) -> list[str]:
    """Shown labels whose text colour (the palette's, or a ``color:`` in their rich text
    or style sheet) has less than ``minimum`` contrast with the window background: text
    a projector washes out.  Chips with their own background are not judged here."""
    problems = []
    for label in visible_descendants(root, (QLabel,)):
        assert isinstance(label, QLabel)
        if not label.text():
            continue
        background = label.palette().color(QPalette.ColorRole.Window)
        colours = {label.palette().color(label.foregroundRole()).name()}
        colours |= set(_COLOUR.findall(label.styleSheet()))
        if _looks_rich(label):
            colours |= set(_COLOUR.findall(label.text()))
        for colour in colours:
            ratio = contrast(QColor(colour), background)
            if ratio < minimum:
                problems.append(
                    f"{describe(label)}: {colour} on {background.name()} is {ratio:.1f}:1"
                )
    return problems


def seen_without_scrolling(widget: QWidget, scroll: QScrollArea, part: float = 1.0) -> bool:
    """Whether at least ``part`` of ``widget``'s height shows in ``scroll``'s viewport now."""
    viewport = scroll.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    rect = QRect(top_left, widget.size())
    shown = rect.intersected(viewport.rect())
    return widget.isVisible() and shown.height() >= part * rect.height() - _TOLERANCE


def reachable_by_scrolling(widget: QWidget, scroll: QScrollArea) -> bool:
    """Whether ``widget`` lies within what ``scroll`` can scroll to."""
    inner = scroll.widget()
    if inner is None or not widget.isVisibleTo(inner):
        return False
    top_left = widget.mapTo(inner, widget.rect().topLeft())
    return inner.rect().adjusted(-1, -1, 1, 1).contains(QRect(top_left, widget.size()))


def describe(widget: QWidget) -> str:
    """A widget for a failure message: its class, object name and a bit of its text."""
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    elif hasattr(widget, "text"):
        text = str(widget.text())
    text = text.replace("\n", " ")
    shown = f" {text[:40]!r}" if text else ""
    name = f"#{widget.objectName()}" if widget.objectName() else ""
    return f"{type(widget).__name__}{name}{shown}"


# -- pyqtgraph text -------------------------------------------------------------------------
def tick_texts(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels ``axis`` draws now: the ink of each string, in scene coordinates.

    An axis that draws its labels upright (``TokenAxis.text_rects``) says where itself;
    otherwise the text is where pyqtgraph's ``generateDrawSpecs`` puts it, aligned in its
    rectangle as pyqtgraph aligns it.
    """
    own = getattr(axis, "text_rects", None)
    if callable(own):
        return [(axis.mapRectToScene(rect), text) for rect, text in own()]
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    metrics = QFontMetricsF(axis.style.get("tickFont") or QApplication.font())
    out = []
    for rect, flags, text in specs[2]:
        if text:
            ink = ink_rect(metrics, text, QRectF(rect), int(flags))
            out.append((axis.mapRectToScene(ink), text))
    return out


def ink_rect(metrics: QFontMetricsF, text: str, box: QRectF, flags: int) -> QRectF:
    """Where the ink of ``text`` lands when drawn in ``box`` with alignment ``flags``."""
    from PySide6.QtCore import Qt

    tight = metrics.tightBoundingRect(text)  # relative to the baseline origin
    width, height = metrics.horizontalAdvance(text), metrics.ascent() + metrics.descent()
    if flags & Qt.AlignmentFlag.AlignRight.value:
        x = box.right() - width
    elif flags & Qt.AlignmentFlag.AlignHCenter.value:
        x = box.center().x() - width / 2
    else:
        x = box.left()
    if flags & Qt.AlignmentFlag.AlignBottom.value:
        top = box.bottom() - height
    elif flags & Qt.AlignmentFlag.AlignTop.value:
        top = box.top()
    else:
        top = box.center().y() - height / 2
    baseline = QPointF(x, top + metrics.ascent())
    return tight.translated(baseline)


def axis_title_rect(axis: pg.AxisItem) -> QRectF | None:
    """The axis title's rectangle in scene coordinates (None without a shown title)."""
    if not axis.isVisible() or not axis.label.isVisible() or not axis.labelText:
        return None
    return axis.label.mapRectToScene(axis.label.boundingRect())


def axes_in(graphics: pg.GraphicsView) -> list[pg.AxisItem]:
    """Every shown axis in ``graphics``' scene (plots' axes and colour bars')."""
    return [
        item
        for item in graphics.scene().items()
        if isinstance(item, pg.AxisItem) and item.isVisible() and item.style.get("showValues")
    ]


def apart(rects: Iterable[tuple[QRectF, str]], what: str) -> list[str]:
    """Problems for every two ``(rect, text)`` that overlap (touching is allowed)."""
    problems = []
    for (a, ta), (b, tb) in itertools.combinations(list(rects), 2):
        if a.adjusted(0.5, 0.5, -0.5, -0.5).intersects(b.adjusted(0.5, 0.5, -0.5, -0.5)):
            problems.append(f"{what}: {ta!r} overlaps {tb!r}")
    return problems


def plot_text_problems(graphics: pg.GraphicsView) -> list[str]:
    """pyqtgraph text in ``graphics`` that cannot be read: tick labels of an axis over each
    other, axis titles over each other, and text cut by the edge of the view."""
    problems: list[str] = []
    seen = QRectF(graphics.viewport().rect())
    seen = graphics.mapToScene(seen.toRect()).boundingRect().adjusted(-1, -1, 1, 1)
    titles = []
    for axis in axes_in(graphics):
        where = f"{_axis_name(axis)} axis"
        texts = tick_texts(axis)
        problems += apart(texts, f"{where} tick labels")
        problems += [
            f"{where}: tick {t!r} cut by the view's edge" for r, t in texts if not seen.contains(r)
        ]
        title = axis_title_rect(axis)
        if title is not None:
            titles.append((title, str(axis.labelText)))
            if not seen.contains(title):
                problems.append(f"{where}: title {axis.labelText!r} cut by the view's edge")
    problems += apart(titles, "axis titles")
    return problems


def _axis_name(axis: pg.AxisItem) -> str:
    return f"{axis.labelText or type(axis).__name__} ({axis.orientation})"
