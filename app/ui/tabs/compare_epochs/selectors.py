"""The epoch A and B selectors: spin boxes that step from stored snapshot to stored snapshot."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.ui.plots import _theme as theme
from app.ui.tabs.compare_epochs import text
from app.ui.tabs.compare_epochs.timeline import COLOURS, LETTERS


class EpochSpinBox(QSpinBox):
    """An epoch number whose arrows (and ↑/↓, PgUp/PgDn) move by stored snapshots.

    ``stepped(n)`` asks the view for the snapshot ``n`` places on; a typed number comes
    as ``valueChanged`` once editing is finished, and the view shows the nearest stored
    epoch.  The value itself is always set by the view, signals blocked.
    """

    stepped = Signal(int)

    def __init__(self, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setKeyboardTracking(False)  # no snapping to "3" on the way to typing "37"
        self.setRange(0, 0)
        self.setGroupSeparatorShown(True)
        self.setToolTip(tooltip)
        self.setMinimumWidth(96)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def stepBy(self, steps: int) -> None:
        self.stepped.emit(steps)

    def show_epoch(self, epoch: int, latest: int) -> None:
        """Display ``epoch`` (a stored one) with ``latest`` as the top of the range."""
        self.blockSignals(True)
        if self.maximum() != latest:
            self.setMaximum(max(latest, 0))
        if self.value() != epoch:
            self.setValue(epoch)
        self.blockSignals(False)


class ScoreLabel(QLabel):
    """What an epoch scored, in the longest wording that fits its width.

    The wordings run from the full one ("all lines: loss 0.258 · 100% right") through
    one without "all lines:" to loss and accuracy on two lines: a narrow window shortens
    the text by that rule instead of cutting it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("—", parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.wordings: tuple[str, ...] = ("—",)

    def set_wordings(self, wordings: tuple[str, ...]) -> None:
        """Show the first of ``wordings`` (longest first) that fits."""
        if wordings != self.wordings:
            self.wordings = wordings
            self.updateGeometry()
        self._pick()

    def _width_of(self, wording: str) -> float:
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        doc.setHtml(wording)
        return doc.idealWidth()

    def _pick(self) -> None:
        room = self.contentsRect().width() - 1
        chosen = next((w for w in self.wordings if self._width_of(w) <= room), self.wordings[-1])
        if self.text() != chosen:
            self.setText(chosen)

    def minimumSizeHint(self) -> QSize:
        width = self._width_of(self.wordings[-1])
        return QSize(int(width) + 2, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        width = self._width_of(self.wordings[0])
        return QSize(int(width) + 2, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._pick()


class EpochSelectors(QWidget):
    """Epoch A, epoch B (each with what it scored) and "follow the latest" for B.

    Signals: ``typed(str, int)`` ("a"/"b", the number typed), ``stepped(str, int)``
    ("a"/"b", snapshots to move), ``follow_toggled(bool)``.
    """

    typed = Signal(str, int)
    stepped = Signal(str, int)
    follow_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spins: dict[str, EpochSpinBox] = {}
        self.infos: dict[str, ScoreLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        for row, (key, tip) in enumerate((("a", text.EPOCH_A), ("b", text.EPOCH_B))):
            letter = QLabel(
                f"<b style='color:{COLOURS[key]}; font-size:14pt'>{LETTERS[key]}</b>&nbsp;epoch"
            )
            letter.setToolTip(tip)
            spin = EpochSpinBox(tip)
            spin.valueChanged.connect(lambda value, k=key: self.typed.emit(k, value))
            spin.stepped.connect(lambda n, k=key: self.stepped.emit(k, n))
            info = ScoreLabel()
            info.setToolTip(f"{tip}\n\n{text.SCORES}")
            grid.addWidget(letter, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(info, row, 2)
            self.spins[key], self.infos[key] = spin, info
        self.follow = QCheckBox("B follows the latest epoch")
        self.follow.setToolTip(text.FOLLOW)
        self.follow.setChecked(True)
        self.follow.toggled.connect(self.follow_toggled)
        grid.addWidget(self.follow, 2, 1, 1, 2)
        grid.setColumnStretch(2, 1)

    def set_follow(self, on: bool) -> None:
        self.follow.blockSignals(True)
        self.follow.setChecked(on)
        self.follow.blockSignals(False)

    def show_epoch(
        self,
        key: str,
        epoch: int,
        latest: int,
        asked: int,
        metrics: Mapping[str, float],
        whole: str = "all lines",
    ) -> None:
        """Epoch ``key`` shows stored ``epoch`` (``asked`` is what was typed or saved);
        ``whole``: what the loss is over ("the whole text" for a stream)."""
        self.spins[key].show_epoch(epoch, latest)
        parts = []
        loss, accuracy = metrics.get("train_loss"), metrics.get("train_accuracy")
        if loss is not None:
            parts.append(f"loss {loss:.3g}")
        if accuracy is not None:
            parts.append(f"{100 * accuracy:.0f}% right")
        wordings: tuple[str, ...] = (
            (f"{whole}: " + " · ".join(parts), " · ".join(parts), "<br>".join(parts))
            if parts
            else ("—",)
        )
        if asked != epoch:
            note = f"<br><i>nearest stored to {asked:,}</i>"
            wordings = tuple(w + note for w in wordings)
        self.infos[key].set_wordings(wordings)

    def clear(self) -> None:
        for key in self.spins:
            self.spins[key].show_epoch(0, 0)
            self.infos[key].set_wordings(("—",))


SHORT_VIEW = 540
"""A Compare view lower than this many pixels leaves the side panel's reminder out."""


class SidePanel(QWidget):
    """A column whose minimum height is what its contents need at its width.

    A splitter knows nothing of height-for-width: without this, the wrapped hint would
    take its lines from the selectors, and the "A epoch" labels and spin boxes would be
    cut to half their height in a short window.
    """

    hint: QLabel | None = None
    """The reminder of the mouse and keys (also the panel's tooltip)."""

    def fit_height(self, room: int) -> None:
        """Leave the reminder out when the view is only ``room`` pixels high (it stays the
        panel's tooltip): in 480 pixels the predictions' rows need its lines."""
        if self.hint is not None:
            self.hint.setVisible(room >= SHORT_VIEW)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)


def side_panel(selectors: EpochSelectors, replay: QWidget) -> SidePanel:
    """The selectors, the replay controls and a reminder of the mouse and keys, stacked."""
    side = SidePanel()
    side.setToolTip(text.HINT)
    layout = QVBoxLayout(side)
    layout.setContentsMargins(6, 0, 0, 0)
    layout.addWidget(selectors)
    layout.addWidget(replay)
    hint = QLabel(text.HINT)
    hint.setWordWrap(True)
    hint.setStyleSheet(f"color: {theme.MUTED}")
    layout.addWidget(hint)
    layout.addStretch(1)
    side.hint = hint
    return side
